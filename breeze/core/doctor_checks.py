"""`breeze doctor` as data: the engine and its plugins checked, every row in order, the summary."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict

from breeze.core.doctor_facts import (
    BUILDX_HINT,
    COMPOSE_HINT,
    FAIL,
    MIN_BUILDX,
    MIN_COMPOSE_MAJOR,
    MIN_ENGINE_MAJOR,
    NO_ENGINE_HINT,
    OK,
    PROBE_IMAGES,
    SOCKET_PERMISSION_HINT,
    WARN,
    EngineFacts,
    Facts,
    Row,
    version_tuple,
)
from breeze.core.machine_checks import (
    ca_row,
    cpus_row,
    disk_row,
    memory_row,
    platform_row,
    port_row,
    proxy_row,
    uid_row,
)


def evaluate(facts: Facts) -> list[Row]:
    """Every check's row, in the order doctor prints them."""
    rows = [
        engine_row(facts.engine, facts.where, facts.engine_error),
        buildx_row(facts.buildx_version),
        builder_row(facts),
        compose_row(facts.compose_version),
    ]
    rows += _resource_rows(facts)
    rows += [port_row(port) for port in facts.ports]
    rows.append(proxy_row(facts.environ, facts.engine.proxies if facts.engine else {}))
    rows.append(ca_row(facts.environ, facts.existing_files))
    rows.append(platform_row(facts))
    rows.append(uid_row(facts.image_uid, facts.host_uid))
    return rows


def exit_code(rows: Iterable[Row]) -> int:
    """1 when a required check failed, else 0 (warnings never fail doctor)."""
    return 1 if any(row.required and row.status == FAIL for row in rows) else 0


def to_json(rows: list[Row]) -> str:
    """The rows as a JSON document: {"ok": ..., "checks": [{check, status, ...}, ...]}."""
    document = {"ok": exit_code(rows) == 0, "checks": [asdict(row) for row in rows]}
    return json.dumps(document, indent=2)


def summary(rows: list[Row]) -> str:
    """One line: the required checks that failed with the first one's fix, or the warnings."""
    failed = [row for row in rows if row.required and row.status == FAIL]
    if failed:
        others = f" (and {', '.join(row.check for row in failed[1:])})" if failed[1:] else ""
        return f"required check failed: {failed[0].check}{others}: {failed[0].message}"
    warnings = sum(row.status != OK for row in rows)
    return f"All required checks passed ({warnings} warning{'' if warnings == 1 else 's'})"


def engine_row(engine: EngineFacts | None, where: str, error: str = "") -> Row:
    """The engine answers (required); warn when it is older than BuildKit-by-default."""
    name = "Docker engine"
    if engine is None:
        if "permission denied" in error.lower():
            return Row(
                name,
                FAIL,
                f"no permission to use the Docker socket at {where}",
                SOCKET_PERMISSION_HINT,
                required=True,
            )
        return Row(name, FAIL, f"no Docker engine answers at {where}", NO_ENGINE_HINT, True)
    detail = f"Docker Engine {engine.version} ({engine.os_type}/{engine.architecture}) at {where}"
    if engine.os_type != "linux":
        return Row(
            name,
            FAIL,
            f"{detail}: breeze needs Linux containers",
            "switch the engine to Linux containers and retry",
            required=True,
        )
    major = version_tuple(engine.version)[:1]
    if major and major[0] < MIN_ENGINE_MAJOR:
        return Row(
            name,
            WARN,
            f"{detail}: older than {MIN_ENGINE_MAJOR}, BuildKit may be off by default",
            f"upgrade Docker Engine to {MIN_ENGINE_MAJOR} or newer",
            required=True,
        )
    return Row(name, OK, detail, required=True)


def buildx_row(version: str | None) -> Row:
    """docker buildx is installed and supports named build contexts (required for builds)."""
    name = "buildx (builds)"
    if version is None:
        return Row(name, FAIL, "docker buildx is not installed", BUILDX_HINT, True)
    if version_tuple(version)[:2] < MIN_BUILDX:
        minimum = ".".join(map(str, MIN_BUILDX))
        return Row(
            name,
            FAIL,
            f"docker buildx {version} is older than {minimum} (no --build-context)",
            BUILDX_HINT.replace("install", "upgrade", 1),
            required=True,
        )
    return Row(name, OK, f"docker buildx {version}", required=True)


def builder_row(facts: Facts) -> Row:
    """Which builder builds go to, and what it can do with the engine's image store."""
    name = "buildx builder"
    builder, engine = facts.builder, facts.engine
    if builder is None or engine is None:
        return Row(name, WARN, "`docker buildx inspect` did not answer", BUILDX_HINT)
    detail = f"{builder.name} ({builder.driver} driver), {engine.image_store} image store"
    if builder.driver == "docker" and engine.image_store != "containerd":
        return Row(
            name,
            OK,
            f"{detail}: one platform per build, no build cache export to a registry (the "
            "containerd image store or a docker-container builder can do both)",
        )
    return Row(name, OK, f"{detail}: multi-platform images, build cache export to a registry")


def compose_row(version: str | None) -> Row:
    """docker compose v2 is installed (required for shell, start-airflow and the stack commands)."""
    name = "compose v2 (dev env)"
    if version is None or not version[:1].isdigit():
        return Row(name, FAIL, "docker compose v2 is not installed", COMPOSE_HINT, True)
    if version_tuple(version)[0] < MIN_COMPOSE_MAJOR:
        return Row(
            name,
            FAIL,
            f"docker compose {version} is not v2",
            COMPOSE_HINT.replace("install", "upgrade to", 1),
            required=True,
        )
    return Row(name, OK, f"docker compose {version}", required=True)


def parse_buildx_version(output: str) -> str | None:
    """The version in `docker buildx version` output ("github.com/docker/buildx v0.13.1 ...")."""
    for token in output.split():
        token = token.removeprefix("v")
        if token[:1].isdigit() and "." in token:
            return token
    return None


def parse_compose_version(output: str) -> str | None:
    """The version `docker compose version --short` prints ("2.26.1", "v2.29.0-desktop.1")."""
    text = output.strip().splitlines()[-1].strip().removeprefix("v") if output.strip() else ""
    return text if text[:1].isdigit() else None


def parse_df(output: str) -> int | None:
    """Available bytes from `df -Pk PATH` output, or None when it is not df's format."""
    lines = [line.split() for line in output.strip().splitlines()]
    if len(lines) < 2 or len(lines[-1]) < 4 or not lines[-1][3].isdigit():
        return None
    return int(lines[-1][3]) * 1024


def probe_images(images: Iterable[tuple[str, int]]) -> list[str]:
    """Local image tags to measure the disk with, small well-known images with `df` first."""

    def rank(item: tuple[str, int]) -> tuple[int, int]:
        repository = item[0].rsplit(":", 1)[0].rsplit("/", 1)[-1]
        known = PROBE_IMAGES.index(repository) if repository in PROBE_IMAGES else len(PROBE_IMAGES)
        return known, item[1]

    return [tag for tag, _ in sorted(images, key=rank) if not tag.startswith("<none>")]


def _resource_rows(facts: Facts) -> list[Row]:
    """Disk under the data root, memory and CPUs of the engine."""
    engine = facts.engine
    if engine is None:
        unknown = "not checked: no engine answers"
        fix = "start Docker (see the Docker engine row) and rerun `breeze doctor`"
        return [Row(name, WARN, unknown, fix) for name in _RESOURCES]
    return [disk_row(facts.disk, engine.root_dir), memory_row(engine), cpus_row(engine)]


_RESOURCES = ("disk space", "memory", "CPUs")
