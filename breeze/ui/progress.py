"""Build progress: a live status line on a terminal, the plain build output otherwise."""

from __future__ import annotations

import sys
import time
from types import TracebackType

from breeze.build_log import BuildLog


class BuildProgress:
    """Feeds build output to a BuildLog and shows it: a status line, or every line as it comes."""

    def __init__(self, title: str, *, live: bool | None = None) -> None:
        self.status = StatusLine(title, live=live)
        self.live = self.status.live
        self.log = BuildLog()
        self.started = time.monotonic()

    def __enter__(self) -> BuildProgress:
        self.status.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.status.__exit__(exc_type, exc, traceback)

    @property
    def elapsed(self) -> float:
        """Seconds since the build started."""
        return time.monotonic() - self.started

    def feed(self, line: str) -> None:
        """Take one output line and show it."""
        self.log.feed(line)
        if not self.live:
            print(line, file=sys.stderr, flush=True)
            return
        self.status.update(self.log.current[:100] or "starting", self.elapsed)


def _clock(seconds: float) -> str:
    """Elapsed time as m:ss."""
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}:{secs:02d}"


class StatusLine:
    """A live status line with elapsed time on a terminal; a printed line per change otherwise."""

    def __init__(self, title: str, *, live: bool | None = None) -> None:
        self.title = title
        self.live = sys.stderr.isatty() if live is None else live
        self._status = None
        self._last = ""

    def __enter__(self) -> StatusLine:
        if self.live:
            from breeze.ui.console import stderr_console

            self._status = stderr_console().status(self.title)
            self._status.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._status is not None:
            self._status.stop()

    def update(self, text: str, elapsed: float) -> None:
        """Show the current state; without a terminal print it only when it changed."""
        if self._status is None:
            if text != self._last:
                print(f"[{_clock(elapsed)}] {text}", file=sys.stderr, flush=True)
                self._last = text
            return
        from rich.markup import escape

        self._status.update(f"{self.title} [dim]{_clock(elapsed)}[/] {escape(text)}")
