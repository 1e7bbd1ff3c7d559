"""`breeze prod-image sbom` and `scan`: what is in an image, and what is known to be bad."""

# No `from __future__ import annotations`: typer reads the signatures at runtime.
from pathlib import Path
from typing import Annotated

import typer

from breeze.cli.options import AnswerOpt, DockerHostOpt, DryRunOpt, VerboseOpt

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
FailOnVulnsOpt = Annotated[
    bool,
    typer.Option(
        "--fail-on-vulns", help="Exit 1 when any vulnerability is found.", rich_help_panel=REPORT
    ),
]
JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print the findings as JSON.", rich_help_panel=REPORT)
]


def sbom(
    image: ExistingImageArg,
    output: OutputOpt = None,
    docker_host: DockerHostOpt = None,
    dry_run: DryRunOpt = False,
    verbose: VerboseOpt = False,
    answer: AnswerOpt = None,
) -> None:
    """Write a CycloneDX JSON SBOM of an image: its Python and Debian packages."""
    from breeze.core.run_options import RunOptions
    from breeze.core.scan_params import SbomParams
    from breeze.services.sbom import write_sbom

    write_sbom(SbomParams(image, output, docker_host or None), RunOptions(dry_run, verbose, answer))


def scan(
    image: ExistingImageArg,
    advisory_db: AdvisoryDbOpt = None,
    fail_on_vulns: FailOnVulnsOpt = False,
    json: JsonOpt = False,
    docker_host: DockerHostOpt = None,
    dry_run: DryRunOpt = False,
    verbose: VerboseOpt = False,
    answer: AnswerOpt = None,
) -> None:
    """Audit an image's Python packages for known vulnerabilities (pip-audit, or offline)."""
    from breeze.core.run_options import RunOptions
    from breeze.core.scan_params import ScanParams
    from breeze.services.scan import scan_image

    params = ScanParams(image, advisory_db, fail_on_vulns, json, docker_host or None)
    scan_image(params, RunOptions(dry_run, verbose, answer))
