"""`breeze constraints`: show, generate and check the constraints that pin an Airflow install."""

# No `from __future__ import annotations`: typer reads the signatures at runtime.
from pathlib import Path
from typing import Annotated

import typer

from breeze.cli.groups import Group, Option, takes
from breeze.cli.image_groups import IMAGE_SPEC
from breeze.cli.options import CONTENT
from breeze.cli.root import BreezeTyper
from breeze.cli.run_groups import BUILD_SETTINGS, ENGINE, RUN, network_request
from breeze.core import defaults
from breeze.core.image_params import ImageSpec
from breeze.core.parsing import split_csv
from breeze.core.run_options import RunOptions
from breeze.core.uv_resolve import CheckParams, GenerateParams, split_pythons

app = BreezeTyper(no_args_is_help=True)  # its help: cli/root.py COMMANDS

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


SHOWN = (
    "python", "debian_version", "python_base_image", "install_airflow_version", "airflow_extras",
    "installation_method", "docker_context_files", "airflow_constraints_mode",
    "airflow_constraints_reference", "airflow_constraints_location",
)  # fmt: skip
CHECKED = (
    "python", "debian_version", "python_base_image", "install_airflow_version", "airflow_extras",
    "docker_context_files", "airflow_constraints_mode", "airflow_constraints_reference",
    "airflow_constraints_location",
)  # fmt: skip


def _generate_params(
    python: list[str],
    install_airflow_version: str = defaults.DEFAULT_AIRFLOW_VERSION,
    airflow_extras: str = defaults.DEFAULT_AIRFLOW_EXTRAS_CSV,
    airflow_constraints_mode: str = "constraints",
    debian_version: str = defaults.DEFAULT_DEBIAN_VERSION,
    python_base_image: str | None = None,
    output_dir: Path = Path("."),
    ca_bundle: str | None = None,
    no_proxy_forward: bool = False,
    build_secret: list[str] | None = None,
) -> GenerateParams:
    """What to resolve, where to write it, and the network options as given."""
    return GenerateParams(
        pythons=split_pythons(python),
        airflow_version=install_airflow_version,
        airflow_extras=split_csv(airflow_extras),
        constraints_mode=airflow_constraints_mode,
        debian_version=debian_version,
        python_base_image=python_base_image or None,
        output_dir=output_dir,
        proxy_forward=not no_proxy_forward,
        # the same secrets (CA bundle, index credentials) as a build with these options
        network=network_request(ca_bundle, False, no_proxy_forward, build_secret),
    )


GENERATE = Group(
    "params",
    (
        Option("python", PythonsOpt, [defaults.DEFAULT_PYTHON]),
        *IMAGE_SPEC.only(
            "install_airflow_version", "airflow_extras", "airflow_constraints_mode",
            "debian_version", "python_base_image",
        ).options,
        Option("output_dir", OutputDirOpt, Path(".")),
        *ENGINE.options,
        *BUILD_SETTINGS.only("ca_bundle", "no_proxy_forward", "build_secret").options,
    ),
    _generate_params,
)  # fmt: skip


@app.command("show")
@takes(IMAGE_SPEC.only(*SHOWN), RUN)
def show(spec: ImageSpec, run: RunOptions) -> None:
    """Show which constraints the options resolve to, whether cached, and the key pins."""
    from breeze.io.session import Session
    from breeze.services.constraints_show import show_constraints

    show_constraints(spec, Session(run))


@app.command("generate")
@takes(GENERATE, RUN)
def generate(params: GenerateParams, run: RunOptions) -> None:
    """Resolve constraints with uv in a container per Python; write <mode>-<python>.txt.

    A --python-base-image may hold {python}, replaced by each Python version.
    """
    from breeze.io.session import Session
    from breeze.services.constraints_generate import generate_constraints

    generate_constraints(params, Session(run))


@app.command("check")
@takes(IMAGE_SPEC.only(*CHECKED), ENGINE, RUN)
def check(requirements: RequirementsOpt, spec: ImageSpec, run: RunOptions) -> None:
    """Check that a requirements file resolves with Airflow under the constraints (exit 0/1)."""
    from breeze.io.session import Session
    from breeze.services.constraints_check import check_requirements

    check_requirements(CheckParams(spec, requirements), Session(run))
