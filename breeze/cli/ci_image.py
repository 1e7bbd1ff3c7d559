"""`breeze ci-image`: build and verify the CI image (the production image plus developer tools)."""

import typer

from breeze.cli import build
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
)
from breeze.params import defaults

app = typer.Typer(
    help="Build and check the CI image: the production image plus developer tools.",
    no_args_is_help=True,
)
app.command("build")(build.build_ci_image)


@app.command("verify")
def verify(
    image: ImageArg = None,
    python: PythonOpt = defaults.DEFAULT_PYTHON,
    debian_version: DebianVersionOpt = defaults.DEFAULT_DEBIAN_VERSION,
    install_airflow_version: AirflowVersionOpt = defaults.DEFAULT_AIRFLOW_VERSION,
    airflow_extras: AirflowExtrasOpt = defaults.DEFAULT_AIRFLOW_EXTRAS_CSV,
    docker_host: DockerHostOpt = None,
    dry_run: DryRunOpt = False,
    verbose: VerboseOpt = False,
    answer: AnswerOpt = None,
) -> None:
    """Check a CI image: Airflow and Python versions, pip check, pytest, ipdb and the tools."""
    from breeze.params.image import ImageSpec, VerifyParams, default_image_tag
    from breeze.params.parsing import split_csv
    from breeze.params.run import RunOptions

    spec = ImageSpec(
        python=python,
        debian_version=debian_version,
        airflow_version=install_airflow_version,
        airflow_extras=split_csv(airflow_extras),
        target=defaults.CI_TARGET,
    )
    params = VerifyParams(image or default_image_tag(spec), spec, docker_host or None)
    from breeze.docker.verify import verify_image

    verify_image(params, RunOptions(dry_run, verbose, answer), ci=True)
