"""Development environments on a real engine: shell, start-airflow, exec, ps, down."""

from __future__ import annotations

import json
import socket
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from breeze.core.compose_env import project_name, shell_project_name
from tests.integration.conftest import CI_IMAGE_ARGS, breeze, docker

HELLO_DAG = """\
from airflow.sdk import dag, task


@dag(schedule=None)
def hello():
    @task
    def say() -> str:
        return "hello"

    say()


hello()
"""

DAG_TEST = """\
from airflow.models.dagbag import DagBag


def test_hello_dag_loads() -> None:
    bag = DagBag(dag_folder="/opt/airflow/dags")
    assert bag.import_errors == {}
    assert [t.task_id for t in bag.dags["hello"].tasks] == ["say"]
"""


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("", 0))
        return sock.getsockname()[1]


def leftovers(project: str) -> dict[str, str]:
    """Containers, networks and volumes of a compose project still in the engine."""
    label = f"label=com.docker.compose.project={project}"
    return {
        kind: docker(*args, "--quiet", "--filter", label).stdout.strip()
        for kind, args in (
            ("containers", ("container", "ls", "--all")),
            ("networks", ("network", "ls")),
            ("volumes", ("volume", "ls")),
        )
    }


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    """A project folder whose stacks are removed, volumes included, whatever the test did."""
    folder = tmp_path / "project"
    (folder / "dags").mkdir(parents=True)
    yield folder
    breeze("down", "--volumes", "--project-folder", str(folder), check=False)
    for name in (project_name(folder), shell_project_name(folder)):
        assert not any(leftovers(name).values()), leftovers(name)


def env_args(ci_image: str, folder: Path) -> tuple[str, ...]:
    """Options every command of these tests takes."""
    return ("--project-folder", str(folder), "--image-tag", ci_image, *CI_IMAGE_ARGS)


def airflow(folder: Path, *command: str) -> str:
    """An airflow command in the scheduler container of the folder's stack; its JSON line."""
    done = breeze("exec", "--project-folder", str(folder), "--", "airflow", *command)
    return next((line for line in done.stdout.splitlines() if line.startswith("[")), "[]")


def run_hello(folder: Path, *, timeout: float = 240) -> None:
    """Wait for the hello DAG to be parsed, trigger it, and wait for its run to succeed."""
    deadline = time.monotonic() + timeout
    while not any(
        d["dag_id"] == "hello" for d in json.loads(airflow(folder, "dags", "list", "-o", "json"))
    ):
        assert time.monotonic() < deadline, "the hello DAG was never parsed"
        time.sleep(3)
    airflow(folder, "dags", "unpause", "hello")
    airflow(folder, "dags", "trigger", "hello")
    while True:
        runs = json.loads(airflow(folder, "dags", "list-runs", "hello", "-o", "json"))
        states = [run["state"] for run in runs]
        if "success" in states:
            return
        assert "failed" not in states and time.monotonic() < deadline, runs
        time.sleep(3)


def start(ci_image: str, folder: Path, *args: str) -> tuple[int, float]:
    """Start the stack; return its API port and the seconds until healthy."""
    port = free_port()
    started = time.monotonic()
    breeze("start-airflow", *env_args(ci_image, folder), "--api-port", str(port), *args)
    return port, time.monotonic() - started


def test_sqlite_local_executor(ci_image: str, project: Path) -> None:
    port, seconds = start(ci_image, project)
    print(f"sqlite + LocalExecutor healthy after {seconds:.0f} s")
    with urllib.request.urlopen(f"http://localhost:{port}/api/v2/monitor/health") as response:
        health = json.load(response)
    assert health["metadatabase"]["status"] == "healthy"
    assert health["scheduler"]["status"] == "healthy"

    (project / "dags" / "hello_dag.py").write_text(HELLO_DAG)  # after the start
    run_hello(project)

    ps = json.loads(breeze("ps", "--json", "--project-folder", str(project)).stdout)
    assert {"api-server", "scheduler", "dag-processor", "triggerer"} <= {s["service"] for s in ps}

    typo = breeze("logs", "schedular", "--project-folder", str(project), check=False)
    assert typo.returncode == 2
    assert "did you mean 'scheduler'?" in typo.stderr
    assert "worker" not in typo.stderr and "postgres" not in typo.stderr  # not in this stack
    piped = breeze("logs", "scheduler", "--project-folder", str(project)).stdout
    assert "scheduler" in piped and "\x1b" not in piped  # no terminal codes in a pipe

    breeze("down", "--project-folder", str(project))
    left = leftovers(project_name(project))
    assert left["containers"] == "" and left["networks"] == ""
    again = breeze("down", "--project-folder", str(project))
    assert "Nothing to stop" in again.stderr


