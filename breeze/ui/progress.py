"""Build progress: a live status line on a terminal, the plain build output otherwise."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from types import TracebackType
from typing import TYPE_CHECKING

from breeze.core.build_log import BuildLog

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions
    from rich.text import Text

# The detail keeps at least this many columns before the title makes room for it; a title
# alone is shown in no fewer.
MIN_DETAIL = 30
MIN_TITLE = 10


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
        self.status.update(self.log.status() or "starting", self.elapsed)


def _clock(seconds: float) -> str:
    """Elapsed time as m:ss."""
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}:{secs:02d}"


def fit_line(title: str, clock: str, detail: str, width: int) -> str:
    """Title, clock and detail in width columns: the detail shortens, then the title goes."""
    if not detail:
        room = width - len(clock) - 1
        return f"{_cut(title, room)} {clock}" if title and room >= MIN_TITLE else clock
    for head in (f"{title} {clock}", clock) if title else (clock,):
        room = width - len(head) - 1
        if room >= min(MIN_DETAIL, len(detail)):
            return f"{head} {_cut(detail, room)}"
    room = width - len(clock) - 1
    return f"{clock} {_cut(detail, room)}" if room >= 2 else clock  # the clock is never cut


def _cut(text: str, width: int) -> str:
    """Text in width columns, with an ellipsis when cut."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


class StatusLine:
    """A live status line with elapsed time on a terminal; a printed line per change otherwise."""

    def __init__(self, title: str, *, live: bool | None = None) -> None:
        self.title = title
        self.live = sys.stderr.isatty() if live is None else live
        self.text = ""
        self._status = None
        self._last = ""
        self._elapsed = 0.0
        self._updated = time.monotonic()

    def __enter__(self) -> StatusLine:
        if self.live:
            from breeze.ui.console import stderr_console

            self._status = stderr_console().status(self)
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
        self.text, self._elapsed, self._updated = text, elapsed, time.monotonic()

    def render(self, width: int) -> str:
        """The line in width columns; the clock runs on between updates."""
        return fit_line(self.title, self._clock(), self.text, width)

    def _clock(self) -> str:
        """The elapsed time now."""
        return _clock(self._elapsed + time.monotonic() - self._updated)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        """Render for rich's live status at every refresh, in the width the spinner leaves."""
        from rich.text import Text

        clock = self._clock()
        line = fit_line(self.title, clock, self.text, options.max_width)
        text = Text(line, no_wrap=True, overflow="crop")
        start = len(self.title) + 1 if line.startswith(f"{self.title} {clock}") else 0
        text.stylize("dim", start, start + len(clock))
        yield text
