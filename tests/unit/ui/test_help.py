"""Every command's help at 80 columns (a pipe's width) and at 120: nothing cut, no <bool>."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from typer._click.core import Context

from breeze.main import main

BORDERS = "│╭╮╰╯─"


def _commands() -> list[tuple[tuple[str, ...], Any]]:
    """Every (path, click command) of the tree, the root and the groups included."""
    from typer.main import get_command

    from breeze.cli.app import app
    from breeze.cli.introspect import iter_commands

    return list(iter_commands(get_command(app)))


COMMANDS = _commands()


def _render(capsys: pytest.CaptureFixture[str], path: tuple[str, ...]) -> str:
    code = main([*path, "--help"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def _words(text: str) -> set[str]:
    """The whitespace-separated words of the help, without panel borders."""
    return {word for line in text.splitlines() for word in line.strip(BORDERS + " ").split()}


@pytest.fixture
def columns(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """The terminal width the help is rendered at; no BREEZE_* setting changes a default."""
    for name in os.environ:
        if name.startswith("BREEZE_") and name != "BREEZE_CACHE_DIR":
            monkeypatch.delenv(name)
    monkeypatch.setenv("COLUMNS", str(request.param))
    monkeypatch.setenv("NO_COLOR", "1")
    return request.param


@pytest.mark.parametrize("columns", [80, 120], indirect=True)
@pytest.mark.parametrize(
    ("path", "command"), COMMANDS, ids=[" ".join(path) or "breeze" for path, _ in COMMANDS]
)
def test_help_shows_every_option_whole(
    capsys: pytest.CaptureFixture[str], columns: int, path: tuple[str, ...], command: Any
) -> None:
    out = _render(capsys, path)
    assert "…" not in out
    assert "<bool>" not in out
    too_wide = [line for line in out.splitlines() if len(line) > columns]
    assert not too_wide, too_wide
    words = _words(out)
    for param in command.params:
        if getattr(param, "hidden", False):
            continue
        if param.param_type_name == "option":
            for name in [*param.opts, *param.secondary_opts]:
                assert name in words or f"{name}," in words, f"{name} is cut"
            if not param.is_flag:
                metavar = param.display_type_rich(ctx=Context(command))
                assert metavar in words, f"metavar {metavar} of {param.opts[0]} is cut"
        for word in (param.help or "").split():
            assert word in words, f"'{word}' of {param.name}'s help is cut"
        default = param.show_default if isinstance(param.show_default, str) else param.default
        if param.show_default and isinstance(default, str) and default:
            for piece in re.findall(r"[^,\s]+", default):
                assert any(piece in word for word in words), f"default of {param.name} is cut"
    for name in getattr(command, "commands", {}):
        assert name in words


@pytest.mark.parametrize("columns", [80], indirect=True)
def test_flags_show_no_type_and_long_options_stay_whole(
    capsys: pytest.CaptureFixture[str], columns: int
) -> None:
    out = _render(capsys, ("prod-image", "build"))
    lines = [line.strip(BORDERS + " ") for line in out.splitlines()]
    assert "--install-distributions-from-context" in lines
    assert "--push" in lines
    extras = "".join(out.split()).replace("││", "")
    assert "[default:amazon,async,celery,cncf-kubernetes" in extras


@pytest.mark.parametrize("columns", [200], indirect=True)
def test_help_is_at_most_max_content_width(
    capsys: pytest.CaptureFixture[str], columns: int
) -> None:
    assert max(len(line) for line in _render(capsys, ()).splitlines()) == 120
