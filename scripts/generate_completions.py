#!/usr/bin/env python3
"""Regenerate the completion index and the committed completion scripts from the app.

    python scripts/generate_completions.py          # write them
    python scripts/generate_completions.py --check  # exit 1 if any is out of date

The unit tests regenerate both in memory and fail when the committed copies drift.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from breeze.completion import index  # noqa: E402
from breeze.completion import shell_scripts as scripts  # noqa: E402


def artefacts() -> dict[Path, str]:
    """Every generated file and its content."""
    files = {ROOT / index.INDEX_PATH: index.generate()}
    for shell in scripts.SHELLS:
        files[ROOT / "completions" / scripts.FILE_NAMES[shell]] = scripts.script(shell)
    return files


def main() -> int:
    """Write the files, or with --check report the ones that differ."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 on drift")
    args = parser.parse_args()
    stale = []
    for path, text in artefacts().items():
        current = path.read_text() if path.exists() else None
        if current == text:
            continue
        stale.append(path)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            print(f"wrote {path.relative_to(ROOT)}")
    if args.check and stale:
        for path in stale:
            print(f"out of date: {path.relative_to(ROOT)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
