"""The engine going away in the middle of a command: one error line saying so, no traceback.

The real engine keeps running (others share it): breeze talks to it through a unix-socket
forwarder in the test, and the test closes the forwarder and every connection it carries.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from breeze.core.compose_env import project_name
from tests.integration.conftest import CI_IMAGE_ARGS, TEST_REPOSITORY, breeze, docker
from tests.integration.test_dev_env import free_port, leftovers
from tests.integration.test_interrupts import (
    Breeze,
    build_args,
    image_exists,
    processes_with,
    wait_until_gone,
)


def engine_socket() -> str:
    """The unix socket of the engine the tests use."""
    host = os.environ.get("DOCKER_HOST", "")
    return host.removeprefix("unix://") if host.startswith("unix://") else "/var/run/docker.sock"


class Forwarder:
    """Accepts on a temporary unix socket and forwards each connection to the engine's socket."""

    def __init__(self, path: Path, target: str) -> None:
        self.path = path
        self.target = target
        self.connections: list[socket.socket] = []
        self.accepted = 0
        self._lock = threading.Lock()
        self._closed = False
        self._server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._server.bind(str(path))
        self._server.listen(64)
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        """DOCKER_HOST for breeze."""
        return f"unix://{self.path}"

    def _accept(self) -> None:
        """Pair each new client with a connection to the engine."""
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                upstream.connect(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                if self._closed:
                    client.close()
                    upstream.close()
                    return
                self.connections += [client, upstream]
                self.accepted += 1
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        """Copy one direction until EOF or until the forwarder closes."""
        try:
            while data := source.recv(65536):
                sink.sendall(data)
            sink.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def close(self) -> None:
        """The engine goes away: no new connections, every open one cut."""
        with self._lock:
            self._closed = True
            connections = list(self.connections)
        self._server.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()


@pytest.fixture
def forwarder(engine: None) -> Iterator[Forwarder]:
    """A forwarder to the engine, closed after the test whatever happened."""
    folder = Path(f"/tmp/breeze-fwd-{os.getpid()}-{time.monotonic_ns()}")  # AF_UNIX: short path
    folder.mkdir()
    forwarder = Forwarder(folder / "docker.sock", engine_socket())
    yield forwarder
    forwarder.close()
    folder.rmdir()


def assert_one_error_line(run: Breeze, code: int) -> str:
    """Exit != 0, no traceback, exactly one error line: the last one; return it."""
    assert code != 0, run.output[-3000:]
    assert "Traceback" not in run.output, run.output[-5000:]
    errors = [line for line in run.lines if line.startswith("Error: ")]
    assert len(errors) == 1, run.output[-3000:]
    assert run.lines[-1] == errors[0], run.output[-3000:]
    return errors[0]


def test_engine_gone_during_verify(ci_image: str, forwarder: Forwarder) -> None:
    before = set(_verify_containers(ci_image))
    run = Breeze("ci-image", "verify", ci_image, env={"DOCKER_HOST": forwarder.url})
    try:
        run.wait_for(lambda: bool(set(_verify_containers(ci_image)) - before), "check container")
        forwarder.close()
        code = run.finish(timeout=120)
    finally:
        run.kill()
        # breeze could not remove its containers through the closed socket; the engine still runs
        for container in set(_verify_containers(ci_image, all_states=True)) - before:
            docker("rm", "--force", container, check=False)
    line = assert_one_error_line(run, code)
    assert "the Docker engine stopped answering" in line
    assert "start Docker" in line


def _verify_containers(image: str, *, all_states: bool = False) -> list[str]:
    """Ids of the check containers of an image."""
    flags = ["-a"] if all_states else []
    done = docker(
        "ps", *flags, "--quiet", "--filter", "label=breeze.purpose=verify",
        "--filter", f"ancestor={image}",
    )  # fmt: skip
    return done.stdout.split()


def test_engine_gone_during_build(ci_image: str, forwarder: Forwarder) -> None:
    nonce = str(int(time.time() * 1000) % 10**9 + 7)
    marker = f"six!=0.0.{nonce}"
    tag = f"{TEST_REPOSITORY}:engine-gone-{nonce}"
    run = Breeze(*build_args(tag, nonce), env={"DOCKER_HOST": forwarder.url})
    try:
        run.wait_for(lambda: bool(processes_with(marker)), "RUN step of the build", timeout=600)
        forwarder.close()
        code = run.finish(timeout=120)
    finally:
        run.kill()
    line = assert_one_error_line(run, code)
    assert "the Docker engine stopped answering" in line
    # the engine saw its client go: the build is cancelled, not left running
    assert not wait_until_gone(marker), "a RUN step of the abandoned build keeps running"
    if image_exists(tag):  # finished before the cut: not a failure of breeze, but clean up
        docker("rmi", tag, check=False)


def test_engine_gone_while_start_airflow_waits(
    ci_image: str, forwarder: Forwarder, tmp_path: Path
) -> None:
    folder = tmp_path / "gone"
    (folder / "dags").mkdir(parents=True)
    run = Breeze(
        "start-airflow", "--project-folder", str(folder), "--image-tag", ci_image,
        *CI_IMAGE_ARGS, "--api-port", str(free_port()), "--answer", "no",
        env={"DOCKER_HOST": forwarder.url},
    )  # fmt: skip
    try:
        run.wait_for(lambda: any(line.startswith("[") for line in run.lines), "health status")
        forwarder.close()
        code = run.finish(timeout=120)
    finally:
        run.kill()
        breeze("down", "--volumes", "--project-folder", str(folder), check=False)
    line = assert_one_error_line(run, code)
    assert "no Docker engine answers" in line and "start Docker" in line
    assert not any(leftovers(project_name(folder)).values())
