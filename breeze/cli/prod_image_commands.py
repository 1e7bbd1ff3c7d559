"""`breeze prod-image`: build, verify and inspect the production image."""

# No `from __future__ import annotations`: typer reads the signatures at runtime.
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from breeze.cli import build_commands as build
from breeze.cli import sbom_commands as sbom
from breeze.cli.groups import Group, Option, fields_of, takes
from breeze.cli.image_groups import IMAGE_SPEC
from breeze.cli.options import ImageArg
from breeze.cli.root import BreezeTyper
from breeze.cli.run_groups import ENGINE, RUN
from breeze.core import defaults
from breeze.core.image_params import ExportContextParams, VerifyParams
from breeze.core.layer_diff import CompareParams
from breeze.core.run_options import RunOptions

app = BreezeTyper(no_args_is_help=True)  # its help: cli/root.py COMMANDS
app.command("build")(build.build_prod_image)


VerifyPlatformOpt = Annotated[
    str | None,
    typer.Option(
        "--platform",
        help="Check this variant of a multi-platform image, e.g. linux/arm64 (emulated when "
        "foreign; pull it first with `docker pull --platform`).",
        show_default=False,
    ),
]


def verify_group(target: str) -> Group:
    """The options of `verify`: the image, and what it should contain; TARGET: prod or CI."""

    def params(
        image: str | None = None, platform: str | None = None, **expected: Any
    ) -> VerifyParams:
        spec = replace(IMAGE_SPEC.build(**expected), target=target)
        return VerifyParams(image, spec, platform or None)

    expected = ("python", "debian_version", "install_airflow_version", "airflow_extras")
    options = (
        Option("image", ImageArg, None),
        Option("platform", VerifyPlatformOpt, None),
        *IMAGE_SPEC.only(*expected).options,
    )
    return Group("params", (*options, *ENGINE.options), params)


@takes(verify_group(defaults.PROD_TARGET), RUN)
def verify(params: VerifyParams, run: RunOptions) -> None:
    """Check a built image: versions, providers, pip check, users, no compiler, entrypoint."""
    from breeze.io.session import Session
    from breeze.services.verify import verify_image

    verify_image(params, Session(run))


app.command("verify")(verify)

InputsJsonOpt = Annotated[bool, typer.Option("--json", help="Print them as JSON.")]


def _inputs_params(image: str | None = None, **expected: Any) -> VerifyParams:
    """The image: the given one, else the one the options build."""
    return VerifyParams(image, replace(IMAGE_SPEC.build(**expected), target=defaults.PROD_TARGET))


INPUTS = Group(
    "params",
    (
        Option("image", ImageArg, None),
        *IMAGE_SPEC.only("python", "debian_version", "install_airflow_version").options,
        *ENGINE.options,
    ),
    _inputs_params,
)


@app.command("inputs")
@takes(INPUTS, RUN)
def inputs(params: VerifyParams, run: RunOptions, json: InputsJsonOpt = False) -> None:
    """Print an image's ID and registry digests, and the inputs its labels record."""
    from breeze.io.session import Session
    from breeze.services.image_identity import show_inputs

    show_inputs(params, json, Session(run))


CompareImageArg = Annotated[
    str, typer.Argument(help="The first image.", metavar="IMAGE", show_default=False)
]
CompareOtherArg = Annotated[
    str,
    typer.Argument(help="The image to compare it with.", metavar="OTHER", show_default=False),
]
CompareJsonOpt = Annotated[bool, typer.Option("--json", help="Print the comparison as JSON.")]
OtherHostOpt = Annotated[
    str | None,
    typer.Option(
        "--other-docker-host",
        help="Engine holding the second image, e.g. tcp://ci-runner:2376 (default: the same).",
        show_default=False,
    ),
]
COMPARE = Group(
    "params",
    (
        Option("image", CompareImageArg, ...),
        Option("other", CompareOtherArg, ...),
        Option("other_docker_host", OtherHostOpt, None),
        Option("json", CompareJsonOpt, False),
        *ENGINE.options,
    ),
    lambda image, other, other_docker_host=None, json=False, **_: CompareParams(
        image, other, other_docker_host or None, json
    ),
)


@app.command("compare")
@takes(COMPARE, RUN)
def compare(params: CompareParams, run: RunOptions) -> None:
    """Compare two images layer by layer; name the files that differ and why; exit 1 if any."""
    from breeze.io.session import Session
    from breeze.services.image_compare import compare as compare_images

    compare_images(params, Session(run))


app.command("sbom")(sbom.sbom)
app.command("scan")(sbom.scan)


ExportFolderArg = Annotated[
    Path,
    typer.Argument(
        help="New or empty folder to write into.",
        metavar="FOLDER",
        file_okay=False,
        resolve_path=True,
    ),
]
ForceOpt = Annotated[
    bool, typer.Option("--force", help="Overwrite breeze's files in a non-empty folder.")
]
EXPORT = fields_of(
    "params",
    ExportContextParams,
    Option("folder", ExportFolderArg, ...),
    Option("force", ForceOpt, False),
)


@app.command("export-context")
@takes(EXPORT, RUN)
def export_context(params: ExportContextParams, run: RunOptions) -> None:
    """Write the Dockerfile and its scripts into FOLDER: review, change, build without breeze."""
    from breeze.io.session import Session
    from breeze.services.export_context import write_context

    write_context(params, Session(run))


EXTRAS_VERSION = Group(
    "version",
    IMAGE_SPEC.only("install_airflow_version").options,
    lambda install_airflow_version: install_airflow_version,
)


@app.command("extras")
@takes(EXTRAS_VERSION, RUN.only("answer"))
def extras(version: str, run: RunOptions) -> None:
    """List the extras of an Airflow version and the providers each installs."""
    from breeze.io.session import Session
    from breeze.services.extras import list_extras

    list_extras(version, Session(run))
