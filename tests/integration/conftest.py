"""Images built once per test session and shared by the integration tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEST_REPOSITORY = "breeze-test/airflow"
# Free space below which a module starts with the build cache pruned (GB; BREEZE_TEST_MIN_FREE_GB).
MIN_FREE_GB = float(os.environ.get("BREEZE_TEST_MIN_FREE_GB", "30"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder is an integration test."""
    for item in items:
        if str(item.fspath).startswith(str(Path(__file__).parent)):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="module", autouse=True)
def disk_room() -> None:
    """Before each module, prune unused build cache and dangling images when the engine's disk
    runs short: the whole run writes about 24 GB, the teams module 10 GB of it in two more
    engines, and a full disk fails tests far from the cause (a registry's 500, ENOSPC)."""
    if shutil.which("docker") is None:
        return
    root = docker("info", "--format", "{{.DockerRootDir}}", check=False).stdout.strip()
    if not root or not os.path.isdir(root):
        return  # no engine, or one on another machine
    free = shutil.disk_usage(root).free / 1e9
    if free >= MIN_FREE_GB:
        return
    # Images stay (the session's images keep their layers); only what no image uses goes.
    docker("builder", "prune", "--all", "--force", check=False)
    docker("image", "prune", "--force", check=False)
    after = shutil.disk_usage(root).free / 1e9
    print(
        f"\n{free:.1f} GB free under {root} (< {MIN_FREE_GB:g}): build cache pruned, {after:.1f} GB free"
    )


@pytest.fixture(scope="session")
def engine() -> None:
    """Skip (a failure under CI) when no Docker engine answers."""
    if shutil.which("docker") is None:
        pytest.skip("no docker CLI on PATH")
    done = subprocess.run(["docker", "info"], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"no Docker engine: {done.stderr.strip().splitlines()[-1:]}")


def breeze(
    *args: str, check: bool = True, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the breeze CLI as a user would, in a subprocess."""
    done = subprocess.run(
        [sys.executable, "-m", "breeze", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        check=False,
    )
    if check and done.returncode != 0:
        pytest.fail(
            f"breeze {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr[-4000:]}"
        )
    return done


def docker(
    *args: str, check: bool = True, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run the docker CLI."""
    done = subprocess.run(
        ["docker", *args], capture_output=True, text=True, check=False, timeout=timeout
    )
    if check and done.returncode != 0:
        pytest.fail(
            f"docker {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr[-4000:]}"
        )
    return done


@pytest.fixture(scope="session")
def default_image(engine: None) -> str:
    """The production image built with default options."""
    tag = f"{TEST_REPOSITORY}:default"
    # No access to the official constraints here: --answer yes generates them, as in README.md.
    breeze(
        "prod-image", "build", "--image-tag", tag, "--build-progress", "plain", "--answer", "yes"
    )
    return tag


@pytest.fixture(scope="session")
def dags_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with one DAG file to embed."""
    folder = tmp_path_factory.mktemp("dags")
    (folder / "hello_dag.py").write_text(
        "from airflow.sdk import dag, task\n\n\n"
        "@dag(schedule=None)\n"
        "def hello():\n"
        "    @task\n"
        "    def say() -> str:\n"
        "        return 'hello'\n\n"
        "    say()\n\n\n"
        "hello()\n"
    )
    return folder


CUSTOM_ARGS = (
    "--python",
    "3.11",
    "--debian-version",
    "bookworm",
    "--airflow-extras",
    "celery,postgres",
    "--additional-dev-deps",
    "libasound2-dev",
    "--additional-runtime-deps",
    "libasound2",
    "--bytecode",
    "imported",
    "--build-progress",
    "plain",
    "--answer",
    "yes",
)


@pytest.fixture(scope="session")
def custom_image(engine: None, dags_folder: Path) -> Iterator[str]:
    """A small image on Python 3.11 / bookworm with embedded DAGs, extra apt packages and
    bytecode only for what Airflow imports at start."""
    tag = f"{TEST_REPOSITORY}:custom"
    breeze(
        "prod-image", "build", "--image-tag", tag, "--embedded-dags", str(dags_folder), *CUSTOM_ARGS
    )
    yield tag


CI_IMAGE_ARGS = ("--airflow-extras", "celery,postgres,redis")


@pytest.fixture(scope="session")
def ci_image(engine: None) -> str:
    """The CI image with small extras, built once and shared by the dev-environment tests."""
    tag = f"{TEST_REPOSITORY}:ci"
    breeze(
        "ci-image", "build", "--image-tag", tag, *CI_IMAGE_ARGS, "--build-progress", "plain",
        "--answer", "yes",
    )  # fmt: skip
    return tag
