"""Compare two benchmark results: python benchmarks/compare.py OLD.json NEW.json > diff.md."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_markdown import render_comparison  # noqa: E402


def main(argv: Sequence[str] | None = None) -> int:
    """Print the Markdown comparison of the two JSON results named on the command line."""
    paths = list(sys.argv[1:] if argv is None else argv)
    if len(paths) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    old, new = (json.loads(Path(path).read_text()) for path in paths)
    print(render_comparison(old, new), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
