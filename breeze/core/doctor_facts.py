"""What `breeze doctor` knows: the facts gathered about the host and engine, and a row per check."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

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
    image_store: str = "classic"  # or "containerd": multi-platform images, registry cache export


@dataclass(frozen=True)
class BuilderFacts:
    """The buildx builder builds go to: `docker buildx inspect`."""

    name: str
    driver: str


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
    builder: BuilderFacts | None = None
    image_uid: UidFacts | None = None
    host_uid: int | None = None


def version_tuple(version: str) -> tuple[int, ...]:
    """The leading numbers of a version: "26.1.5+dfsg1" -> (26, 1, 5)."""
    numbers = []
    for part in re.split(r"[.+-]", version):
        if not part.isdigit():
            break
        numbers.append(int(part))
    return tuple(numbers)


def in_gb(size: int) -> str:
    """Bytes as decimal gigabytes, e.g. "53.9 GB"."""
    return f"{size / GB:.1f} GB"
