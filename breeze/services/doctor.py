"""The doctor service: gather facts from the host and the engine, print the checks' rows."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from breeze.core import argv
from breeze.core.doctor_checks import (
    evaluate,
    exit_code,
    parse_df,
    probe_images,
    summary,
    to_json,
)
from breeze.core.doctor_facts import (
    CA_VARIABLES,
    PROXY_VARIABLES,
    BuilderFacts,
    DiskFacts,
    DoctorParams,
    EngineFacts,
    Facts,
    PortFacts,
    UidFacts,
)
from breeze.core.errors import BreezeError
from breeze.core.machine_checks import docker_platform, uid_from_image
from breeze.core.network import SYSTEM_CA_BUNDLES
from breeze.io.engine import Engine
from breeze.io.session import Session
from breeze.services.preflight import (
    builder_platforms,
    buildx_version,
    compose_version,
    image_store,
    inspect_builder,
)
from breeze.ui import console

PROBE_MOUNT = "/breeze-engine-root"
T = TypeVar("T")


def run_doctor(params: DoctorParams, session: Session) -> None:
    """Print the checks as a table (or JSON); raise BreezeError when a required check fails."""
    rows = evaluate(gather(params, session))
    if params.json:
        print(to_json(rows))
    else:
        from breeze.ui.tables import doctor_table

        out = console.stdout_console()
        out.print(doctor_table(rows, out.width))
    if exit_code(rows):
        raise BreezeError(summary(rows))
    if not params.json:
        console.success(summary(rows))


def gather(params: DoctorParams, session: Session) -> Facts:
    """Every fact the checks need; a probe that cannot run leaves its fact empty."""
    environ = session.world.environ
    where = session.engine_target.describe()
    engine: Engine | None = session.engine
    info: Mapping[str, Any] = {}
    engine_error = ""
    try:
        info = engine.info()
    except BreezeError as e:
        engine, engine_error = None, str(e.__cause__ or e.message)
    engine_facts = _engine_facts(info) if engine is not None else None
    target = params.platform
    native = engine_facts is None or docker_platform(session.world.machine) == docker_platform(
        engine_facts.architecture
    )
    wanted = engine is not None or target or not native
    builder = (_quietly(lambda: inspect_builder(session)) or {}) if wanted else {}
    return Facts(
        where=where,
        engine=engine_facts,
        engine_error=engine_error,
        buildx_version=_quietly(lambda: buildx_version(session)),
        compose_version=_quietly(lambda: compose_version(session)),
        disk=_disk(engine, info, session) if engine is not None else None,
        ports=_ports(params, engine, session),
        environ=_relevant_environ(environ),
        existing_files=_existing_files(environ),
        host_machine=session.world.machine,
        target_platform=target,
        builder_platforms=builder_platforms(builder) if target or not native else (),
        builder=_builder(builder) if engine is not None else None,
        image_uid=_image_uid(params, engine),
        host_uid=session.world.uid,
    )


def _engine_facts(info: Mapping[str, Any]) -> EngineFacts:
    """The engine's facts from its `docker info`."""
    return EngineFacts(
        version=str(info.get("ServerVersion") or "unknown"),
        os_type=str(info.get("OSType") or "linux"),
        architecture=str(info.get("Architecture") or ""),
        root_dir=_root_dir(info),
        memory_bytes=int(info.get("MemTotal") or 0),
        cpus=int(info.get("NCPU") or 0),
        proxies=_engine_proxies(info),
        image_store=image_store(info),
    )


def _root_dir(info: Mapping[str, Any]) -> str:
    """The engine's data root."""
    return str(info.get("DockerRootDir") or "/var/lib/docker")


def _engine_proxies(info: Mapping[str, Any]) -> dict[str, str]:
    """The proxies the engine's daemon uses for pulls, as `docker info` reports them."""
    names = {"HTTPProxy": "HTTP_PROXY", "HTTPSProxy": "HTTPS_PROXY", "NoProxy": "NO_PROXY"}
    return {name: str(info[key]) for key, name in names.items() if info.get(key)}


