"""Completion: the committed index and scripts match the app; TAB answers are right and cheap."""

from __future__ import annotations

import json
import os
import shlex
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from breeze.completion import candidates as engine
from breeze.completion import index, runtime
from breeze.completion import local_images as images
from breeze.completion import shell_scripts as scripts
from breeze.completion.candidates import DIRS, FILES, Reply, bash_trim, complete, split_line
from breeze.completion.index_data import INDEX
from breeze.core import airflow_meta
from breeze.core.defaults import ALLOWED_PYTHON_VERSIONS, DEFAULT_AIRFLOW_VERSION

ROOT = Path(__file__).resolve().parents[3]
WORDBREAKS = " \t\n\"'><=;|&(:"
HEAVY = ("typer", "click", "rich", "docker", "questionary", "prompt_toolkit", "shellingham")


class FakeValues:
    """Value sources without files, network or engine."""

    def __init__(self, settings: dict[str, str] | None = None) -> None:
        self.settings = settings or {}
        self.asked_images: list[str | None] = []

    def extras(self, airflow_version: str) -> Sequence[str]:
        return {"2.0.0": ["amazon", "celery", "postgres"]}.get(
            airflow_version, ["celery", "polars", "postgres", "slack"]
        )

    def airflow_versions(self) -> Sequence[str]:
        return ["3.3.2", "3.3.1", "2.0.0"]

    def images(self, docker_host: str | None) -> Sequence[str]:
        self.asked_images.append(docker_host)
        return ["breeze/airflow:3.3.2-python3.13", "my/airflow:1"]

    def setting(self, key: str) -> str | None:
        return self.settings.get(key)


def _complete(line: str, source: FakeValues | None = None) -> Reply:
    words, current = split_line(line)
    return complete(INDEX, words[1:], current, source or FakeValues())


# --- the committed artefacts are what the app generates -----------------------------------


def test_committed_index_matches_the_app() -> None:
    committed = (ROOT / index.INDEX_PATH).read_text()
    assert committed == index.generate(), (
        "breeze/completion/index_data.py is out of date: run scripts/generate_completions.py"
    )


@pytest.mark.parametrize("shell", scripts.SHELLS)
def test_committed_scripts_match_the_generator(shell: str) -> None:
    """The committed scripts are the golden files (PowerShell's is only checked this way)."""
    committed = (ROOT / "completions" / scripts.FILE_NAMES[shell]).read_text()
    assert committed == scripts.script(shell), (
        f"completions/{scripts.FILE_NAMES[shell]} is out of date: run scripts/generate_completions.py"
    )


def test_generator_check_mode_passes() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_completions.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_every_command_is_indexed() -> None:
    from typer.main import get_command

    from breeze.cli.app import app

    def paths(command: object, prefix: str = "") -> Iterator[str]:
        yield prefix
        for name, sub in getattr(command, "commands", {}).items():
            yield from paths(sub, f"{prefix} {name}".strip())

    assert set(paths(get_command(app))) == set(INDEX["commands"])


# --- option names, subcommands and values ---------------------------------------------------


def test_option_prefix() -> None:
    assert _complete("breeze prod-image build --pyt").values == ["--python", "--python-base-image"]


def test_subcommands_with_descriptions() -> None:
    reply = _complete("breeze prod-image ")
    assert {"build", "verify", "extras"} <= set(reply.values)
    assert all(text for _, text in reply.items)
    assert "setup" in _complete("breeze se").values


def test_python_versions() -> None:
    assert _complete("breeze prod-image build --python ").values == list(ALLOWED_PYTHON_VERSIONS)
    assert _complete("breeze prod-image build -p 3.1").values == list(ALLOWED_PYTHON_VERSIONS)
    assert _complete("breeze prod-image build --python=3.12").values == ["--python=3.12"]


