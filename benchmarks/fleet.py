"""More machines on one: a registry and Docker engines in containers (dind) on a shared network.

Each engine starts empty (its own image store and build cache, the containerd store), with the
given base images loaded, its API on a free port of 127.0.0.1; the engines reach the registry
by name. Used by the teams benchmark and tests/integration/test_teams.py.
"""

from __future__ import annotations

import contextlib
import re
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

DIND_IMAGE = "docker:26-dind"
REGISTRY_IMAGE = "registry:2"
ENGINE_TIMEOUT = 90.0


@dataclass(frozen=True)
class Fleet:
    """A registry and engines: what to pass as DOCKER_HOST, what the engines call the registry."""

    registry: str  # host:port as the engines reach it
    engines: tuple[str, ...]  # DOCKER_HOST of each engine


def _docker(*args: str, timeout: float = 600, data: bytes | None = None) -> bytes:
    """Run the docker CLI; raise RuntimeError with its last line when it fails."""
    done = subprocess.run(["docker", *args], input=data, capture_output=True, timeout=timeout)
    if done.returncode != 0:
        lines = done.stderr.decode(errors="replace").strip().splitlines() or ["no output"]
        raise RuntimeError(f"docker {' '.join(args[:3])} failed: {lines[-1]}")
    return done.stdout


def _free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start_engine(name: str, network: str, registry: str, bases: Sequence[str]) -> str:
    """One dind engine, answering, with the base images loaded; its DOCKER_HOST."""
    port = _free_port()
    _docker(
        "run", "-d", "--privileged", "--name", name, "--network", network,
        "-p", f"127.0.0.1:{port}:2375", DIND_IMAGE, "--insecure-registry", registry,
    )  # fmt: skip
    host = f"tcp://127.0.0.1:{port}"
    deadline = time.monotonic() + ENGINE_TIMEOUT
    while True:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            _docker("-H", host, "info", timeout=30)
            break
        if time.monotonic() > deadline:
            raise RuntimeError(f"dind engine {name} did not answer in {ENGINE_TIMEOUT:.0f} s")
        time.sleep(1)
    for base in bases:
        _docker("-H", host, "load", data=_docker("save", base))
    return host


@contextlib.contextmanager
def fleet(engines: int, bases: Sequence[str], prefix: str = "breeze-fleet") -> Iterator[Fleet]:
    """A registry and ENGINES empty engines on one network; everything removed afterwards."""
    suffix = uuid.uuid4().hex[:8]
    network, registry = f"{prefix}-net-{suffix}", f"{prefix}-registry-{suffix}"
    names = [registry, *(f"{prefix}-dind-{i}-{suffix}" for i in range(engines))]
    _docker("network", "create", network)
    try:
        _docker("run", "-d", "--name", registry, "--network", network, REGISTRY_IMAGE)
        address = f"{registry}:5000"
        hosts = tuple(_start_engine(name, network, address, bases) for name in names[1:])
        yield Fleet(address, hosts)
    finally:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            _docker("rm", "--force", "--volumes", *names)
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            _docker("network", "rm", network)


def executed_steps(log: str) -> list[str]:
    """The RUN steps of a plain-progress build log that ran rather than came from a cache.

    A step that ran prints its command's output (`#12 3.456 ...`); one taken from a registry
    cache either says CACHED or only downloads and extracts its layers for the steps after it.
    """
    titles = dict(re.findall(r"^#(\d+) \[([^\]]+)\] RUN", log, re.MULTILINE))
    printed = set(re.findall(r"^#(\d+) \d+\.\d+ ", log, re.MULTILINE))
    return sorted(title for step, title in titles.items() if step in printed)
