"""Ctrl-C for real: SIGINT from the test, to the process group as a terminal sends it, or to breeze.

`constraints generate` with SIGINT to the process group is tested in test_constraints.py; here
the same command gets one SIGINT to breeze's own pid.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from breeze.core.compose_env import project_name
from tests.integration.conftest import CI_IMAGE_ARGS, ROOT, TEST_REPOSITORY, breeze, docker
from tests.integration.test_constraints import _constraint_containers, base_images  # noqa: F401
from tests.integration.test_dev_env import free_port, leftovers


class Breeze:
    """breeze in its own session (process group), its stderr collected line by line."""

    def __init__(self, *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> None:
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "breeze", *args],
            cwd=cwd,
            env={**os.environ, "COLUMNS": "200", **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # a process group to send Ctrl-C's SIGINT to, like a terminal
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        """Collect the output."""
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        """Everything printed so far."""
        return "\n".join(self.lines)

    def wait_for(self, condition: Callable[[], bool], what: str, timeout: float = 300) -> None:
        """Wait until condition() holds while breeze runs; fail naming what did not happen."""
        deadline = time.monotonic() + timeout
        while not condition():
            if self.process.poll() is not None:
                pytest.fail(
                    f"breeze ended ({self.process.returncode}) before {what}:\n{self.output}"
                )
            if time.monotonic() > deadline:
                pytest.fail(f"no {what} after {timeout:.0f} s:\n{self.output[-3000:]}")
            time.sleep(0.1)

    def interrupt(self, *, group: bool) -> None:
        """SIGINT to the process group (a terminal's Ctrl-C), or to breeze's pid alone."""
        if group:
            os.killpg(self.process.pid, signal.SIGINT)
        else:
            os.kill(self.process.pid, signal.SIGINT)

    def finish(self, timeout: float = 180) -> int:
        """Wait for the exit code; kill the group if it does not come."""
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            pytest.fail(f"breeze did not stop within {timeout:.0f} s of Ctrl-C:\n{self.output}")
        self._reader.join(timeout=10)
        return code

    def kill(self) -> None:
        """Make sure nothing of this breeze keeps running."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def processes_with(marker: str) -> list[int]:
    """Pids whose environment holds marker: the RUN steps of a build that has it as a build arg.

    The engine runs here, so a RUN step of a build is a process of this machine; buildx and
    breeze have the marker only on their command line, never in their environment.
    """
    found = []
    needle = marker.encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def wait_until_gone(marker: str, timeout: float = 60) -> list[int]:
    """The processes with marker still running after timeout (none, when the build stopped)."""
    deadline = time.monotonic() + timeout
    while (left := processes_with(marker)) and time.monotonic() < deadline:
        time.sleep(0.5)
    return left


def tiny_build_seconds(nonce: str) -> float:
    """Seconds a one-RUN build takes (no image is kept): the engine builds again at once."""
    started = time.monotonic()
    done = subprocess.run(
        ["docker", "buildx", "build", "--progress", "plain", "--output", "type=cacheonly", "-"],
        input=f"FROM python:3.13-slim-trixie\nRUN echo {nonce}\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return time.monotonic() - started


def build_args(tag: str, nonce: str) -> tuple[str, ...]:
    """A production build whose Python install step reruns (a new requirement) and is marked.

    The extras are the CI image's, so the constraints generated for it and the Airflow install
    layer are reused; `six!=0.0.<nonce>` changes nothing installed but is a new step.
    """
    return (
        "prod-image", "build", "--image-tag", tag, *CI_IMAGE_ARGS,
        "--additional-python-deps", f"six!=0.0.{nonce}",
        "--build-progress", "plain", "--answer", "yes",
    )  # fmt: skip


def image_exists(tag: str) -> bool:
    """Whether the engine has an image with this tag."""
    return docker("image", "inspect", tag, check=False).returncode == 0


@pytest.mark.parametrize("group", [True, False], ids=["process-group", "breeze-pid"])
def test_ctrl_c_during_build_cancels_it(ci_image: str, group: bool) -> None:
    nonce = str(int(time.time() * 1000) % 10**9)
    tag = f"{TEST_REPOSITORY}:interrupted-{nonce}"
    builders = docker("ps", "-aq", "--filter", "name=buildx_buildkit").stdout.split()
    marker = f"six!=0.0.{nonce}"
    run = Breeze(*build_args(tag, nonce))
    try:
        # the step that installs the additional requirement runs: a process with the marker
        run.wait_for(lambda: bool(processes_with(marker)), "RUN step of the build", timeout=600)
        run.interrupt(group=group)
        code = run.finish()
    finally:
        run.kill()
        built = image_exists(tag)
        if built:
            docker("rmi", tag, check=False)
    assert code == 130, run.output[-3000:]
    assert "Traceback" not in run.output
    assert not wait_until_gone(marker), "a RUN step of the cancelled build keeps running"
    assert not built, "the build was not cancelled: its image exists"
    assert docker("ps", "-aq", "--filter", "name=buildx_buildkit").stdout.split() == builders
    seconds = tiny_build_seconds(f"after-{nonce}")
    print(f"a new build after Ctrl-C took {seconds:.1f} s")
    assert seconds < 60


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    """A project folder whose stack is removed, volumes included, after the test."""
    folder = tmp_path / "interrupted"
    (folder / "dags").mkdir(parents=True)
    yield folder
    breeze("down", "--volumes", "--project-folder", str(folder), check=False)


@pytest.mark.parametrize(
    ("group", "moment"),
    [(True, "up"), (False, "wait")],
    ids=["process-group-during-up", "breeze-pid-during-wait"],
)
def test_ctrl_c_during_start_airflow_stops_the_stack(
    ci_image: str, project: Path, group: bool, moment: str
) -> None:
    name = project_name(project)
    run = Breeze(
        "start-airflow", "--project-folder", str(project), "--image-tag", ci_image,
        *CI_IMAGE_ARGS, "--api-port", str(free_port()), "--answer", "no",
    )  # fmt: skip
    try:
        if moment == "up":  # compose is creating the containers
            run.wait_for(lambda: bool(leftovers(name)["containers"]), "container of the stack")
        else:  # breeze polls the services' health
            run.wait_for(
                lambda: any(line.startswith("[") for line in run.lines), "health status line"
            )
        run.interrupt(group=group)
        code = run.finish()
    finally:
        run.kill()
    assert code == 130, run.output[-3000:]
    assert "Traceback" not in run.output
    assert f"Interrupted: stopping {name}" in run.output
    left = leftovers(name)
    # ADR 0011: Ctrl-C runs `docker compose down` and keeps the database volume, like `breeze down`
    assert not left["containers"], left
    assert not left["networks"], left


def test_ctrl_c_to_breeze_alone_during_constraints_generate(
    base_images: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    before = set(_constraint_containers())
    run = Breeze(
        "constraints", "generate", "-p", "3.11", "-p", "3.13",
        "--python-base-image", base_images, "--output-dir", str(tmp_path),
    )  # fmt: skip
    started: set[str] = set()

    def both_started() -> bool:
        nonlocal started
        new = set(_constraint_containers()) - before
        runs = {n.rsplit("-", 1)[0] for n in new}  # another breeze may resolve meanwhile
        started = max(
            ({n for n in new if n.startswith(f"{r}-")} for r in runs), key=len, default=set()
        )
        return len(started) == 2

    try:
        run.wait_for(both_started, "two resolve containers", timeout=120)
        run.interrupt(group=False)  # the docker run children get no signal: breeze stops them
        code = run.finish(timeout=90)
    finally:
        run.kill()
    assert code == 130, run.output
    assert "removing the resolve containers" in run.output
    assert not started & set(_constraint_containers(all_states=True))
    assert list(tmp_path.iterdir()) == []