AIRFLOW_SERVICES = ("api-server", "scheduler", "dag-processor", "triggerer", "worker", "flower")


def test_postgres17_celery_executor_hardened(ci_image: str, project: Path) -> None:
    """Every component, the Celery worker and flower too, healthy under restricted settings."""
    (project / "dags" / "hello_dag.py").write_text(HELLO_DAG)
    args = ("--backend", "postgres", "--postgres-version", "17", "--executor", "CeleryExecutor")
    hardened = ("--hardened", "--flower", "--flower-port", str(free_port()))
    port, seconds = start(ci_image, project, *args, *hardened)
    print(f"postgres 17 + CeleryExecutor + redis 7, hardened, healthy after {seconds:.0f} s")
    name = project_name(project)
    for service in AIRFLOW_SERVICES:
        (container,) = docker(
            "ps", "--quiet", "--filter", f"label=com.docker.compose.project={name}",
            "--filter", f"label=com.docker.compose.service={service}",
        ).stdout.split()  # fmt: skip
        config = json.loads(docker("inspect", container).stdout)[0]
        host = config["HostConfig"]
        assert host["ReadonlyRootfs"] is True and host["CapDrop"] == ["ALL"], service
        assert "no-new-privileges:true" in host["SecurityOpt"], service
        assert config["Config"]["User"] == "1000123:0", service
    published = docker("port", f"{name}-api-server-1", "8080").stdout.split()
    assert published == [f"127.0.0.1:{port}"]  # this machine only, by default
    run_hello(project)
    logs = breeze("logs", "--project-folder", str(project)).stdout
    assert "hello" in breeze("logs", "worker", "--project-folder", str(project)).stdout
    for noise in ("passwd", "no username", "Read-only file system"):
        assert noise not in logs

    breeze("down", "--project-folder", str(project))
    left = leftovers(name)
    assert left["containers"] == "" and left["networks"] == "" and left["volumes"] != ""

    start(ci_image, project, *args)
    runs = json.loads(airflow(project, "dags", "list-runs", "hello", "-o", "json"))
    assert [run["state"] for run in runs] == ["success"]

    breeze("down", "--volumes", "--project-folder", str(project))
    assert not any(leftovers(name).values())


def test_postgres15_shell(ci_image: str, project: Path) -> None:
    (project / "dags" / "hello_dag.py").write_text(HELLO_DAG)
    (project / "tests").mkdir()
    (project / "tests" / "test_hello_dag.py").write_text(DAG_TEST)
    args = (*env_args(ci_image, project), "--backend", "postgres", "--postgres-version", "15")
    done = breeze(
        "shell", *args, "-c",
        "airflow db check && python -m pytest -q -p no:cacheprovider tests && touch made-here",
    )  # fmt: skip
    assert "1 passed" in done.stdout
    made = project / "made-here"
    assert (
        made.stat().st_uid == (project / "dags").stat().st_uid
    )  # the host user's, not the image's
    assert breeze("shell", *args, "-c", "exit 3", check=False).returncode == 3
    left = leftovers(shell_project_name(project))
    assert left["containers"] == "" and left["networks"] == ""


def test_busy_port_suggests_another(ci_image: str, project: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("0.0.0.0", 0))
        sock.listen()
        port = sock.getsockname()[1]
        done = breeze(
            "start-airflow", *env_args(ci_image, project), "--api-port", str(port), check=False
        )
    assert done.returncode == 1
    assert f"port {port} is busy" in done.stderr and "--api-port" in done.stderr
    assert not leftovers(project_name(project))["containers"]
