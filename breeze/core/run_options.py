"""Options every command takes: how to run, not what to do."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RunOptions:
    """Global options: print instead of running, print what runs, answers, which engine."""

    dry_run: bool = False
    verbose: bool = False
    answer: str | None = None
    docker_host: str | None = None
