"""`breeze ci-image`: build and verify the CI image (the production image plus developer tools)."""

from breeze.cli import build_commands as build
from breeze.cli import prod_image_commands as prod_image
from breeze.cli.root import BreezeTyper

app = BreezeTyper(
    help="Build and check the CI image: the production image plus developer tools.",
    no_args_is_help=True,
)
app.command("build")(build.build_ci_image)


verify = build.with_fixed(prod_image.verify_command, ci=True)
verify.__doc__ = (
    "Check a CI image: Airflow and Python versions, pip check, pytest, ipdb and the tools."
)
app.command("verify")(verify)
