"""Parameters of a development environment: backend, executor, folders, ports; validation."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

from breeze.core.errors import InvalidInput
from breeze.core.image_params import ImageBuildParams

ALLOWED_BACKENDS = ("sqlite", "postgres", "mysql")
ALLOWED_POSTGRES_VERSIONS = ("15", "16", "17")
ALLOWED_MYSQL_VERSIONS = ("8.0", "8.4")
ALLOWED_EXECUTORS = ("LocalExecutor", "CeleryExecutor")
DEFAULT_BACKEND = "sqlite"
DEFAULT_POSTGRES_VERSION = "17"
DEFAULT_MYSQL_VERSION = "8.4"
DEFAULT_REDIS_VERSION = "7"
DEFAULT_EXECUTOR = "LocalExecutor"
DEFAULT_API_PORT = 28080
DEFAULT_FLOWER_PORT = 25555
# the UI lets everybody in as admin (SimpleAuthManager, all admins): this machine only by default
DEFAULT_PUBLISH_ADDRESS = "127.0.0.1"


@dataclass(frozen=True)
class DevEnvParams:
    """One development environment: what runs, with which image, on which folders and ports."""

    image: str = ""  # the CI image's tag (the service takes it from the image build)
    project_folder: Path | None = None  # None: the working folder (the service fills it in)
    host_uid: int = 0  # the user's UID (the service fills it in)
    backend: str = DEFAULT_BACKEND
    postgres_version: str = DEFAULT_POSTGRES_VERSION
    mysql_version: str = DEFAULT_MYSQL_VERSION
    redis_version: str = DEFAULT_REDIS_VERSION
    executor: str = DEFAULT_EXECUTOR
    dags_folder: Path | None = None
    load_example_dags: bool = False
    api_port: int = DEFAULT_API_PORT
    flower: bool = False
    flower_port: int = DEFAULT_FLOWER_PORT
    publish_address: str = DEFAULT_PUBLISH_ADDRESS
    # run the Airflow containers as Kubernetes' "restricted" pods do (docs/image.md)
    hardened: bool = False
    # the user's proxy variables (breeze.core.network.proxy_env) and whether to forward them
    proxy_env: tuple[tuple[str, str], ...] = ()
    proxy_forward: bool = True

    @property
    def folder(self) -> Path:
        """The project folder, once the service filled it in."""
        if self.project_folder is None:
            raise ValueError("the project folder is filled in by the dev-environment service")
        return self.project_folder

    @property
    def dags(self) -> Path:
        """The DAG folder of every Airflow container: the given one, else <project>/dags."""
        return self.dags_folder or self.folder / "dags"

    @property
    def plugins(self) -> Path:
        """The plugins folder mounted into every Airflow container: <project>/plugins."""
        return self.folder / "plugins"

    @property
    def published_on_loopback(self) -> bool:
        """Whether the forwarded ports are reachable from this machine only."""
        return ipaddress.ip_address(self.publish_address).is_loopback

    @property
    def publish_host(self) -> str:
        """The publish address as it goes before a port: IPv6 in brackets."""
        address = ipaddress.ip_address(self.publish_address)
        return f"[{address}]" if address.version == 6 else str(address)

    @property
    def database_image(self) -> str | None:
        """The image of the database service; None for sqlite."""
        if self.backend == "postgres":
            return f"postgres:{self.postgres_version}"
        if self.backend == "mysql":
            return f"mysql:{self.mysql_version}"
        return None


@dataclass(frozen=True)
class ShellParams:
    """`breeze shell`: the environment, its CI image, and one command or an interactive shell."""

    env: DevEnvParams
    image: ImageBuildParams | None = None
    command: str | None = None  # None: an interactive shell (on a terminal)


@dataclass(frozen=True)
class PytestParams:
    """`breeze testing`: the environment, its CI image, pytest's arguments, the JUnit XML file."""

    env: DevEnvParams
    image: ImageBuildParams | None = None
    pytest_args: tuple[str, ...] = ()
    junit_xml: Path | None = None  # on the host; the container writes it through a mount


# where `breeze testing` mounts the folder of the JUnit XML file
REPORTS_TARGET = "/breeze-reports"


def pytest_command(params: PytestParams) -> tuple[str, ...]:
    """The command run in the shell service: pytest with the user's arguments."""
    junit = params.junit_xml
    report = () if junit is None else (f"--junit-xml={REPORTS_TARGET}/{junit.name}",)
    return ("python", "-m", "pytest", *report, *params.pytest_args)


@dataclass(frozen=True)
class StartParams:
    """`breeze start-airflow`: the environment, its CI image, and how long to wait for health."""

    env: DevEnvParams
    image: ImageBuildParams | None = None
    timeout: float = 600


@dataclass(frozen=True)
class StackCommand:
    """A command on the running stack of a project folder: exec, logs, ps or down."""

    project_folder: Path | None = None  # None: the working folder
    args: tuple[str, ...] = ()  # exec: [SERVICE] COMMAND
    service: str | None = None  # logs: only this service
    follow: bool = False
    volumes: bool = False  # down: the volumes too
    json: bool = False  # ps: one JSON array


def validate_dev_env(params: DevEnvParams) -> None:
    """Raise InvalidInput for the first unusable value, before anything is started."""
    for option, value, allowed in (
        ("--backend", params.backend, ALLOWED_BACKENDS),
        ("--postgres-version", params.postgres_version, ALLOWED_POSTGRES_VERSIONS),
        ("--mysql-version", params.mysql_version, ALLOWED_MYSQL_VERSIONS),
        ("--executor", params.executor, ALLOWED_EXECUTORS),
    ):
        if value not in allowed:
            raise InvalidInput(f"{option} '{value}' is not one of {', '.join(allowed)}")
    if params.executor == "CeleryExecutor" and params.backend == "sqlite":
        raise InvalidInput(
            "CeleryExecutor cannot run on sqlite; add --backend postgres or --backend mysql"
        )
    for option, port in (("--api-port", params.api_port), ("--flower-port", params.flower_port)):
        if not 1 <= port <= 65535:
            raise InvalidInput(f"{option} {port} is not a port; use 1 to 65535")
    try:
        ipaddress.ip_address(params.publish_address)
    except ValueError:
        raise InvalidInput(
            f"--publish-address '{params.publish_address}' is not an IP address; use 127.0.0.1 "
            "(this machine only), 0.0.0.0 (every interface) or one interface's address"
        ) from None
    if params.api_port == params.flower_port and params.flower:
        raise InvalidInput("--api-port and --flower-port must differ")


def check_mysql_platform(params: DevEnvParams, machine: str, has_image: bool) -> None:
    """Refuse mysql on an arm64 host that has no MySQL image: none may exist for that platform."""
    if params.backend != "mysql" or has_image:
        return
    if machine.lower() in ("arm64", "aarch64"):
        raise InvalidInput(
            f"there is no mysql:{params.mysql_version} image for arm64 in the engine; use "
            "--backend postgres, or pull an arm64 MySQL image and tag it "
            f"mysql:{params.mysql_version}"
        )


STACK_SERVICES = (
    "api-server",
    "scheduler",
    "dag-processor",
    "triggerer",
    "worker",
    "flower",
    "redis",
    "postgres",
    "mysql",
)
DEFAULT_EXEC_SERVICE = "scheduler"


def split_exec_args(args: list[str]) -> tuple[str, list[str]]:
    """`exec` arguments as (service, command): a known service name first, then the command."""
    if args and args[0] in STACK_SERVICES:
        service, command = args[0], args[1:]
    else:
        service, command = DEFAULT_EXEC_SERVICE, list(args)
    return service, command or ["bash"]
