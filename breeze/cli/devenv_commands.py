"""Development environments: `shell`, `start-airflow`, `exec`, `logs`, `ps` and `down`."""

# No `from __future__ import annotations`: typer reads the signatures at runtime.
import os
from pathlib import Path
from typing import Annotated

import typer

from breeze.cli.build_commands import network_options, with_network
from breeze.cli.options import (
    DEV_ENV,
    AirflowExtrasOpt,
    AirflowVersionOpt,
    AnswerOpt,
    ApiPortOpt,
    BackendOpt,
    BuildSecretOpt,
    CaBundleInImageOpt,
    CaBundleOpt,
    CiImageTagOpt,
    DagsFolderOpt,
    DebianVersionOpt,
    DockerHostOpt,
    DryRunOpt,
    ExecutorOpt,
    FlowerOpt,
    FlowerPortOpt,
    HardenedOpt,
    LoadExampleDagsOpt,
    MysqlVersionOpt,
    NoProxyForwardOpt,
    PostgresVersionOpt,
    ProjectFolderOpt,
    PublishAddressOpt,
    PythonOpt,
    VerboseOpt,
    WaitTimeoutOpt,
)
from breeze.core import defaults
from breeze.core import devenv_params as env_defaults
from breeze.core.image_params import ImageBuildParams
from breeze.core.network import proxy_env
from breeze.core.run_options import RunOptions

CommandOpt = Annotated[
    str | None,
    typer.Option(
        "--command",
        "-c",
        help="Run this bash command instead of an interactive shell; exit with its code.",
        rich_help_panel=DEV_ENV,
        show_default=False,
    ),
]


def shell(
    backend: BackendOpt = env_defaults.DEFAULT_BACKEND,
    postgres_version: PostgresVersionOpt = env_defaults.DEFAULT_POSTGRES_VERSION,
    mysql_version: MysqlVersionOpt = env_defaults.DEFAULT_MYSQL_VERSION,
    command: CommandOpt = None,
    project_folder: ProjectFolderOpt = None,
    dags_folder: DagsFolderOpt = None,
    python: PythonOpt = defaults.DEFAULT_PYTHON,
    debian_version: DebianVersionOpt = defaults.DEFAULT_DEBIAN_VERSION,
    install_airflow_version: AirflowVersionOpt = defaults.DEFAULT_AIRFLOW_VERSION,
    airflow_extras: AirflowExtrasOpt = defaults.DEFAULT_AIRFLOW_EXTRAS_CSV,
    image_tag: CiImageTagOpt = None,
    docker_host: DockerHostOpt = None,
    ca_bundle: CaBundleOpt = None,
    ca_bundle_in_image: CaBundleInImageOpt = False,
    no_proxy_forward: NoProxyForwardOpt = False,
    build_secret: BuildSecretOpt = None,
    dry_run: DryRunOpt = False,
    verbose: VerboseOpt = False,
    answer: AnswerOpt = None,
) -> None:
    """A shell in the CI image with the backend started and migrated, the project mounted."""
    import sys

    from breeze.core.devenv_params import DevEnvParams
    from breeze.services.devenv import run_shell

    options = _run_options(dry_run, verbose, answer)
    network = network_options(ca_bundle, ca_bundle_in_image, no_proxy_forward, build_secret)
    image = _ci_image(
        python, debian_version, install_airflow_version, airflow_extras, image_tag, docker_host
    )
    image = with_network(image, network, ca_bundle_in_image, no_proxy_forward)
    params = DevEnvParams(
        image=image.tag,
        project_folder=project_folder or Path.cwd(),
        host_uid=os.getuid(),
        backend=backend,
        postgres_version=postgres_version,
        mysql_version=mysql_version,
        dags_folder=dags_folder,
        docker_host=docker_host or None,
        proxy_env=tuple(proxy_env(os.environ).items()),
        proxy_forward=not no_proxy_forward,
    )
    tty = command is None and sys.stdin.isatty() and sys.stdout.isatty()
    code = run_shell(params, options, command, tty, image=image)
    if code:
        raise typer.Exit(code)


