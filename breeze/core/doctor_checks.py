"""`breeze doctor` as data: facts about the host and its engine in, one row per check out."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

# The bundles `--ca-bundle auto` looks for, so doctor reports the one a build would trust.
from breeze.core.network import SYSTEM_CA_BUNDLES, mask_proxy

OK, WARN, FAIL = "ok", "warn", "fail"
GB = 10**9
MIN_DISK_BYTES = 20 * GB
MIN_MEMORY_BYTES = 4 * GB
MIN_CPUS = 2
MIN_ENGINE_MAJOR = 23  # BuildKit is the default builder from Docker Engine 23
MIN_BUILDX = (0, 8)  # named build contexts (--build-context)
MIN_COMPOSE_MAJOR = 2

NO_ENGINE_HINT = "start Docker (or set DOCKER_HOST / --docker-host to a running engine) and retry"
SOCKET_PERMISSION_HINT = (
    "add your user to the docker group (`sudo usermod -aG docker $USER`, then log in again) "
    "and retry"
)
BUILDX_HINT = "install the buildx plugin (https://docs.docker.com/go/buildx/) and retry"
COMPOSE_HINT = "install the compose plugin (https://docs.docker.com/compose/install/) and retry"

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY")
CA_VARIABLES = ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE")
# Small images that have `df`, tried first when the disk is measured in a container.
PROBE_IMAGES = ("busybox", "alpine", "debian", "ubuntu", "python")


@dataclass(frozen=True)
class DoctorParams:
    """What `breeze doctor` checks against: the engine, the dev env's ports, the image to build."""

    api_port: int = 28080
    flower_port: int = 25555
    platform: str | None = None
    image: str = ""
    airflow_uid: int = 50000
    json: bool = False


@dataclass(frozen=True)
class Row:
    """One check's result: status ok, warn or fail, what was found, and how to fix it."""

    check: str
    status: str
    detail: str
    hint: str = ""
    required: bool = False

    @property
    def message(self) -> str:
        """The row as the one-line error of a command that needs this check to pass."""
        return f"{self.detail}; {self.hint}" if self.hint else self.detail


@dataclass(frozen=True)
class EngineFacts:
    """What `docker info` says about the engine."""

    version: str
    os_type: str = "linux"
    architecture: str = "x86_64"
    root_dir: str = "/var/lib/docker"
    memory_bytes: int = 0
    cpus: int = 0
    proxies: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DiskFacts:
    """Free space under the engine's data root, and how it was measured (or why it was not)."""

    free_bytes: int | None
    how: str


@dataclass(frozen=True)
class PortFacts:
    """A host port the dev environment publishes."""

    name: str
    option: str
    port: int
    free: bool
    holder: str = ""  # the container publishing it, if one does
    holder_project: str = ""  # that container's compose project
    alternative: int | None = None


@dataclass(frozen=True)
class UidFacts:
    """The UID the image runs as, and where that number comes from."""

    uid: int
    source: str


@dataclass(frozen=True)
class Facts:
    """Everything doctor looked at; None where a probe could not run."""

    where: str
    engine: EngineFacts | None = None
    engine_error: str = ""
    buildx_version: str | None = None
    compose_version: str | None = None
    disk: DiskFacts | None = None
    ports: tuple[PortFacts, ...] = ()
    environ: Mapping[str, str] = field(default_factory=dict)
    existing_files: frozenset[str] = frozenset()
    host_machine: str = "x86_64"
    target_platform: str | None = None
    builder_platforms: tuple[str, ...] = ()
    image_uid: UidFacts | None = None
    host_uid: int | None = None


