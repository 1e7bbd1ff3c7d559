"""Options every command takes: how to run, not what to do."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RunOptions:
    """Global options: print instead of running, print what runs, answer questions."""

    dry_run: bool = False
    verbose: bool = False
    answer: str | None = None
