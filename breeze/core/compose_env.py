"""The one place that maps dev-environment parameters to compose files and compose variables."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from breeze.core.devenv_params import STACK_SERVICES, DevEnvParams
from breeze.core.network import with_no_proxy

COMPOSE_DIR = Path(__file__).parents[1] / "compose"
# The containers reach each other by service name, never through the user's proxy.
NO_PROXY_HOSTS = ("localhost", "127.0.0.1", *STACK_SERVICES)
DB_USER = "airflow"


def project_name(project_folder: Path) -> str:
    """The compose project: the folder's name and a hash of its path, unique per checkout."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", project_folder.name.lower()).strip("-_") or "project"
    digest = hashlib.sha256(str(project_folder).encode()).hexdigest()[:8]
    return f"breeze-{slug[:30]}-{digest}"


def shell_project_name(project_folder: Path) -> str:
    """The compose project of `breeze shell`: separate from the start-airflow stack's."""
    return f"{project_name(project_folder)}-shell"


def pytest_project_name(project_folder: Path) -> str:
    """The compose project of `breeze testing`: its own database, removed after every run."""
    return f"{project_name(project_folder)}-tests"


def compose_files(params: DevEnvParams, *, airflow: bool) -> tuple[str, ...]:
    """The compose files to combine: base and backend; with airflow the components and executor."""
    files = ["base.yaml", f"backend-{params.backend}.yaml"]
    if airflow:
        executor = "celery" if params.executor == "CeleryExecutor" else "local"
        files += ["airflow.yaml", f"executor-{executor}.yaml"]
        if params.hardened:
            files += ["hardened.yaml"] + (["hardened-celery.yaml"] if executor == "celery" else [])
    return tuple(files)


def compose_profiles(params: DevEnvParams) -> tuple[str, ...]:
    """Optional services to enable: flower with Celery when asked for."""
    return ("flower",) if params.flower and params.executor == "CeleryExecutor" else ()


def compose_env(params: DevEnvParams, project: str) -> dict[str, str]:
    """Every variable the compose files read, for the given compose project."""
    secret = hashlib.sha256(f"breeze|{project}".encode()).digest()
    env = {
        "COMPOSE_PROJECT_NAME": project,
        "BREEZE_CI_IMAGE": params.image,
        "BREEZE_UID": str(params.host_uid),
        "BREEZE_PROJECT_FOLDER": str(params.project_folder),
        "BREEZE_DAGS_FOLDER": str(params.dags),
        "BREEZE_PLUGINS_FOLDER": str(params.plugins),
        "BREEZE_PUBLISH_ADDRESS": params.publish_host,
        "BREEZE_API_PORT": str(params.api_port),
        "BREEZE_FLOWER_PORT": str(params.flower_port),
        "POSTGRES_VERSION": params.postgres_version,
        "MYSQL_VERSION": params.mysql_version,
        "REDIS_VERSION": params.redis_version,
        "AIRFLOW__CORE__EXECUTOR": params.executor,
        "AIRFLOW__CORE__LOAD_EXAMPLES": "true" if params.load_example_dags else "false",
        # a development stack: a new DAG runs when triggered, without unpausing it first
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "false",
        # stable per project: a restarted stack still reads what it encrypted before
        "AIRFLOW__CORE__FERNET_KEY": base64.urlsafe_b64encode(secret).decode(),
        "AIRFLOW__API_AUTH__JWT_SECRET": hashlib.sha256(secret).hexdigest(),
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": "http://api-server:8080/execution/",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "true",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": database_url(params),
        "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "true",
        # a new or edited DAG file is picked up within seconds, without a restart
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
    }
    if params.executor == "CeleryExecutor":
        env["AIRFLOW__CELERY__BROKER_URL"] = "redis://redis:6379/0"
        env["AIRFLOW__CELERY__RESULT_BACKEND"] = "db+" + database_url(params)
    env.update(proxy_variables(params))
    return env


def proxy_variables(params: DevEnvParams) -> dict[str, str]:
    """The proxy variables of the Airflow containers: the user's, or all empty when not forwarded.

    The compose files pass them by name, and compose would read an unset one from the user's
    environment: not forwarding sets each one the user has to an empty value.
    """
    if not params.proxy_forward:
        return {name: "" for name, _ in params.proxy_env}
    return with_no_proxy(dict(params.proxy_env), NO_PROXY_HOSTS)


def database_url(params: DevEnvParams) -> str:
    """The SQLAlchemy URL of the backend, as the containers reach it."""
    if params.backend == "postgres":
        return f"postgresql+psycopg2://{DB_USER}:{DB_USER}@postgres:5432/airflow"
    if params.backend == "mysql":
        return f"mysql+mysqldb://{DB_USER}:{DB_USER}@mysql:3306/airflow"
    return "sqlite:////opt/airflow/db/airflow.db"