def evaluate(facts: Facts) -> list[Row]:
    """Every check's row, in the order doctor prints them."""
    rows = [
        engine_row(facts.engine, facts.where, facts.engine_error),
        buildx_row(facts.buildx_version),
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
    detail = f"Docker Engine {engine.version} at {where} ({engine.os_type}/{engine.architecture})"
    if engine.os_type != "linux":
        return Row(
            name,
            FAIL,
            f"{detail}: breeze needs Linux containers",
            "switch the engine to Linux containers and retry",
            required=True,
        )
    major = _version_tuple(engine.version)[:1]
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
    if _version_tuple(version)[:2] < MIN_BUILDX:
        minimum = ".".join(map(str, MIN_BUILDX))
        return Row(
            name,
            FAIL,
            f"docker buildx {version} is older than {minimum} (no --build-context)",
            BUILDX_HINT.replace("install", "upgrade", 1),
            required=True,
        )
    return Row(name, OK, f"docker buildx {version}", required=True)


def compose_row(version: str | None) -> Row:
    """docker compose v2 is installed (required for shell, start-airflow and the stack commands)."""
    name = "compose v2 (dev env)"
    if version is None or not version[:1].isdigit():
        return Row(name, FAIL, "docker compose v2 is not installed", COMPOSE_HINT, True)
    if _version_tuple(version)[0] < MIN_COMPOSE_MAJOR:
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


def disk_row(disk: DiskFacts | None, root_dir: str) -> Row:
    """Free space under the engine's data root: warn under 20 GB or when it cannot be measured."""
    if disk is None or disk.free_bytes is None:
        how = disk.how if disk else "not measured"
        return Row(
            "disk space",
            WARN,
            f"free space under {root_dir} unknown: {how}",
            "check it with `docker system df` and `df -h` where the engine runs",
        )
    detail = f"{_gb(disk.free_bytes)} free under {root_dir} ({disk.how})"
    if disk.free_bytes < MIN_DISK_BYTES:
        return Row(
            "disk space",
            WARN,
            f"{detail}, less than {_gb(MIN_DISK_BYTES)}",
            "a default build needs several GB: remove unused images (`docker image prune`) and "
            "build cache (`docker builder prune`), or give the engine a bigger disk",
        )
    return Row("disk space", OK, detail)


def memory_row(engine: EngineFacts) -> Row:
    """Memory available to the engine: warn under 4 GB."""
    detail = f"{_gb(engine.memory_bytes)} available to the engine"
    if engine.memory_bytes < MIN_MEMORY_BYTES:
        return Row(
            "memory",
            WARN,
            f"{detail}, less than {_gb(MIN_MEMORY_BYTES)}",
            "give the engine more memory (Docker Desktop: Settings > Resources); builds and "
            "start-airflow may be killed or slow",
        )
    return Row("memory", OK, detail)


def cpus_row(engine: EngineFacts) -> Row:
    """CPUs available to the engine: warn under 2."""
    detail = f"{engine.cpus} CPU{'' if engine.cpus == 1 else 's'} available to the engine"
    if engine.cpus < MIN_CPUS:
        return Row(
            "CPUs",
            WARN,
            f"{detail}, fewer than {MIN_CPUS}",
            "give the engine more CPUs (Docker Desktop: Settings > Resources); builds will be slow",
        )
    return Row("CPUs", OK, detail)


def port_row(port: PortFacts) -> Row:
    """A port the dev environment publishes is free (or already held by a breeze stack)."""
    name = f"{port.name} ({port.option})"
    if port.free:
        return Row(name, OK, f"{port.port} is free")
    if port.holder_project.startswith("breeze-"):
        return Row(name, OK, f"{port.port} is used by the breeze stack {port.holder_project}")
    by = f"container {port.holder}" if port.holder else "another program"
    instead = f"{port.option} {port.alternative}" if port.alternative else f"another {port.option}"
    return Row(
        name,
        WARN,
        f"{port.port} is in use by {by}",
        f"stop what listens on {port.port}, or start the dev environment with {instead}",
    )


def proxy_variables(environ: Mapping[str, str]) -> dict[str, str]:
    """HTTP(S)_PROXY and NO_PROXY in any case, with credentials masked."""
    wanted = {name.lower() for name in PROXY_VARIABLES}
    return {
        name: mask_proxy(value)
        for name, value in sorted(environ.items())
        if name.lower() in wanted and value
    }


def proxy_row(environ: Mapping[str, str], engine_proxies: Mapping[str, str]) -> Row:
    """Which proxy variables breeze sees here and the engine uses (information, never a failure)."""
    seen = proxy_variables(environ)
    parts = [f"{name}={value}" for name, value in seen.items()] or ["none set here"]
    engine = {name: mask_proxy(value) for name, value in engine_proxies.items() if value}
    if engine:
        parts.append("engine: " + ", ".join(f"{name}={value}" for name, value in engine.items()))
    hint = ""
    if any(name.lower() != "no_proxy" for name in seen) and not engine:
        hint = "the engine itself has no proxy: pulls may fail (configure the daemon's proxy)"
    return Row("proxy", OK, "; ".join(parts), hint)


def ca_row(environ: Mapping[str, str], existing_files: frozenset[str]) -> Row:
    """The CA bundle this host trusts: SSL_CERT_FILE / REQUESTS_CA_BUNDLE, else the system's."""
    for name in CA_VARIABLES:
        path = environ.get(name)
        if not path:
            continue
        if path not in existing_files:
            return Row(
                "CA bundle",
                WARN,
                f"{name}={path} does not exist",
                f"point {name} at an existing PEM file, or unset it",
            )
        return Row("CA bundle", OK, f"{name}={path}")
    system = next((path for path in SYSTEM_CA_BUNDLES if path in existing_files), None)
    if system is None:
        return Row(
            "CA bundle",
            WARN,
            "no CA bundle found (SSL_CERT_FILE, REQUESTS_CA_BUNDLE not set)",
            "install ca-certificates, or set SSL_CERT_FILE to your CA bundle",
        )
    return Row("CA bundle", OK, f"system bundle {system} (SSL_CERT_FILE, REQUESTS_CA_BUNDLE unset)")


def docker_platform(machine: str) -> str:
    """A machine name (uname -m, docker info Architecture) as a docker platform."""
    arch = machine.lower()
    return f"linux/{_ARCHITECTURES.get(arch, arch)}"


_ARCHITECTURES = {"x86_64": "amd64", "aarch64": "arm64", "armv7l": "arm/v7", "i686": "386"}


def platform_row(facts: Facts) -> Row:
    """Host architecture vs the platforms the builds target: emulation is slow, or impossible."""
    host = docker_platform(facts.host_machine)
    engine = docker_platform(facts.engine.architecture) if facts.engine else None
    targets = [p.strip() for p in (facts.target_platform or "").split(",") if p.strip()]
    if not targets:
        targets = [engine or host]
    which = "--platform" if facts.target_platform else "the engine's"
    detail = f"host {host}; builds {', '.join(targets)} ({which})"
    unsupported = [
        t for t in targets if facts.builder_platforms and t not in facts.builder_platforms
    ]
    if unsupported:
        return Row(
            "platform",
            WARN,
            f"{detail}; the builder cannot build {', '.join(unsupported)}",
            "install QEMU emulators on the engine (`docker run --privileged --rm "
            "tonistiigi/binfmt --install all`) or use a --builder for that platform",
        )
    foreign = [t for t in targets if not t.startswith(host)]
    if engine is not None and not engine.startswith(host):
        foreign = foreign or [engine]
    if foreign:
        return Row(
            "platform",
            WARN,
            f"{detail}; {', '.join(foreign)} runs under emulation on this host",
            "builds under emulation are several times slower and the image does not run natively "
            "here; build on a matching machine or drop --platform",
        )
    return Row("platform", OK, detail)


def uid_row(image: UidFacts | None, host_uid: int | None) -> Row:
    """The image's Airflow UID vs yours, and what that means for folders mounted into it."""
    if image is None:
        return Row("Airflow UID", WARN, "unknown", "give --airflow-uid or --image-tag")
    detail = f"image runs as UID {image.uid} ({image.source})"
    if host_uid is None:
        return Row("Airflow UID", OK, f"{detail}; host UIDs do not apply on this system")
    if host_uid == image.uid:
        return Row("Airflow UID", OK, f"{detail}, as you are: mounted folders just work")
    if host_uid == 0:
        fix = "let group 0 write the folders you mount (`chmod -R g+w DIR`): the image runs in it"
    else:
        fix = f'run the image with --user "$(id -u):0", or build it with --airflow-uid {host_uid}'
    return Row(
        "Airflow UID",
        WARN,
        f"{detail}; you are UID {host_uid}: in `docker run -v` mounts it cannot write your "
        f"folders unless group 0 may, and its files belong to UID {image.uid} (breeze shell "
        "and start-airflow run as you and are not affected)",
        fix,
    )


def uid_from_image(labels: Mapping[str, str], user: str) -> int | None:
    """The image's UID from its org.apache.airflow.uid label, else a numeric USER."""
    label = labels.get("org.apache.airflow.uid", "")
    if label.isdigit():
        return int(label)
    first = user.split(":")[0]
    return int(first) if first.isdigit() else None


def _version_tuple(version: str) -> tuple[int, ...]:
    """The leading numbers of a version: "26.1.5+dfsg1" -> (26, 1, 5)."""
    numbers = []
    for part in re.split(r"[.+-]", version):
        if not part.isdigit():
            break
        numbers.append(int(part))
    return tuple(numbers)


def _gb(size: int) -> str:
    """Bytes as decimal gigabytes, e.g. "53.9 GB"."""
    return f"{size / GB:.1f} GB"
