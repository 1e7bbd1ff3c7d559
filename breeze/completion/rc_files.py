"""Where each shell loads completions from, and the marked block breeze adds to an rc file.

Pure: paths are computed from a home folder and the environment; rc texts are transformed as
strings.  ``breeze.completion.installer`` reads and writes the files.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from breeze.completion.shell_scripts import script

BEGIN = "# >>> breeze completion >>>"
END = "# <<< breeze completion <<<"
NOTE = "# Added by `breeze setup autocomplete`; `breeze setup autocomplete --uninstall` removes it."
BLOCK = "block"  # a marked block in an rc file
FILE = "file"  # a whole file in the shell's completions folder
SHELL_NAMES = {
    "bash": "bash",
    "zsh": "zsh",
    "fish": "fish",
    "pwsh": "powershell",
    "powershell": "powershell",
}


@dataclass(frozen=True)
class Target:
    """Where completion for one shell is installed."""

    shell: str
    path: Path
    mode: str

    @property
    def backup(self) -> Path:
        """The copy of an rc file taken before breeze changes it."""
        return self.path.with_name(self.path.name + ".breeze-backup")


def shell_name(name: str) -> str | None:
    """The supported shell a process or $SHELL name means (bash, zsh, fish, powershell), or None."""
    base = os.path.basename(name.strip()).lower().removesuffix(".exe")
    return SHELL_NAMES.get(base)


def target(shell: str, home: Path, environ: Mapping[str, str]) -> Target:
    """Where SHELL loads completion from for the user whose home is HOME."""
    config = (
        Path(environ["XDG_CONFIG_HOME"]) if environ.get("XDG_CONFIG_HOME") else home / ".config"
    )
    if shell == "bash":
        return Target(shell, home / ".bashrc", BLOCK)
    if shell == "zsh":
        zdotdir = Path(environ["ZDOTDIR"]) if environ.get("ZDOTDIR") else home
        return Target(shell, zdotdir / ".zshrc", BLOCK)
    if shell == "fish":
        return Target(shell, config / "fish" / "completions" / "breeze.fish", FILE)
    if shell == "powershell":
        return Target(shell, config / "powershell" / "Microsoft.PowerShell_profile.ps1", BLOCK)
    raise ValueError(f"unsupported shell '{shell}'")


def block(shell: str) -> str:
    """The marked block for an rc file: the completion script between two marker lines."""
    body = script(shell)
    if shell == "zsh":
        body = "(( $+functions[compdef] )) || { autoload -Uz compinit && compinit; }\n" + body
    return f"{BEGIN}\n{NOTE}\n{body}{END}\n"


def file_content(shell: str) -> str:
    """The content of a completion file breeze owns (marked so --uninstall knows it)."""
    return f"{NOTE}\n{script(shell)}"


def is_ours(text: str) -> bool:
    """Whether a completion file was written by breeze."""
    return NOTE in text


def with_block(text: str, new_block: str) -> str:
    """TEXT with the block replaced, or appended after a blank line."""
    found = _find(text)
    if found is not None:
        start, end = found
        return text[:start] + new_block + text[end:]
    if not text:
        return new_block
    separator = "\n" if text.endswith("\n") else "\n\n"
    return text + separator + new_block


def without_block(text: str) -> str:
    """TEXT without the block and the blank line added before it (unchanged if there is none)."""
    found = _find(text)
    if found is None:
        return text
    start, end = found
    before = text[:start]
    if before.endswith("\n\n"):
        before = before[:-1]
    return before + text[end:]


def has_block(text: str) -> bool:
    """Whether TEXT holds a breeze block."""
    return _find(text) is not None


def _find(text: str) -> tuple[int, int] | None:
    """Start and end of the block (end after its last newline), or None."""
    start = text.find(BEGIN + "\n")
    if start < 0 or (start > 0 and text[start - 1] != "\n"):
        return None
    end = text.find(END, start)
    if end < 0:
        return None
    end += len(END)
    if text[end : end + 1] == "\n":
        end += 1
    return start, end
