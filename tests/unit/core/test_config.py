"""Configuration: flag > BREEZE_* > breeze.toml > remembered > built-in default, everywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from breeze.core import config
from breeze.core.config import OptionFacts, Setting
from breeze.core.errors import InvalidInput
from breeze.io import files as config_store
from breeze.main import main

PYTHON = OptionFacts("python", "BREEZE_PYTHON", "3.13", ("3.11", "3.12", "3.13"))
COMMANDS = {
    (): {},
    ("prod-image",): {},
    ("prod-image", "build"): {
        "python": PYTHON,
        "image-tag": OptionFacts("image-tag", "BREEZE_IMAGE_TAG"),
        "push": OptionFacts("push", "BREEZE_PUSH", False, flag=True),
    },
}


def _breeze(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _cache() -> Path:
    """The cache folder breeze uses in this test ($BREEZE_CACHE_DIR, set by conftest)."""
    return config_store.cache_dir(os.environ)


def _build_arg(out: str, name: str) -> str:
    return out.split(f"--build-arg {name}=")[1].split()[0]


# --- pure: precedence, tables, checks ---------------------------------------------------------


def test_precedence() -> None:
    path = ("prod-image", "build")
    env = {"BREEZE_PYTHON": "3.11"}
    file_values = {"python": "3.12"}
    remembered = {"python": "3.11"}
    assert config.resolve(PYTHON, path, env, file_values, remembered) == Setting(
        "python", "3.11", "$BREEZE_PYTHON"
    )
    assert config.resolve(PYTHON, path, {}, file_values, remembered).source == config.FILE
    assert config.resolve(PYTHON, path, {}, {}, remembered) == Setting(
        "python", "3.11", "remembered"
    )
    assert config.resolve(PYTHON, path, {}, {}, {}) == Setting("python", "3.13", config.DEFAULT)
    assert config.resolve(PYTHON, path, {"BREEZE_PYTHON": ""}, {}, {}).source == config.DEFAULT


def test_only_some_choices_are_remembered() -> None:
    tag = OptionFacts("image-tag", "BREEZE_IMAGE_TAG")
    assert config.resolve(tag, (), {}, {}, {"image-tag": "x:1"}).source == config.DEFAULT


def test_the_most_specific_table_wins() -> None:
    values = {"image-tag": "a:1", "prod-image": {"image-tag": "b:1", "build": {"image-tag": "c:1"}}}
    assert config.file_value(values, ("prod-image", "build"), "image-tag") == (
        "c:1",
        "prod-image.build",
    )
    assert config.file_value(values, ("prod-image", "verify"), "image-tag") == ("b:1", "prod-image")
    assert config.file_value(values, ("ci-image", "build"), "image-tag") == ("a:1", "")
    assert config.file_value({}, ("x",), "image-tag") is None
    setting = config.resolve(OptionFacts("image-tag"), ("prod-image", "verify"), {}, values, {})
    assert setting.where == "breeze.toml [prod-image]"


@pytest.mark.parametrize(
    ("values", "needle"),
    [
        ({"pyhton": "3.12"}, "did you mean 'python'?"),
        ({"python": "3.9"}, "is not one of 3.11, 3.12, 3.13"),
        ({"push": "yes"}, "is a flag; use true or false"),
        ({"python": True}, "takes a value"),
        ({"python": ["3.12"]}, "not a list"),
        ({"ci-image": {"python": "3.12"}}, "[ci-image] is not a breeze command"),
        (
            {"prod-image": {"build": {"nope": 1}}},
            "not an option of a command under 'prod-image build'",
        ),
    ],
)
def test_file_checks(values: dict[str, object], needle: str) -> None:
    with pytest.raises(InvalidInput) as info:
        config.check_file_values(values, COMMANDS, "breeze.toml")
    assert needle in info.value.message and "\n" not in info.value.message


def test_stale_remembered_values_are_ignored() -> None:
    kept = config.check_remembered({"python": "3.9", "image-tag": "x", "backend": 1}, COMMANDS)
    assert kept == {}
    assert config.check_remembered({"python": "3.12"}, COMMANDS) == {"python": "3.12"}


SAMPLE = {
    "python": "3.12",
    "airflow-extras": "celery,postgres",
    "additional-python-deps": 'pandas<3 "quoted" back\\slash',
    "airflow-uid": 1001,
    "push": False,
    "odd key": "é ✓ \t tab",
    "prod-image": {"image-tag": "my-airflow:1.0", "build": {"build-progress": "plain"}},
}


def test_toml_round_trip_and_the_simple_reader_agree_with_tomllib() -> None:
    tomllib = pytest.importorskip("tomllib")
    text = config.dump_toml(SAMPLE, ("written by a test",))
    assert text.startswith("# written by a test\n\n")
    assert tomllib.loads(text) == SAMPLE
    assert config.parse_simple_toml(text) == SAMPLE
    assert config.parse_toml(text) == SAMPLE


@pytest.mark.parametrize(
    "text",
    ["python = 3.12.1\n", "python\n", 'a = "x"\na = "y"\n', 'a = "x" junk\n', "a = [1]\n"],
)
def test_simple_reader_refuses_what_it_cannot_read(text: str) -> None:
    with pytest.raises(ValueError):
        config.parse_simple_toml(text)


def test_simple_reader_comments_and_tables() -> None:
    tomllib = pytest.importorskip("tomllib")
    text = '# c\n[prod-image] # t\nimage-tag = "a:1" # tag\n[prod-image.build]\npush = true\n'
    assert config.parse_simple_toml(text) == tomllib.loads(text)


# --- files -----------------------------------------------------------------------------------


def test_cache_dir_convention(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BREEZE_CACHE_DIR", str(tmp_path / "b"))
    assert config_store.remembered_file(_cache()) == tmp_path / "b" / "remembered.json"
    monkeypatch.delenv("BREEZE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert config_store.cache_dir() == tmp_path / "x" / "breeze"


def test_remember_and_forget() -> None:
    config_store.remember(_cache(), {"python": "3.11"})
    config_store.remember(_cache(), {"backend": "postgres"})
    assert config_store.read_remembered(_cache()) == {"python": "3.11", "backend": "postgres"}
    with pytest.raises(ValueError):
        config_store.remember(_cache(), {"image-tag": "x"})
    assert config_store.forget(_cache()) and not config_store.forget(_cache())
    assert config_store.read_remembered(_cache()) == {}


def test_damaged_remembered_file_remembers_nothing() -> None:
    config_store.remembered_file(_cache()).parent.mkdir(parents=True, exist_ok=True)
    config_store.remembered_file(_cache()).write_text("{not json")
    assert config_store.read_remembered(_cache()) == {}


def test_atomic_write_keeps_mode_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "breeze.toml"
    path.write_text("a = 1\n")
    path.chmod(0o600)
    config_store.atomic_write(path, "b = 2\n")
    assert path.read_text() == "b = 2\n" and (path.stat().st_mode & 0o777) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["breeze.toml"]


# --- the CLI reads breeze.toml and remembered choices -----------------------------------------


def test_breeze_toml_sets_defaults(
    capsys: pytest.CaptureFixture[str], isolated_config: Path
) -> None:
    (isolated_config / "breeze.toml").write_text(
        'python = "3.12"\nairflow-extras = "celery"\n[prod-image]\nimage-tag = "mine/airflow:1"\n'
    )
    code, out, err = _breeze(capsys, "prod-image", "build", "--dry-run")
    assert code == 0, err
    assert (
        _build_arg(out, "PYTHON_VERSION") == "3.12"
        and _build_arg(out, "AIRFLOW_EXTRAS") == "celery"
    )
    assert "--tag mine/airflow:1" in out
    code, out, _ = _breeze(capsys, "prod-image", "verify", "--dry-run")
    assert code == 0 and " mine/airflow:1 " in out
    code, out, _ = _breeze(capsys, "ci-image", "build", "--dry-run")
    assert code == 0 and "mine/airflow:1" not in out  # a [prod-image] tag stays there


def test_environment_beats_breeze_toml_and_flags_beat_both(
    capsys: pytest.CaptureFixture[str], isolated_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (isolated_config / "breeze.toml").write_text('python = "3.12"\n')
    monkeypatch.setenv("BREEZE_PYTHON", "3.11")
    assert (
        _build_arg(_breeze(capsys, "prod-image", "build", "--dry-run")[1], "PYTHON_VERSION")
        == "3.11"
    )
    out = _breeze(capsys, "prod-image", "build", "--dry-run", "--python", "3.10")[1]
    assert _build_arg(out, "PYTHON_VERSION") == "3.10"


def test_remembered_choice_is_below_breeze_toml(
    capsys: pytest.CaptureFixture[str], isolated_config: Path
) -> None:
    config_store.remember(_cache(), {"python": "3.11"})
    assert (
        _build_arg(_breeze(capsys, "prod-image", "build", "--dry-run")[1], "PYTHON_VERSION")
        == "3.11"
    )
    (isolated_config / "breeze.toml").write_text('python = "3.12"\n')
    assert (
        _build_arg(_breeze(capsys, "prod-image", "build", "--dry-run")[1], "PYTHON_VERSION")
        == "3.12"
    )


def test_a_list_option_takes_the_value_as_one_item(
    capsys: pytest.CaptureFixture[str], isolated_config: Path
) -> None:
    (isolated_config / "breeze.toml").write_text('python = "3.12"\n')
    code, out, err = _breeze(capsys, "constraints", "generate", "--dry-run")
    assert code == 0, err
    assert "breeze-constraints-" in out and "-3.12 " in out and "python:3.12-slim" in out


def test_invalid_breeze_toml_is_one_line(
    capsys: pytest.CaptureFixture[str], isolated_config: Path
) -> None:
    (isolated_config / "breeze.toml").write_text("python = \n")
    code, _, err = _breeze(capsys, "prod-image", "build", "--dry-run")
    assert code == 2 and err.count("\n") == 1 and "breeze.toml is not valid TOML" in err
    (isolated_config / "breeze.toml").write_text('python = "3.9"\n')
    code, _, err = _breeze(capsys, "prod-image", "build", "--dry-run")
    assert code == 2 and "python = '3.9' is not one of" in err


@pytest.mark.parametrize(("terminal", "remembered"), [(True, "3.11"), (False, None)])
def test_explicit_python_on_a_terminal_is_remembered(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    terminal: bool,
    remembered: str | None,
) -> None:
    monkeypatch.setattr(sys.stdin, "isatty", lambda: terminal)
    assert _breeze(capsys, "prod-image", "build", "--dry-run", "--python", "3.11")[0] == 0
    assert config_store.read_remembered(_cache()).get("python") == remembered


def test_values_from_the_environment_or_file_are_not_remembered(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, isolated_config: Path
) -> None:
    import breeze.services.devenv

    monkeypatch.setattr(breeze.services.devenv, "run_shell", lambda *args, **kwargs: 0)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setenv("BREEZE_PYTHON", "3.11")
    (isolated_config / "breeze.toml").write_text('postgres-version = "15"\n')
    assert _breeze(capsys, "prod-image", "build", "--dry-run")[0] == 0
    assert _breeze(capsys, "shell", "--dry-run", "--backend", "mysql")[0] == 0
    assert config_store.read_remembered(_cache()) == {"backend": "mysql"}


def test_setup_config_shows_sources_and_reset_clears(
    capsys: pytest.CaptureFixture[str], isolated_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_store.remember(_cache(), {"python": "3.11"})
    (isolated_config / "breeze.toml").write_text('[prod-image]\nimage-tag = "a:1"\n')
    monkeypatch.setenv("BREEZE_BACKEND", "postgres")
    code, out, _ = _breeze(capsys, "setup", "config")
    assert code == 0
    rows = {line.split()[0]: line.split(None, 2)[1:] for line in out.splitlines()[4:]}
    assert rows["python"] == ["3.11", "remembered"]
    assert rows["image-tag"] == ["a:1", "breeze.toml [prod-image]"]
    assert rows["backend"] == ["postgres", "$BREEZE_BACKEND"]
    assert rows["mysql-version"][1] == "built-in default"
    assert str(isolated_config / "breeze.toml") in out.splitlines()[0]
    assert _breeze(capsys, "setup", "config", "--reset")[0] == 0
    assert config_store.read_remembered(_cache()) == {}
    assert "No remembered" in _breeze(capsys, "setup", "config", "--reset")[2]


def test_help_shows_where_values_come_from(isolated_config: Path) -> None:
    (isolated_config / "breeze.toml").write_text('airflow-extras = "celery"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("BREEZE_")}
    env.update(COLUMNS="200", NO_COLOR="1", TERM="dumb", BREEZE_PYTHON="3.11")
    env["BREEZE_CACHE_DIR"] = str(isolated_config.parent / "cache")
    config_store.remember(_cache(), {"backend": "mysql"})
    done = subprocess.run(
        [sys.executable, "-m", "breeze", "prod-image", "build", "--help"],
        capture_output=True, text=True, env=env, check=True, cwd=isolated_config,
    )  # fmt: skip
    assert "(3.11 from $BREEZE_PYTHON)" in done.stdout
    assert "(celery from breeze.toml)" in done.stdout
    assert "[default: 3.3.2]" in done.stdout  # untouched values look as before
    done = subprocess.run(
        [sys.executable, "-m", "breeze", "shell", "--help"],
        capture_output=True, text=True, env=env, check=True, cwd=isolated_config,
    )  # fmt: skip
    assert "(mysql from remembered)" in done.stdout
    assert json.loads(config_store.remembered_file(_cache()).read_text()) == {"backend": "mysql"}
