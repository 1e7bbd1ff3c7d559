"""Development environments: `shell`, `start-airflow`, `exec`, `logs`, `ps` and `down`."""

# No `from __future__ import annotations`: typer reads the signatures at runtime.
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from breeze.cli.devenv_options import (
    DEV_ENV,
    DEVENV_OPTIONS,
    CiImageTagOpt,
    ProjectFolderOpt,
    WaitTimeoutOpt,
)
from breeze.cli.groups import Group, Option, takes
from breeze.cli.image_groups import IMAGE_SPEC
from breeze.cli.options import flag
from breeze.cli.run_groups import BUILD_SETTINGS, ENGINE, RUN
from breeze.core import defaults
from breeze.core.devenv_params import (
    DevEnvParams,
    PytestParams,
    ShellParams,
    StackCommand,
    StartParams,
)
from breeze.core.image_params import ImageBuildParams
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
ServiceArgs = Annotated[
    list[str] | None,
    typer.Argument(
        help="[SERVICE] [-- COMMAND]: a service of the stack (default scheduler), then a command.",
        show_default=False,
    ),
]
PytestArgs = Annotated[
    list[str] | None,
    typer.Argument(
        help="Arguments for pytest; after `--` when one is also a breeze option (-v, -p).",
        metavar="PYTEST_ARGS",
        show_default=False,
    ),
]
JunitXmlOpt = Annotated[
    Path | None,
    typer.Option(
        "--junit-xml",
        help="Write pytest's JUnit XML report to this file on the host.",
        dir_okay=False,
        resolve_path=True,
        rich_help_panel=DEV_ENV,
        show_default=False,
    ),
]
ServiceArg = Annotated[
    str | None, typer.Argument(help="Only this service; default all.", show_default=False)
]
FollowOpt = flag("--follow", "-f", help="Keep printing new lines.", panel=DEV_ENV, env=False)
JsonOpt = flag("--json", help="One JSON array of the containers.", panel=DEV_ENV, env=False)
VolumesOpt = flag(
    "--volumes", help="Also remove the database and log volumes.", panel=DEV_ENV, env=False
)


def _environment(group: str, *names: str, extra: tuple[Option, ...] = ()) -> Group:
    """The dev-environment options NAMES (in that order) and EXTRA, as DevEnvParams and extras."""

    def build(**values: Any) -> tuple[DevEnvParams, dict[str, Any]]:
        own = {o.name for o in extra}
        fields = {k: v for k, v in values.items() if k not in own}
        return DevEnvParams(**fields), {k: v for k, v in values.items() if k in own}

    return Group(group, (*(DEVENV_OPTIONS[n] for n in names), *extra), build)


CONTENT = ("python", "debian_version", "install_airflow_version", "airflow_extras")
NETWORK = ("ca_bundle", "ca_bundle_in_image", "no_proxy_forward", "build_secret")


def _ci_image(**values: Any) -> ImageBuildParams:
    """The CI image the environment runs, built first when it is missing or stale."""
    settings = {name: values.pop(name) for name in (*NETWORK, "image_tag", "docker_host")}
    spec = IMAGE_SPEC.build(**values)
    return ImageBuildParams(
        replace(spec, target=defaults.CI_TARGET), BUILD_SETTINGS.build(**settings)
    )