def start_airflow(
    executor: ExecutorOpt = env_defaults.DEFAULT_EXECUTOR,
    backend: BackendOpt = env_defaults.DEFAULT_BACKEND,
    postgres_version: PostgresVersionOpt = env_defaults.DEFAULT_POSTGRES_VERSION,
    mysql_version: MysqlVersionOpt = env_defaults.DEFAULT_MYSQL_VERSION,
    load_example_dags: LoadExampleDagsOpt = False,
    dags_folder: DagsFolderOpt = None,
    project_folder: ProjectFolderOpt = None,
    api_port: ApiPortOpt = env_defaults.DEFAULT_API_PORT,
    flower: FlowerOpt = False,
    flower_port: FlowerPortOpt = env_defaults.DEFAULT_FLOWER_PORT,
    publish_address: PublishAddressOpt = env_defaults.DEFAULT_PUBLISH_ADDRESS,
    hardened: HardenedOpt = False,
    wait_timeout: WaitTimeoutOpt = 600,
    python: PythonOpt = defaults.DEFAULT_PYTHON,
    debian_version: DebianVersionOpt = defaults.DEFAULT_DEBIAN_VERSION,
    install_airflow_version: AirflowVersionOpt = defaults.DEFAULT_AIRFLOW_VERSION,
    airflow_extras: AirflowExtrasOpt = defaults.DEFAULT_AIRFLOW_EXTRAS_CSV,
    image_tag: CiImageTagOpt = None,
    docker_host: DockerHostOpt = None,
    ca_bundle: CaBundleOpt = None,
    ca_bundle_in_image: CaBundleInImageOpt = False,
    no_proxy_forward: NoProxyForwardOpt = False,
    build_secret: BuildSecretOpt = None,
    dry_run: DryRunOpt = False,
    verbose: VerboseOpt = False,
    answer: AnswerOpt = None,
) -> None:
    """Start Airflow 3 (api-server, scheduler, dag-processor, triggerer) and wait until healthy."""
    from breeze.core.devenv_params import DevEnvParams
    from breeze.services.devenv import start_airflow as start_service

    options = _run_options(dry_run, verbose, answer)
    network = network_options(ca_bundle, ca_bundle_in_image, no_proxy_forward, build_secret)
    image = _ci_image(
        python, debian_version, install_airflow_version, airflow_extras, image_tag, docker_host
    )
    image = with_network(image, network, ca_bundle_in_image, no_proxy_forward)
    params = DevEnvParams(
        image=image.tag,
        project_folder=project_folder or Path.cwd(),
        host_uid=os.getuid(),
        backend=backend,
        postgres_version=postgres_version,
        mysql_version=mysql_version,
        executor=executor,
        dags_folder=dags_folder,
        load_example_dags=load_example_dags,
        api_port=api_port,
        flower=flower,
        flower_port=flower_port,
        publish_address=publish_address,
        hardened=hardened,
        docker_host=docker_host or None,
        proxy_env=tuple(proxy_env(os.environ).items()),
        proxy_forward=not no_proxy_forward,
    )
    start_service(params, options, timeout=wait_timeout, image=image)


ServiceArgs = Annotated[
    list[str] | None,
    typer.Argument(
        help="[SERVICE] [-- COMMAND]: a service of the stack (default scheduler), then a command.",
        show_default=False,
    ),
]


