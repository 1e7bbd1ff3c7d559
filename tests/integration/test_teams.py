"""Past one machine: two more engines (dind, containerd image store) and a registry between them.

Engine A builds and pushes the image and its build cache; engine B starts empty and builds the
same options from the registry's cache. Both are Docker engines in containers, reached over TCP
on 127.0.0.1: to breeze they are engines on another machine.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.integration.conftest import breeze, docker
from tests.integration.test_dags import SAMPLES as CHECK_SAMPLES

BASE = "python:3.13-slim-trixie"
SMALL = ("--airflow-extras", "postgres", "--build-progress", "plain", "--answer", "yes")


@dataclass(frozen=True)
class Fleet:
    """Two engines and the registry they share."""

    registry: str  # host:port, as the engines reach it
    a: str  # DOCKER_HOST of engine A
    b: str

    @property
    def image(self) -> str:
        """The team's image in the registry."""
        return f"{self.registry}/team/airflow:1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_engine(name: str, network: str, registry: str) -> str:
    """A dind engine on the network, its API on a free loopback port, the base image loaded."""
    port = _free_port()
    docker(
        "run", "-d", "--privileged", "--name", name, "--network", network,
        "-p", f"127.0.0.1:{port}:2375", "docker:26-dind", "--insecure-registry", registry,
    )  # fmt: skip
    host = f"tcp://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while docker("-H", host, "info", check=False, timeout=30).returncode != 0:
        if time.monotonic() > deadline:
            pytest.fail(f"dind engine {name} did not answer in 90 s")
        time.sleep(1)
    saved = subprocess.run(["docker", "save", BASE], capture_output=True, check=True)
    subprocess.run(
        ["docker", "-H", host, "load"], input=saved.stdout, capture_output=True, check=True
    )
    return host


@pytest.fixture(scope="module")
def fleet(engine: None) -> Iterator[Fleet]:
    """A registry and two empty engines on one network; all removed afterwards."""
    suffix = uuid.uuid4().hex[:8]
    network, registry = f"breeze-test-teams-{suffix}", f"breeze-test-registry-{suffix}"
    names = [registry, f"breeze-test-dind-a-{suffix}", f"breeze-test-dind-b-{suffix}"]
    docker("network", "create", network)
    try:
        docker("run", "-d", "--name", registry, "--network", network, "registry:2")
        address = f"{registry}:5000"
        a = _start_engine(names[1], network, address)
        b = _start_engine(names[2], network, address)
        yield Fleet(address, a, b)
    finally:
        docker("rm", "--force", "--volumes", *names, check=False)
        docker("network", "rm", network, check=False)


def executed_steps(log: str) -> list[str]:
    """The RUN steps of a plain-progress build log that ran rather than came from a cache.

    A step that ran prints its command's output (`#12 3.456 ...`); one taken from a registry
    cache either says CACHED or only downloads and extracts its layers for the steps after it.
    """
    titles = dict(re.findall(r"^#(\d+) \[([^\]]+)\] RUN", log, re.MULTILINE))
    printed = set(re.findall(r"^#(\d+) \d+\.\d+ ", log, re.MULTILINE))
    return sorted(title for step, title in titles.items() if step in printed)


@pytest.fixture(scope="module")
def pushed(fleet: Fleet) -> tuple[Fleet, float, str]:
    """Engine A builds cold and pushes the image and the cache of every stage."""
    started = time.monotonic()
    done = breeze(
        "prod-image", "build", "--docker-host", fleet.a, "--image-tag", fleet.image, "--push",
        "--docker-cache", "registry", *SMALL,
    )  # fmt: skip
    return fleet, time.monotonic() - started, done.stdout + done.stderr


def test_doctor_names_the_remote_engine_and_its_image_store(fleet: Fleet) -> None:
    done = breeze("doctor", "--json", "--docker-host", fleet.b, check=False)
    rows = {row["check"]: row for row in json.loads(done.stdout)["checks"]}
    assert rows["Docker engine"]["detail"].endswith(f"at {fleet.b} (--docker-host)")
    assert rows["buildx builder"]["detail"].startswith(
        "default (docker driver), containerd image store: multi-platform images"
    )


