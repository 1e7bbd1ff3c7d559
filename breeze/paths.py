"""Where breeze finds its Dockerfile and build context."""

from __future__ import annotations

from pathlib import Path

from breeze.errors import BreezeError


def project_root() -> Path:
    """The folder holding the Dockerfile: the checkout breeze runs from."""
    root = Path(__file__).resolve().parent.parent
    if not (root / "Dockerfile").is_file():
        raise BreezeError(
            f"no Dockerfile beside the breeze package in {root}; install breeze from its "
            "source checkout with `pip install -e .`"
        )
    return root
