"""The CLI end to end without an engine: dry runs, usage errors, help text."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from breeze.main import main
from tests.golden import assert_golden

ROOT = Path(__file__).resolve().parents[3]


def _breeze(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_dry_run_prints_the_build_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = _breeze(
        capsys,
        "prod-image",
        "build",
        "--dry-run",
        "--python",
        "3.11",
        "--airflow-extras",
        "celery",
        "--embedded-dags",
        str(tmp_path),
        "--image-tag",
        "me/airflow:1",
    )
    assert code == 0, err
    assert out.startswith("docker buildx build")
    for needle in (
        "--build-arg PYTHON_BASE_IMAGE=python:3.11-slim-trixie",
        "--build-arg AIRFLOW_EXTRAS=celery",
        f"--build-context embedded-dags={tmp_path}",
        "--tag me/airflow:1",
        "--load",
    ):
        assert needle in out


def test_dry_run_env_is_copy_pastable(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _breeze(
        capsys, "prod-image", "build", "--dry-run", "--docker-host", "tcp://h:2375"
    )
    assert code == 0
    assert out.startswith("DOCKER_HOST=tcp://h:2375 docker buildx build")


def test_environment_variables_set_options(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BREEZE_PYTHON", "3.12")
    code, out, _ = _breeze(capsys, "prod-image", "build", "--dry-run")
    assert code == 0 and "PYTHON_VERSION=3.12" in out
    code, out, _ = _breeze(capsys, "prod-image", "build", "--dry-run", "--python", "3.10")
    assert code == 0 and "PYTHON_VERSION=3.10" in out


def test_classic_spelling_without_production_flag(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _breeze(capsys, "build-image", "--dry-run")
    assert code == 0
    assert "--target ci" in out and "--tag breeze/airflow-ci:3.3.2-python3.13" in out
    assert "--label org.apache.airflow.breeze.hash=" in out
    code, ci_out, _ = _breeze(capsys, "ci-image", "build", "--dry-run")
    dated = "AIRFLOW_IMAGE_DATE_CREATED"
    assert [x for x in out.splitlines() if dated not in x] == [
        x for x in ci_out.splitlines() if dated not in x
    ]


def test_dockerfile_default_target_is_the_production_image() -> None:
    stages = [
        line.split()
        for line in (ROOT / "Dockerfile").read_text().splitlines()
        if line.startswith("FROM ")
    ]
    assert stages[-1] == ["FROM", "main", "AS", "default"]
    assert ["FROM", "main", "AS", "ci"] in stages


def test_dev_env_dry_runs_print_compose_commands(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = _breeze(
        capsys, "start-airflow", "--dry-run", "--project-folder", str(tmp_path),
        "--backend", "mysql", "--executor", "CeleryExecutor", "--flower",
    )  # fmt: skip
    assert code == 0, err
    for needle in (
        "AIRFLOW__CORE__EXECUTOR=CeleryExecutor",
        "backend-mysql.yaml",
        "executor-celery.yaml",
        "--profile flower",
        "up",
    ):
        assert needle in out
    code, out, _ = _breeze(
        capsys, "down", "--dry-run", "--volumes", "--project-folder", str(tmp_path)
    )
    assert code == 0 and out.count("down") == 3 and "--volumes" in out  # stack, shell, tests


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--backend", "oracle"), "'oracle' is not one of"),
        (("--executor", "CeleryExecutor"), "CeleryExecutor cannot run on sqlite"),
        (("--dags-folder", "/does/not/exist"), "--dags-folder /does/not/exist is not a folder"),
        (("--postgres-version", "9"), "'9' is not one of"),
    ],
)
def test_dev_env_bad_input_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    code, out, err = _breeze(
        capsys, "start-airflow", "--dry-run", "--project-folder", str(tmp_path), *args
    )
    assert code == 2 and out == ""
    assert message in err and err.count("\n") == 1


def test_classic_spelling_with_production_flag(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _breeze(
        capsys, "build-image", "--production-image", "--dry-run", "--python", "3.12"
    )
    assert code == 0 and "PYTHON_VERSION=3.12" in out


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (("--python", "3.9"), 2, "'3.9' is not one of"),
        (("--debian-version", "buster"), 2, "buster"),
        (("--airflow-extras", "celery,jira"), 2, "atlassian-jira"),
        (
            ("--install-airflow-version", "1.10.11", "--python", "3.11"),
            2,
            "does not support Python 3.11",
        ),
        (("--embedded-dags", "/no/such/dir"), 2, "/no/such/dir"),
        (("--airflow-uid", "0"), 2, "--airflow-uid"),
        (("--airflow-uid", "abc"), 2, "--airflow-uid"),
        (("--image-tag", "Bad Tag"), 2, "image tag"),
        (("--additional-runtime-deps", "libx;reboot"), 2, "Debian package"),
        (("--no-such-option",), 2, "--no-such-option"),
        (("--install-distributions-from-context", "--docker-context-files", "/"), 2, "no *.whl"),
    ],
)
def test_bad_input_is_one_line(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], code: int, needle: str
) -> None:
    result, out, err = _breeze(capsys, "prod-image", "build", "--dry-run", *args)
    assert result == code
    assert out == ""
    assert err.count("\n") == 1, err
    assert err.startswith("Error: ") and needle in err


def test_verify_dry_run_prints_each_check(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _breeze(capsys, "prod-image", "verify", "some/image:1", "--dry-run")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) >= 14
    assert all(line.startswith("docker run --rm") and "some/image:1" in line for line in lines)
    assert any("--user 1000123:0" in line for line in lines)


def test_extras_lists_providers(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _breeze(capsys, "prod-image", "extras", "--install-airflow-version", "3.3.2")
    assert code == 0
    rows = dict(line.split("\t") for line in out.splitlines())
    assert rows["atlassian-jira"] == "apache-airflow-providers-atlassian-jira"


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from breeze import __version__

    assert _breeze(capsys, "--version")[1] == f"breeze {__version__}\n"


@pytest.mark.parametrize(
    ("args", "golden", "columns"),
    [
        ((), "help_breeze.txt", 120),
        (("prod-image", "build"), "help_prod_image_build.txt", 120),
        (("prod-image", "build"), "help_prod_image_build_80.txt", 80),
        (("prod-image", "verify"), "help_prod_image_verify.txt", 120),
        (("build-image",), "help_build_image.txt", 120),
    ],
)
def test_help_golden(args: tuple[str, ...], golden: str, columns: int) -> None:
    env = {**os.environ, "COLUMNS": str(columns), "NO_COLOR": "1", "TERM": "dumb"}
    env = {k: v for k, v in env.items() if not k.startswith("BREEZE_")}
    # An empty cache and working folder (tests/unit/conftest.py): no remembered choice or
    # breeze.toml changes the defaults the help shows.
    env["BREEZE_CACHE_DIR"] = os.environ["BREEZE_CACHE_DIR"]
    done = subprocess.run(
        [sys.executable, "-m", "breeze", *args, "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=Path.cwd(),
    )
    assert_golden(golden, done.stdout)


def test_top_level_help_renders_from_the_summaries_alone() -> None:
    """`breeze --help` takes a path that imports no command; it prints what the full app would."""
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}
    script = (
        "import sys\n"
        "from breeze.main import main\n"
        "code = main(['--help'])\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('breeze.cli.', 'breeze.params')))\n"
        "print('LOADED', code, loaded)\n"
        "from typer.main import get_command\n"
        "from breeze.cli.app import app\n"
        "print('FULL')\n"
        "get_command(app).main(['--help'], prog_name='breeze', standalone_mode=False)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    fast, _, rest = done.stdout.partition("LOADED ")
    loaded, _, full = rest.partition("FULL\n")
    assert loaded.strip() == "0 ['breeze.cli.root']"
    assert fast == full


def _leaf_commands() -> list[tuple[tuple[str, ...], object]]:
    """Every command of the tree that runs something (groups only list their commands)."""
    from typer.main import get_command

    from breeze.cli.app import app
    from breeze.cli.introspect import iter_commands

    return [(p, c) for p, c in iter_commands(get_command(app)) if not hasattr(c, "commands")]


def test_every_command_takes_answer_as_the_readme_says() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "Every command has `--help` and takes `--answer`" in readme
    without = [
        " ".join(path)
        for path, command in _leaf_commands()
        if "--answer" not in {name for param in command.params for name in param.opts}
    ]
    assert not without, f"no --answer: {without}"


@pytest.mark.parametrize(
    "args",
    [
        ("setup", "autocomplete", "--shell", "bash", "--dry-run", "--answer", "yes"),
        ("prod-image", "extras", "--answer", "no"),
        ("ps", "--dry-run", "--answer", "yes"),
        ("exec", "--dry-run", "--answer", "yes", "--", "airflow", "version"),
    ],
)
def test_commands_that_ask_nothing_accept_answer(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    code, _, err = _breeze(capsys, *args)
    assert code == 0, err


@pytest.mark.parametrize(
    "args",
    [
        ["exec", "--dry-run", "--", "airflow", "dags", "list"],
        ["logs", "scheduler", "--dry-run"],
        ["ps", "--json", "--dry-run"],
        ["down", "--volumes", "--dry-run"],
        ["start-airflow", "--dry-run", "--hardened"],
        ["shell", "--dry-run", "-c", "true"],
        ["prod-image", "verify", "--dry-run", "my/airflow:1"],
        ["prod-image", "extras"],
        ["constraints", "show", "--dry-run", "--airflow-constraints-mode", "none"],
    ],
)
def test_every_command_is_wired_to_its_service(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dry run through the whole CLI: the groups build the params the service takes."""
    monkeypatch.chdir(tmp_path)
    assert main(args) == 0