def exec_(
    args: ServiceArgs = None,
    project_folder: ProjectFolderOpt = None,
    docker_host: DockerHostOpt = None,
    dry_run: DryRunOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Run a command (default bash) in a running service of the folder's Airflow stack."""
    import sys

    from breeze.core.devenv_params import split_exec_args

    service, command = split_exec_args(args or [])
    tty = [] if sys.stdin.isatty() and sys.stdout.isatty() else ["--no-TTY"]
    _passthrough(project_folder, docker_host, ["exec", *tty, service, *command], dry_run, verbose)


ServiceArg = Annotated[
    str | None, typer.Argument(help="Only this service; default all.", show_default=False)
]
FollowOpt = Annotated[
    bool, typer.Option("--follow", "-f", help="Keep printing new lines.", rich_help_panel=DEV_ENV)
]
JsonOpt = Annotated[
    bool, typer.Option("--json", help="One JSON array of the containers.", rich_help_panel=DEV_ENV)
]
VolumesOpt = Annotated[
    bool,
    typer.Option(
        "--volumes", help="Also remove the database and log volumes.", rich_help_panel=DEV_ENV
    ),
]


def logs(
    service: ServiceArg = None,
    follow: FollowOpt = False,
    project_folder: ProjectFolderOpt = None,
    docker_host: DockerHostOpt = None,
    dry_run: DryRunOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Show the logs of the folder's Airflow stack, or of one service."""
    from breeze.core.compose_env import project_name
    from breeze.services.devenv import logs as logs_service

    project = project_name(project_folder or Path.cwd())
    options = _run_options(dry_run, verbose, None)
    code = logs_service(project, docker_host or None, service, follow=follow, options=options)
    if code:
        raise typer.Exit(code)


def ps(
    json_output: JsonOpt = False,
    project_folder: ProjectFolderOpt = None,
    docker_host: DockerHostOpt = None,
    dry_run: DryRunOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """List the containers of the folder's Airflow stack and their health."""
    if not json_output:
        _passthrough(project_folder, docker_host, ["ps", "--all"], dry_run, verbose)
        return
    import json

    from breeze.core.compose_env import project_name
    from breeze.io.runner import Runner
    from breeze.services.devenv import parse_ps, project_command

    runner = Runner(dry_run=dry_run, verbose=verbose)
    project = project_name(project_folder or Path.cwd())
    command = project_command(project, docker_host or None, "ps", "--all", "--format", "json")
    if dry_run:
        runner.run(command)
        return
    from breeze.io.engine import Engine

    Engine(docker_host or None).ping()
    result = runner.run(command, capture=True)
    if result.returncode != 0:
        from breeze.core.errors import BreezeError

        last = result.output.strip().splitlines()[-1:] or ["no output"]
        raise BreezeError(f"docker compose ps failed: {last[0]}; check the engine and retry")
    states = [vars(state) for state in parse_ps(result.output)]
    print(json.dumps(states, indent=2))


def down(
    volumes: VolumesOpt = False,
    project_folder: ProjectFolderOpt = None,
    docker_host: DockerHostOpt = None,
    dry_run: DryRunOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Stop the folder's stacks: containers and networks; the database volume stays."""
    from breeze.services.devenv import down as down_service

    options = _run_options(dry_run, verbose, None)
    folder = project_folder or Path.cwd()
    down_service(folder, docker_host or None, volumes=volumes, options=options)


def _run_options(dry_run: bool, verbose: bool, answer: str | None) -> RunOptions:
    """The global options as the services take them."""
    return RunOptions(dry_run, verbose, answer)


def _ci_image(
    python: str,
    debian_version: str,
    airflow_version: str,
    airflow_extras: str,
    image_tag: str | None,
    docker_host: str | None,
) -> ImageBuildParams:
    """The build of the CI image the environment runs (built first when missing or stale)."""
    from breeze.core.image_params import BuildSettings, ImageSpec
    from breeze.core.parsing import split_csv

    spec = ImageSpec(
        python=python,
        debian_version=debian_version,
        airflow_version=airflow_version,
        airflow_extras=split_csv(airflow_extras),
        target=defaults.CI_TARGET,
    )
    return ImageBuildParams(
        spec, BuildSettings(image_tag=image_tag or None, docker_host=docker_host or None)
    )


def _passthrough(
    project_folder: Path | None,
    docker_host: str | None,
    args: list[str],
    dry_run: bool,
    verbose: bool,
) -> None:
    """Run a compose command on the folder's Airflow stack; exit with its code."""
    from breeze.core.compose_env import project_name
    from breeze.services.devenv import passthrough

    project = project_name(project_folder or Path.cwd())
    code = passthrough(project, docker_host or None, args, _run_options(dry_run, verbose, None))
    if code:
        raise typer.Exit(code)
