"""`breeze setup autocomplete`: where each shell's completion goes; idempotent and reversible."""

from __future__ import annotations

from pathlib import Path

import pytest

from breeze.completion import installer
from breeze.completion import rc_files as install
from breeze.core.errors import BreezeError
from breeze.main import main

RC = "# my bashrc\nalias ll='ls -l'\n"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary HOME (and no XDG or ZDOTDIR overrides)."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    for name in ("XDG_CONFIG_HOME", "ZDOTDIR"):
        monkeypatch.delenv(name, raising=False)
    return folder


def test_targets(home: Path) -> None:
    assert install.target("bash", home, {}) == install.Target(
        "bash", home / ".bashrc", install.BLOCK
    )
    assert install.target("zsh", home, {"ZDOTDIR": "/z"}).path == Path("/z/.zshrc")
    fish = install.target("fish", home, {})
    assert fish.path == home / ".config/fish/completions/breeze.fish" and fish.mode == install.FILE
    powershell = install.target("powershell", home, {"XDG_CONFIG_HOME": "/c"})
    assert powershell.path == Path("/c/powershell/Microsoft.PowerShell_profile.ps1")


@pytest.mark.parametrize("text", ["", RC, "no newline at the end", RC + "\n\n"])
def test_block_round_trip(text: str) -> None:
    block = install.block("bash")
    added = install.with_block(text, block)
    assert added.endswith(block) and install.has_block(added)
    assert install.with_block(added, block) == added  # idempotent
    removed = install.without_block(added)
    expected = text if text.endswith("\n") or not text else text + "\n"
    assert removed == expected


def test_block_is_replaced_in_place() -> None:
    old = install.with_block(RC, f"{install.BEGIN}\nold script\n{install.END}\n") + "export A=1\n"
    new = install.with_block(old, install.block("zsh"))
    assert new.startswith(RC) and new.endswith("export A=1\n") and "old script" not in new
    assert install.without_block(new) == RC + "export A=1\n"


def test_zsh_block_loads_compinit_first() -> None:
    assert "compinit" in install.block("zsh").split("#compdef")[0]


def test_shell_names() -> None:
    assert install.shell_name("/usr/bin/zsh") == "zsh"
    assert install.shell_name("pwsh.exe") == "powershell"
    assert install.shell_name("tcsh") is None


def test_install_bash_is_idempotent_and_reversible(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc = home / ".bashrc"
    rc.write_text(RC)
    assert main(["setup", "autocomplete", "--shell", "bash"]) == 0
    installed = rc.read_text()
    assert installed.startswith(RC) and install.block("bash") in installed
    assert (home / ".bashrc.breeze-backup").read_text() == RC
    assert main(["setup", "autocomplete", "--shell", "bash"]) == 0  # a second run changes nothing
    assert rc.read_text() == installed
    assert "already set up" in capsys.readouterr().err
    assert main(["setup", "autocomplete", "--shell", "bash", "--uninstall"]) == 0
    assert rc.read_text() == RC
    assert main(["setup", "autocomplete", "--shell", "bash", "--uninstall"]) == 0
    assert "nothing to remove" in capsys.readouterr().err


def test_install_creates_a_missing_rc_file(home: Path) -> None:
    assert main(["setup", "autocomplete", "--shell", "zsh"]) == 0
    assert (home / ".zshrc").read_text() == install.block("zsh")
    assert not (home / ".zshrc.breeze-backup").exists()
    assert main(["setup", "autocomplete", "--shell", "zsh", "--uninstall"]) == 0
    assert (home / ".zshrc").read_text() == ""


def test_dry_run_changes_nothing(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (home / ".bashrc").write_text(RC)
    assert main(["setup", "autocomplete", "--shell", "bash", "--dry-run"]) == 0
    out, err = capsys.readouterr()
    assert install.BEGIN in out and "Would add" in err
    assert (home / ".bashrc").read_text() == RC
    assert not (home / ".bashrc.breeze-backup").exists()


def test_fish_file_is_ours_or_needs_force(home: Path) -> None:
    path = home / ".config/fish/completions/breeze.fish"
    assert main(["setup", "autocomplete", "--shell", "fish"]) == 0
    assert path.read_text() == install.file_content("fish")
    assert main(["setup", "autocomplete", "--shell", "fish"]) == 0
    assert main(["setup", "autocomplete", "--shell", "fish", "--uninstall"]) == 0
    assert not path.exists()
    path.write_text("complete -c breeze -a mine\n")
    assert main(["setup", "autocomplete", "--shell", "fish"]) == 1
    assert path.read_text() == "complete -c breeze -a mine\n"
    assert main(["setup", "autocomplete", "--shell", "fish", "--uninstall"]) == 1
    assert main(["setup", "autocomplete", "--shell", "fish", "--force"]) == 0
    assert install.is_ours(path.read_text())


def test_powershell_profile_block(home: Path) -> None:
    assert main(["setup", "autocomplete", "--shell", "powershell"]) == 0
    profile = home / ".config/powershell/Microsoft.PowerShell_profile.ps1"
    assert "Register-ArgumentCompleter" in profile.read_text()
    assert main(["setup", "autocomplete", "--shell", "powershell", "--uninstall"]) == 0
    assert profile.read_text() == ""


def test_unknown_shell_is_a_usage_error(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["setup", "autocomplete", "--shell", "tcsh"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_detection_falls_back_to_the_shell_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    import shellingham

    def fail() -> tuple[str, str]:
        raise shellingham.ShellDetectionFailure()

    monkeypatch.setattr(shellingham, "detect_shell", fail)
    assert installer.detect_shell({"SHELL": "/usr/bin/fish"}) == "fish"
    with pytest.raises(BreezeError, match="--shell"):
        installer.detect_shell({})
    monkeypatch.setattr(shellingham, "detect_shell", lambda: ("zsh", "/bin/zsh"))
    assert installer.detect_shell({"SHELL": "/usr/bin/fish"}) == "zsh"


def test_detected_shell_is_used(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shellingham

    monkeypatch.setattr(shellingham, "detect_shell", lambda: ("bash", "/bin/bash"))
    assert main(["setup", "autocomplete"]) == 0
    assert install.has_block((home / ".bashrc").read_text())
