"""Where option values come from: breeze.toml, remembered choices, BREEZE_*; `setup config`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from breeze.core.config import (
    DEFAULT,
    REMEMBERED_KEYS,
    OptionFacts,
    Setting,
    check_file_values,
    check_remembered,
    resolve,
)
from breeze.io import files
from breeze.io.session import Session
from breeze.ui import console

Facts = Mapping[tuple[str, ...], Mapping[str, OptionFacts]]
Settings = dict[tuple[tuple[str, ...], str], Setting]


def current_settings(facts: Facts, session: Session) -> Settings:
    """Each (command path, option key)'s value without flags, and its source."""
    path = files.project_file(session.world.cwd)
    file_values = check_file_values(files.read_project(path), facts, str(path))
    remembered = check_remembered(files.read_remembered(session.cache_dir), facts)
    return {
        (command, key): resolve(option, command, session.world.environ, file_values, remembered)
        for command, options in facts.items()
        for key, option in options.items()
    }


def remember(choices: Mapping[str, str], session: Session) -> None:
    """Remember values typed on a terminal's command line (REMEMBERED_KEYS)."""
    if choices:
        files.remember(session.cache_dir, choices)


def forget(session: Session) -> None:
    """`setup config --reset`: forget the remembered choices."""
    if files.forget(session.cache_dir):
        where = files.remembered_file(session.cache_dir)
        console.success(f"Forgot the remembered choices ({where}).")
    else:
        console.info("No remembered choices to forget.")


def config_lines(settings: Settings, session: Session, show: Any) -> list[str]:
    """The text `setup config` prints: the files, then each option's value(s) and their source."""
    by_key: dict[str, dict[tuple[str, str], Setting]] = {}
    for (_, key), setting in settings.items():
        by_key.setdefault(key, {})[show(setting.value), setting.where] = setting
    rows = []
    for key, found in sorted(by_key.items()):
        chosen = [pair for pair, setting in found.items() if setting.source != DEFAULT]
        if not chosen and key in REMEMBERED_KEYS:
            chosen = list(found)
        rows += [(key, value, where) for value, where in chosen]
    remembered = files.read_remembered(session.cache_dir)
    rows += [
        (key, show(value), "remembered (no command takes it yet)")
        for key, value in remembered.items()
        if key not in by_key
    ]
    width = max([len(key) for key, _, _ in rows] + [6])
    file_path = files.project_file(session.world.cwd)
    lines = [
        f"breeze.toml: {file_path} ({'present' if file_path.is_file() else 'none'})",
        f"remembered:  {files.remembered_file(session.cache_dir)} ({len(remembered)} choices)",
        "",
        f"{'option':<{width}}  {'value':<16}  from",
    ]
    lines += [f"{key:<{width}}  {value:<16}  {where}" for key, value, where in rows]
    return lines
