"""Error lines name where a bad value came from, and words a number as a number."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from breeze.main import main

BUILD = ("prod-image", "build", "--dry-run")


def _error(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("Error: "), err
    return code, " ".join(lines[0].split())


def test_a_bad_value_from_the_environment_names_the_variable(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BREEZE_PYTHON", "3.9")
    code, line = _error(capsys, *BUILD)
    assert code == 2
    assert "Invalid value for '--python' (from BREEZE_PYTHON): '3.9' is not one of" in line


def test_a_bad_value_on_the_command_line_names_no_source(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BREEZE_PYTHON", "3.12")  # the flag wins; the variable is not to blame
    _, line = _error(capsys, *BUILD, "--python", "3.9")
    assert "Invalid value for '--python': '3.9' is not one of" in line
    assert "BREEZE_PYTHON" not in line


def test_a_bad_value_from_breeze_toml_names_the_file(
    capsys: pytest.CaptureFixture[str], isolated_config: Path
) -> None:
    (isolated_config / "breeze.toml").write_text('[prod-image]\nairflow-uid = "abc"\n')
    code, line = _error(capsys, *BUILD)
    assert code == 2
    assert "--airflow-uid 'abc' (from breeze.toml [prod-image]) is not a whole number" in line


def test_a_refused_value_from_the_environment_names_the_variable(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BREEZE_AIRFLOW_UID", "0")
    code, line = _error(capsys, *BUILD)
    assert code == 2
    assert line.startswith("Error: --airflow-uid 0 is not allowed; use a non-root UID")
    assert line.endswith("(--airflow-uid comes from BREEZE_AIRFLOW_UID)")


def test_a_refused_value_from_the_command_line_names_no_source(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, line = _error(capsys, *BUILD, "--airflow-uid", "0")
    assert "comes from" not in line


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("--airflow-uid", "abc"),
            "Error: --airflow-uid 'abc' is not a whole number; use a UID from 1 to 2147483647",
        ),
        (
            ("--airflow-uid", "1.5"),
            "Error: --airflow-uid '1.5' is not a whole number; use a UID from 1 to 2147483647",
        ),
    ],
)
def test_a_word_for_a_number_is_a_plain_message(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], expected: str
) -> None:
    code, line = _error(capsys, *BUILD, *args)
    assert code == 2
    assert line == expected
    assert "valid integer" not in line and "Input should" not in line


def test_a_word_for_a_port_from_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BREEZE_API_PORT", "http")
    code, line = _error(capsys, "start-airflow", "--dry-run")
    assert code == 2
    assert line == (
        "Error: --api-port 'http' (from BREEZE_API_PORT) is not a whole number; "
        "use a port from 1 to 65535"
    )


def test_a_missing_option_is_still_named(capsys: pytest.CaptureFixture[str]) -> None:
    code, line = _error(capsys, "constraints", "check")
    assert code == 2
    assert "Missing option '--requirements'" in line


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--install-airflow-version", "9.9.9"), "9.9.9 is not an Airflow release"),
        (("--platform", "linux/bogus"), "'linux/bogus' is not a platform breeze builds"),
    ],
)
def test_dry_run_refuses_what_a_build_would(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], needle: str
) -> None:
    code = main([*BUILD, *args])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert needle in err


def test_a_refused_remembered_choice_says_it_was_remembered(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from breeze.io import files as config_store

    config_store.remember(config_store.cache_dir(os.environ), {"python": "3.14"})
    code, line = _error(capsys, *BUILD, "--install-airflow-version", "2.10.5")
    assert code == 2
    assert "Airflow 2.10.5 does not support Python 3.14" in line
    assert line.endswith(
        "(--python comes from your remembered choices, shown by `breeze setup config`)"
    )


def test_a_group_without_its_command_says_which_commands_it_has(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["prod-image"])
    out, err = capsys.readouterr()
    assert code == 2 and "Usage: breeze prod-image" in out
    assert err.strip() == (
        "Error: 'breeze prod-image' needs a command: build, verify, inputs, compare, sbom, scan, export-context, extras"
    )
