"""Programs breeze runs on the host besides docker: where to find them."""

from __future__ import annotations

import shutil


def ruff_binary() -> str | None:
    """The ruff executable: the one installed with breeze, else one on PATH; None without."""
    try:
        from ruff.__main__ import find_ruff_bin

        return str(find_ruff_bin())
    except (ImportError, FileNotFoundError):
        return shutil.which("ruff")