CI_IMAGE = Group(
    "image",
    (
        *IMAGE_SPEC.only(*CONTENT).options,
        Option("image_tag", CiImageTagOpt, None),
        *ENGINE.options,
        *BUILD_SETTINGS.only(*NETWORK).options,
    ),
    _ci_image,
)
SHELL_ENV = _environment(
    "env", "backend", "postgres_version", "mysql_version",
    extra=(Option("command", CommandOpt, None),),
)  # fmt: skip
SHELL_FOLDERS = _environment("folders", "project_folder", "dags_folder")
START_ENV = _environment(
    "env", "executor", "backend", "postgres_version", "mysql_version", "load_example_dags",
    "dags_folder", "project_folder", "api_port", "flower", "flower_port", "publish_address",
    "hardened", extra=(Option("wait_timeout", WaitTimeoutOpt, 600),),
)  # fmt: skip
TESTING_ENV = _environment(
    "env", "backend", "postgres_version", "mysql_version", "project_folder", "dags_folder",
    extra=(Option("junit_xml", JunitXmlOpt, None),),
)  # fmt: skip
FOLDER = Group(
    "folder", (Option("project_folder", ProjectFolderOpt, None), *ENGINE.options), lambda **v: v
)


def session_of(run: RunOptions) -> Any:
    """The command's session (imported here: the session module imports the engine client)."""
    from breeze.io.session import Session

    return Session(run)


@takes(SHELL_ENV, SHELL_FOLDERS, CI_IMAGE, RUN)
def shell(env: tuple, folders: tuple, image: ImageBuildParams, run: RunOptions) -> None:
    """`shell`: its environment and CI image to the shell service."""
    from breeze.services.devenv import run_shell

    (backend, extra), (where, _) = env, folders
    params = replace(backend, project_folder=where.project_folder, dags_folder=where.dags_folder)
    code = run_shell(ShellParams(params, image, extra["command"]), session_of(run))
    if code:
        raise typer.Exit(code)


@takes(START_ENV, CI_IMAGE, RUN)
def start_airflow(env: tuple, image: ImageBuildParams, run: RunOptions) -> None:
    """`start-airflow`: its environment, CI image and wait to the start service."""
    from breeze.services import devenv

    params, extra = env
    devenv.start_airflow(StartParams(params, image, extra["wait_timeout"]), session_of(run))


@takes(TESTING_ENV, CI_IMAGE, RUN)
def testing(
    env: tuple, image: ImageBuildParams, run: RunOptions, pytest_args: PytestArgs = None
) -> None:
    """`testing`: its environment, CI image and pytest arguments to the testing service."""
    from breeze.services.testing import run_tests

    params, extra = env
    tests = PytestParams(params, image, tuple(pytest_args or ()), extra["junit_xml"])
    code = run_tests(tests, session_of(run))
    if code:
        raise typer.Exit(code)


def _on_stack(run: RunOptions, action: Any, **command: Any) -> None:
    """Run ACTION (a stack service) on the folder's stack; exit with its code."""
    code = action(StackCommand(**command), session_of(run))
    if code:
        raise typer.Exit(code)


@takes(FOLDER, RUN)
def exec_(folder: dict, run: RunOptions, args: ServiceArgs = None) -> None:
    """`exec`: a service and command of the folder's stack to the exec service."""
    from breeze.services.stack_commands import exec_in_stack

    _on_stack(run, exec_in_stack, project_folder=folder["project_folder"], args=tuple(args or ()))


@takes(FOLDER, RUN)
def logs(
    folder: dict, run: RunOptions, service: ServiceArg = None, follow: FollowOpt = False
) -> None:
    """`logs`: the folder's stack (or one service) to the logs service."""
    from breeze.services.stack_commands import show_logs

    where = folder["project_folder"]
    _on_stack(run, show_logs, project_folder=where, service=service, follow=follow)


@takes(FOLDER, RUN)
def ps(folder: dict, run: RunOptions, json_output: JsonOpt = False) -> None:
    """`ps`: the folder's stack to the listing service."""
    from breeze.services.stack_commands import list_stack

    _on_stack(run, list_stack, project_folder=folder["project_folder"], json=json_output)


@takes(FOLDER, RUN)
def down(folder: dict, run: RunOptions, volumes: VolumesOpt = False) -> None:
    """`down`: the folder's stacks to the down service."""
    from breeze.services import stack_commands

    _on_stack(run, stack_commands.down, project_folder=folder["project_folder"], volumes=volumes)
