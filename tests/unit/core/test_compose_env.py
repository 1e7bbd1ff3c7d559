"""The pure dev-environment core: compose files, compose variables, project names, validation."""

from __future__ import annotations

import base64
from dataclasses import replace
from pathlib import Path

import pytest

from breeze.core.compose_env import (
    COMPOSE_DIR,
    compose_env,
    compose_files,
    compose_profiles,
    database_url,
    project_name,
    shell_project_name,
)
from breeze.core.devenv_params import (
    DevEnvParams,
    check_mysql_platform,
    split_exec_args,
    validate_dev_env,
)
from breeze.core.errors import InvalidInput
from breeze.core.image_hash import image_hash

PROJECT = Path("/home/me/src/my-dags")
BASE = DevEnvParams(
    image="breeze/airflow-ci:3.3.2-python3.13", project_folder=PROJECT, host_uid=1000
)
CELERY = replace(BASE, backend="postgres", executor="CeleryExecutor")
MYSQL = replace(BASE, backend="mysql", executor="CeleryExecutor", mysql_version="8.0")


def test_project_name_is_the_folder_plus_a_hash_of_its_path() -> None:
    name = project_name(PROJECT)
    assert name.startswith("breeze-my-dags-") and len(name) == len("breeze-my-dags-") + 8
    assert project_name(Path("/other/checkout/my-dags")) != name  # same folder name, other path
    assert project_name(PROJECT) == name  # stable
    assert project_name(Path("/x/My Weird.Folder!")).startswith("breeze-my-weird-folder-")
    assert shell_project_name(PROJECT) == f"{name}-shell"


@pytest.mark.parametrize(
    ("params", "airflow", "files"),
    [
        (BASE, False, ("base.yaml", "backend-sqlite.yaml")),
        (BASE, True, ("base.yaml", "backend-sqlite.yaml", "airflow.yaml", "executor-local.yaml")),
        (
            CELERY,
            True,
            ("base.yaml", "backend-postgres.yaml", "airflow.yaml", "executor-celery.yaml"),
        ),
        (MYSQL, False, ("base.yaml", "backend-mysql.yaml")),
    ],
)
def test_compose_files_per_backend_and_executor(
    params: DevEnvParams, airflow: bool, files: tuple[str, ...]
) -> None:
    assert compose_files(params, airflow=airflow) == files
    for name in files:
        assert (COMPOSE_DIR / name).is_file()


def test_sqlite_local_env() -> None:
    env = compose_env(BASE, "p")
    assert env["COMPOSE_PROJECT_NAME"] == "p"
    assert env["BREEZE_CI_IMAGE"] == BASE.image
    assert env["BREEZE_UID"] == "1000"
    assert env["BREEZE_DAGS_FOLDER"] == str(PROJECT / "dags")
    assert env["BREEZE_PLUGINS_FOLDER"] == str(PROJECT / "plugins")
    assert env["BREEZE_PROJECT_FOLDER"] == str(PROJECT)
    assert env["BREEZE_API_PORT"] == "28080"
    assert env["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor"
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] == "sqlite:////opt/airflow/db/airflow.db"
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://api-server:8080/execution/"
    assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "false"
    assert env["AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK"] == "true"
    assert "AIRFLOW__CELERY__BROKER_URL" not in env
    assert all(isinstance(value, str) for value in env.values())


def test_containers_run_as_the_host_user() -> None:
    assert compose_env(replace(BASE, host_uid=1234), "p")["BREEZE_UID"] == "1234"
    assert 'user: "${BREEZE_UID}:0"' in (COMPOSE_DIR / "airflow-common.yaml").read_text()


def test_celery_postgres_env() -> None:
    env = compose_env(replace(CELERY, postgres_version="15"), "p")
    url = "postgresql+psycopg2://airflow:airflow@postgres:5432/airflow"
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] == url
    assert env["AIRFLOW__CELERY__RESULT_BACKEND"] == f"db+{url}"
    assert env["AIRFLOW__CELERY__BROKER_URL"] == "redis://redis:6379/0"
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert env["POSTGRES_VERSION"] == "15"
    assert env["REDIS_VERSION"] == "7"


