"""`breeze doctor`: check this machine and its Docker engine before a build or a dev environment."""

# No `from __future__ import annotations`: typer reads the signatures at runtime.
from typing import Annotated, Any

import typer

from breeze.cli.devenv_options import (
    ApiPortOpt,
    FlowerPortOpt,
)
from breeze.cli.groups import Group, Option, takes
from breeze.cli.image_groups import IMAGE_SPEC
from breeze.cli.run_groups import BUILD_SETTINGS, ENGINE, RUN
from breeze.core import devenv_params as env_defaults
from breeze.core.doctor_facts import DoctorParams
from breeze.core.image_params import default_image_tag
from breeze.core.run_options import RunOptions

JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print the checks as JSON instead of a table.")
]


def _doctor_params(
    json_output: bool = False,
    api_port: int = env_defaults.DEFAULT_API_PORT,
    flower_port: int = env_defaults.DEFAULT_FLOWER_PORT,
    platform: str | None = None,
    image_tag: str | None = None,
    **image: Any,
) -> DoctorParams:
    """What doctor checks against: the ports, the platform, the image the options would build."""
    spec = IMAGE_SPEC.build(**image)
    return DoctorParams(
        api_port=api_port,
        flower_port=flower_port,
        platform=platform or None,
        image=image_tag or default_image_tag(spec),
        airflow_uid=spec.airflow_uid,
        json=json_output,
    )


DOCTOR = Group(
    "params",
    (
        Option("json_output", JsonOpt, False),
        Option("api_port", ApiPortOpt, env_defaults.DEFAULT_API_PORT),
        Option("flower_port", FlowerPortOpt, env_defaults.DEFAULT_FLOWER_PORT),
        *BUILD_SETTINGS.only("platform", "image_tag").options,
        *IMAGE_SPEC.only(
            "airflow_uid", "python", "debian_version", "install_airflow_version"
        ).options,
        *ENGINE.options,
    ),
    _doctor_params,
)


@takes(DOCTOR, RUN.without("dry_run"))
def doctor(params: DoctorParams, run: RunOptions) -> None:
    """`doctor`: what to check against, to the doctor service."""
    from breeze.io.session import Session
    from breeze.services.doctor import run_doctor

    run_doctor(params, Session(run))
