"""Doctor's required checks, run cheaply before a command that needs the engine."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from breeze.core import argv
from breeze.core.doctor_checks import (
    FAIL,
    buildx_row,
    compose_row,
    parse_buildx_version,
    parse_compose_version,
)
from breeze.core.doctor_facts import Row
from breeze.core.errors import BreezeError
from breeze.core.image_params import BuildSettings, ImageSpec
from breeze.io.session import Session

# A ping answers in milliseconds; an engine that has not answered in this time is not there.
PING_TIMEOUT = 15
# Asking a registry for an image's manifest goes over the network from the engine.
REGISTRY_TIMEOUT = 60


def preflight(session: Session, *, buildx: bool = False, compose: bool = False) -> str:
    """Ping the engine (and check buildx / compose v2); fail in one line with doctor's hint.

    Returns the engine's version.
    """
    version = session.engine.ping(timeout=PING_TIMEOUT)
    if buildx:
        _require(buildx_row(buildx_version(session)))
    if compose:
        _require(compose_row(compose_version(session)))
    return version


def require_base_image(spec: ImageSpec, session: Session) -> None:
    """Fail in one line, before constraints or the build, when the base image cannot be had.

    It is there when the engine has it, or when its registry has it (asked without pulling).
    """
    engine = session.engine
    image = spec.base_image
    if engine.image_attrs(image) is not None:
        return
    problem = engine.registry_problem(image, timeout=REGISTRY_TIMEOUT)
    if problem is None:
        return
    if spec.python_base_image:
        what, instead = f"--python-base-image {image}", "check the name"
    else:
        what = f"the base image {image} (of --python {spec.python} --debian-version "
        what += f"{spec.debian_version})"
        instead = "choose another --python / --debian-version"
    raise BreezeError(
        f"{what} is not in the engine and cannot be pulled ({problem}); pull or build it first "
        f"(`docker pull {image}`), or {instead}"
    )


def buildx_version(session: Session) -> str | None:
    """The installed buildx version, or None without the plugin."""
    result = session.run(argv.buildx_version(session.docker_host), capture=True, query=True)
    return parse_buildx_version(result.output) if result.returncode == 0 else None


def compose_version(session: Session) -> str | None:
    """The installed docker compose version, or None without the plugin."""
    result = session.run(argv.compose_version(session.docker_host), capture=True, query=True)
    return parse_compose_version(result.output) if result.returncode == 0 else None


def inspect_builder(session: Session, builder: str | None = None) -> dict[str, str]:
    """`docker buildx inspect` of a builder (default: the current one) as its `Key: value` lines.

    The first value of a key wins: the builder's name comes before its nodes' names.
    """
    words = ("docker", "buildx", "inspect", *((builder,) if builder else ()))
    command = argv.Command(words, argv.engine_env(session.docker_host))
    try:
        result = session.run(command, capture=True, query=True)
    except OSError:
        return {}
    if result.returncode != 0:
        return {}
    fields: dict[str, str] = {}
    for line in result.output.splitlines():
        key, _, value = line.partition(":")
        fields.setdefault(key.strip(), value.strip())
    return fields


def builder_platforms(fields: Mapping[str, str]) -> tuple[str, ...]:
    """The platforms a builder's `docker buildx inspect` fields list (empty when unknown)."""
    value = fields.get("Platforms", "")
    return tuple(p.strip().rstrip("*") for p in value.split(",") if p.strip())


def image_store(info: Mapping[str, Any]) -> str:
    """containerd when the engine stores images with containerd's snapshotters, else classic."""
    status = dict(tuple(pair) for pair in info.get("DriverStatus") or () if len(pair) == 2)
    return "containerd" if "containerd" in str(status.get("driver-type", "")) else "classic"


def require_builder_for(settings: BuildSettings, session: Session) -> None:
    """Fail in one line when the builder cannot do what the build asks: cache export, platforms.

    The `docker` driver exports build cache and builds several platforms only on an engine with
    the containerd image store; a platform the builder lists no emulation for cannot be built.
    """
    exports = settings.docker_cache == "registry" and settings.push
    wanted = tuple(p for p in (settings.platform or "").split(",") if p)
    if not (exports or wanted):
        return
    fields = inspect_builder(session, settings.builder)
    listed = set(builder_platforms(fields))
    missing = [p for p in wanted if listed and p not in listed]
    if missing:
        raise BreezeError(
            f"the builder {fields.get('Name', '')} cannot build {', '.join(missing)} (it builds "
            f"{', '.join(sorted(listed))}); register QEMU emulation for it (e.g. `docker run "
            "--privileged --rm tonistiigi/binfmt --install arm64`) or choose another --builder"
        )
    if not (exports or len(wanted) > 1):
        return
    if fields.get("Driver", "") != "docker" or image_store(session.engine.info()) == "containerd":
        return
    wants = (
        "--docker-cache registry --push exports the build cache"
        if exports
        else (f"--platform {settings.platform} builds several platforms")
    )
    raise BreezeError(
        f"{wants}, which the docker driver on an engine with the classic image store cannot; "
        "turn on the containerd image store, or `docker buildx create --use --driver "
        "docker-container` and retry"
    )


def _require(row: Row) -> None:
    """Raise the row as a one-line error when it failed."""
    if row.status == FAIL:
        raise BreezeError(row.message)
