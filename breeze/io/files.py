"""The files behind the configuration: breeze.toml in the working folder, remembered choices."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from breeze.core.config import CONFIG_FILE, REMEMBERED_KEYS, Scalar, dump_toml, parse_toml
from breeze.core.errors import BreezeError, InvalidInput

REMEMBERED_FILE = "remembered.json"


def cache_dir() -> Path:
    """breeze's cache: $BREEZE_CACHE_DIR, else $XDG_CACHE_HOME/breeze, else ~/.cache/breeze."""
    explicit = os.environ.get("BREEZE_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "breeze"


def project_file(folder: Path | None = None) -> Path:
    """breeze.toml in the working folder (or FOLDER)."""
    return (folder or Path.cwd()) / CONFIG_FILE


def read_project(path: Path | None = None) -> dict[str, Any]:
    """The values of breeze.toml: empty when there is none, InvalidInput when it is unreadable."""
    path = path or project_file()
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


def write_project(
    values: Mapping[str, Scalar], comments: tuple[str, ...], path: Path | None = None
) -> Path:
    """Replace breeze.toml with VALUES, atomically; return its path."""
    path = path or project_file()
    atomic_write(path, dump_toml(values, comments))
    return path


def remembered_file() -> Path:
    """Where remembered choices are kept."""
    return cache_dir() / REMEMBERED_FILE


def read_remembered() -> dict[str, Any]:
    """Remembered choices; a missing or damaged file remembers nothing."""
    try:
        data = json.loads(remembered_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {key: data[key] for key in REMEMBERED_KEYS if isinstance(data, dict) and key in data}


def remember(key: str, value: str) -> None:
    """Remember an explicit choice; a cache that cannot be written is not worth an error."""
    if key not in REMEMBERED_KEYS:
        raise ValueError(f"'{key}' is not remembered; only {', '.join(REMEMBERED_KEYS)}")
    values = read_remembered()
    if values.get(key) == value:
        return
    values[key] = value
    with contextlib.suppress(OSError):
        atomic_write(remembered_file(), json.dumps(values, indent=1, sort_keys=True) + "\n")


def forget() -> bool:
    """Clear the remembered choices; return whether there were any."""
    try:
        remembered_file().unlink()
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
