"""`breeze constraints`: show, generate and check the constraints that pin an Airflow install."""

# No `from __future__ import annotations`: typer reads the signatures at runtime.
from pathlib import Path
from typing import Annotated

import typer

from breeze.cli.options import (
    CONTENT,
    AirflowExtrasOpt,
    AirflowVersionOpt,
    AnswerOpt,
    BuildSecretOpt,
    CaBundleOpt,
    ConstraintsLocationOpt,
    ConstraintsModeOpt,
    ConstraintsReferenceOpt,
    DebianVersionOpt,
    DockerContextFilesOpt,
    DockerHostOpt,
    DryRunOpt,
    InstallationMethodOpt,
    NoProxyForwardOpt,
    PythonBaseImageOpt,
    PythonOpt,
    VerboseOpt,
    installation_method_value,
)
from breeze.cli.root import BreezeTyper
from breeze.core import defaults
from breeze.core.image_params import ImageSpec

app = BreezeTyper(
    help="Show, generate and check the constraints that pin an Airflow install.",
    no_args_is_help=True,
)

PythonsOpt = Annotated[
    list[str],
    typer.Option(
        "--python",
        "-p",
        help=(
            "Python major.minor, repeatable or comma-separated "
            f"({', '.join(defaults.ALLOWED_PYTHON_VERSIONS)}); one container each, in parallel."
        ),
        metavar="X.Y",
        envvar="BREEZE_PYTHON",
        show_envvar=False,
        rich_help_panel=CONTENT,
    ),
]
OutputDirOpt = Annotated[
    Path,
    typer.Option(
        "--output-dir",
        "-o",
        help="Folder for the <mode>-<python>.txt files.",
        file_okay=False,
        resolve_path=True,
    ),
]
RequirementsOpt = Annotated[
    Path,
    typer.Option(
        "--requirements",
        "-r",
        help="Requirements file to check against Airflow and its constraints.",
        exists=True,
        dir_okay=False,
        resolve_path=True,
    ),
]


def _spec(
    python: str,
    debian_version: str,
    python_base_image: str | None,
    install_airflow_version: str,
    airflow_extras: str,
    mode: str,
    reference: str | None,
    location: str | None,
    installation_method: str = defaults.PYPI_INSTALLATION_METHOD,
    docker_context_files: Path | None = None,
) -> ImageSpec:
    """The image spec the options describe."""
    from breeze.core.parsing import split_csv

    return ImageSpec(
        python=python,
        debian_version=debian_version,
        python_base_image=python_base_image or None,
        airflow_version=install_airflow_version,
        airflow_extras=split_csv(airflow_extras),
        installation_method=installation_method_value(installation_method),
        docker_context_files=docker_context_files,
        constraints_mode=mode,
        constraints_reference=reference or None,
        constraints_location=location or None,
    )


@app.command("show")
def show(
    python: PythonOpt = defaults.DEFAULT_PYTHON,
    debian_version: DebianVersionOpt = defaults.DEFAULT_DEBIAN_VERSION,
    python_base_image: PythonBaseImageOpt = None,
    install_airflow_version: AirflowVersionOpt = defaults.DEFAULT_AIRFLOW_VERSION,
    airflow_extras: AirflowExtrasOpt = defaults.DEFAULT_AIRFLOW_EXTRAS_CSV,
    installation_method: InstallationMethodOpt = defaults.PYPI_INSTALLATION_METHOD,
    docker_context_files: DockerContextFilesOpt = None,
    airflow_constraints_mode: ConstraintsModeOpt = "constraints",
    airflow_constraints_reference: ConstraintsReferenceOpt = None,
    airflow_constraints_location: ConstraintsLocationOpt = None,
    dry_run: DryRunOpt = False,
    verbose: VerboseOpt = False,
    answer: AnswerOpt = None,
) -> None:
    """Show which constraints the options resolve to, whether cached, and the key pins."""
    from breeze.core.run_options import RunOptions
    from breeze.services.constraints import show_constraints

    spec = _spec(
        python,
        debian_version,
        python_base_image,
        install_airflow_version,
        airflow_extras,
        airflow_constraints_mode,
        airflow_constraints_reference,
        airflow_constraints_location,
        installation_method,
        docker_context_files,
    )
    show_constraints(spec, RunOptions(dry_run, verbose, answer))


