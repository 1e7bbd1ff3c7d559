"""`breeze testing` through the fake session: the compose run, pytest's code, the clean-up."""

from __future__ import annotations

from pathlib import Path

import pytest

from breeze.core.compose_env import pytest_project_name
from breeze.core.devenv_params import DevEnvParams, PytestParams
from breeze.core.errors import InvalidInput
from breeze.core.run_options import RunOptions
from breeze.io.runner import Command, Result
from breeze.services.testing import run_tests
from tests.fakes import FakeSession


def _compose(command: Command) -> Result:
    """pytest fails with code 1 in `compose run`; every other compose command succeeds."""
    return Result(1, "1 failed, 2 passed\n") if "run" in command.argv else Result(0, "")


ENGINE = {"docker compose version": Result(0, "2.26.1\n"), "docker compose": _compose}


def _project(tmp_path: Path) -> Path:
    (tmp_path / "tests").mkdir()
    return tmp_path


def test_pytest_runs_in_the_shell_service_and_its_code_comes_back(tmp_path: Path) -> None:
    session = FakeSession(cwd=_project(tmp_path), answers=ENGINE)
    params = PytestParams(DevEnvParams(image="ci:1"), pytest_args=("-x", "tests/test_dags.py"))
    assert run_tests(params, session) == 1
    run, down = session.argv_of("docker compose")[-2:]
    assert run[-7:] == ("--no-TTY", "shell", "python", "-m", "pytest", "-x", "tests/test_dags.py")
    assert down[-3:] == ("down", "--remove-orphans", "--volumes")  # a fresh database next time
    assert session.commands[-1].env["COMPOSE_PROJECT_NAME"] == pytest_project_name(tmp_path)


def test_the_junit_file_folder_is_mounted_and_pytest_writes_into_it(tmp_path: Path) -> None:
    session = FakeSession(cwd=_project(tmp_path), answers=ENGINE)
    report = tmp_path / "reports" / "junit.xml"
    report.parent.mkdir()
    run_tests(PytestParams(DevEnvParams(image="ci:1"), junit_xml=report), session)
    run = session.argv_of("docker compose")[-2]
    mount = run[run.index("--volume") + 1]
    assert mount == f"{report.parent}:/breeze-reports"
    assert "--junit-xml=/breeze-reports/junit.xml" in run


def test_folders_created_for_the_run_are_removed_while_still_empty(tmp_path: Path) -> None:
    session = FakeSession(cwd=_project(tmp_path), answers=ENGINE)
    run_tests(PytestParams(DevEnvParams(image="ci:1")), session)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tests"]


def test_the_stack_is_removed_when_the_run_is_interrupted(tmp_path: Path) -> None:
    def interrupted(command: Command) -> Result:
        if "run" in command.argv:
            raise KeyboardInterrupt
        return Result(0, "")

    answers = {**ENGINE, "docker compose": interrupted}
    session = FakeSession(cwd=_project(tmp_path), answers=answers)
    with pytest.raises(KeyboardInterrupt):
        run_tests(PytestParams(DevEnvParams(image="ci:1")), session)
    assert session.argv_of("docker compose")[-1][-3:] == ("down", "--remove-orphans", "--volumes")


@pytest.mark.parametrize(
    ("tests_folder", "junit", "message"),
    [
        (False, None, "has no tests/ folder; give the test files or folders to run"),
        (True, "missing/junit.xml", "folder .*missing does not exist"),
        (True, "tests", "is a folder; give a file name"),
    ],
)
def test_bad_input_is_one_line_and_runs_nothing(
    tmp_path: Path, tests_folder: bool, junit: str | None, message: str
) -> None:
    if tests_folder:
        _project(tmp_path)
    session = FakeSession(cwd=tmp_path, answers=ENGINE)
    params = PytestParams(DevEnvParams(image="ci:1"), junit_xml=tmp_path / junit if junit else None)
    with pytest.raises(InvalidInput, match=message):
        run_tests(params, session)
    assert session.argv_of("docker compose run") == []
    assert not (tmp_path / "dags").exists()


def test_a_dry_run_prints_the_compose_run_and_creates_nothing(tmp_path: Path) -> None:
    session = FakeSession(RunOptions(dry_run=True), cwd=_project(tmp_path))
    params = PytestParams(DevEnvParams(image="ci:1"), pytest_args=("-k", "x"))
    assert run_tests(params, session) == 0
    (run,) = session.argv_of("docker compose")
    assert run[-4:] == ("-m", "pytest", "-k", "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tests"]
