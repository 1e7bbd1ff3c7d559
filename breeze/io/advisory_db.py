"""Read OSV advisories from a local folder laid out like the PyPA advisory database."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from breeze.core.advisories import Advisory, advisory_from_osv, canonical_name
from breeze.core.errors import BreezeError, InvalidInput

SUFFIXES = (".yaml", ".yml", ".json")


def advisory_files(root: Path, names: Iterable[str]) -> list[Path]:
    """The advisory files that may concern the named packages.

    With a `vulns/<package>/` layout (the PyPA database) only the folders of those packages are
    read; any other folder is read whole.
    """
    if not root.is_dir():
        raise InvalidInput(f"--advisory-db {root} is not a folder of OSV advisories")
    vulns = root / "vulns" if (root / "vulns").is_dir() else root
    entries = list(vulns.iterdir())
    folders = [p for p in entries if p.is_dir()]
    if folders and not any(_is_advisory(p) for p in entries):
        if not any(_is_advisory(f) for folder in folders for f in folder.iterdir()):
            raise InvalidInput(f"--advisory-db {root} has no advisories (*.yaml, *.json)")
        wanted = {canonical_name(n) for n in names}
        chosen = [p for p in folders if canonical_name(p.name) in wanted]
        return sorted(f for folder in chosen for f in folder.rglob("*") if _is_advisory(f))
    files = sorted(f for f in vulns.rglob("*") if _is_advisory(f))
    if not files:
        raise InvalidInput(
            f"--advisory-db {root} has no advisories (*.yaml, *.json); give a copy of "
            "https://github.com/pypa/advisory-database"
        )
    return files


def _is_advisory(path: Path) -> bool:
    """Whether a path is an advisory file (by its suffix)."""
    return path.suffix in SUFFIXES and path.is_file()


def load_advisories(root: Path, names: Iterable[str]) -> list[Advisory]:
    """The advisories under root for the named packages; a one-line error names a broken file."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    advisories = []
    for path in advisory_files(root, names):
        try:
            text = path.read_text(encoding="utf-8")
            data = json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=loader)
            advisories.append(advisory_from_osv(data))
        except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as e:
            reason = " ".join(str(e).split())[:150]
            raise BreezeError(f"cannot read advisory {path}: {reason}") from e
    return advisories
