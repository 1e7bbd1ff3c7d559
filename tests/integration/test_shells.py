"""TAB completion in real bash, zsh and fish, driven through tmux after `breeze setup autocomplete`.

Skipped when a shell or tmux is missing; under BREEZE_REQUIRE_DOCKER=1 (CI, which installs them
with apt-get) a skip is a failure, like every test in this folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from breeze.core.defaults import ALLOWED_PYTHON_VERSIONS

BIN = Path(sys.executable).parent


class Terminal:
    """One shell in a private tmux server: type keys, read the screen."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.server = f"breeze-test-{uuid.uuid4().hex[:8]}"
        self._tmux("-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", "160", "-y", "50",
                   "env", "-i", *(f"{k}={v}" for k, v in env.items()), *command)  # fmt: skip

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.server, *args], capture_output=True, text=True, check=True
        )
        return done.stdout

    def type(self, text: str) -> None:
        """Type literal text."""
        self._tmux("send-keys", "-t", "t", "-l", text)

    def keys(self, *keys: str) -> None:
        """Press keys one at a time (tmux key names), letting the shell answer each."""
        for key in keys:
            self._tmux("send-keys", "-t", "t", key)
            time.sleep(0.4)

    def screen(self) -> str:
        """The visible screen."""
        return self._tmux("capture-pane", "-t", "t", "-p", "-J")

    def wait(self, check: Callable[[str], bool], what: str, timeout: float = 15) -> str:
        """Wait until the screen passes CHECK; fail showing the screen otherwise."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if check(screen):
                return screen
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {what}; screen:\n{screen}")
            time.sleep(0.2)

    def clear(self) -> None:
        """Drop the current line and clear the screen."""
        self.keys("C-c")
        self.keys("C-l")

    def close(self) -> None:
        """Stop the tmux server and the shell."""
        subprocess.run(["tmux", "-L", self.server, "kill-server"], capture_output=True, check=False)


def _need(*programs: str) -> None:
    missing = [p for p in programs if shutil.which(p) is None]
    if missing:
        pytest.skip(
            f"not installed: {', '.join(missing)} (apt-get install bash-completion zsh fish tmux)"
        )


def _home(tmp_path: Path, shell: str) -> tuple[Path, dict[str, str]]:
    """A temporary HOME with breeze's completion set up for SHELL by `breeze setup autocomplete`."""
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "HOME": str(home),
        "PATH": f"{BIN}:/usr/local/bin:/usr/bin:/bin",
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "BREEZE_CACHE_DIR": str(tmp_path / "cache"),
        "DOCKER_HOST": os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock"),
    }
    if shell == "bash":
        (home / ".bashrc").write_text("PS1='$ '\n")
    elif shell == "zsh":
        (home / ".zshrc").write_text("PS1='%% '\n")
    else:
        config = home / ".config" / "fish"
        config.mkdir(parents=True)
        (config / "config.fish").write_text(
            "set -g fish_greeting ''\nfunction fish_prompt; echo '> '; end\n"
        )
    done = subprocess.run(
        [str(BIN / "breeze"), "setup", "autocomplete", "--shell", shell],
        capture_output=True, text=True, env={**os.environ, **env}, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return home, env


@pytest.fixture(params=["bash", "zsh", "fish"])
def terminal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Terminal]]:
    """A shell with breeze completion installed, in tmux."""
    shell = request.param
    _need(shell, "tmux")
    if shell == "bash" and not Path("/usr/share/bash-completion/bash_completion").exists():
        pytest.skip("bash-completion is not installed")
    _, env = _home(tmp_path, shell)
    term = Terminal([shell, "-i"], env)
    try:
        prompt = {"bash": "$ ", "zsh": "% ", "fish": "> "}[shell]
        term.wait(lambda screen: prompt in screen, "the prompt")
        yield shell, term
    finally:
        term.close()


def _line(screen: str, start: str) -> str:
    """The last screen line holding START."""
    lines = [line for line in screen.splitlines() if start in line]
    return lines[-1] if lines else ""


def test_option_name_completes(terminal: tuple[str, Terminal]) -> None:
    _, term = terminal
    term.type("breeze prod-image build --pyt")
    term.keys("Tab")
    term.wait(lambda s: "build --python" in _line(s, "breeze prod-image"), "--pyt<TAB> -> --python")


def test_python_versions_are_listed(terminal: tuple[str, Terminal]) -> None:
    shell, term = terminal
    term.type("breeze prod-image build --python ")
    term.keys("Tab", "Tab")
    if shell == "bash":
        # readline inserts the common prefix "3.1" first; the next TAB TAB lists
        term.wait(lambda s: "--python 3.1" in _line(s, "breeze prod-image"), "the prefix 3.1")
        term.keys("Tab")
    screen = term.wait(
        lambda s: all(v in s for v in ALLOWED_PYTHON_VERSIONS), "the Python versions listed"
    )
    assert "--python 3.1" in _line(screen, "breeze prod-image")


def test_extras_complete_after_the_comma(terminal: tuple[str, Terminal]) -> None:
    _, term = terminal
    term.type("breeze prod-image build --airflow-extras celery,postg")
    term.keys("Tab")
    term.wait(
        lambda s: "--airflow-extras celery,postgres" in _line(s, "breeze prod-image"),
        "celery,postg<TAB> -> celery,postgres",
    )


def test_subcommands_and_folders(terminal: tuple[str, Terminal], tmp_path: Path) -> None:
    _, term = terminal
    term.type("breeze prod-image ver")
    term.keys("Tab")
    term.wait(lambda s: "prod-image verify" in _line(s, "breeze prod-image"), "ver<TAB> -> verify")
    term.clear()
    folder = tmp_path / "dags-folder-for-tab"
    folder.mkdir()
    term.type(f"breeze prod-image build --embedded-dags {tmp_path}/dags-fol")
    term.keys("Tab")
    term.wait(lambda s: f"{folder}/" in s, "the folder completed")


def test_uninstall_leaves_the_rc_file_as_it_was(tmp_path: Path) -> None:
    _need("bash")
    home, env = _home(tmp_path, "bash")
    assert "breeze completion" in (home / ".bashrc").read_text()
    subprocess.run(
        [str(BIN / "breeze"), "setup", "autocomplete", "--shell", "bash", "--uninstall"],
        env={**os.environ, **env}, check=True, capture_output=True,
    )  # fmt: skip
    assert (home / ".bashrc").read_text() == "PS1='$ '\n"


def test_bash_lists_at_once_with_show_all_if_ambiguous(tmp_path: Path) -> None:
    """With readline's show-all-if-ambiguous, bash too lists on `--python <TAB><TAB>`."""
    _need("bash", "tmux")
    home, env = _home(tmp_path, "bash")
    (home / ".inputrc").write_text("set show-all-if-ambiguous on\n")
    term = Terminal(["bash", "-i"], env)
    try:
        term.wait(lambda screen: "$ " in screen, "the prompt")
        term.type("breeze prod-image build --python ")
        term.keys("Tab", "Tab")
        term.wait(lambda s: all(v in s for v in ALLOWED_PYTHON_VERSIONS), "the Python versions")
    finally:
        term.close()
