"""The session: one command's only door to the outside world.

A command builds one session from its run options (`--dry-run`, `--verbose`, `--answer`,
`--docker-host`) and the world it runs in (environment, working folder, UID, terminal), and hands
it to its service. The session owns the one runner for processes and SDK container runs (one
dry-run and verbose echo for both), the engine client, questions, downloads, the cache folder and
file writes. Nothing else constructs a Runner or an Engine (tests/unit/test_architecture.py).
"""

from __future__ import annotations

import contextlib
import functools
import os
import platform
import secrets
import shutil
import socket
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from breeze.core.argv import Command, docker_copy_run, docker_run, engine_env
from breeze.core.engine_target import EngineTarget
from breeze.core.run_options import RunOptions
from breeze.core.shell_format import format_command
from breeze.io import files
from breeze.io.engine import ContainerRun, Engine
from breeze.io.runner import Result, Runner
from breeze.ui import console


@dataclass(frozen=True)
class World:
    """What a command finds around it: environment, working folder, user, terminal."""

    environ: Mapping[str, str] = field(default_factory=dict)
    cwd: Path = Path(".")
    uid: int = 0
    interactive: bool = False
    machine: str = ""  # the host's architecture, as platform.machine() says
    hostname: str = ""

    @classmethod
    def current(cls) -> World:
        """The process's own environment, folder, UID and terminal."""
        return cls(
            environ=dict(os.environ),
            cwd=Path.cwd(),
            uid=os.getuid(),
            interactive=sys.stdin.isatty() and sys.stdout.isatty(),
            machine=platform.machine(),
            hostname=socket.gethostname(),
        )


