"""What starting Airflow costs: new containers of each image, and `breeze start-airflow`."""

from __future__ import annotations

import http.client
import json
import os
import re
import shlex
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path

from benchmarks import bench_report as report
from benchmarks.bench_exec import BenchError, free_port, log, run

# The same environment in every image: a writable AIRFLOW_HOME and HOME for an arbitrary UID,
# and a LOGNAME so that Python's getpass names a user /etc/passwd does not know.
CONTAINER_ENV: dict[str, str] = {
    "AIRFLOW_HOME": "/tmp/airflow",
    "HOME": "/tmp",
    "LOGNAME": "airflow",
}
# bash times only the command (Python's cost, not the container's); its output is shown on failure.
TIMED = (
    'TIMEFORMAT="bench-seconds %R"; time "$@" >/tmp/bench.out 2>&1; s=$?; '
    '[ "$s" -eq 0 ] || tail -c 3000 /tmp/bench.out >&2; exit "$s"'
)
HEALTH_COMMAND = (
    "airflow db migrate >/tmp/migrate.log 2>&1 || { tail -c 3000 /tmp/migrate.log; exit 1; }; "
    "exec airflow api-server --port 8080"
)
HEALTH_PATH = "/api/v2/monitor/health"
PYTHON_TIMEOUT = 300.0
HEALTH_TIMEOUT = 300.0
_SECONDS_RE = re.compile(r"^bench-seconds (\d+(?:\.\d+)?)\s*$", re.M)


def parse_bench_seconds(stderr: str) -> float:
    """The seconds bash's `time` printed (the last `bench-seconds S` line)."""
    found = _SECONDS_RE.findall(stderr)
    if not found:
        raise BenchError(f"no timing in the container's output:\n{stderr[-2000:]}")
    return float(found[-1])


def is_healthy(body: str) -> bool:
    """Whether a /api/v2/monitor/health answer says the metadatabase is healthy."""
    try:
        answer = json.loads(body)
    except ValueError:
        return False
    database = answer.get("metadatabase") if isinstance(answer, dict) else None
    return isinstance(database, dict) and database.get("status") == "healthy"


def parse_port(text: str) -> int:
    """The host port of `docker port NAME 8080/tcp` output ('127.0.0.1:32768')."""
    for line in text.splitlines():
        host, _, port = line.strip().rpartition(":")
        if host and port.isdigit():
            return int(port)
    raise BenchError(f"no published port in {text!r}")


def container_argv(image: str, name: str, *options: str) -> list[str]:
    """`docker run` of a new container as CONTAINER_USER, entrypoint bypassed, common env."""
    env = [arg for key, value in CONTAINER_ENV.items() for arg in ("-e", f"{key}={value}")]
    return [
        "docker", "run", "--name", name, "--user", report.CONTAINER_USER, "--entrypoint", "",
        *env, *options, image,
    ]  # fmt: skip


def timed_argv(image: str, name: str, command: Sequence[str]) -> list[str]:
    """`docker run --rm` of the command under bash's `time` in a new container."""
    return [*container_argv(image, name, "--rm"), "bash", "-c", TIMED, "bash", *command]


def _remove(name: str) -> None:
    """Remove a container of this benchmark, whatever state it is in."""
    run(["docker", "rm", "--force", "--volumes", name], check=False, timeout=120)


def _name(kind: str) -> str:
    """A container name unique to this process and moment."""
    return f"breeze-bench-{kind}-{os.getpid()}-{time.monotonic_ns()}"


def time_command(image: str, command: Sequence[str]) -> float:
    """Seconds the command takes in a new container of the image (bash's `time`)."""
    name = _name("startup")
    argv = timed_argv(image, name, command)
    try:
        _, done = run(argv, timeout=PYTHON_TIMEOUT)
    except subprocess.TimeoutExpired as error:
        raise BenchError(
            f"{shlex.join(command)} in {image}: no answer in {error.timeout} s"
        ) from error
    finally:
        _remove(name)
    return parse_bench_seconds(done.stderr)


