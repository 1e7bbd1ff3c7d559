"""Every option shared between commands, declared once as an Annotated alias."""

# No `from __future__ import annotations`: typer reads these aliases at runtime.
import sys
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import typer

from breeze.core.config import REMEMBERED_KEYS
from breeze.core.defaults import (
    ALLOWED_ANSWERS,
    ALLOWED_BUILD_PROGRESS,
    ALLOWED_DEBIAN_VERSIONS,
    ALLOWED_PYTHON_VERSIONS,
    MAX_AIRFLOW_UID,
)

CONTENT = "Image content"
BUILD = "Build"
COMMON = "Common"

PythonVersion = Literal[ALLOWED_PYTHON_VERSIONS]  # type: ignore[valid-type]
DebianVersion = Literal[ALLOWED_DEBIAN_VERSIONS]  # type: ignore[valid-type]
BuildProgress = Literal[ALLOWED_BUILD_PROGRESS]  # type: ignore[valid-type]
Answer = Literal[ALLOWED_ANSWERS]  # type: ignore[valid-type]
ConstraintsMode = Literal[
    "constraints", "constraints-no-providers", "constraints-source-providers", "none"
]


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


PythonOpt = Annotated[
    PythonVersion,
    option("--python", "-p", help="Python major.minor of the image.", panel=CONTENT),
]
DebianVersionOpt = Annotated[
    DebianVersion,
    option("--debian-version", help="Debian release of the base image.", panel=CONTENT),
]
PythonBaseImageOpt = Annotated[
    str | None,
    option(
        "--python-base-image",
        help="Base image; default python:<python>-slim-<debian-version>.",
        panel=CONTENT,
        show_default=False,
    ),
]
AirflowVersionOpt = Annotated[
    str,
    option(
        "--install-airflow-version", help="Airflow version to install from PyPI.", panel=CONTENT
    ),
]
AirflowExtrasOpt = Annotated[
    str,
    option("--airflow-extras", help="Comma-separated Airflow extras.", panel=CONTENT),
]
AdditionalExtrasOpt = Annotated[
    str,
    option(
        "--additional-extras",
        "--additional-airflow-extras",
        help="Extras added to --airflow-extras.",
        panel=CONTENT,
        show_default=False,
    ),
]
AdditionalPythonDepsOpt = Annotated[
    str,
    option(
        "--additional-python-deps",
        help="Space-separated requirements installed after Airflow, e.g. 'numpy==2.3.0'.",
        panel=CONTENT,
        show_default=False,
    ),
]
AdditionalDevDepsOpt = Annotated[
    str,
    option(
        "--additional-dev-deps",
        "--additional-dev-apt-deps",
        help="Space-separated apt packages for the build stage only (e.g. headers).",
        panel=CONTENT,
        show_default=False,
    ),
]
AdditionalRuntimeDepsOpt = Annotated[
    str,
    option(
        "--additional-runtime-deps",
        "--additional-runtime-apt-deps",
        help="Space-separated apt packages for the final image.",
        panel=CONTENT,
        show_default=False,
    ),
]
AirflowUidOpt = Annotated[
    int,
    option(
        "--airflow-uid",
        help="UID of the airflow user (group 0).",
        panel=CONTENT,
        number_hint=f"use a UID from 1 to {MAX_AIRFLOW_UID}",
    ),
]
AirflowHomeOpt = Annotated[
    str, option("--airflow-home", help="AIRFLOW_HOME and working directory.", panel=CONTENT)
]
AirflowUserHomeDirOpt = Annotated[
    str, option("--airflow-user-home-dir", help="Home of the airflow user.", panel=CONTENT)
]
EmbeddedDagsOpt = Annotated[
    Path | None,
    option(
        "--embedded-dags",
        help="Folder copied into ${AIRFLOW_HOME}/dags (the last, small layer).",
        panel=CONTENT,
        exists=True,
        file_okay=False,
        dir_okay=True,
        resolve_path=True,
        show_default=False,
    ),
]
InstallationMethodOpt = Annotated[
    str,
    option(
        "--installation-method",
        help="'pypi', a pip URL (git+https://...@ref) or a local Airflow source folder.",
        panel=CONTENT,
    ),
]
FromContextOpt = Annotated[
    bool,
    option(
        "--install-distributions-from-context",
        help="Install only the wheels in docker-context-files/, without an index (air-gapped).",
        panel=CONTENT,
    ),
]
DockerContextFilesOpt = Annotated[
    Path | None,
    option(
        "--docker-context-files",
        help="Folder of wheels and constraints for the build; default docker-context-files/.",
        panel=CONTENT,
        exists=True,
        file_okay=False,
        resolve_path=True,
        show_default=False,
    ),
]
UseUvOpt = Annotated[
    bool, option("--use-uv/--no-use-uv", help="Install with uv (else pip).", panel=CONTENT)
]
ConstraintsModeOpt = Annotated[
    ConstraintsMode,
    option(
        "--airflow-constraints-mode",
        help=f"Which constraints pin the install: {', '.join(get_args(ConstraintsMode))}.",
        panel=CONTENT,
        metavar="<mode>",
    ),
]
ConstraintsReferenceOpt = Annotated[
    str | None,
    option(
        "--airflow-constraints-reference",
        help="Git ref of the official constraints; default constraints-<version>.",
        panel=CONTENT,
        show_default=False,
    ),
]
ConstraintsLocationOpt = Annotated[
    str | None,
    option(
        "--airflow-constraints-location",
        help="Constraints URL, or a file name in --docker-context-files; overrides mode/reference.",
        panel=CONTENT,
        show_default=False,
    ),
]
ContextOpt = Annotated[
    Path | None,
    option(
        "--context",
        help="Build from this folder (see `prod-image export-context`), not breeze's own.",
        panel=BUILD,
        file_okay=False,
        resolve_path=True,
        show_default=False,
    ),
]
ImageTagOpt = Annotated[
    str | None,
    option(
        "--image-tag",
        "-t",
        help="Tag of the image; default breeze/airflow:<version>-python<python>.",
        panel=BUILD,
        show_default=False,
    ),
]
PlatformOpt = Annotated[
    str | None,
    option(
        "--platform", help="Target platform(s), e.g. linux/amd64.", panel=BUILD, show_default=False
    ),
]
PushOpt = Annotated[
    bool, option("--push", help="Push the image instead of loading it.", panel=BUILD)
]
BuilderOpt = Annotated[
    str | None, option("--builder", help="buildx builder to use.", panel=BUILD, show_default=False)
]
DockerHostOpt = Annotated[
    str | None,
    option(
        "--docker-host",
        help="Docker engine to use (sets DOCKER_HOST).",
        panel=BUILD,
        show_default=False,
    ),
]
BuildProgressOpt = Annotated[
    BuildProgress,
    option(
        "--build-progress",
        help="auto: live status on a terminal, plain lines otherwise.",
        panel=BUILD,
    ),
]
CaBundleOpt = Annotated[
    str | None,
    option(
        "--ca-bundle",
        help="CA bundle apt, pip and uv trust in the build (a secret, in no layer); 'auto': "
        "the host's.",
        panel=BUILD,
        metavar="<PATH|auto>",
        show_default=False,
    ),
]
CaBundleInImageOpt = Annotated[
    bool,
    option(
        "--ca-bundle-in-image",
        help="Also add the --ca-bundle to the image's trust store.",
        panel=BUILD,
    ),
]
NoProxyForwardOpt = Annotated[
    bool,
    option(
        "--no-proxy-forward",
        help="Do not forward HTTP(S)_PROXY, NO_PROXY, ALL_PROXY to the build and containers.",
        panel=BUILD,
    ),
]
BuildSecretOpt = Annotated[
    list[str] | None,
    option(
        "--build-secret",
        help="A file the install steps read, in no layer; NAME: pip-conf, uv-toml, netrc.",
        panel=BUILD,
        metavar="<id=NAME,src=PATH>",
        show_default=False,
    ),
]
DryRunOpt = Annotated[
    bool,
    option(
        "--dry-run", "-D", help="Print the commands, copy-pastable, and run nothing.", panel=COMMON
    ),
]
VerboseOpt = Annotated[
    bool, option("--verbose", "-v", help="Print every command run.", panel=COMMON)
]
AnswerOpt = Annotated[
    Answer | None,
    option(
        "--answer",
        "-a",
        help="Answer every question with yes, no or quit.",
        panel=COMMON,
        show_default=False,
    ),
]
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