class Session:
    """Runs processes and containers, asks questions, writes files: for one command."""

    def __init__(self, options: RunOptions | None = None, world: World | None = None) -> None:
        self.options = options or RunOptions()
        self.world = world or World.current()

    @property
    def dry_run(self) -> bool:
        """Print commands instead of running them."""
        return self.options.dry_run

    @property
    def docker_host(self) -> str | None:
        """The engine every docker command and SDK call of this session talks to."""
        return self.options.docker_host

    @functools.cached_property
    def runner(self) -> Runner:
        """The one runner: echoes in a dry run or with --verbose."""
        return Runner(dry_run=self.options.dry_run, verbose=self.options.verbose)

    @functools.cached_property
    def _quiet(self) -> Runner:
        """A runner for probes polled often: never echoed, runs in a dry run too."""
        return Runner()

    @functools.cached_property
    def engine_target(self) -> EngineTarget:
        """Which engine this session talks to, and what chose it (option, variable, context)."""
        from breeze.io.engine import find_target

        return find_target(self.docker_host, self.world.environ)

    @functools.cached_property
    def engine(self) -> Engine:
        """The engine client (connects on first use)."""
        return Engine(self.docker_host, target=self.engine_target)

    def other_engine(self, docker_host: str, option: str) -> Engine:
        """A second engine, given by OPTION, for commands that compare what two engines hold."""
        return Engine(docker_host, target=EngineTarget(docker_host, option))

    def run(
        self,
        command: Command,
        *,
        capture: bool = False,
        on_line: Callable[[str], None] | None = None,
        query: bool = False,
    ) -> Result:
        """Run a command (print it in a dry run); a query runs in a dry run too."""
        return self.runner.run(command, capture=capture, on_line=on_line, query=query)

    def run_steps(
        self, commands: tuple[Command, ...], on_line: Callable[[str], None] | None = None
    ) -> Result:
        """Run a container's commands: its one `docker run`, or `argv.copy_in_run`'s create,
        copies and start, removing the container after; the result of the one that runs it."""
        if len(commands) == 1:
            return self.run(commands[0], on_line=on_line)
        *prepare, start, remove = commands
        try:
            for command in prepare:
                result = self.run(command, capture=True)
                if result.returncode != 0:
                    return result
            return self.run(start, on_line=on_line)
        finally:
            self.run(remove, capture=True)

    def probe(self, command: Command) -> Result:
        """Run a read-only command quietly, also in a dry run, and capture its output."""
        return self._quiet.run(command, capture=True, query=True)

    def run_container(
        self,
        image: str,
        command: tuple[str, ...],
        *,
        user: str | None = None,
        environment: Mapping[str, str] | None = None,
        flags: tuple[str, ...] = (),
        hardened: bool = False,
        entrypoint: str | None = None,
        timeout: float = 300,
        purpose: str = "verify",
        multiline: bool = False,
        mounts: Mapping[str, str] | None = None,
        platform: str | None = None,
    ) -> ContainerRun | None:
        """Run a throw-away container through the SDK; in a dry run print it and return None.

        The printed `docker run` (dry run, --verbose) does what the SDK call does. MOUNTS are
        bound read-only on an engine of this machine, and copied in on any other: a remote
        engine has no such folders.
        """
        shown_flags = (*flags, *(("--entrypoint", entrypoint) if entrypoint else ()))
        shown_flags += ("--platform", platform) if platform else ()
        copies, name = None, None
        if mounts and not self.engine_target.local:
            copies, mounts = mounts, None
            name = f"breeze-{purpose}-{secrets.token_hex(4)}"
            commands = docker_copy_run(
                image, command, name=name, copies=copies, user=user, environment=environment,
                flags=shown_flags,
            )  # fmt: skip
        else:
            commands = (
                docker_run(
                    image, command, user=user, environment=environment, flags=shown_flags,
                    mounts=mounts,
                ),
            )  # fmt: skip
        if self.options.dry_run or self.options.verbose:
            for shown in commands:
                shown = Command(shown.argv, engine_env(self.docker_host))
                text = format_command(shown, multiline=multiline)
                console.print_command(text, to_stdout=self.options.dry_run)
        if self.options.dry_run:
            return None
        return self.engine.run(
            image,
            list(command),
            user=user,
            environment=environment,
            entrypoint=[entrypoint] if entrypoint else None,
            timeout=timeout,
            hardened=hardened,
            purpose=purpose,
            mounts=mounts,
            copies=copies,
            name=name,
            platform=platform,
        )

    def time_stop(
        self, image: str, command: tuple[str, ...], platform: str | None = None
    ) -> ContainerRun | None:
        """Start a long-running container and time `docker stop` on it (None in a dry run)."""
        shown = docker_run(image, command, flags=("--platform", platform) if platform else ())
        if self.options.dry_run or self.options.verbose:
            console.print_command(
                format_command(shown, multiline=False), to_stdout=self.options.dry_run
            )
        if self.options.dry_run:
            return None
        return self.engine.stop_time(image, list(command), platform=platform)

    def port_free(self, port: int, address: str = "0.0.0.0") -> bool:
        """Whether a TCP port on an address of this machine can be bound now."""
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((address, port))
            except OSError:
                return False
        return True

    def free_port_after(self, port: int, address: str = "0.0.0.0") -> int | None:
        """The first free port among the 199 after PORT, or None."""
        return next((p for p in range(port + 1, port + 200) if self.port_free(p, address)), None)

    def confirm(self, question: str, *, default: bool = False) -> bool:
        """A yes/no question, answered by --answer, the user, or the default."""
        from breeze.ui.prompts import confirm

        return confirm(question, answer=self.options.answer, default=default)

    @property
    def cache_dir(self) -> Path:
        """breeze's cache folder ($BREEZE_CACHE_DIR, $XDG_CACHE_HOME/breeze, ~/.cache/breeze)."""
        return files.cache_dir(self.world.environ)

    def download(self, url: str, timeout: float) -> bytes:
        """The bytes at a URL, through the environment's proxy; ConstraintsUnavailable if not."""
        from breeze.io.download import download

        return download(url, timeout, verbose=self.options.verbose)

    def store_entry(self, root: Path, folder: Path, file_name: str, data: bytes) -> None:
        """Write a cache entry under ROOT atomically: FOLDER appears complete, or not at all."""
        files.store_entry(root, folder, file_name, data)

    def copy_files(self, source: Path, names: list[Path], target: Path) -> None:
        """Copy NAMES from SOURCE into TARGET all at once (breeze.io.files.copy_files)."""
        files.copy_files(source, names, target)

    @contextlib.contextmanager
    def temporary_folder(self, prefix: str) -> Iterator[Path]:
        """A folder removed with everything in it when the block ends."""
        with tempfile.TemporaryDirectory(prefix=prefix) as folder:
            yield Path(folder)

    def ruff(self) -> str | None:
        """The ruff executable installed with breeze (else one on PATH); None without one."""
        from breeze.io.tools import ruff_binary

        return ruff_binary()

    def free_bytes(self, path: Path) -> int:
        """Free space of the file system holding PATH; OSError when it cannot be read."""
        return shutil.disk_usage(path).free

    def read_bytes(self, path: Path) -> bytes:
        """A file's bytes; OSError when it is missing or unreadable."""
        return path.read_bytes()

    def write_text(self, path: Path, text: str) -> None:
        """Replace a file's content atomically: readers see the old or the new, never half."""
        if self.options.dry_run:
            console.info(f"Dry run: would write {path}")
            return
        files.atomic_write(path, text)
