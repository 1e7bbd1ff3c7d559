"""Doctor's required checks, run cheaply before a command that needs the engine."""

from __future__ import annotations

from breeze import argv
from breeze.docker.engine import Engine
from breeze.docker.runner import Runner
from breeze.doctor import (
    FAIL,
    Row,
    buildx_row,
    compose_row,
    parse_buildx_version,
    parse_compose_version,
)
from breeze.errors import BreezeError
from breeze.params.image import BuildSettings

# A ping answers in milliseconds; an engine that has not answered in this time is not there.
PING_TIMEOUT = 15


def preflight(
    docker_host: str | None,
    *,
    buildx: bool = False,
    compose: bool = False,
    runner: Runner | None = None,
) -> str:
    """Ping the engine (and check buildx / compose v2); fail in one line with doctor's hint.

    Returns the engine's version.
    """
    version = Engine(docker_host, timeout=PING_TIMEOUT).ping()
    runner = runner or Runner()
    if buildx:
        _require(buildx_row(buildx_version(runner, docker_host)))
    if compose:
        _require(compose_row(compose_version(runner, docker_host)))
    return version


def buildx_version(runner: Runner, docker_host: str | None) -> str | None:
    """The installed buildx version, or None without the plugin."""
    command = argv.buildx_version(BuildSettings(docker_host=docker_host))
    result = runner.run(command, capture=True, query=True)
    return parse_buildx_version(result.output) if result.returncode == 0 else None


def compose_version(runner: Runner, docker_host: str | None) -> str | None:
    """The installed docker compose version, or None without the plugin."""
    command = argv.Command(("docker", "compose", "version", "--short"), _env(docker_host))
    result = runner.run(command, capture=True, query=True)
    return parse_compose_version(result.output) if result.returncode == 0 else None


def _require(row: Row) -> None:
    """Raise the row as a one-line error when it failed."""
    if row.status == FAIL:
        raise BreezeError(row.message)


def _env(docker_host: str | None) -> dict[str, str]:
    """The environment pointing docker at the chosen engine."""
    return {"DOCKER_HOST": docker_host} if docker_host else {}
