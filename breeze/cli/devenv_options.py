"""The options of the development environment commands, declared once."""

# No `from __future__ import annotations`: typer reads these aliases at runtime.
from typing import Annotated

from breeze.cli.groups import Option
from breeze.cli.options import choice, flag, folder, option
from breeze.core import devenv_params as env

# Development environments (shell, start-airflow, exec, logs, ps, down)
DEV_ENV = "Development environment"
BackendOpt = choice(
    "--backend",
    "-b",
    choices=env.ALLOWED_BACKENDS,
    help="Database of the environment.",
    panel=DEV_ENV,
)
PostgresVersionOpt = choice(
    "--postgres-version",
    choices=env.ALLOWED_POSTGRES_VERSIONS,
    help="PostgreSQL version (--backend postgres).",
    panel=DEV_ENV,
)
MysqlVersionOpt = choice(
    "--mysql-version",
    choices=env.ALLOWED_MYSQL_VERSIONS,
    help="MySQL version (--backend mysql).",
    panel=DEV_ENV,
)
ProjectFolderOpt = folder(
    "--project-folder",
    help="Folder mounted at /workspace (dags/, plugins/, tests/); default the current one.",
    panel=DEV_ENV,
)
CiImageTagOpt = Annotated[
    str | None,
    option(
        "--image-tag",
        "-t",
        help="CI image to run; default breeze/airflow-ci:<version>-python<python>.",
        panel=DEV_ENV,
        show_default=False,
    ),
]
ExecutorOpt = choice(
    "--executor",
    choices=env.ALLOWED_EXECUTORS,
    help="Airflow executor; Celery adds redis and a worker.",
    panel=DEV_ENV,
)
DagsFolderOpt = folder(
    "--dags-folder",
    help="Folder mounted as the DAG folder; default <project-folder>/dags.",
    panel=DEV_ENV,
)
LoadExampleDagsOpt = flag("--load-example-dags", help="Load Airflow's example DAGs.", panel=DEV_ENV)
PORT_HINT = "use a port from 1 to 65535"
ApiPortOpt = Annotated[
    int,
    option("--api-port", help="Host port of the API and UI.", panel=DEV_ENV, number_hint=PORT_HINT),
]
FlowerOpt = flag("--flower", help="Also start Celery flower (CeleryExecutor).", panel=DEV_ENV)
FlowerPortOpt = Annotated[
    int,
    option("--flower-port", help="Host port of flower.", panel=DEV_ENV, number_hint=PORT_HINT),
]
PublishAddressOpt = Annotated[
    str,
    option(
        "--publish-address",
        help="Host address of the forwarded ports. 0.0.0.0 opens the UI, where anyone is admin "
        "without a login, and flower to every machine that reaches this one.",
        panel=DEV_ENV,
    ),
]
HardenedOpt = flag(
    "--hardened",
    help="Run Airflow as restricted pods do: read-only root, UID 1000123:0, no capabilities.",
    panel=DEV_ENV,
)
WaitTimeoutOpt = Annotated[
    int,
    option(
        "--wait-timeout",
        help="Seconds to wait for every service to be healthy.",
        panel=DEV_ENV,
        number_hint="give whole seconds such as 600",
    ),
]


# Each option of DevEnvParams once, by field name: the commands pick theirs, in their order.
DEVENV_OPTIONS = {
    option.name: option
    for option in (
        Option("executor", ExecutorOpt, env.DEFAULT_EXECUTOR),
        Option("backend", BackendOpt, env.DEFAULT_BACKEND),
        Option("postgres_version", PostgresVersionOpt, env.DEFAULT_POSTGRES_VERSION),
        Option("mysql_version", MysqlVersionOpt, env.DEFAULT_MYSQL_VERSION),
        Option("load_example_dags", LoadExampleDagsOpt, False),
        Option("dags_folder", DagsFolderOpt, None),
        Option("project_folder", ProjectFolderOpt, None),
        Option("api_port", ApiPortOpt, env.DEFAULT_API_PORT),
        Option("flower", FlowerOpt, False),
        Option("flower_port", FlowerPortOpt, env.DEFAULT_FLOWER_PORT),
        Option("publish_address", PublishAddressOpt, env.DEFAULT_PUBLISH_ADDRESS),
        Option("hardened", HardenedOpt, False),
    )
}
