"""The files behind the configuration: breeze.toml in the working folder, remembered choices."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from breeze.core.config import CONFIG_FILE, REMEMBERED_KEYS, Scalar, dump_toml, parse_toml
from breeze.core.errors import BreezeError, InvalidInput

REMEMBERED_FILE = "remembered.json"


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """breeze's cache: $BREEZE_CACHE_DIR, else $XDG_CACHE_HOME/breeze, else ~/.cache/breeze."""
    environ = os.environ if environ is None else environ
    explicit = environ.get("BREEZE_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    xdg = environ.get("XDG_CACHE_HOME")
    home = Path(environ["HOME"]) if environ.get("HOME") else Path.home()  # the world's HOME
    return (Path(xdg).expanduser() if xdg else home / ".cache") / "breeze"


def project_file(folder: Path) -> Path:
    """breeze.toml in FOLDER (the working folder)."""
    return folder / CONFIG_FILE


def read_project(path: Path) -> dict[str, Any]:
    """The values of breeze.toml: empty when there is none, InvalidInput when it is unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise BreezeError(
            f"cannot read {path}: {error.strerror}; make it a readable TOML file or remove it"
        ) from error
    try:
        return parse_toml(text)
    except ValueError as error:
        raise InvalidInput(f"{path} is not valid TOML ({error}); fix or delete it") from error


def write_project(values: Mapping[str, Scalar], comments: tuple[str, ...], path: Path) -> Path:
    """Replace breeze.toml with VALUES, atomically; return its path."""
    atomic_write(path, dump_toml(values, comments))
    return path


def remembered_file(cache: Path) -> Path:
    """Where remembered choices are kept in the cache folder."""
    return cache / REMEMBERED_FILE


def read_remembered(cache: Path) -> dict[str, Any]:
    """Remembered choices; a missing or damaged file remembers nothing."""
    try:
        data = json.loads(remembered_file(cache).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {key: data[key] for key in REMEMBERED_KEYS if isinstance(data, dict) and key in data}


def remember(cache: Path, choices: Mapping[str, str]) -> None:
    """Remember explicit choices; a cache that cannot be written is not worth an error."""
    unknown = [key for key in choices if key not in REMEMBERED_KEYS]
    if unknown:
        raise ValueError(f"'{unknown[0]}' is not remembered; only {', '.join(REMEMBERED_KEYS)}")
    values = read_remembered(cache)
    if all(values.get(key) == value for key, value in choices.items()):
        return
    values.update(choices)
    with contextlib.suppress(OSError):
        atomic_write(remembered_file(cache), json.dumps(values, indent=1, sort_keys=True) + "\n")


def forget(cache: Path) -> bool:
    """Clear the remembered choices; return whether there were any."""
    try:
        remembered_file(cache).unlink()
    except FileNotFoundError:
        return False
    return True


def atomic_write(path: Path, text: str) -> None:
    """Write TEXT to PATH through a temporary file renamed into place, keeping PATH's mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        if not path.exists():
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _umask() -> int:
    """The process's umask (read by setting and restoring it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


STAGING = ".staging"


def store_entry(root: Path, folder: Path, file_name: str, data: bytes) -> None:
    """Write a cache entry atomically: FOLDER appears complete, holding only the file, or not."""
    staging_root = root / STAGING
    staging_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=staging_root))
    try:
        with open(staging / file_name, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        folder.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(staging, folder)
        except OSError:
            if not (folder / file_name).is_file():
                raise  # not another process's complete entry
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        with contextlib.suppress(OSError):
            staging_root.rmdir()  # only when empty: other writers may be staging


def copy_files(source: Path, names: list[Path], target: Path) -> None:
    """Copy files (relative NAMES) from SOURCE into TARGET through a sibling staging folder:
    a failure leaves no half-written TARGET; files of TARGET that are not among NAMES stay."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        for name in names:
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / name, staging / name)
        if not target.exists():
            staging.rename(target)
        else:
            for name in names:
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                (staging / name).replace(target / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