def test_a_fresh_engine_builds_from_the_registry_cache_without_running_a_step(
    pushed: tuple[Fleet, float, str],
) -> None:
    fleet, cold, log_a = pushed
    assert "exporting cache to registry" in log_a
    assert any(step.startswith("airflow-build") for step in executed_steps(log_a))  # cold
    started = time.monotonic()
    done = breeze(
        "prod-image", "build", "--docker-host", fleet.b, "--image-tag", fleet.image,
        "--docker-cache", "registry", *SMALL,
    )  # fmt: skip
    warm = time.monotonic() - started
    print(f"engine A cold build and push: {cold:.1f} s; engine B from the cache: {warm:.1f} s")
    assert executed_steps(done.stdout + done.stderr) == []
    assert docker("-H", fleet.b, "image", "inspect", fleet.image).returncode == 0


def test_one_added_package_reuses_the_airflow_layers_from_the_registry(
    pushed: tuple[Fleet, float, str],
) -> None:
    fleet, _, _ = pushed
    cache = f"{fleet.registry}/team/airflow:buildcache-main-python3.13-trixie"
    done = breeze(
        "prod-image", "build", "--docker-host", fleet.b, "--image-tag", f"{fleet.registry}/t:2",
        "--docker-cache", "registry", "--cache-ref", cache, "--additional-python-deps", "cowsay",
        *SMALL,
    )  # fmt: skip
    ran = executed_steps(done.stdout + done.stderr)
    assert ran and all("airflow-build" not in step for step in ran), (
        ran
    )  # Airflow's install: cached
    assert any(step.startswith("airflow-additional") for step in ran), ran


def test_verify_and_dags_check_run_on_the_remote_engine(
    pushed: tuple[Fleet, float, str], tmp_path: Path
) -> None:
    fleet, _, _ = pushed
    docker("-H", fleet.b, "pull", fleet.image)
    breeze(
        "prod-image",
        "verify",
        fleet.image,
        "--docker-host",
        fleet.b,
        "--airflow-extras",
        "postgres",
    )
    (tmp_path / "dags").mkdir()
    (tmp_path / "dags" / "good.py").write_text(CHECK_SAMPLES["good.py"])
    done = breeze(
        "dags", "check", str(tmp_path / "dags"), "--image", fleet.image, "--docker-host", fleet.b,
        "--json",
    )  # fmt: skip
    files = {f["file"]: f for f in json.loads(done.stdout)["files"]}
    assert files["good.py"]["dags"] == ["good"]  # the folder reached the other machine


def test_the_dev_environment_on_a_remote_engine_refuses_in_one_line(
    pushed: tuple[Fleet, float, str], tmp_path: Path
) -> None:
    fleet, _, _ = pushed
    done = breeze(
        "shell", "--project-folder", str(tmp_path), "--docker-host", fleet.b, "--image-tag",
        fleet.image, "--airflow-extras", "postgres", "-c", "true", "--answer", "no", check=False,
    )  # fmt: skip
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [
        f"Error: the engine at {fleet.b} (--docker-host) does not see {tmp_path}: the dev "
        "environment mounts your folders, and an engine on another machine has none of them; "
        "use an engine on this machine (unset DOCKER_HOST, drop --docker-host, or "
        "`docker context use default`)"
    ]
    assert list(tmp_path.iterdir()) == []
    assert docker("-H", fleet.b, "ps", "--all", "--quiet").stdout.strip() == ""


def test_constraints_are_generated_on_the_remote_engine(fleet: Fleet, tmp_path: Path) -> None:
    done = breeze(
        "constraints", "generate", "--docker-host", fleet.b, "--airflow-extras", "redis",
        "--output-dir", str(tmp_path),
    )  # fmt: skip
    pins = (tmp_path / "constraints-3.13.txt").read_text()
    assert "apache-airflow==3.3.2" in pins and "redis==" in pins, done.stderr
    # the resolve ran on engine B: its uv cache volume is there, not only on this machine's engine
    assert "breeze-uv-cache" in docker("-H", fleet.b, "volume", "ls", "--quiet").stdout