@pytest.mark.parametrize(
    ("line", "values"),
    [
        ("breeze prod-image build --debian-version b", ["bookworm"]),
        (
            "breeze prod-image build --airflow-constraints-mode constraints-n",
            ["constraints-no-providers"],
        ),
        ("breeze prod-image build --build-progress p", ["plain"]),
        ("breeze prod-image build --answer ", ["yes", "no", "quit"]),
        (
            "breeze prod-image build --platform linux/a",
            ["linux/amd64", "linux/arm64", "linux/amd64,linux/arm64"],
        ),
        ("breeze start-airflow --backend ", ["sqlite", "postgres", "mysql"]),
        ("breeze start-airflow --executor C", ["CeleryExecutor"]),
        ("breeze shell --postgres-version 1", ["15", "16", "17"]),
        ("breeze shell --mysql-version 8", ["8.0", "8.4"]),
        (
            "breeze constraints generate --python 3.11,3.1",
            [f"3.11,{v}" for v in ALLOWED_PYTHON_VERSIONS if v != "3.11"],
        ),
        ("breeze setup autocomplete --shell ", ["bash", "zsh", "fish", "powershell"]),
    ],
)
def test_fixed_values(line: str, values: list[str]) -> None:
    assert _complete(line).values == values


def test_extras_of_the_version_on_the_command_line() -> None:
    assert _complete(
        "breeze prod-image build --install-airflow-version 2.0.0 --airflow-extras "
    ).values == [
        "amazon",
        "celery",
        "postgres",
    ]
    # the part after the last comma completes; chosen extras are not offered again
    assert _complete("breeze prod-image build --airflow-extras celery,po").values == [
        "celery,polars",
        "celery,postgres",
    ]
    assert _complete("breeze prod-image build --airflow-extras=celery,").values == [
        "--airflow-extras=celery,polars",
        "--airflow-extras=celery,postgres",
        "--airflow-extras=celery,slack",
    ]


def test_extras_version_from_settings_when_not_on_the_command_line() -> None:
    reply = _complete(
        "breeze prod-image build --additional-extras ",
        FakeValues({"install-airflow-version": "2.0.0"}),
    )
    assert reply.values == ["amazon", "celery", "postgres"]


def test_airflow_versions() -> None:
    assert _complete("breeze prod-image build --install-airflow-version 3.3").values == [
        "3.3.2",
        "3.3.1",
    ]


def test_images_only_when_an_image_is_completed() -> None:
    source = FakeValues()
    _complete("breeze prod-image build --pyt", source)
    _complete("breeze prod-image build --python ", source)
    assert source.asked_images == []
    assert _complete("breeze prod-image verify my", source).values == ["my/airflow:1"]
    reply = _complete("breeze prod-image build --docker-host tcp://h:2375 --image-tag ", source)
    assert len(reply.values) == 2
    assert source.asked_images == [None, "tcp://h:2375"]


def test_paths_are_left_to_the_shell() -> None:
    assert _complete("breeze prod-image build --embedded-dags ").kind == DIRS
    assert _complete("breeze prod-image build --installation-method ../air").kind == DIRS
    assert _complete("breeze constraints check --requirements r").kind == FILES


def test_used_options_are_not_offered_again() -> None:
    values = _complete("breeze prod-image build --python 3.12 --p").values
    assert "--python" not in values and "--push" in values
    assert _complete("breeze prod-image build --push --pu").values == []


def test_short_options_only_when_asked() -> None:
    assert "-p" not in _complete("breeze prod-image build --").values
    assert _complete("breeze prod-image build -p").values == ["-p"]


def test_aliases_are_offered_once() -> None:
    values = _complete("breeze prod-image build --additional-").values
    assert "--additional-extras" in values and "--additional-airflow-extras" not in values
    assert _complete("breeze prod-image build --additional-air").values == [
        "--additional-airflow-extras"
    ]


def test_nothing_after_double_dash_and_unknown_words() -> None:
    assert _complete("breeze prod-image build -- --py").values == []
    assert _complete("breeze no-such-command --py").values == []


