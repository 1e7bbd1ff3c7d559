"""`breeze ci-image`: build and verify the CI image (the production image plus developer tools)."""

from breeze.cli import build_commands as build
from breeze.cli.groups import takes
from breeze.cli.prod_image_commands import verify, verify_group
from breeze.cli.root import BreezeTyper
from breeze.cli.run_groups import RUN
from breeze.core import defaults

app = BreezeTyper(no_args_is_help=True)  # its help: cli/root.py COMMANDS
app.command("build")(build.build_ci_image)

verify_ci = takes(verify_group(defaults.CI_TARGET), RUN)(verify.__wrapped__)
verify_ci.__doc__ = (
    "Check a CI image: Airflow and Python versions, pip check, pytest, ipdb and the tools."
)
app.command("verify")(verify_ci)
