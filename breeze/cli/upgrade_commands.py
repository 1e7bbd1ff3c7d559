"""`breeze upgrade-check`: the DAG folder and the image against a newer Airflow."""

# No `from __future__ import annotations`: typer reads the signatures at runtime.
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from breeze.cli.dags_commands import REPORT, DagsFolderArg, JsonOpt, TimeoutOpt
from breeze.cli.groups import Group, Option, takes
from breeze.cli.image_groups import IMAGE_SPEC
from breeze.cli.options import COMMON, PythonVersion
from breeze.cli.run_groups import BUILD_SETTINGS, RUN
from breeze.core.dag_report import DEFAULT_IMPORT_TIMEOUT
from breeze.core.image_params import ImageBuildParams
from breeze.core.run_options import RunOptions
from breeze.core.upgrade_params import BREAKING, FAIL_ON, UpgradeCheckParams

ToVersionOpt = Annotated[
    str,
    typer.Option(
        "--to-version",
        help="The newer Airflow version to check against.",
        rich_help_panel=COMMON,
        show_default=False,
    ),
]
ToPythonOpt = Annotated[
    PythonVersion | None,
    typer.Option(
        "--to-python",
        help="Python of the target image; default the current one's.",
        rich_help_panel=COMMON,
        show_default=False,
    ),
]
ToImageTagOpt = Annotated[
    str | None,
    typer.Option(
        "--to-image-tag",
        help="Tag of the target image; default breeze/airflow:<to-version>-python<python>.",
        rich_help_panel=COMMON,
        show_default=False,
    ),
]
ReportOpt = Annotated[
    Path | None,
    typer.Option(
        "--report",
        help="Also write the report as Markdown to this file.",
        dir_okay=False,
        resolve_path=True,
        rich_help_panel=REPORT,
        show_default=False,
    ),
]
FailOnOpt = Annotated[
    Literal[FAIL_ON],  # type: ignore[valid-type]
    typer.Option(
        "--fail-on",
        help="Exit 1 when something is this bad: breaking, warning (or worse), never.",
        rich_help_panel=REPORT,
    ),
]
SETTINGS = BUILD_SETTINGS.without("platform", "push")


def _params(
    dags_folder: Path | None = None,
    to_version: str = "",
    to_python: str | None = None,
    to_image_tag: str | None = None,
    report: Path | None = None,
    json: bool = False,
    fail_on: str = BREAKING,
    import_timeout: float = DEFAULT_IMPORT_TIMEOUT,
    **options: Any,
) -> UpgradeCheckParams:
    """The current image as the options build it, and the target and report options."""
    settings = SETTINGS.build(**{o.name: options.pop(o.name) for o in SETTINGS.options})
    current = ImageBuildParams(IMAGE_SPEC.build(**options), settings)
    return UpgradeCheckParams(
        current, to_version, to_python, dags_folder, report, json, fail_on, import_timeout,
        to_image_tag,
    )  # fmt: skip


UPGRADE = Group(
    "params",
    (
        Option("dags_folder", DagsFolderArg, None),
        Option("to_version", ToVersionOpt, ...),
        Option("to_python", ToPythonOpt, None),
        Option("to_image_tag", ToImageTagOpt, None),
        *IMAGE_SPEC.options,
        *SETTINGS.options,
        Option("report", ReportOpt, None),
        Option("json", JsonOpt, False),
        Option("fail_on", FailOnOpt, BREAKING),
        Option("import_timeout", TimeoutOpt, DEFAULT_IMPORT_TIMEOUT),
    ),
    _params,
)


@takes(UPGRADE, RUN)
def upgrade_check(params: UpgradeCheckParams, run: RunOptions) -> None:
    """Build both images, compare them and the DAGs' imports, lint; exit 1 at --fail-on."""
    from breeze.io.session import Session
    from breeze.services.upgrade_check import check_upgrade

    check_upgrade(params, Session(run))
