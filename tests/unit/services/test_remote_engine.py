"""An engine on another machine: files are copied in, the dev environment refuses in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from breeze.core.dag_report import REPORT_MARKER, DagCheckParams
from breeze.core.devenv_params import DevEnvParams, ShellParams
from breeze.core.errors import BreezeError
from breeze.core.image_params import ImageSpec
from breeze.core.run_options import RunOptions
from breeze.core.uv_resolve import CheckParams
from breeze.io.engine import ContainerRun
from breeze.io.runner import Result
from breeze.services.constraints_check import check_requirements
from breeze.services.dag_check import check_dags
from breeze.services.devenv import run_shell
from tests.fakes import FakeEngine, FakeSession

REMOTE = {"DOCKER_HOST": "tcp://build-host:2375"}
ENGINE_OK = {
    "docker buildx version": Result(0, "github.com/docker/buildx v0.13.1 x\n"),
    "docker compose version": Result(0, "2.26.1\n"),
}


def test_a_dry_run_on_a_remote_engine_prints_the_copy_not_a_mount(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "dags").mkdir()
    session = FakeSession(RunOptions(dry_run=True), cwd=tmp_path, environ=REMOTE)
    check_dags(DagCheckParams(image="my/airflow:1"), session)
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("docker ")]
    name = lines[0].split()[3]
    assert lines[0].startswith(f"docker create --name {name} ") and name.startswith("breeze-dags")
    assert lines[1:] == [
        f"docker cp {tmp_path / 'dags'}/. {name}:/opt/airflow/dags",
        f"docker start --attach {name}",
        f"docker rm --force {name}",  # as the SDK removes it
    ]
    assert "--volume" not in lines[0]


def test_the_engine_gets_the_folder_to_copy_and_the_container_name(tmp_path: Path) -> None:
    (tmp_path / "dags").mkdir()
    report = [{"file": "a.py", "dags": ["a"], "seconds": 0.1, "error": None}]
    engine = FakeEngine(
        images={"my/airflow:1": {"Config": {}}},
        containers=[ContainerRun(0, f"{REPORT_MARKER}\n{json.dumps(report)}\n", 1.0)],
    )
    session = FakeSession(cwd=tmp_path, engine=engine, answers=ENGINE_OK, environ=REMOTE)
    check_dags(DagCheckParams(image="my/airflow:1"), session)
    (run,) = engine.runs
    assert run["mounts"] is None and run["copies"] == {str(tmp_path / "dags"): "/opt/airflow/dags"}
    assert run["name"].startswith("breeze-dags-check-")


def test_a_dev_environment_on_an_engine_that_cannot_see_the_folder_starts_nothing(
    tmp_path: Path,
) -> None:
    engine = FakeEngine(sees=False)
    session = FakeSession(cwd=tmp_path, engine=engine, answers=ENGINE_OK, environ=REMOTE)
    with pytest.raises(BreezeError, match=r"tcp://build-host:2375 \(DOCKER_HOST\) does not see "):
        run_shell(ShellParams(DevEnvParams(image="ci:1"), command="true"), session)
    assert session.argv_of("docker compose --project") == []
    assert list(tmp_path.iterdir()) == []  # no dags/ or plugins/ made for nothing


def test_constraints_check_copies_the_requirements_and_constraints_to_a_remote_engine(
    tmp_path: Path,
) -> None:
    requirements = tmp_path / "req.txt"
    requirements.write_text("cowsay==6.1\n")
    pins = tmp_path / "c.txt"
    pins.write_text("apache-airflow==3.3.2\n")
    session = FakeSession(RunOptions(dry_run=True), cwd=tmp_path, environ=REMOTE)
    check_requirements(
        CheckParams(ImageSpec(constraints_location=str(pins)), requirements), session
    )
    create, *copies, start, remove = [c.argv for c in session.commands]
    name = create[create.index("--name") + 1]
    assert create[:2] == ("docker", "create") and "--rm" not in create
    assert [v for i, v in enumerate(create) if create[i - 1] == "--volume"] == [
        "breeze-uv-cache:/root/.cache"  # only the engine's own volume: nothing of this machine
    ]
    assert copies[0] == (
        "docker",
        "cp",
        str(requirements),
        f"{name}:/tmp/breeze-requirements-req.txt",
    )
    assert copies[1][3] == f"{name}:/tmp/breeze-constraints-c.txt"
    assert start == ("docker", "start", "--attach", name)
    assert remove == ("docker", "rm", "--force", name)
