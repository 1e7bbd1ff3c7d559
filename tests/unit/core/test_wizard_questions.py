"""The wizard's data and its pure answers -> command function; the terminal test is in tests/integration."""

from __future__ import annotations

import pytest
from typer.main import get_command

from breeze.cli.app import app
from breeze.cli.introspect import command_facts
from breeze.core import wizard_questions as wizard
from breeze.core.defaults import (
    DEFAULT_AIRFLOW_EXTRAS_CSV,
    DEFAULT_AIRFLOW_VERSION,
    DEFAULT_PYTHON,
)
from breeze.main import main

PROD = wizard.task("prod-image")
BUILTIN = {
    "python": DEFAULT_PYTHON,
    "install-airflow-version": DEFAULT_AIRFLOW_VERSION,
    "airflow-extras": DEFAULT_AIRFLOW_EXTRAS_CSV,
    "additional-python-deps": "",
    "additional-runtime-deps": "",
    "embedded-dags": "",
    "image-tag": "",
}


def _answers(**changes: str) -> dict[str, str]:
    answers = dict(BUILTIN)
    answers["image-tag"] = wizard.default_tag(PROD, answers)
    answers.update({key.replace("_", "-"): value for key, value in changes.items()})
    return answers


def test_every_question_of_a_task_is_an_option_of_its_command() -> None:
    commands = command_facts(get_command(app))
    for task in wizard.TASKS:
        if task.command not in commands:
            continue  # the command does not exist (yet): the wizard does not offer the task
        missing = [key for key in task.questions if key not in commands[task.command]]
        assert not missing, f"{task.key}: {missing}"


def test_questions_follow_the_answers() -> None:
    dev = wizard.task("dev-env")
    options = [
        "python",
        "install-airflow-version",
        "executor",
        "backend",
        "postgres-version",
        "mysql-version",
    ]
    keys = [q.key for q in wizard.questions_for(dev, {"backend": "postgres"}, options)]
    assert "postgres-version" in keys and "mysql-version" not in keys
    keys = [q.key for q in wizard.questions_for(dev, {"backend": "sqlite"}, options)]
    assert "postgres-version" not in keys and "mysql-version" not in keys
    keys = [q.key for q in wizard.questions_for(PROD, {}, ["python", "image-tag"])]
    assert keys == ["python", "image-tag"]  # only what the command takes


def test_defaults_give_the_bare_command() -> None:
    plan = wizard.plan(PROD, _answers(), {}, BUILTIN)
    assert plan.command == "breeze prod-image build"
    assert plan.file_updates["python"] == DEFAULT_PYTHON
    assert plan.file_updates["prod-image"] == {"image-tag": None}  # the derived tag is not pinned
    assert plan.file_updates["embedded-dags"] is None


def test_changed_answers_become_flags_in_order() -> None:
    answers = _answers(
        python="3.11",
        airflow_extras="celery,postgres",
        additional_python_deps="pandas<3 requests",
        embedded_dags="./dags",
        image_tag="my-airflow:1.0",
    )
    plan = wizard.plan(PROD, answers, {}, BUILTIN, dry_run=True)
    assert plan.argv == (
        "prod-image", "build", "--python", "3.11", "--airflow-extras", "celery,postgres",
        "--additional-python-deps", "pandas<3 requests", "--embedded-dags", "./dags",
        "--image-tag", "my-airflow:1.0", "--dry-run",
    )  # fmt: skip
    assert plan.command.endswith(
        "--additional-python-deps 'pandas<3 requests' --embedded-dags ./dags --image-tag my-airflow:1.0 --dry-run"
    )
    assert plan.file_updates["prod-image"] == {"image-tag": "my-airflow:1.0"}
    assert ("Extra Python packages", "pandas<3 requests") in plan.summary
    assert ("Extra apt packages", "none") in plan.summary


def test_an_answer_equal_to_the_default_is_explicit_when_something_else_is_current() -> None:
    # breeze.toml says 3.12; the user picks the built-in 3.13: the command must say so
    plan = wizard.plan(
        PROD, _answers(), {"python": "3.12", "additional-python-deps": "numpy"}, BUILTIN
    )
    assert plan.argv[2:] == ("--python", DEFAULT_PYTHON, "--additional-python-deps", "")
    assert "--additional-python-deps ''" in plan.command


def test_image_tag_default_follows_the_answers() -> None:
    answers = _answers(python="3.11")
    answers["image-tag"] = wizard.default_tag(PROD, answers)
    assert answers["image-tag"] == f"breeze/airflow:{DEFAULT_AIRFLOW_VERSION}-python3.11"
    assert "--image-tag" not in wizard.plan(PROD, answers, {}, BUILTIN).argv
    ci = wizard.task("ci-image")
    assert wizard.default_tag(ci, answers).startswith("breeze/airflow-ci:")


