"""Every option shared between commands, declared once as an Annotated alias."""

# No `from __future__ import annotations`: typer reads these aliases at runtime.
import sys
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from breeze.core.config import REMEMBERED_KEYS
from breeze.core.constraint_files import CONSTRAINTS_MODES, NO_CONSTRAINTS
from breeze.core.defaults import (
    ALLOWED_ANSWERS,
    ALLOWED_BUILD_PROGRESS,
    ALLOWED_DEBIAN_VERSIONS,
    ALLOWED_DOCKER_CACHE,
    ALLOWED_PYTHON_VERSIONS,
)

CONTENT = "Image content"
BUILD = "Build"
COMMON = "Common"

PythonVersion = Literal[ALLOWED_PYTHON_VERSIONS]  # type: ignore[valid-type]
DebianVersion = Literal[ALLOWED_DEBIAN_VERSIONS]  # type: ignore[valid-type]
BuildProgress = Literal[ALLOWED_BUILD_PROGRESS]  # type: ignore[valid-type]
DockerCache = Literal[ALLOWED_DOCKER_CACHE]  # type: ignore[valid-type]
Answer = Literal[ALLOWED_ANSWERS]  # type: ignore[valid-type]
ConstraintsMode = Literal[(*CONSTRAINTS_MODES, NO_CONSTRAINTS)]  # type: ignore[valid-type]
Bytecode = Literal["all", "imported", "none"]


# Where each option's value came from when not from the command line, e.g. {"--python":
# "BREEZE_PYTHON"}, filled as options are parsed: breeze.main names it in an error about them.
SOURCES: dict[str, str] = {}
# What to give an integer option instead of a word, for breeze.main's "is not a whole number".
NUMBER_HINTS: dict[str, str] = {}
# Values typed on a terminal's command line for REMEMBERED_KEYS: breeze.main remembers them.
TYPED: dict[str, str] = {}


def option(
    *names: str, help: str, panel: str, number_hint: str = "", **kwargs: Any
) -> typer.models.OptionInfo:
    """A typer option that also reads BREEZE_<LONG_NAME> from the environment."""
    envvar = "BREEZE_" + names[0].lstrip("-").replace("-", "_").upper()
    remembered = names[0].lstrip("-") in REMEMBERED_KEYS
    kwargs.setdefault("callback", _remember if remembered else _track)
    if number_hint:
        NUMBER_HINTS[names[0]] = number_hint
    return typer.Option(
        *names, help=help, envvar=envvar, show_envvar=False, rich_help_panel=panel, **kwargs
    )


def flag(*names: str, help: str, panel: str, env: bool = True) -> Any:
    """A boolean option (with BREEZE_<NAME> unless env is False)."""
    if env:
        return Annotated[bool, option(*names, help=help, panel=panel)]
    return Annotated[bool, typer.Option(*names, help=help, rich_help_panel=panel)]


def choice(*names: str, choices: tuple[str, ...], help: str, panel: str) -> Any:
    """An option whose value is one of CHOICES."""
    return Annotated[Literal[choices], option(*names, help=help, panel=panel)]  # type: ignore[valid-type]


def folder(*names: str, help: str, panel: str, **kwargs: Any) -> Any:
    """An optional folder option, made absolute; no default shown."""
    kwargs.update(file_okay=False, resolve_path=True, show_default=False)
    return Annotated[Path | None, option(*names, help=help, panel=panel, **kwargs)]


def value_source(ctx: Any, param: Any) -> str | None:
    """Where a value came from if not the command line: BREEZE_X, breeze.toml, remembered."""
    from typer._click.core import ParameterSource

    source = ctx.get_parameter_source(param.name)
    if source is ParameterSource.ENVIRONMENT:
        return param.envvar if isinstance(param.envvar, str) else "the environment"
    if source is ParameterSource.DEFAULT_MAP:
        # breeze.cli.setup_commands.configure notes the file (and table) or the remembered choices
        return getattr(param, "breeze_source", "breeze.toml")
    return None


def _track(ctx: typer.Context, param: typer.CallbackParam, value: Any) -> Any:
    """Note in SOURCES where the value came from when not from the command line."""
    if not ctx.resilient_parsing:
        where = value_source(ctx, param)
        if where:
            SOURCES[param.opts[0]] = where
    return value


def _remember(ctx: typer.Context, param: typer.CallbackParam, value: Any) -> Any:
    """Note a value typed on a terminal's command line (breeze.core.config.REMEMBERED_KEYS)."""
    _track(ctx, param, value)
    if value is not None and not ctx.resilient_parsing and sys.stdin.isatty():
        from typer._click.core import ParameterSource

        if ctx.get_parameter_source(param.name) is ParameterSource.COMMANDLINE:
            TYPED[param.opts[0].lstrip("-")] = str(value)
    return value


ImageArg = Annotated[
    str | None,
    typer.Argument(
        help="Image to check; default the image the options would build.", show_default=False
    ),
]


def installation_method_value(value: str) -> str:
    """The --installation-method value: a local folder made absolute, PyPI and URLs as given."""
    from breeze.core.image_params import installation_kind

    if installation_kind(value) != "local":
        return value
    return str(Path(value).expanduser().resolve())
