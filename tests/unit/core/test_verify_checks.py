"""The verify checks as data, and how results are judged."""

from __future__ import annotations

import io

import pytest

from breeze.core.verify_checks import (
    ARBITRARY_USER,
    HARDENED_RUN_FLAGS,
    HARDENED_SDK_ARGS,
    Check,
    Expected,
    image_checks,
    judge,
)

EXPECTED = Expected(
    airflow_version="3.3.2", python="3.13", providers=("apache-airflow-providers-celery",)
)


def _check(name: str) -> Check:
    return next(c for c in image_checks(EXPECTED) if c.name.startswith(name))


def test_every_required_check_is_present() -> None:
    names = " | ".join(c.name for c in image_checks(EXPECTED))
    for needle in (
        "Airflow version",
        "Python version",
        "Providers",
        "pip check",
        "Default user",
        "Arbitrary UID",
        "No compiler",
        "sqlite",
        "bash",
        "python",
        "other commands",
        "non-zero group",
        "database",
        "docker stop",
    ):
        assert needle in names


def test_version_must_match_exactly() -> None:
    check = _check("Airflow version")
    assert judge(check, 0, "3.3.2\n", 1).ok
    assert not judge(check, 0, "3.3.20\n", 1).ok
    assert not judge(check, 1, "3.3.2\n", 1).ok


def test_providers_are_passed_and_missing_ones_fail() -> None:
    check = _check("Providers")
    assert check.command[-1] == "apache-airflow-providers-celery"
    assert judge(check, 0, "missing: none\n", 1).ok
    result = judge(check, 0, "missing: apache-airflow-providers-celery\n", 1)
    assert not result.ok and "celery" in result.detail


def test_refusal_checks_want_a_failure() -> None:
    check = _check("Entrypoint: refuses")
    assert check.user == "1000123:1000"
    assert judge(check, 1, "ERROR: group 1000 is not allowed", 1).ok
    assert not judge(check, 0, "should-not-run", 1).ok


@pytest.mark.parametrize(
    ("name", "output", "detail"),
    [
        (
            "Entrypoint: refuses",
            "ERROR: this container runs as UID 1000123 with group 1000. Run it with group 0",
            "refuses --user 1000123:1000",
        ),
        (
            "Entrypoint: bounded wait",
            "Waiting for the database\nERROR: the database at breeze-verify-no-such-host.invalid"
            ":5432 did not answer after 2 tries",
            "gives up on an unreachable database after 2 tries",
        ),
    ],
)
def test_a_wanted_failure_shows_as_expected_not_as_an_error(
    name: str, output: str, detail: str
) -> None:
    from rich.console import Console

    from breeze.ui.tables import outcome_table

    outcome = judge(_check(name), 1, output, 1)
    assert outcome.ok
    assert outcome.detail == detail
    assert outcome.expected.startswith("ERROR: ")
    console = Console(width=80, record=True, file=io.StringIO())
    console.print(outcome_table("image", [outcome]))
    cells = [line.split("│")[-2] for line in console.export_text().splitlines() if "│" in line]
    shown = " ".join(" ".join(cells).split())  # the Detail column, as one line
    assert shown.startswith(f"{detail} expected: ERROR: ")
    assert shown.count("ERROR:") == 1


def test_stop_check_judges_the_time() -> None:
    check = _check("docker stop")
    assert judge(check, 0, "", 0.4).ok
    assert not judge(check, 137, "", 10.2).ok
    assert not judge(check, -1, "container was not running", 0).ok


def test_the_hardened_check_fails_on_any_word_about_the_user_or_a_read_only_write() -> None:
    expected = Expected(airflow_version="3.3.2", python="3.13", providers=())
    (check,) = [c for c in image_checks(expected) if c.hardened]
    assert check.user == ARBITRARY_USER
    migrated = "[info] Database migration done!\n3.3.2\n"
    assert judge(check, 0, migrated, 1.0).ok
    noisy = "WARNING: UID 1000123 has no passwd entry and /etc/passwd is not writable\n" + migrated
    assert not judge(check, 0, noisy, 1.0).ok
    read_only = "OSError: [Errno 30] Read-only file system: '/opt/airflow/airflow.cfg'\n3.3.2\n"
    assert not judge(check, 0, read_only, 1.0).ok


def test_hardened_flags_and_sdk_arguments_say_the_same() -> None:
    flags = " ".join(HARDENED_RUN_FLAGS)
    assert HARDENED_SDK_ARGS["read_only"] is True and "--read-only" in flags
    assert f"--tmpfs {next(iter(HARDENED_SDK_ARGS['tmpfs']))}" in flags  # type: ignore[call-overload]
    assert f"--cap-drop {HARDENED_SDK_ARGS['cap_drop'][0]}" in flags  # type: ignore[index]
    assert f"--security-opt {HARDENED_SDK_ARGS['security_opt'][0]}" in flags  # type: ignore[index]
