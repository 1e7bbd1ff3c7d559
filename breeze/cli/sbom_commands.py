"""`breeze prod-image sbom` and `scan`: what is in an image, and what is known to be bad."""

# No `from __future__ import annotations`: typer reads the signatures at runtime.
from pathlib import Path
from typing import Annotated

import typer

from breeze.cli.groups import Option, fields_of, takes
from breeze.cli.options import flag
from breeze.cli.run_groups import ENGINE, RUN
from breeze.core.run_options import RunOptions
from breeze.core.scan_params import SbomParams, ScanParams

REPORT = "Report"

ExistingImageArg = Annotated[
    str,
    typer.Argument(help="Image in the engine (never pulled), e.g. breeze/airflow:3.3.2-python3.13"),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="File for the CycloneDX JSON, written atomically; default stdout.",
        dir_okay=False,
        resolve_path=True,
        show_default=False,
        rich_help_panel=REPORT,
    ),
]
AdvisoryDbOpt = Annotated[
    Path | None,
    typer.Option(
        "--advisory-db",
        help="Folder of OSV advisories (a PyPA advisory-database copy): scan offline.",
        exists=True,
        file_okay=False,
        resolve_path=True,
        envvar="BREEZE_ADVISORY_DB",
        show_envvar=False,
        show_default=False,
        rich_help_panel=REPORT,
    ),
]
FailOnVulnsOpt = flag(
    "--fail-on-vulns", help="Exit 1 when any vulnerability is found.", panel=REPORT, env=False
)
JsonOpt = flag("--json", help="Print the findings as JSON.", panel=REPORT, env=False)


SBOM = fields_of(
    "params",
    SbomParams,
    Option("image", ExistingImageArg, ...),
    Option("output", OutputOpt, None),
)
SCAN = fields_of(
    "params",
    ScanParams,
    Option("image", ExistingImageArg, ...),
    Option("advisory_db", AdvisoryDbOpt, None),
    Option("fail_on_vulns", FailOnVulnsOpt, False),
    Option("json", JsonOpt, False),
)


@takes(SBOM, ENGINE, RUN)
def sbom(params: SbomParams, run: RunOptions) -> None:
    """Write a CycloneDX JSON SBOM of an image: its Python and Debian packages."""
    from breeze.io.session import Session
    from breeze.services.sbom import write_sbom

    write_sbom(params, Session(run))


@takes(SCAN, ENGINE, RUN)
def scan(params: ScanParams, run: RunOptions) -> None:
    """Audit an image's Python packages for known vulnerabilities (pip-audit, or offline)."""
    from breeze.io.session import Session
    from breeze.services.scan import scan_image

    scan_image(params, Session(run))
