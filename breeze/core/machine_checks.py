"""`breeze doctor`'s checks of the machine: disk, memory, CPUs, ports, proxy, CA, platform, UID."""

from __future__ import annotations

from collections.abc import Mapping

from breeze.core.doctor_facts import (
    CA_VARIABLES,
    MIN_CPUS,
    MIN_DISK_BYTES,
    MIN_MEMORY_BYTES,
    OK,
    PROXY_VARIABLES,
    WARN,
    DiskFacts,
    EngineFacts,
    Facts,
    PortFacts,
    Row,
    UidFacts,
    in_gb,
)
from breeze.core.network import SYSTEM_CA_BUNDLES, mask_proxy


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
    detail = f"{in_gb(disk.free_bytes)} free under {root_dir} ({disk.how})"
    if disk.free_bytes < MIN_DISK_BYTES:
        return Row(
            "disk space",
            WARN,
            f"{detail}, less than {in_gb(MIN_DISK_BYTES)}",
            "a default build needs several GB: remove unused images (`docker image prune`) and "
            "build cache (`docker builder prune`), or give the engine a bigger disk",
        )
    return Row("disk space", OK, detail)


def memory_row(engine: EngineFacts) -> Row:
    """Memory available to the engine: warn under 4 GB."""
    detail = f"{in_gb(engine.memory_bytes)} available to the engine"
    if engine.memory_bytes < MIN_MEMORY_BYTES:
        return Row(
            "memory",
            WARN,
            f"{detail}, less than {in_gb(MIN_MEMORY_BYTES)}",
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
