"""Console messages: success, info, warning and error on stderr; results on stdout."""

from __future__ import annotations

import functools
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


@functools.cache
def stderr_console() -> Console:
    """The rich console for messages (imported on first use: rich is slow to import)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


@functools.cache
def stdout_console() -> Console:
    """The rich console for results such as tables."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def info(message: str) -> None:
    """Tell the user what is happening."""
    stderr_console().print(message, markup=False)


def success(message: str) -> None:
    """Tell the user something worked."""
    stderr_console().print(f"[green]{_escape(message)}[/]")


def warning(message: str) -> None:
    """Tell the user about something doubtful that does not stop the command."""
    stderr_console().print(f"[yellow]Warning: {_escape(message)}[/]")


def error(message: str) -> None:
    """Tell the user why the command stopped, in one line."""
    stderr_console().print(f"[red]Error: {_escape(message)}[/]")


def print_command(text: str, *, to_stdout: bool) -> None:
    """Print shell text exactly as it can be pasted: dry runs to stdout, verbose to stderr."""
    stream = sys.stdout if to_stdout else sys.stderr
    print(text, file=stream, flush=True)


def _escape(message: str) -> str:
    """Escape rich markup in user-provided text."""
    from rich.markup import escape

    return escape(message)
