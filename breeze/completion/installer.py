"""`breeze setup autocomplete`: detect the shell, then add or remove breeze's completion."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from breeze.completion import rc_files
from breeze.core.config import CompletionSetup
from breeze.core.errors import BreezeError
from breeze.io.files import atomic_write
from breeze.io.session import Session
from breeze.ui import console

_SHELL_HINT = "pass --shell bash, zsh, fish or powershell"


def detect_shell(environ: Mapping[str, str] | None = None) -> str:
    """The user's shell: the parent process's (shellingham), else $SHELL."""
    environ = os.environ if environ is None else environ
    import shellingham

    try:
        name, _ = shellingham.detect_shell()
    except (shellingham.ShellDetectionFailure, RuntimeError, OSError):
        name = ""
    found = rc_files.shell_name(name) if name else None
    if found is None and environ.get("SHELL"):
        found = rc_files.shell_name(environ["SHELL"])
    if found is None:
        seen = name or environ.get("SHELL") or "none"
        raise BreezeError(f"cannot tell which shell to set up (found: {seen}); {_SHELL_HINT}")
    return found


def setup_completion(params: CompletionSetup, session: Session) -> bool:
    """Install (or remove) completion for the shell; return whether a file changed (or would)."""
    environ = session.world.environ
    home = Path(environ["HOME"]) if environ.get("HOME") else Path.home()
    return install_completion(
        params.shell,
        uninstall=params.uninstall,
        force=params.force,
        dry_run=session.dry_run,
        home=home,
        environ=environ,
    )


def install_completion(
    shell: str | None,
    *,
    uninstall: bool = False,
    force: bool = False,
    dry_run: bool = False,
    home: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> bool:
    """Install (or remove) completion for SHELL; return whether a file changed (or would)."""
    environ = os.environ if environ is None else environ
    shell = shell or detect_shell(environ)
    target = rc_files.target(shell, home or Path.home(), environ)
    if target.mode == rc_files.FILE:
        return _file(target, uninstall=uninstall, force=force, dry_run=dry_run)
    return _block(target, uninstall=uninstall, dry_run=dry_run)


def _block(target: rc_files.Target, *, uninstall: bool, dry_run: bool) -> bool:
    """Add, update or remove the marked block in an rc file, backing the file up first."""
    old = _read(target.path)
    new = (
        rc_files.without_block(old or "")
        if uninstall
        else rc_files.with_block(old or "", rc_files.block(target.shell))
    )
    if new == (old or ""):
        if uninstall:
            console.info(f"No breeze completion in {target.path}; nothing to remove.")
        else:
            console.info(f"{target.shell} completion is already set up in {target.path}.")
        return False
    verb = (
        "remove the breeze block from"
        if uninstall
        else (
            "update the breeze block in"
            if old and rc_files.has_block(old)
            else "add a breeze block to"
        )
    )
    if dry_run:
        console.info(
            f"Would {verb} {target.path}"
            + (f" (backup: {target.backup})" if old is not None else "")
        )
        if not uninstall:
            print(rc_files.block(target.shell), end="")
        return True
    if old is not None:
        shutil.copy2(target.path, target.backup)
    atomic_write(target.path, new)
    backup = f"; the previous file is {target.backup}" if old is not None else ""
    if uninstall:
        console.success(f"Removed breeze completion from {target.path}{backup}.")
    else:
        console.success(
            f"Set up {target.shell} completion in {target.path}{backup}. "
            f"Open a new shell (or `source {target.path}`) to use it."
        )
    return True


def _file(target: rc_files.Target, *, uninstall: bool, force: bool, dry_run: bool) -> bool:
    """Write or delete a completion file breeze owns; a file of someone else needs --force."""
    old = _read(target.path)
    content = rc_files.file_content(target.shell)
    if uninstall:
        if old is None:
            console.info(f"No breeze completion at {target.path}; nothing to remove.")
            return False
        if not rc_files.is_ours(old) and not force:
            raise BreezeError(
                f"{target.path} was not written by breeze; remove it yourself or add --force"
            )
        if dry_run:
            console.info(f"Would delete {target.path}")
            return True
        target.path.unlink()
        console.success(f"Removed {target.path}.")
        return True
    if old == content:
        console.info(f"{target.shell} completion is already set up in {target.path}.")
        return False
    if old is not None and not rc_files.is_ours(old) and not force:
        raise BreezeError(
            f"{target.path} exists and was not written by breeze; add --force to replace it"
        )
    if dry_run:
        console.info(f"Would write {target.path}")
        print(content, end="")
        return True
    atomic_write(target.path, content)
    console.success(
        f"Set up {target.shell} completion in {target.path}; new {target.shell} sessions load it."
    )
    return True


def _read(path: Path) -> str | None:
    """A file's text, or None when it does not exist."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as error:
        raise BreezeError(f"cannot read {path}: {error.strerror}") from error