def test_empty_word_after_a_command_lists_its_options() -> None:
    assert "--python" in _complete("breeze prod-image build ").values


# --- splitting like the shell and answering each shell --------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "",
        "a",
        "a ",
        "a b",
        "a  b  ",
        "a 'b c' d",
        'a "b \\" c" d',
        "a b\\ c",
        "a b\\ ",
        'x="1 2"y',
        "a\\\\b",
        'a "" ',
    ],
)
def test_split_line_agrees_with_shlex(line: str) -> None:
    words = shlex.split(line)
    ends = line[-1:].isspace() and not line[:-1].endswith("\\")
    expected = (words, "") if ends or not words else (words[:-1], words[-1])
    assert split_line(line) == expected


def test_split_line_reads_an_open_quote_as_the_current_word() -> None:
    assert split_line("breeze --image-tag 'my/air") == (["breeze", "--image-tag"], "my/air")


def test_bash_trims_what_readline_replaces() -> None:
    line = "breeze prod-image verify breeze/airflow:3.3"
    assert bash_trim(
        ["breeze/airflow:3.3.2-python3.13"], "breeze/airflow:3.3", line, WORDBREAKS
    ) == ["3.3.2-python3.13"]
    line = "breeze prod-image build --python=3.1"
    assert bash_trim(["--python=3.12"], "--python=3.1", line, WORDBREAKS) == ["3.12"]


def test_answer_formats() -> None:
    source = FakeValues()
    bash = runtime.answer("bash", ["breeze prod-image b", WORDBREAKS], {}, INDEX, source)
    assert bash == "values\nbuild\n"
    fish = runtime.answer("fish", ["prod-image", "b"], {}, INDEX, source)
    assert fish == "values\nbuild\tBuild the Airflow production image\n"
    zsh = runtime.answer("zsh", ["prod-image", "build", "--embedded-dags", ""], {}, INDEX, source)
    assert zsh == "dirs\n"
    line = {"_BREEZE_COMPLETE_LINE": "breeze prod-image build --python 3.1"}
    powershell = runtime.answer("powershell", [], line, INDEX, source)
    assert powershell.splitlines()[1:] == list(ALLOWED_PYTHON_VERSIONS)


def test_unknown_shell_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert runtime.run([], {"_BREEZE_COMPLETE": "tcsh"}) == 1
    assert "tcsh" in capsys.readouterr().err


# --- the live value sources -----------------------------------------------------------------


def test_live_extras_and_versions_match_airflow_meta() -> None:
    live = runtime.LiveValues({})
    assert live.airflow_versions() == airflow_meta.known_versions()
    for version in airflow_meta.known_versions():
        release = airflow_meta.get_release(version)
        assert release is not None
        assert live.extras(version) == list(airflow_meta.extras_of(release)), version
    assert live.extras("0.0.1") == []


def test_live_setting_reads_environment_then_breeze_toml(tmp_path: Path) -> None:
    (tmp_path / "breeze.toml").write_text('install-airflow-version = "2.0.0"\n')
    assert runtime.LiveValues({}, str(tmp_path)).setting("install-airflow-version") == "2.0.0"
    environ = {"BREEZE_INSTALL_AIRFLOW_VERSION": "3.3.1"}
    assert runtime.LiveValues(environ, str(tmp_path)).setting("install-airflow-version") == "3.3.1"
    (tmp_path / "breeze.toml").write_text("not toml [")
    assert runtime.LiveValues({}, str(tmp_path)).setting("install-airflow-version") is None


def test_default_airflow_version_is_in_the_index() -> None:
    build = INDEX["commands"]["prod-image build"]
    option = next(o for o in build["options"] if o["names"][0] == "--install-airflow-version")
    assert option["default"] == DEFAULT_AIRFLOW_VERSION


# --- local images from the engine, quickly or not at all ------------------------------------


