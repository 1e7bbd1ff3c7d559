"""Progress of constraint resolutions: one line per Python, live on a terminal, plain otherwise."""

from __future__ import annotations

import sys
import threading
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress


def progress_display(console: Console) -> Progress:
    """One line per Python: spinner, Python, elapsed time whole, then the status, shortened."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
    from rich.table import Column

    return Progress(
        SpinnerColumn(),
        TextColumn("Python {task.fields[label]}", table_column=Column(no_wrap=True)),
        TimeElapsedColumn(table_column=Column(no_wrap=True, min_width=7)),
        TextColumn(
            "{task.fields[status]}",
            table_column=Column(no_wrap=True, overflow="ellipsis", ratio=1),
        ),
        console=console,
        transient=False,
        expand=True,  # the status column takes what is left and shortens in it
    )


class ResolveProgress:
    """One line per Python: a live rich display on a terminal, prefixed plain lines otherwise."""

    def __init__(self, labels: list[str], *, live: bool | None = None) -> None:
        self.labels = labels
        self.live = sys.stderr.isatty() if live is None else live
        self._lock = threading.Lock()
        self._progress = None
        self._tasks: dict[str, int] = {}

    def __enter__(self) -> ResolveProgress:
        if self.live:
            from breeze.ui.console import stderr_console

            self._progress = progress_display(stderr_console())
            self._progress.start()
            for label in self.labels:
                self._tasks[label] = self._progress.add_task(
                    label, total=1, label=label, status="starting"
                )
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self) -> None:
        """End the live display."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def feed(self, label: str, line: str) -> None:
        """Show one log line of a Python's container."""
        with self._lock:
            if self._progress is None:
                if not self.live:
                    print(f"[{label}] {line}", file=sys.stderr, flush=True)
                return
            from rich.markup import escape

            self._progress.update(self._tasks[label], status=escape(line.strip()[:100]))

    def finish(self, label: str, ok: bool) -> None:
        """Mark a Python's resolution as done."""
        with self._lock:
            if self._progress is None:
                return
            status = "[green]done[/]" if ok else "[red]failed[/]"
            self._progress.update(self._tasks[label], completed=1, status=status)
