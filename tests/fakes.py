"""The one fake of the outside world: a session that records what a service would run.

Services are unit-tested through it instead of monkeypatching import paths: it answers commands
and container runs from scripted results, records every command, question and file write, and
gives the service a world (environment, folder, UID, terminal) of the test's choosing.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from breeze.core.argv import Command
from breeze.core.run_options import RunOptions
from breeze.io.engine import ContainerRun
from breeze.io.runner import Result
from breeze.io.session import Session, World

# A scripted answer: a Result, or a function of the command that returns one.
Answer = Result | Callable[[Command], Result]


@dataclass
class FakeEngine:
    """An engine with the images, registry answers and container results a test gives it."""

    images: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    registry: dict[str, str | None] = field(default_factory=dict)  # image -> problem (None: ok)
    containers: list[ContainerRun] = field(default_factory=list)  # returned in order
    runs: list[dict[str, Any]] = field(default_factory=list)
    version: str = "26.1.5"
    gone: Exception | None = None  # raised by every call: an engine that stopped answering
    asked: list[str] = field(default_factory=list)  # images asked of the registry, in order
    sees: bool = True  # whether its containers find this machine's folders

    def sees_folder(self, image: str, folder: Path) -> bool:
        """Whether the engine's machine has FOLDER as this one has it."""
        self._check()
        return self.sees

    def _check(self) -> None:
        if self.gone is not None:
            raise self.gone

    def ping(self, timeout: float | None = None) -> str:
        """The engine's version."""
        self._check()
        return self.version

    def image_attrs(self, image: str) -> Mapping[str, Any] | None:
        """The inspect data of a known image, else None."""
        self._check()
        return self.images.get(image)

    def require_image(self, image: str, build_command: str = "") -> Mapping[str, Any]:
        """The inspect data; the real engine's one-line error when the image is missing."""
        from breeze.core.errors import BreezeError

        attrs = self.image_attrs(image)
        if attrs is None:
            raise BreezeError(f"image {image} does not exist in the engine")
        return attrs

    def registry_problem(self, image: str, timeout: float = 60) -> str | None:
        """Why the registry cannot give IMAGE, or None."""
        self._check()
        self.asked.append(image)
        return self.registry.get(image, "no such image")

    def run(self, image: str, command: list[str], **kwargs: Any) -> ContainerRun:
        """Record a container run; return the next scripted result."""
        self._check()
        self.runs.append({"image": image, "command": command, **kwargs})
        return self.containers.pop(0) if self.containers else ContainerRun(0, "", 0.1)

    def stop_time(
        self, image: str, command: list[str], platform: str | None = None
    ) -> ContainerRun:
        """A container that stops at once."""
        self.runs.append({"image": image, "command": command, "stop": True, "platform": platform})
        return ContainerRun(0, "", 0.2)

    def info(self) -> Mapping[str, Any]:
        """`docker info` of a small local engine."""
        self._check()
        return {"ServerVersion": self.version, "OSType": "linux", "Architecture": "x86_64"}

    def local_images(self) -> list[tuple[str, int]]:
        """The known images, each 100 MB."""
        return [(name, 100_000_000) for name in self.images]

    def published_ports(self) -> dict[int, tuple[str, str]]:
        """No container publishes a port."""
        return {}


class FakeSession(Session):
    """A session whose processes, containers, questions and files are the test's."""

    # what a download returns, (url, timeout) -> bytes; None: a download fails the test
    fetch: Callable[[str, float], bytes] | None = None

    def __init__(
        self,
        options: RunOptions | None = None,
        *,
        cwd: Path = Path("/work/project"),
        environ: Mapping[str, str] | None = None,
        uid: int = 1000,
        interactive: bool = False,
        answers: Mapping[str, Answer] | None = None,
        engine: FakeEngine | None = None,
        confirm: bool = False,
        free_ports: bool = True,
    ) -> None:
        world = World(dict(environ or {}), cwd, uid, interactive, "x86_64")
        super().__init__(options or RunOptions(), world)
        self.fake_engine = engine or FakeEngine()
        self.answers = dict(answers or {})  # the first argv word(s) joined -> answer
        self.commands: list[Command] = []
        self.questions: list[str] = []
        self.written: dict[Path, str] = {}
        self.confirm_answer = confirm
        self.free_ports = free_ports

    @property
    def engine(self) -> Any:  # type: ignore[override]
        """The fake engine."""
        return self.fake_engine

    def run(
        self,
        command: Command,
        *,
        capture: bool = False,
        on_line: Callable[[str], None] | None = None,
        query: bool = False,
    ) -> Result:
        """Record the command; in a dry run (unless a query) run nothing; else answer it."""
        self.commands.append(command)
        if self.dry_run and not query:
            return Result(0)
        result = self._answer(command)
        if on_line is not None:
            for line in result.output.splitlines():
                on_line(line)
        return result

    def probe(self, command: Command) -> Result:
        """A quiet probe: recorded and answered like run()."""
        self.commands.append(command)
        return self._answer(command)

    def _answer(self, command: Command) -> Result:
        """The scripted answer for the longest matching prefix of the argv, else success."""
        words = list(command.argv)
        for length in range(len(words), 0, -1):
            answer = self.answers.get(" ".join(words[:length]))
            if answer is not None:
                return answer(command) if callable(answer) else answer
        return Result(0)

    def confirm(self, question: str, *, default: bool = False) -> bool:
        """Record the question; answer as --answer says, else as the test set."""
        self.questions.append(question)
        if self.options.answer is not None:
            return self.options.answer == "yes"
        return self.confirm_answer

    def write_text(self, path: Path, text: str) -> None:
        """Record the write; write it too when it is in a temporary folder (a test's tmp_path)."""
        self.written[path] = text
        if not self.dry_run and Path(tempfile.gettempdir()) in path.parents:
            super().write_text(path, text)  # a test's own folder: write it for real

    def download(self, url: str, timeout: float) -> bytes:
        """The fetch function's answer; without one, a download is a test failure."""
        if self.fetch is None:
            raise AssertionError(f"unexpected download of {url}")
        return type(self).fetch(url, timeout)  # type: ignore[misc]

    def port_free(self, port: int, address: str = "0.0.0.0") -> bool:
        """Every port is free (or none, as the test set)."""
        return self.free_ports

    def argv_of(self, first: str) -> list[tuple[str, ...]]:
        """The recorded commands whose argv starts with FIRST (words joined by spaces)."""
        return [c.argv for c in self.commands if " ".join(c.argv).startswith(first)]