def _serve(path: Path, reply: bytes | None) -> threading.Thread:
    """A one-shot fake engine on a unix socket; None never answers."""
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(1)

    def handle() -> None:
        connection, _ = server.accept()
        connection.recv(4096)
        if reply is None:
            time.sleep(2)
        else:
            connection.sendall(reply)
        connection.close()
        server.close()

    thread = threading.Thread(target=handle, daemon=True)
    thread.start()
    return thread


def test_images_from_a_unix_socket(tmp_path: Path) -> None:
    body = json.dumps(
        [{"RepoTags": ["b:1", "a:2"]}, {"RepoTags": ["<none>:<none>"]}, {"RepoTags": None}]
    ).encode()
    _serve(tmp_path / "d.sock", b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + body)
    assert images.local_image_tags(f"unix://{tmp_path / 'd.sock'}") == ["a:2", "b:1"]


def test_images_give_up_quickly(tmp_path: Path) -> None:
    _serve(tmp_path / "slow.sock", None)
    started = time.monotonic()
    assert images.local_image_tags(f"unix://{tmp_path / 'slow.sock'}", timeout=0.2) == []
    assert time.monotonic() - started < 1.5
    assert images.local_image_tags(f"unix://{tmp_path / 'none.sock'}") == []
    assert images.local_image_tags("ssh://user@host") == []


def test_images_ignore_errors_from_the_engine(tmp_path: Path) -> None:
    _serve(tmp_path / "e.sock", b"HTTP/1.0 500 Internal Server Error\r\n\r\n{}")
    assert images.local_image_tags(f"unix://{tmp_path / 'e.sock'}") == []


# --- the TAB path imports nothing heavy -----------------------------------------------------

_PROBE = """
import atexit, os, sys
heavy = {heavy!r}
def report():
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in heavy)
    print("LOADED=" + ",".join(loaded), file=sys.stderr)
atexit.register(report)
sys.argv = ["breeze", *{argv!r}]
from breeze.main import entry
entry()
"""


@pytest.mark.parametrize(
    ("shell", "argv", "expected"),
    [
        ("bash", ["breeze prod-image build --pyt", WORDBREAKS], "--python"),
        ("bash", ["breeze prod-image build --airflow-extras cel", WORDBREAKS], "celery"),
        ("zsh", ["prod-image", "verify", ""], "values"),
        ("fish", ["prod-image", "build", "--install-airflow-version", "3.3."], "3.3.2"),
        ("bash", ["breeze ", WORDBREAKS], "prod-image"),
    ],
)
def test_tab_imports_neither_typer_rich_docker_nor_questionary(
    shell: str, argv: list[str], expected: str
) -> None:
    env = {**os.environ, "_BREEZE_COMPLETE": shell, "DOCKER_HOST": "unix:///nonexistent.sock"}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(heavy=HEAVY, argv=argv)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout.splitlines()
    assert "LOADED=\n" in done.stderr or done.stderr.endswith("LOADED=\n"), done.stderr


def test_console_script_answers_tab() -> None:
    script = Path(sys.executable).parent / "breeze"
    if not script.exists():
        pytest.skip("no breeze console script beside this Python")
    done = subprocess.run(
        [str(script), "breeze prod-image build --python ", WORDBREAKS],
        capture_output=True,
        text=True,
        env={**os.environ, "_BREEZE_COMPLETE": "bash"},
        check=True,
    )
    assert done.stdout.splitlines() == ["values", *ALLOWED_PYTHON_VERSIONS]


def test_tab_path_modules_import_nothing_at_module_level_but_os_and_sys() -> None:
    import ast

    for module in (engine, runtime):
        tree = ast.parse(Path(module.__file__).read_text())
        imported = set()
        for node in tree.body:
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                imported.add(node.module or "")
        assert imported <= {"__future__", "os", "sys", "breeze.completion.candidates"}, imported
