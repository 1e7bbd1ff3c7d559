"""The one process runner: every command breeze starts goes through here."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Callable
from dataclasses import dataclass

from breeze.core.argv import Command
from breeze.core.errors import BreezeError
from breeze.core.shell_format import format_command
from breeze.ui import console


@dataclass(frozen=True)
class Result:
    """What a finished command returned; a dry run returns code 0 and no output."""

    returncode: int
    output: str = ""


class Runner:
    """Runs commands, or with dry_run only prints them; with verbose prints each one first."""

    def __init__(self, *, dry_run: bool = False, verbose: bool = False) -> None:
        self.dry_run = dry_run
        self.verbose = verbose

    def run(
        self,
        command: Command,
        *,
        capture: bool = False,
        on_line: Callable[[str], None] | None = None,
        query: bool = False,
    ) -> Result:
        """Run a command; capture collects its output, on_line receives it line by line.

        A query (a read-only probe such as `docker buildx version`) runs even in a dry run.
        """
        if self.dry_run and not query:
            console.print_command(format_command(command), to_stdout=True)
            return Result(0)
        if self.verbose:
            console.print_command(format_command(command), to_stdout=False)
        env = {**os.environ, **command.env}
        try:
            if on_line is None:
                done = subprocess.run(
                    command.argv, env=env, text=True, capture_output=capture, check=False
                )
                return Result(done.returncode, (done.stdout or "") + (done.stderr or ""))
            return self._stream(command, env, on_line)
        except FileNotFoundError as e:
            raise BreezeError(
                f"'{command.argv[0]}' is not installed or not on PATH; install it and retry"
            ) from e

    @staticmethod
    def _stream(command: Command, env: dict[str, str], on_line: Callable[[str], None]) -> Result:
        """Run a command, handing each output line to on_line; Ctrl-C waits for it to stop."""
        with subprocess.Popen(
            command.argv,
            env=env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            bufsize=1,
            errors="replace",
        ) as process:
            assert process.stdout is not None
            try:
                for line in process.stdout:
                    on_line(line.rstrip("\n"))
                return Result(process.wait())
            except KeyboardInterrupt:
                # From a terminal the child got the same SIGINT (same process group) and is
                # cancelling; when only breeze got it, pass it on (a second SIGINT is harmless
                # to buildx and docker). Wait so nothing it started is left behind.
                try:
                    process.wait(timeout=0.5)
                except subprocess.TimeoutExpired:
                    process.send_signal(signal.SIGINT)
                    process.wait()
                raise
