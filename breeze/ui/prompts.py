"""Questions to the user: answered by --answer, by the user on a terminal, or by the default."""

from __future__ import annotations

import select
import sys

from breeze.errors import BreezeError


class QuitRequested(BreezeError):
    """The user (or --answer quit) chose to stop."""


def confirm(
    question: str, *, answer: str | None, default: bool = False, timeout: float = 30
) -> bool:
    """Ask a yes/no question; without a terminal or an answer in time, return the default."""
    if answer == "quit":
        raise QuitRequested(f"stopped at the question '{question}' (--answer quit)")
    if answer is not None:
        return answer == "yes"
    if not sys.stdin.isatty():
        return default
    choices = "[Y/n/q]" if default else "[y/N/q]"
    print(
        f"{question} {choices} ({'yes' if default else 'no'} in {timeout:.0f} s) ",
        end="",
        file=sys.stderr,
        flush=True,
    )
    ready, _, _ = select.select([sys.stdin], [], [], timeout)
    if not ready:
        print("", file=sys.stderr)
        return default
    reply = sys.stdin.readline().strip().lower()
    if reply in ("q", "quit"):
        raise QuitRequested(f"stopped at the question '{question}'")
    if not reply:
        return default
    return reply in ("y", "yes")