def test_mysql_env_and_files() -> None:
    env = compose_env(MYSQL, "p")
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] == database_url(MYSQL)
    assert database_url(MYSQL) == "mysql+mysqldb://airflow:airflow@mysql:3306/airflow"
    assert env["MYSQL_VERSION"] == "8.0"
    text = (COMPOSE_DIR / "backend-mysql.yaml").read_text()
    for needle in (
        "image: mysql:${MYSQL_VERSION}",
        "pull_policy: never",
        "mysqladmin",
        "MYSQL_DATABASE: airflow",
        "condition: service_healthy",
        "${COMPOSE_PROJECT_NAME}_mysql-${MYSQL_VERSION}",
    ):
        assert needle in text
    assert "restart: always" not in text


def test_secrets_are_stable_per_project_and_valid() -> None:
    env = compose_env(BASE, "p")
    assert env == compose_env(BASE, "p")
    assert env["AIRFLOW__CORE__FERNET_KEY"] != compose_env(BASE, "q")["AIRFLOW__CORE__FERNET_KEY"]
    assert len(base64.urlsafe_b64decode(env["AIRFLOW__CORE__FERNET_KEY"])) == 32
    assert len(env["AIRFLOW__API_AUTH__JWT_SECRET"]) == 64


def test_every_airflow_variable_is_passed_by_the_compose_files() -> None:
    common = (COMPOSE_DIR / "airflow-common.yaml").read_text()
    for params in (BASE, CELERY, MYSQL, replace(CELERY, load_example_dags=True)):
        for name in compose_env(params, "p"):
            if name.startswith("AIRFLOW__"):
                assert f"- {name}\n" in common, name


def test_every_compose_variable_is_computed() -> None:
    import re

    used = set()
    for path in COMPOSE_DIR.glob("*.yaml"):
        used |= set(re.findall(r"(?<!\$)\$\{(\w+)\}", path.read_text()))
    assert used <= set(compose_env(CELERY, "p")), used - set(compose_env(CELERY, "p"))


def test_flower_only_with_celery() -> None:
    assert compose_profiles(replace(CELERY, flower=True)) == ("flower",)
    assert compose_profiles(replace(BASE, flower=True)) == ()
    assert compose_profiles(CELERY) == ()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"backend": "oracle"}, "--backend 'oracle' is not one of sqlite, postgres, mysql"),
        ({"postgres_version": "9"}, "--postgres-version '9'"),
        ({"mysql_version": "5.7"}, "--mysql-version '5.7'"),
        ({"executor": "KubernetesExecutor"}, "--executor 'KubernetesExecutor'"),
        ({"executor": "CeleryExecutor"}, "CeleryExecutor cannot run on sqlite"),
        ({"api_port": 0}, "--api-port 0 is not a port"),
    ],
)
def test_bad_input_is_one_line(change: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput) as error:
        validate_dev_env(replace(BASE, **change))  # type: ignore[arg-type]
    assert message in error.value.message
    assert "\n" not in error.value.message


def test_good_input_passes() -> None:
    for params in (BASE, CELERY, MYSQL, replace(CELERY, flower=True)):
        validate_dev_env(params)


def test_mysql_on_arm64_without_an_image_is_refused() -> None:
    mysql = replace(BASE, backend="mysql")
    with pytest.raises(InvalidInput, match=r"no mysql:8\.4 image for arm64"):
        check_mysql_platform(mysql, "aarch64", has_image=False)
    check_mysql_platform(mysql, "aarch64", has_image=True)
    check_mysql_platform(mysql, "x86_64", has_image=False)
    check_mysql_platform(BASE, "arm64", has_image=False)


