"""The breeze command tree."""

import typer

from breeze import __version__
from breeze.cli import build, prod_image
from breeze.cli import constraints as constraints_cli

app = typer.Typer(
    name="breeze",
    help="Build, verify and develop with Apache Airflow container images.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 120},
)
app.add_typer(prod_image.app, name="prod-image")
app.command("build-image")(build.build_image)
app.add_typer(constraints_cli.app, name="constraints")


def _version(value: bool) -> None:
    """Print the version and exit."""
    if value:
        print(f"breeze {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Build, verify and develop with Apache Airflow container images."""