@app.command("generate")
def generate(
    python: PythonsOpt = [defaults.DEFAULT_PYTHON],  # noqa: B006 (typer copies defaults)
    install_airflow_version: AirflowVersionOpt = defaults.DEFAULT_AIRFLOW_VERSION,
    airflow_extras: AirflowExtrasOpt = defaults.DEFAULT_AIRFLOW_EXTRAS_CSV,
    airflow_constraints_mode: ConstraintsModeOpt = "constraints",
    debian_version: DebianVersionOpt = defaults.DEFAULT_DEBIAN_VERSION,
    python_base_image: PythonBaseImageOpt = None,
    output_dir: OutputDirOpt = Path("."),
    docker_host: DockerHostOpt = None,
    ca_bundle: CaBundleOpt = None,
    no_proxy_forward: NoProxyForwardOpt = False,
    build_secret: BuildSecretOpt = None,
    dry_run: DryRunOpt = False,
    verbose: VerboseOpt = False,
    answer: AnswerOpt = None,
) -> None:
    """Resolve constraints with uv in a container per Python; write <mode>-<python>.txt.

    A --python-base-image may hold {python}, replaced by each Python version.
    """
    from breeze.cli.build_commands import network_options, with_network
    from breeze.core.build_args import build_secrets
    from breeze.core.constraint_files import GenerateParams, split_pythons
    from breeze.core.image_params import ImageBuildParams
    from breeze.core.parsing import split_csv
    from breeze.core.run_options import RunOptions
    from breeze.services.constraints import generate_constraints

    params = GenerateParams(
        pythons=split_pythons(python),
        airflow_version=install_airflow_version,
        airflow_extras=split_csv(airflow_extras),
        constraints_mode=airflow_constraints_mode,
        debian_version=debian_version,
        python_base_image=python_base_image or None,
        output_dir=output_dir,
        docker_host=docker_host or None,
        # the same secrets (CA bundle, index credentials) as a build with these options
        secrets=build_secrets(
            with_network(
                ImageBuildParams(),
                network_options(ca_bundle, False, no_proxy_forward, build_secret),
                False,
                no_proxy_forward,
            ).settings
        ),
        proxy_forward=not no_proxy_forward,
    )
    generate_constraints(params, RunOptions(dry_run, verbose, answer))


@app.command("check")
def check(
    requirements: RequirementsOpt,
    python: PythonOpt = defaults.DEFAULT_PYTHON,
    debian_version: DebianVersionOpt = defaults.DEFAULT_DEBIAN_VERSION,
    python_base_image: PythonBaseImageOpt = None,
    install_airflow_version: AirflowVersionOpt = defaults.DEFAULT_AIRFLOW_VERSION,
    airflow_extras: AirflowExtrasOpt = defaults.DEFAULT_AIRFLOW_EXTRAS_CSV,
    docker_context_files: DockerContextFilesOpt = None,
    airflow_constraints_mode: ConstraintsModeOpt = "constraints",
    airflow_constraints_reference: ConstraintsReferenceOpt = None,
    airflow_constraints_location: ConstraintsLocationOpt = None,
    docker_host: DockerHostOpt = None,
    dry_run: DryRunOpt = False,
    verbose: VerboseOpt = False,
    answer: AnswerOpt = None,
) -> None:
    """Check that a requirements file resolves with Airflow under the constraints (exit 0/1)."""
    from breeze.core.constraint_files import CheckParams
    from breeze.core.run_options import RunOptions
    from breeze.services.constraints import check_requirements

    spec = _spec(
        python,
        debian_version,
        python_base_image,
        install_airflow_version,
        airflow_extras,
        airflow_constraints_mode,
        airflow_constraints_reference,
        airflow_constraints_location,
        docker_context_files=docker_context_files,
    )
    check_requirements(
        CheckParams(spec, requirements, docker_host or None), RunOptions(dry_run, verbose, answer)
    )