def test_merge_updates_breeze_toml() -> None:
    existing = {"python": "3.12", "debian-version": "bookworm", "prod-image": {"image-tag": "a:1"}}
    updates = {"python": "3.11", "embedded-dags": None, "prod-image": {"image-tag": None}}
    assert wizard.merge(existing, updates) == {"python": "3.11", "debian-version": "bookworm"}
    assert wizard.merge({}, {"ci-image": {"image-tag": "c:1"}}) == {
        "ci-image": {"image-tag": "c:1"}
    }


@pytest.mark.parametrize(
    ("key", "value", "answers", "needle"),
    [
        ("install-airflow-version", "1.10.11", {"python": "3.11"}, "does not support Python 3.11"),
        ("install-airflow-version", "9.9.9", {}, "not in breeze's release data"),
        ("airflow-extras", "celery,jira", {}, "atlassian-jira"),
        ("additional-runtime-deps", "libx;reboot", {}, "Debian package"),
        ("additional-python-deps", "a;b", {}, "is not a requirement"),
        ("image-tag", "Bad Tag", {}, "image tag"),
        (
            "backend",
            "sqlite",
            {"executor": "CeleryExecutor"},
            "CeleryExecutor cannot run on sqlite",
        ),
    ],
)
def test_answers_are_checked_like_flags(
    key: str, value: str, answers: dict[str, str], needle: str
) -> None:
    reason = wizard.check_answer(PROD, key, value, answers)
    assert reason is not None and needle in reason


def test_good_answers_pass() -> None:
    assert wizard.check_answer(PROD, "install-airflow-version", "3.3.2", {"python": "3.13"}) is None
    assert wizard.check_answer(PROD, "airflow-extras", "", {}) is None
    assert wizard.check_answer(PROD, "backend", "postgres", {"executor": "CeleryExecutor"}) is None


def test_choices_depend_on_earlier_answers() -> None:
    versions = wizard.choices("install-airflow-version", {"python": "3.14"})
    assert DEFAULT_AIRFLOW_VERSION in versions and "2.0.0" not in versions
    extras = wizard.choices("airflow-extras", {"install-airflow-version": "3.3.2"})
    assert "atlassian-jira" in extras and extras == sorted(extras)
    assert wizard.choices("backend", {}, ("sqlite", "postgres")) == ["sqlite", "postgres"]


def test_wizard_without_a_terminal_names_the_flags(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["wizard"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert "needs a terminal" in err and "--python" in err and "--image-tag" in err


def test_breeze_alone_without_a_terminal_prints_the_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([]) == 2
    out, err = capsys.readouterr()
    assert "wizard" in out and "prod-image" in out and err == ""


def test_the_dag_author_tasks_become_their_commands() -> None:
    commands = command_facts(get_command(app))
    for key, command in (
        ("dags-check", ("dags", "check")),
        ("testing", ("testing",)),
        ("upgrade-check", ("upgrade-check",)),
    ):
        task = wizard.task(key)
        assert task.command == command and command in commands
    upgrade = wizard.task("upgrade-check")
    answers = {"python": "3.13", "install-airflow-version": "3.2.2", "to-version": "3.3.2"}
    plan = wizard.plan(upgrade, answers, {}, BUILTIN)
    assert plan.command == (
        "breeze upgrade-check --install-airflow-version 3.2.2 --to-version 3.3.2"
    )
    assert plan.file_updates["upgrade-check"] == {"to-version": "3.3.2"}
    testing = wizard.plan(
        wizard.task("testing"), {"backend": "postgres"}, {}, {"backend": "sqlite"}
    )
    assert testing.command == "breeze testing --backend postgres"


def test_the_upgrade_target_is_offered_and_checked_against_the_current_version() -> None:
    upgrade = wizard.task("upgrade-check")
    offered = wizard.choices("to-version", {"install-airflow-version": "3.2.2", "python": "3.13"})
    assert "3.3.2" in offered and "3.2.2" not in offered and "3.1.0" not in offered
    reason = wizard.check_answer(
        upgrade, "to-version", "3.2.1", {"install-airflow-version": "3.2.2"}
    )
    assert reason == "choose a listed Airflow version newer than 3.2.2"
    assert (
        wizard.check_answer(upgrade, "to-version", "3.3.2", {"install-airflow-version": "3.2.2"})
        is None
    )
