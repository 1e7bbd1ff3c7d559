"""`breeze doctor` against the real engine, and the early one-line failure of commands without one."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest

from tests.integration.conftest import breeze, docker

NO_ENGINE = {"DOCKER_HOST": "unix:///nonexistent.sock"}
CHECKS = (
    "Docker engine",
    "buildx (builds)",
    "buildx builder",
    "compose v2 (dev env)",
    "disk space",
    "memory",
    "CPUs",
    "API port (--api-port)",
    "flower port (--flower-port)",
    "proxy",
    "CA bundle",
    "platform",
    "Airflow UID",
)


def doctor_json(*args: str, env: dict[str, str] | None = None) -> tuple[int, dict[str, dict]]:
    """Run `breeze doctor --json`; return the exit code and the rows by check name."""
    done = breeze("doctor", "--json", *args, check=False, env=env)
    assert "Traceback" not in done.stderr, done.stderr
    document = json.loads(done.stdout)
    assert document["ok"] is (done.returncode == 0)
    return done.returncode, {row["check"]: row for row in document["checks"]}


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A TCP port this test listens on, on all interfaces like the dev environment would bind."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("0.0.0.0", 0))
        sock.listen()
        yield sock.getsockname()[1]


def test_doctor_table_passes_here(engine: None) -> None:
    done = breeze("doctor")
    for check in CHECKS:
        assert check in done.stdout, f"{check} missing from:\n{done.stdout}"
    assert "All required checks passed" in done.stderr


def test_doctor_json_passes_here(engine: None) -> None:
    code, rows = doctor_json()
    assert code == 0
    assert tuple(rows) == CHECKS
    for name in ("Docker engine", "buildx (builds)", "compose v2 (dev env)"):
        assert rows[name]["status"] == "ok" and rows[name]["required"] is True
    version = docker("version", "--format", "{{.Server.Version}}").stdout.strip()
    assert version in rows["Docker engine"]["detail"]
    root = docker("info", "--format", "{{.DockerRootDir}}").stdout.strip()
    assert root in rows["disk space"]["detail"]
    assert rows["disk space"]["status"] in ("ok", "warn")
    assert "GB free" in rows["disk space"]["detail"]
    ncpu = docker("info", "--format", "{{.NCPU}}").stdout.strip()
    assert rows["CPUs"]["detail"].startswith(f"{ncpu} CPU")


def test_no_engine_fails_the_engine_row_without_a_traceback() -> None:
    code, rows = doctor_json(env=NO_ENGINE)
    assert code == 1
    engine = rows["Docker engine"]
    assert engine["status"] == "fail"
    assert engine["detail"] == "no Docker engine answers at unix:///nonexistent.sock (DOCKER_HOST)"
    assert "start Docker" in engine["hint"]
    done = breeze("doctor", check=False, env=NO_ENGINE)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and errors[0].startswith("Error: required check failed: Docker engine")


def test_a_busy_port_is_reported(engine: None, busy_port: int) -> None:
    code, rows = doctor_json("--api-port", str(busy_port))
    assert code == 0  # not a required check
    row = rows["API port (--api-port)"]
    assert row["status"] in ("warn", "fail")
    assert f"{busy_port} is in use" in row["detail"]
    assert "--api-port" in row["hint"]


def test_proxy_credentials_are_masked(engine: None) -> None:
    env = {"HTTPS_PROXY": "http://alice:s3cret@proxy.invalid:3128", "no_proxy": "localhost"}
    done = breeze("doctor", "--json", env=env)
    assert "s3cret" not in done.stdout and "alice" not in done.stdout
    rows = {row["check"]: row for row in json.loads(done.stdout)["checks"]}
    assert "HTTPS_PROXY=http://***@proxy.invalid:3128" in rows["proxy"]["detail"]
    assert "no_proxy=localhost" in rows["proxy"]["detail"]


@pytest.fixture
def labelled_image(engine: None) -> Iterator[str]:
    """An image labelled org.apache.airflow.uid=4242, committed from a local image: no build."""
    tags = docker("images", "--format", "{{.Repository}}:{{.Tag}}").stdout.split()
    base = next((tag for tag in tags if "<none>" not in tag), None)
    if base is None:
        pytest.fail("the engine has no tagged image to commit a labelled one from")
    tag = "breeze-test/doctor-uid:latest"
    container = docker("create", "--label", "breeze.purpose=doctor-test", base).stdout.strip()
    try:
        docker("commit", "--change", "LABEL org.apache.airflow.uid=4242", container, tag)
    finally:
        docker("rm", "--force", container)
    yield tag
    docker("rmi", tag, check=False)


def test_uid_is_read_from_an_existing_image(labelled_image: str) -> None:
    _, rows = doctor_json("--image-tag", labelled_image, "--airflow-uid", "12345")
    assert f"image runs as UID 4242 (label of {labelled_image})" in rows["Airflow UID"]["detail"]


def test_uid_falls_back_to_airflow_uid(engine: None) -> None:
    _, rows = doctor_json("--image-tag", "breeze-test/no-such-image:1", "--airflow-uid", "12345")
    row = rows["Airflow UID"]
    assert (
        "image runs as UID 12345 (--airflow-uid; no image breeze-test/no-such-image:1"
        in (row["detail"])
    )
    assert row["status"] in ("ok", "warn")


def test_disk_measured_in_a_container_when_the_engine_is_elsewhere(engine: None) -> None:
    from breeze.io.session import Session
    from breeze.services.doctor import _disk

    before = docker("ps", "--all", "--quiet", "--filter", "label=breeze.purpose=doctor").stdout
    root = docker("info", "--format", "{{.DockerRootDir}}").stdout.strip()
    # An engine named differently from this host is treated as remote: df runs where it runs.
    session = Session()
    disk = _disk(session.engine, {"Name": "elsewhere", "DockerRootDir": root}, session)
    assert disk.free_bytes is not None and disk.free_bytes > 0, disk
    assert disk.how.startswith("measured in a container of ")
    after = docker("ps", "--all", "--quiet", "--filter", "label=breeze.purpose=doctor").stdout
    assert after == before  # --rm: nothing left behind


@pytest.mark.parametrize(
    "command",
    [
        ("prod-image", "build"),
        ("ci-image", "build"),
        ("shell", "-c", "true"),
        ("start-airflow",),
        ("exec",),
        ("down",),
        ("constraints", "generate", "--output-dir", "."),
    ],
    ids=lambda args: " ".join(args),
)
def test_commands_without_engine_fail_early_with_doctors_hint(command: tuple[str, ...]) -> None:
    _, rows = doctor_json(env=NO_ENGINE)
    engine = rows["Docker engine"]
    done = breeze(*command, check=False, env=NO_ENGINE)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines == [f"Error: {engine['detail']}; {engine['hint']}"]
