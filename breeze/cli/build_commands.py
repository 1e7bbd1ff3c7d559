"""The image build commands: `prod-image build`, `ci-image build` and the classic `build-image`."""

# No `from __future__ import annotations`: typer reads the signatures at runtime.
from dataclasses import replace
from typing import Annotated

import typer

from breeze.cli.groups import Group, Option, takes
from breeze.cli.image_groups import IMAGE_SPEC
from breeze.cli.options import COMMON
from breeze.cli.run_groups import BUILD_SETTINGS, RUN
from breeze.core import defaults
from breeze.core.image_params import BuildSettings, ImageBuildParams, ImageSpec
from breeze.core.run_options import RunOptions

ProductionImageOpt = Annotated[
    bool,
    typer.Option(
        "--production-image",
        help="Build the production image (without it: the CI image).",
        rich_help_panel=COMMON,
    ),
]


def build(spec: ImageSpec, settings: BuildSettings, run: RunOptions) -> None:
    """Build the image the params describe, with one session."""
    from breeze.io.session import Session
    from breeze.services.image_build import build_image

    build_image(ImageBuildParams(spec, settings), Session(run))


PRODUCTION = Group(
    "production_image",
    (Option("production_image", ProductionImageOpt, False),),
    lambda production_image: production_image,
)


@takes(IMAGE_SPEC, BUILD_SETTINGS, PRODUCTION, RUN)
def build_image(
    spec: ImageSpec, settings: BuildSettings, production_image: bool, run: RunOptions
) -> None:
    """The classic `build-image`: the CI image, or the production image with its flag."""
    target = defaults.PROD_TARGET if production_image else defaults.CI_TARGET
    build(replace(spec, target=target), settings, run)


@takes(IMAGE_SPEC, BUILD_SETTINGS, RUN)
def build_prod_image(spec: ImageSpec, settings: BuildSettings, run: RunOptions) -> None:
    """Build the Airflow production image."""
    build(replace(spec, target=defaults.PROD_TARGET), settings, run)


@takes(IMAGE_SPEC, BUILD_SETTINGS, RUN)
def build_ci_image(spec: ImageSpec, settings: BuildSettings, run: RunOptions) -> None:
    """Build the Airflow CI image: the production image plus developer tools."""
    build(replace(spec, target=defaults.CI_TARGET), settings, run)
