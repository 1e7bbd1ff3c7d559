"""The breeze command tree."""

import typer

from breeze import __version__
from breeze.cli import build, ci_image, dev_env, prod_image
from breeze.cli import constraints as constraints_cli
from breeze.cli import doctor as doctor_cli
from breeze.cli import setup as setup_cli
from breeze.cli import wizard as wizard_cli

app = typer.Typer(
    name="breeze",
    help="Build, verify and develop with Apache Airflow container images.",
    invoke_without_command=True,  # no command: offer the wizard on a terminal, else the help
    add_completion=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 120},
)
app.add_typer(prod_image.app, name="prod-image")
app.command("build-image")(build.build_image)
app.add_typer(ci_image.app, name="ci-image")
app.command("shell")(dev_env.shell)
app.command("start-airflow")(dev_env.start_airflow)
app.command("exec")(dev_env.exec_)
app.command("logs")(dev_env.logs)
app.command("ps")(dev_env.ps)
app.command("down")(dev_env.down)
app.add_typer(constraints_cli.app, name="constraints")
app.add_typer(setup_cli.app, name="setup")
app.command("doctor")(doctor_cli.doctor)
app.command("wizard")(wizard_cli.wizard)


def _version(value: bool) -> None:
    """Print the version and exit."""
    if value:
        print(f"breeze {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Build, verify and develop with Apache Airflow container images."""
    if ctx.invoked_subcommand is None:
        wizard_cli.offer(ctx)
