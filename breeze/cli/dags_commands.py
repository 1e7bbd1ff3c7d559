"""`breeze dags`: what a DAG author checks in the image before deploying."""

# No `from __future__ import annotations`: typer reads the signatures at runtime.
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from breeze.cli.groups import Group, Option, takes
from breeze.cli.image_groups import IMAGE_SPEC
from breeze.cli.options import COMMON, flag
from breeze.cli.root import BreezeTyper
from breeze.cli.run_groups import ENGINE, RUN
from breeze.core import defaults
from breeze.core.dag_report import DEFAULT_IMPORT_TIMEOUT, DagCheckParams
from breeze.core.run_options import RunOptions

app = BreezeTyper(no_args_is_help=True)  # its help: cli/root.py COMMANDS

REPORT = "Report"
DagsFolderArg = Annotated[
    Path | None,
    typer.Argument(
        help="Folder of DAG files; default dags/ of the working folder.",
        metavar="DAGS_FOLDER",
        show_default=False,
    ),
]
ImageOpt = Annotated[
    str | None,
    typer.Option(
        "--image",
        help="Image to check in; default the image the options build.",
        show_default=False,
        rich_help_panel=COMMON,
    ),
]
CiOpt = flag("--ci", help="Check in the CI image the options build.", panel=COMMON, env=False)
JsonOpt = flag("--json", help="Print the report as JSON.", panel=REPORT, env=False)
JunitOpt = Annotated[
    Path | None,
    typer.Option(
        "--junit-xml",
        help="Also write the report as JUnit XML to this file (for CI systems).",
        dir_okay=False,
        resolve_path=True,
        show_default=False,
        rich_help_panel=REPORT,
    ),
]
TimeoutOpt = Annotated[
    float,
    typer.Option(
        "--import-timeout",
        help="Seconds a file may take to import (Airflow's dagbag_import_timeout).",
        rich_help_panel=REPORT,
    ),
]
EXPECTED = ("python", "debian_version", "install_airflow_version", "airflow_extras")


def _params(
    dags_folder: Path | None = None,
    image: str | None = None,
    ci: bool = False,
    json: bool = False,
    junit_xml: Path | None = None,
    import_timeout: float = DEFAULT_IMPORT_TIMEOUT,
    **spec: Any,
) -> DagCheckParams:
    """The folder, the image (the one the options build unless given), the report."""
    target = defaults.CI_TARGET if ci else defaults.PROD_TARGET
    built = replace(IMAGE_SPEC.build(**spec), target=target)
    return DagCheckParams(dags_folder, image, built, json, junit_xml, import_timeout)


CHECK = Group(
    "params",
    (
        Option("dags_folder", DagsFolderArg, None),
        Option("image", ImageOpt, None),
        Option("ci", CiOpt, False),
        *IMAGE_SPEC.only(*EXPECTED).options,
        Option("json", JsonOpt, False),
        Option("junit_xml", JunitOpt, None),
        Option("import_timeout", TimeoutOpt, DEFAULT_IMPORT_TIMEOUT),
        *ENGINE.options,
    ),
    _params,
)


@app.command("check")
@takes(CHECK, RUN)
def check(params: DagCheckParams, run: RunOptions) -> None:
    """Import every DAG file in a throw-away container of the image; exit 1 when any fails."""
    from breeze.io.session import Session
    from breeze.services.dag_check import check_dags

    check_dags(params, Session(run))
