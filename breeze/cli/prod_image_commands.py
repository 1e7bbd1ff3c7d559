"""`breeze prod-image`: build, verify and inspect the production image."""

from pathlib import Path
from typing import Annotated

import typer

from breeze.cli import build_commands as build
from breeze.cli import sbom_commands as sbom
from breeze.cli.options import (
    AirflowExtrasOpt,
    AirflowVersionOpt,
    AnswerOpt,
    DebianVersionOpt,
    DockerHostOpt,
    DryRunOpt,
    ImageArg,
    PythonOpt,
    VerboseOpt,
    accepting_answer,
)
from breeze.cli.root import BreezeTyper
from breeze.core import defaults

app = BreezeTyper(help="Build and check the Airflow production image.", no_args_is_help=True)
app.command("build")(build.build_prod_image)


def verify_command(
    image: ImageArg = None,
    python: PythonOpt = defaults.DEFAULT_PYTHON,
    debian_version: DebianVersionOpt = defaults.DEFAULT_DEBIAN_VERSION,
    install_airflow_version: AirflowVersionOpt = defaults.DEFAULT_AIRFLOW_VERSION,
    airflow_extras: AirflowExtrasOpt = defaults.DEFAULT_AIRFLOW_EXTRAS_CSV,
    docker_host: DockerHostOpt = None,
    dry_run: DryRunOpt = False,
    verbose: VerboseOpt = False,
    answer: AnswerOpt = None,
    ci: bool = False,
) -> None:
    """Check a built image: versions, providers, pip check, users, no compiler, entrypoint."""
    from breeze.core.image_params import ImageSpec, VerifyParams, default_image_tag
    from breeze.core.parsing import split_csv
    from breeze.core.run_options import RunOptions

    spec = ImageSpec(
        python=python,
        debian_version=debian_version,
        airflow_version=install_airflow_version,
        airflow_extras=split_csv(airflow_extras),
        target=defaults.CI_TARGET if ci else defaults.PROD_TARGET,
    )
    params = VerifyParams(image or default_image_tag(spec), spec, docker_host or None)
    from breeze.services.verify import verify_image

    verify_image(params, RunOptions(dry_run, verbose, answer), ci=ci)


app.command("verify")(build.with_fixed(verify_command, ci=False))
app.command("sbom")(sbom.sbom)
app.command("scan")(sbom.scan)


@app.command("export-context")
def export_context(
    folder: Annotated[
        Path,
        typer.Argument(
            help="New or empty folder to write into.",
            metavar="FOLDER",
            file_okay=False,
            resolve_path=True,
        ),
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite breeze's files in a non-empty folder.")
    ] = False,
    dry_run: DryRunOpt = False,
    verbose: VerboseOpt = False,
    answer: AnswerOpt = None,
) -> None:
    """Write the Dockerfile and its scripts into FOLDER: review, change, build without breeze."""
    from breeze.core.run_options import RunOptions
    from breeze.services.export_context import export_context as export

    export(folder, force, RunOptions(dry_run, verbose, answer))


@app.command("extras")
@accepting_answer
def extras(install_airflow_version: AirflowVersionOpt = defaults.DEFAULT_AIRFLOW_VERSION) -> None:
    """List the extras of an Airflow version and the providers each installs."""
    from breeze.core import airflow_meta
    from breeze.core.errors import InvalidInput

    release = airflow_meta.get_release(install_airflow_version)
    if release is None:
        raise InvalidInput(
            f"Airflow {install_airflow_version} is not in breeze's release data; choose a known "
            f"version ({', '.join(airflow_meta.known_versions()[:5])}, ...) or upgrade breeze"
        )
    for name in airflow_meta.extras_of(release):
        providers = ", ".join(sorted(release.extras[name])) or "-"
        print(f"{name}\t{providers}")
