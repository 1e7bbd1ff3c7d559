"""A file a command will write: refused early when its folder is missing or it is a folder."""

from __future__ import annotations

from pathlib import Path

from breeze.core.errors import InvalidInput


def check_output_file(path: Path, option: str) -> None:
    """Refuse, before anything runs, an OPTION path that is a folder or whose folder is missing."""
    if path.is_dir():
        raise InvalidInput(f"{option} {path} is a folder; give a file name")
    if not path.parent.is_dir():
        raise InvalidInput(f"{option} {path}: folder {path.parent} does not exist; create it first")