def _disk(engine: Engine, info: Mapping[str, Any], session: Session) -> DiskFacts:
    """Free space under the data root: measured here if the engine is local, else in a container."""
    root = _root_dir(info)
    host = session.docker_host or session.world.environ.get("DOCKER_HOST") or ""
    if _engine_is_local(str(info.get("Name") or ""), host, root, session.world.hostname):
        try:
            return DiskFacts(session.free_bytes(Path(root)), "measured on this host")
        except OSError:
            pass  # e.g. no permission: measure where the engine runs instead
    try:
        images = probe_images(engine.local_images())
    except BreezeError as e:
        return DiskFacts(None, e.message)
    for image in images[:3]:
        command = argv.Command(
            ("docker", "run", "--rm", "--pull", "never", "--network", "none", "--user", "0",
             "--label", "breeze.purpose=doctor", "--entrypoint", "df",
             "--volume", f"{root}:{PROBE_MOUNT}:ro", image, "-Pk", PROBE_MOUNT),
            argv.engine_env(session.docker_host),
        )  # fmt: skip
        result = _quietly(lambda c=command: session.run(c, capture=True, query=True))
        free = parse_df(result.output) if result and result.returncode == 0 else None
        if free is not None:
            return DiskFacts(free, f"measured in a container of {image}")
    if not images:
        return DiskFacts(None, "the engine is remote and has no local image to measure it with")
    return DiskFacts(None, f"no `df` in a container of {', '.join(images[:3])}")


def _engine_is_local(name: str, host: str, root: str, hostname: str) -> bool:
    """Whether the engine runs on this host, so its data root is this host's folder."""
    if host and not host.startswith("unix://"):
        return False
    # Docker Desktop's engine runs in a VM named docker-desktop, behind a local socket too.
    return name == hostname and Path(root).is_dir()


def _ports(params: DoctorParams, engine: Engine | None, session: Session) -> tuple[PortFacts, ...]:
    """The API and flower ports of the dev environment: free, or who holds them."""
    holders: dict[int, tuple[str, str]] = {}
    if engine is not None:
        holders = _quietly(engine.published_ports) or {}
    facts = []
    for name, option, port in (
        ("API port", "--api-port", params.api_port),
        ("flower port", "--flower-port", params.flower_port),
    ):
        free = session.port_free(port)
        holder, project = holders.get(port, ("", ""))
        alternative = None
        if not free:
            alternative = session.free_port_after(port)
        facts.append(PortFacts(name, option, port, free, holder, project, alternative))
    return tuple(facts)


def _relevant_environ(environ: Mapping[str, str]) -> dict[str, str]:
    """The proxy and CA variables of the environment (nothing else is looked at)."""
    wanted = {name.lower() for name in (*PROXY_VARIABLES, *CA_VARIABLES)}
    return {name: value for name, value in environ.items() if name.lower() in wanted}


def _existing_files(environ: Mapping[str, str]) -> frozenset[str]:
    """Which of the CA bundles doctor may report exist here."""
    candidates = [environ.get(name, "") for name in CA_VARIABLES] + list(SYSTEM_CA_BUNDLES)
    return frozenset(path for path in candidates if path and Path(path).is_file())


def _builder(fields: Mapping[str, str]) -> BuilderFacts | None:
    """The current builder's name and driver from its `docker buildx inspect` fields."""
    if "Name" not in fields:
        return None
    return BuilderFacts(fields["Name"], fields.get("Driver", "unknown"))


def _image_uid(params: DoctorParams, engine: Engine | None) -> UidFacts:
    """The UID of the existing image when there is one, else the configured --airflow-uid."""
    if engine is None or not params.image:
        return UidFacts(params.airflow_uid, "--airflow-uid")
    attrs = _quietly(lambda: engine.image_attrs(params.image))
    if attrs:
        config = attrs.get("Config") or {}
        uid = uid_from_image(config.get("Labels") or {}, str(config.get("User") or ""))
        if uid is not None:
            return UidFacts(uid, f"label of {params.image}")
    return UidFacts(params.airflow_uid, f"--airflow-uid; no image {params.image} yet")


def _quietly(probe: Callable[[], T]) -> T | None:
    """A probe's result, or None when it fails with an expected error."""
    try:
        return probe()
    except BreezeError:
        return None
