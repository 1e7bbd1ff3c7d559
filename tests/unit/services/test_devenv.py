"""The dev-environment services through the fake session: compose commands, folders, logs."""

from __future__ import annotations

from pathlib import Path

import pytest

from breeze.core.compose_env import project_name
from breeze.core.devenv_params import DevEnvParams, StackCommand, StartParams
from breeze.core.errors import InvalidInput
from breeze.core.run_options import RunOptions
from breeze.io.runner import Result
from breeze.services.devenv import in_this_world, start_airflow
from breeze.services.stack_commands import (
    down,
    exec_in_stack,
    record_created,
    show_logs,
)
from tests.fakes import FakeSession

PS = '{"Service": "scheduler", "State": "running", "Health": "healthy", "ExitCode": 0}\n'
# an engine with compose v2 and one running stack
STACK = {
    "docker compose version": Result(0, "2.26.1\n"),
    "docker compose": Result(0, PS),
    "docker container ls": Result(0, "abc\n"),
}


def test_start_airflow_dry_run_prints_compose_up_with_the_hardened_overlay(
    tmp_path: Path,
) -> None:
    session = FakeSession(RunOptions(dry_run=True), cwd=tmp_path)
    params = DevEnvParams(
        image="ci:1", hardened=True, executor="CeleryExecutor", backend="postgres"
    )
    start_airflow(StartParams(params), session)
    (up,) = session.commands
    assert up.argv[:2] == ("docker", "compose") and up.argv[-3:] == ("up", "--detach", "--no-build")
    files = [up.argv[i + 1] for i, word in enumerate(up.argv) if word == "--file"]
    assert [Path(f).name for f in files][-2:] == ["hardened.yaml", "hardened-celery.yaml"]
    assert up.env["BREEZE_PUBLISH_ADDRESS"] == "127.0.0.1"
    assert up.env["COMPOSE_PROJECT_NAME"] == project_name(tmp_path)


def test_the_world_fills_folder_uid_proxies_and_image() -> None:
    session = FakeSession(
        cwd=Path("/home/me/dags-project"), uid=4242, environ={"HTTPS_PROXY": "http://p:3128"}
    )
    params = in_this_world(DevEnvParams(), None, session)
    assert params.project_folder == Path("/home/me/dags-project") and params.host_uid == 4242
    assert ("HTTPS_PROXY", "http://p:3128") in params.proxy_env


def test_no_proxy_forward_holds_for_the_dev_containers_too() -> None:
    from breeze.core.compose_env import proxy_variables
    from breeze.core.image_params import BuildSettings, ImageBuildParams
    from breeze.core.network import NetworkRequest

    session = FakeSession(environ={"HTTPS_PROXY": "http://u:p@proxy:3128"})
    quiet = ImageBuildParams(settings=BuildSettings(network=NetworkRequest(proxy_forward=False)))
    params = in_this_world(DevEnvParams(), quiet, session)
    assert set(proxy_variables(params).values()) == {""}  # each of the user's variables emptied
    forwarded = in_this_world(DevEnvParams(), ImageBuildParams(), session)
    assert proxy_variables(forwarded)["HTTPS_PROXY"] == "http://u:p@proxy:3128"


def test_a_bad_publish_address_is_refused_before_anything_runs(tmp_path: Path) -> None:
    session = FakeSession(cwd=tmp_path)
    with pytest.raises(InvalidInput, match="--publish-address 'everywhere' is not an IP address"):
        start_airflow(StartParams(DevEnvParams(publish_address="everywhere")), session)
    assert session.commands == []


def test_down_removes_only_the_empty_folders_breeze_made(tmp_path: Path) -> None:
    cache = {"BREEZE_CACHE_DIR": str(tmp_path / "cache")}
    session = FakeSession(cwd=tmp_path, environ=cache, answers=STACK)
    made, filled = tmp_path / "dags", tmp_path / "plugins"
    made.mkdir()
    filled.mkdir()
    (filled / "mine.py").write_text("x = 1\n")
    record_created(tmp_path, [made, filled], session)
    down(StackCommand(), session)
    assert not made.exists() and (filled / "mine.py").is_file()


def test_logs_of_an_unknown_service_name_the_stacks_own(tmp_path: Path) -> None:
    session = FakeSession(cwd=tmp_path, answers=STACK)
    with pytest.raises(InvalidInput, match="did you mean 'scheduler'\\?"):
        show_logs(StackCommand(service="schedular"), session)


def test_exec_without_a_terminal_asks_compose_for_no_tty(tmp_path: Path) -> None:
    session = FakeSession(cwd=tmp_path, answers=STACK, interactive=False)
    exec_in_stack(StackCommand(args=("airflow", "dags", "list")), session)
    (command,) = session.argv_of("docker compose")[-1:]
    assert command[-6:] == ("exec", "--no-TTY", "scheduler", "airflow", "dags", "list")
