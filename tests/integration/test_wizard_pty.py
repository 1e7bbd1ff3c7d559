"""The wizard end to end in a pseudo-terminal (pexpect): arrow keys, space, enter, Ctrl-C."""

from __future__ import annotations

import io
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from breeze.core.config import parse_toml

pexpect = pytest.importorskip("pexpect")

BREEZE = str(Path(sys.executable).parent / "breeze")
UP, DOWN = "\x1b[A", "\x1b[B"
ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\r")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The working folder, where breeze.toml goes."""
    work = tmp_path / "work"
    work.mkdir()
    return work


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """breeze's environment: a private cache, no BREEZE_* of the caller's, no colours."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BREEZE_")}
    return {
        **clean,
        "BREEZE_CACHE_DIR": str(tmp_path / "cache"),
        "PROMPT_TOOLKIT_NO_CPR": "1",
        "TERM": "xterm",
        "NO_COLOR": "1",
        "COLUMNS": "160",
    }


@pytest.fixture
def spawn(folder: Path, env: dict[str, str]) -> Iterator[object]:
    """Start breeze in a pty; the child is closed after the test."""
    children = []

    def start(*args: str) -> pexpect.spawn:
        child = pexpect.spawn(
            BREEZE, list(args), env=env, cwd=str(folder), encoding="utf-8",
            dimensions=(50, 160), timeout=30,
        )  # fmt: skip
        child.logfile_read = io.StringIO()
        children.append(child)
        return child

    yield start
    for child in children:
        child.close(force=True)


def _finish(child: pexpect.spawn) -> tuple[str, int]:
    """All the output without escape sequences, and the exit code."""
    child.expect(pexpect.EOF)
    output = ANSI_RE.sub("", child.logfile_read.getvalue())
    child.close()
    return output, child.exitstatus


def _printed_command(output: str) -> str:
    """The command the wizard printed after 'Equivalent command:'."""
    lines = output.splitlines()
    return lines[lines.index("Equivalent command:") + 1].strip()


def _dry_run(args: list[str], folder: Path, env: dict[str, str]) -> list[str]:
    """The docker command a dry run prints, without the line that holds the time."""
    done = subprocess.run(
        [BREEZE, *args, "--dry-run"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in done.stdout.splitlines() if "DATE_CREATED" not in line]


def test_answers_saved_to_breeze_toml(spawn, folder: Path, env: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    dags = folder / "dags"
    dags.mkdir()
    child = spawn("wizard")
    child.expect("What do you want to do")
    child.send("\r")  # the first task: build the production image
    child.expect("Python version")
    child.send(UP)  # the default 3.13 is preselected; one up is 3.12
    child.send("\r")
    child.expect("Airflow version")
    child.send("\r")  # the default, 3.3.2
    child.expect("Extras")
    child.send("jira")  # the list is searchable
    child.expect("atlassian-jira")
    child.send(" ")  # space checks it
    child.send("\x7f" * 4)  # clear the search
    child.send("\r")
    child.expect("Extra Python packages")
    child.send("pandas<3 requests\r")
    child.expect("Extra apt packages")
    child.send("libx;reboot\r")  # refused like the flag, then corrected
    child.expect("is not a Debian package name")
    child.send("\x15vim-tiny\r")
    child.expect("Folder of DAGs")
    child.send("dags\r")
    child.expect("Image tag")
    child.send("\x15my-airflow:1.0\r")  # Ctrl-U clears the suggested tag
    child.expect("What now")
    child.send(DOWN)
    child.send("\r")  # save
    output, code = _finish(child)
    assert code == 0, output
    command = _printed_command(output)
    assert command == (
        "breeze prod-image build --python 3.12 --airflow-extras "
        "amazon,async,atlassian-jira,celery,cncf-kubernetes,elasticsearch,google,"
        "microsoft-azure,mysql,postgres,redis,slack,ssh,statsd "
        "--additional-python-deps 'pandas<3 requests' --additional-runtime-deps vim-tiny "
        "--embedded-dags dags --image-tag my-airflow:1.0"
    )
    saved = parse_toml((folder / "breeze.toml").read_text())
    assert saved["python"] == "3.12"
    assert "atlassian-jira" in saved["airflow-extras"].split(",")
    assert saved["additional-runtime-deps"] == "vim-tiny"
    assert saved["prod-image"] == {"image-tag": "my-airflow:1.0"}
    assert "Saved to" in output
    # what breeze.toml now makes `breeze prod-image build` do is what the printed command does
    empty = folder.parent / "elsewhere"
    empty.mkdir()
    (empty / "dags").mkdir()
    from_file = _dry_run(["prod-image", "build"], folder, env)
    from_command = _dry_run(shlex.split(command)[1:], empty, env)
    assert "    --build-arg PYTHON_VERSION=3.12 \\" in from_file
    assert [line.replace(str(empty), str(folder)) for line in from_command] == from_file


def test_run_now_with_dry_run_prints_the_build(spawn, folder: Path, env: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    child = spawn("wizard", "--dry-run")
    child.expect("What do you want to do")
    child.send("\r")
    child.expect("Python version")
    child.send(UP + UP + "\r")  # 3.11
    for question in ("Airflow version", "Extras", "Extra Python", "Extra apt", "Folder of DAGs"):
        child.expect(question)
        child.send("\r")
    child.expect("Image tag")
    child.send("\r")  # the suggested breeze/airflow:3.3.2-python3.11
    child.expect("What now")
    child.send("\r")  # run it now
    output, code = _finish(child)
    assert code == 0, output
    assert _printed_command(output) == "breeze prod-image build --python 3.11 --dry-run"
    build = [line for line in output.splitlines() if "DATE_CREATED" not in line]
    expected = _dry_run(["prod-image", "build", "--python", "3.11"], folder, env)
    assert expected[0].startswith("docker buildx build")
    start = build.index(expected[0])
    assert build[start : start + len(expected)] == expected
    assert not (folder / "breeze.toml").exists()


@pytest.mark.parametrize("stop_at", ["Python version", "Extras", "What now"])
def test_ctrl_c_writes_nothing(spawn, folder: Path, stop_at: str) -> None:  # type: ignore[no-untyped-def]
    child = spawn("wizard")
    child.expect("What do you want to do")
    child.send("\r")
    for question in ("Python version", "Airflow version", "Extras", "Extra Python", "Extra apt"):
        child.expect(question)
        if question == stop_at:
            break
        child.send("\r")
    else:
        for question in ("Folder of DAGs", "Image tag", "What now"):
            child.expect(question)
            if question != stop_at:
                child.send("\r")
    child.send("\x03")
    output, code = _finish(child)
    assert code == 130, output  # typer turns Ctrl-C into exit code 130
    assert "Traceback" not in output
    assert not (folder / "breeze.toml").exists()


def test_breeze_alone_offers_the_wizard(spawn) -> None:  # type: ignore[no-untyped-def]
    child = spawn()
    child.expect("Start the wizard")
    child.send("n")
    output, code = _finish(child)
    assert code == 0 and "prod-image" in output and "wizard" in output


def test_an_explicit_python_on_a_terminal_is_remembered(
    spawn, folder: Path, env: dict[str, str]
) -> None:  # type: ignore[no-untyped-def]
    output, code = _finish(spawn("prod-image", "build", "--python", "3.11", "--dry-run"))
    assert code == 0, output
    assert _dry_run(["prod-image", "build"], folder, env)[0].startswith("docker buildx build")
    assert "--build-arg PYTHON_VERSION=3.11 \\" in "\n".join(
        _dry_run(["prod-image", "build"], folder, env)
    )
    shown = subprocess.run(
        [BREEZE, "setup", "config"], cwd=folder, env=env, capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"^python\s+3\.11\s+remembered$", shown, re.M), shown
    subprocess.run([BREEZE, "setup", "config", "--reset"], cwd=folder, env=env, check=True)
    assert "PYTHON_VERSION=3.13" in "\n".join(_dry_run(["prod-image", "build"], folder, env))
