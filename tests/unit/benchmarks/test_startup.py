"""Fresh-container startup: the commands run, and reading what they print (no containers run)."""

from __future__ import annotations

import subprocess

import pytest

from benchmarks import startup
from benchmarks.bench_exec import BenchError


def test_new_containers_run_as_an_arbitrary_uid_with_the_entrypoint_bypassed() -> None:
    argv = startup.timed_argv("img:1", "c1", ["airflow", "version"])
    assert argv[:8] == ["docker", "run", "--name", "c1", "--user", "1000123:0", "--entrypoint", ""]
    assert "--rm" in argv
    assert argv[argv.index("img:1") + 1 :][:2] == ["bash", "-c"]
    assert argv[-3:] == ["bash", "airflow", "version"]
    for key, value in startup.CONTAINER_ENV.items():
        assert argv[argv.index(f"{key}={value}") - 1] == "-e"


def test_the_api_server_is_published_on_the_loopback_only() -> None:
    argv = startup.health_argv("img:1", "c2")
    assert argv[argv.index("--publish") + 1] == "127.0.0.1::8080"
    assert "--detach" in argv and "--rm" not in argv
    assert argv[-1] == startup.HEALTH_COMMAND
    assert startup.HEALTH_COMMAND.startswith("airflow db migrate ")
    assert "exec airflow api-server --port 8080" in startup.HEALTH_COMMAND


def test_bash_times_only_the_command() -> None:
    done = subprocess.run(
        ["bash", "-c", startup.TIMED, "bash", "sh", "-c", "echo out; echo err >&2"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and done.stdout == ""
    assert startup.parse_bench_seconds(done.stderr) >= 0.0


def test_a_failing_command_shows_its_output() -> None:
    done = subprocess.run(
        ["bash", "-c", startup.TIMED, "bash", "sh", "-c", "echo no such module >&2; exit 3"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 3
    assert "no such module" in done.stderr


def test_parse_bench_seconds_takes_the_last_timing() -> None:
    assert startup.parse_bench_seconds("warning\nbench-seconds 1.5\nbench-seconds 2.625\n") == 2.625
    with pytest.raises(BenchError, match="no timing"):
        startup.parse_bench_seconds("Traceback ...\n")


@pytest.mark.parametrize(
    ("body", "healthy"),
    [
        ('{"metadatabase": {"status": "healthy"}, "scheduler": {"status": "unhealthy"}}', True),
        ('{"metadatabase": {"status": "unhealthy"}}', False),
        ('{"detail": "Not Found"}', False),
        ("[]", False),
        ("<html>starting</html>", False),
    ],
)
def test_healthy_means_the_metadatabase_is(body: str, healthy: bool) -> None:
    assert startup.is_healthy(body) is healthy


def test_published_port() -> None:
    assert startup.parse_port("127.0.0.1:32768\n") == 32768
    with pytest.raises(BenchError):
        startup.parse_port("")
