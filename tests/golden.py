"""Golden files: compare generated text with a committed copy; BREEZE_UPDATE_GOLDEN=1 rewrites it."""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN_DIR = Path(__file__).parent / "golden"


def assert_golden(name: str, text: str) -> None:
    """Fail with a diff hint when text differs from tests/golden/<name>."""
    path = GOLDEN_DIR / name
    if os.environ.get("BREEZE_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return
    assert path.exists(), f"missing golden file {path}; run with BREEZE_UPDATE_GOLDEN=1"
    expected = path.read_text()
    assert text == expected, (
        f"{name} differs from its golden file; if the change is intended, regenerate with "
        "BREEZE_UPDATE_GOLDEN=1 pytest and review the diff"
    )
