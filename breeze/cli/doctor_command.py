"""`breeze doctor`: check this machine and its Docker engine before a build or a dev environment."""

# No `from __future__ import annotations`: typer reads the signatures at runtime.
from typing import Annotated

import typer

from breeze.cli.options import (
    AirflowUidOpt,
    AirflowVersionOpt,
    AnswerOpt,
    ApiPortOpt,
    DebianVersionOpt,
    DockerHostOpt,
    FlowerPortOpt,
    ImageTagOpt,
    PlatformOpt,
    PythonOpt,
    VerboseOpt,
)
from breeze.core import defaults
from breeze.core import devenv_params as env_defaults

JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print the checks as JSON instead of a table.")
]


def doctor(
    json_output: JsonOpt = False,
    api_port: ApiPortOpt = env_defaults.DEFAULT_API_PORT,
    flower_port: FlowerPortOpt = env_defaults.DEFAULT_FLOWER_PORT,
    platform: PlatformOpt = None,
    image_tag: ImageTagOpt = None,
    airflow_uid: AirflowUidOpt = defaults.DEFAULT_AIRFLOW_UID,
    python: PythonOpt = defaults.DEFAULT_PYTHON,
    debian_version: DebianVersionOpt = defaults.DEFAULT_DEBIAN_VERSION,
    install_airflow_version: AirflowVersionOpt = defaults.DEFAULT_AIRFLOW_VERSION,
    docker_host: DockerHostOpt = None,
    verbose: VerboseOpt = False,
    answer: AnswerOpt = None,
) -> None:
    """Check this machine for builds and dev environments; exit 1 when a required check fails."""
    from breeze.core.doctor_checks import DoctorParams
    from breeze.core.image_params import ImageSpec, default_image_tag
    from breeze.core.run_options import RunOptions
    from breeze.services.doctor import run_doctor

    spec = ImageSpec(
        python=python, debian_version=debian_version, airflow_version=install_airflow_version
    )
    params = DoctorParams(
        docker_host=docker_host or None,
        api_port=api_port,
        flower_port=flower_port,
        platform=platform or None,
        image=image_tag or default_image_tag(spec),
        airflow_uid=airflow_uid,
        json=json_output,
    )
    run_doctor(params, RunOptions(verbose=verbose, answer=answer))