def python_startup(
    images: Mapping[str, str], statement: str | None, runs: int
) -> tuple[dict[str, float | None], dict[str, str]]:
    """Median seconds of `airflow version` and the heavy import per image, new containers.

    One untimed round first reads every image from disk; the timed rounds then go round-robin
    over the images, so that a drift of the machine does not favour one of them.
    """
    commands = {"startup_version_s": ["airflow", "version"]}
    if statement:
        commands["startup_import_s"] = ["python", "-c", statement]
    times: dict[str, list[float]] = {}
    failed: dict[str, str] = {}
    for round_index in range(runs + 1):
        for image_name, tag in images.items():
            for kind, command in commands.items():
                key = f"{kind}.{image_name}"
                if key in failed:
                    continue
                try:
                    seconds = time_command(tag, command)
                except BenchError as error:
                    failed[key] = f"failed: {str(error).splitlines()[-1][:200]}"
                    log(f"{key}: {error}")
                    continue
                if round_index:
                    times.setdefault(key, []).append(seconds)
    medians = {key: report.median(values) for key, values in times.items() if key not in failed}
    for key, value in medians.items():
        log(f"{key}: {value:.2f} s")
    return medians, failed


def _get(url: str) -> tuple[int, str] | None:
    """Status and body of a GET on the loopback (no proxy); None when nothing answers."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=2) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (OSError, http.client.HTTPException):
        return None


def _running(name: str) -> bool:
    """Whether the container still runs."""
    _, done = run(["docker", "inspect", "--format", "{{.State.Running}}", name], check=False)
    return done.stdout.strip() == "true"


def health_argv(image: str, name: str) -> list[str]:
    """`docker run` of a detached api-server on sqlite, published on a loopback port only."""
    options = ("--detach", "--publish", "127.0.0.1::8080")
    return [*container_argv(image, name, *options), "bash", "-c", HEALTH_COMMAND]


def time_to_healthy(image: str) -> float:
    """Seconds from `docker run` (sqlite, migrate, api-server) to a healthy health endpoint."""
    name = _name("health")
    argv = health_argv(image, name)
    start = time.perf_counter()
    try:
        run(argv, timeout=120)
        _, port = run(["docker", "port", name, "8080/tcp"], timeout=30)
        url = f"http://127.0.0.1:{parse_port(port.stdout)}{HEALTH_PATH}"
        checked = start
        while True:
            answer = _get(url)
            if answer is not None and answer[0] == 200 and is_healthy(answer[1]):
                return time.perf_counter() - start
            now = time.perf_counter()
            if now - start > HEALTH_TIMEOUT:
                raise BenchError(f"{image}: not healthy after {HEALTH_TIMEOUT:.0f} s")
            if now - checked > 2:
                checked = now
                if not _running(name):
                    _, logs = run(["docker", "logs", "--tail", "30", name], check=False)
                    raise BenchError(f"{image}: the api-server exited:\n{logs.stdout}{logs.stderr}")
            time.sleep(0.2)
    finally:
        _remove(name)


def health_startup(
    images: Mapping[str, str], runs: int
) -> tuple[dict[str, float | None], dict[str, str]]:
    """Median seconds to a healthy API per image, new containers round-robin."""
    times: dict[str, list[float]] = {}
    failed: dict[str, str] = {}
    for _ in range(runs):
        for image_name, tag in images.items():
            key = f"startup_health_s.{image_name}"
            if key in failed:
                continue
            try:
                times.setdefault(key, []).append(time_to_healthy(tag))
            except BenchError as error:
                failed[key] = f"failed: {str(error).splitlines()[0][:200]}"
                log(f"{key}: {error}")
    medians = {key: report.median(values) for key, values in times.items() if key not in failed}
    for key, value in medians.items():
        log(f"{key}: {value:.1f} s")
    return medians, failed


def start_airflow(
    breeze: list[str], ci_tag: str, content_args: Sequence[str], folder: Path
) -> tuple[float, float]:
    """Seconds of `breeze start-airflow` to healthy: a first start, then a second after `down`.

    The stack runs from a project folder of its own, on a free loopback port; `breeze down
    --volumes` removes it in the end, also when a start failed.
    """
    project = folder / "start-airflow"
    project.mkdir()
    start = [*breeze, "start-airflow", "--project-folder", str(project), "--image-tag", ci_tag,
             "--api-port", str(free_port()), "--answer", "no", "--wait-timeout", "600",
             *content_args]  # fmt: skip
    down = [*breeze, "down", "--project-folder", str(project)]
    try:
        log("breeze start-airflow (first start)")
        first, _ = run(start, timeout=900)
        run(down, timeout=300)
        log("breeze start-airflow (second start)")
        second, _ = run(start, timeout=900)
    finally:
        run([*down, "--volumes"], timeout=300, check=False)
    log(f"start-airflow: first {first:.1f} s, second {second:.1f} s")
    return first, second