def test_exec_arguments() -> None:
    assert split_exec_args([]) == ("scheduler", ["bash"])
    assert split_exec_args(["worker"]) == ("worker", ["bash"])
    assert split_exec_args(["api-server", "airflow", "version"]) == (
        "api-server",
        ["airflow", "version"],
    )
    assert split_exec_args(["airflow", "dags", "list"]) == (
        "scheduler",
        ["airflow", "dags", "list"],
    )


def test_ci_hash_depends_on_files_args_and_constraints_only() -> None:
    files = {"Dockerfile": b"FROM x", "scripts/docker/a.sh": b"echo"}
    args = {"PYTHON_VERSION": "3.13", "AIRFLOW_IMAGE_DATE_CREATED": "today"}
    base = image_hash(files, args, "abc")
    assert base == image_hash(files, {**args, "AIRFLOW_IMAGE_DATE_CREATED": "tomorrow"}, "abc")
    assert base != image_hash({**files, "Dockerfile": b"FROM y"}, args, "abc")
    assert base != image_hash(files, {**args, "PYTHON_VERSION": "3.11"}, "abc")
    assert base != image_hash(files, args, "def")
    assert base != image_hash(files, args, None)


def test_ps_output_and_readiness() -> None:
    from breeze.services.compose_stack import parse_ps

    lines = "\n".join(
        [
            '{"Service":"airflow-init","State":"exited","Health":"","ExitCode":0}',
            '{"Service":"scheduler","State":"running","Health":"healthy","ExitCode":0}',
            '{"Service":"api-server","State":"running","Health":"starting","ExitCode":0}',
            '{"Service":"worker","State":"exited","Health":"","ExitCode":1}',
        ]
    )
    init, scheduler, api, worker = parse_ps(lines)
    assert init.ready and not init.failed
    assert scheduler.ready and not api.ready and not api.failed
    assert worker.failed and worker.describe() == "exited (1)"
    assert parse_ps("") == [] and len(parse_ps("[" + lines.replace("\n", ",") + "]")) == 4


@pytest.mark.parametrize(
    ("params", "extra"),
    [
        (replace(BASE, hardened=True), ("hardened.yaml",)),
        (replace(CELERY, hardened=True), ("hardened.yaml", "hardened-celery.yaml")),
    ],
)
def test_hardened_adds_the_restricted_overlay_to_every_airflow_service(
    params: DevEnvParams, extra: tuple[str, ...]
) -> None:
    files = compose_files(params, airflow=True)
    assert files[-len(extra) :] == extra
    assert "hardened.yaml" not in compose_files(params, airflow=False)  # the shell stays as is
    for name in extra:
        text = (COMPOSE_DIR / name).read_text()
        for setting in ("read_only: true", "cap_drop: [ALL]", "no-new-privileges:true"):
            assert setting in text, (name, setting)


@pytest.mark.parametrize(
    ("address", "published"), [("127.0.0.1", "127.0.0.1"), ("0.0.0.0", "0.0.0.0"), ("::1", "[::1]")]
)
def test_ports_are_published_on_the_chosen_address(address: str, published: str) -> None:
    env = compose_env(replace(BASE, publish_address=address), "p")
    assert env["BREEZE_PUBLISH_ADDRESS"] == published
    api = (COMPOSE_DIR / "airflow.yaml").read_text()
    flower = (COMPOSE_DIR / "executor-celery.yaml").read_text()
    assert '"${BREEZE_PUBLISH_ADDRESS}:${BREEZE_API_PORT}:8080"' in api
    assert '"${BREEZE_PUBLISH_ADDRESS}:${BREEZE_FLOWER_PORT}:5555"' in flower


def test_loopback_is_the_default_and_a_bad_address_is_refused() -> None:
    assert BASE.publish_address == "127.0.0.1" and BASE.published_on_loopback
    assert not replace(BASE, publish_address="0.0.0.0").published_on_loopback
    with pytest.raises(InvalidInput, match="--publish-address 'localhost' is not an IP address"):
        validate_dev_env(replace(BASE, publish_address="localhost"))


def test_new_dags_are_not_paused_in_a_dev_stack() -> None:
    assert compose_env(BASE, "p")["AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION"] == "false"
