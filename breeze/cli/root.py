"""The root of the command tree: its settings, its callback and the summaries of its commands."""

from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from breeze import __version__

APP_HELP = "Build, verify and develop with Apache Airflow container images."

# The top-level commands in the order `breeze --help` lists them, with their one-line summary.
# breeze.cli.app registers each with this summary; `breeze --help` renders from this table alone,
# without importing the commands (tests/unit/cli/test_app.py keeps the two renderings equal).
COMMANDS: tuple[tuple[str, str], ...] = (
    ("build-image", "Build the CI image; with `--production-image` the production image."),
    (
        "shell",
        "A shell in the CI image with the backend started and migrated, the project mounted.",
    ),
    (
        "start-airflow",
        "Start Airflow 3 (api-server, scheduler, dag-processor, triggerer) and wait until healthy.",
    ),
    ("exec", "Run a command (default bash) in a running service of the folder's Airflow stack."),
    ("logs", "Show the logs of the folder's Airflow stack, or of one service."),
    ("ps", "List the containers of the folder's Airflow stack and their health."),
    ("down", "Stop the folder's stacks: containers and networks; the database volume stays."),
    (
        "testing",
        "Run the project's tests with pytest in the CI image against a fresh database.",
    ),
    (
        "upgrade-check",
        "Check the DAGs against a newer Airflow: what breaks, what changes, what to rename.",
    ),
    (
        "doctor",
        "Check this machine for builds and dev environments; exit 1 when a required check fails.",
    ),
    ("wizard", "Answer a few questions; get the equivalent command, run it or save the answers."),
    ("prod-image", "Build and check the Airflow production image."),
    ("ci-image", "Build and check the CI image: the production image plus developer tools."),
    ("constraints", "Show, generate and check the constraints that pin an Airflow install."),
    ("dags", "Check DAG files in the image: imports, DAG ids, import time, missing packages."),
    ("setup", "Set up shell completion and see where option values come from."),
)
SUMMARY = dict(COMMANDS)
HELP_ARGS = (["--help"], ["-h"])


def _version(value: bool) -> None:
    """Print the version and exit."""
    if value:
        print(f"breeze {__version__}")
        raise typer.Exit()


def main(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> Any:
    """Build, verify and develop with Apache Airflow container images."""
    if ctx.invoked_subcommand is None:
        from breeze.cli import wizard_command as wizard

        return wizard.offer(ctx)
    return None


class BreezeCommand(TyperCommand):
    """A command whose help breeze renders (breeze.ui.help)."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """Print the help: it stays readable at 80 columns."""
        from breeze.ui.help import print_help

        print_help(self, ctx)


class BreezeGroup(TyperGroup):
    """A group whose help breeze renders (breeze.ui.help)."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        """Print the help: it stays readable at 80 columns."""
        from breeze.ui.help import print_help

        print_help(self, ctx)


class BreezeTyper(typer.Typer):
    """A typer app whose groups and commands render breeze's help."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("cls", BreezeGroup)
        super().__init__(**kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Any:
        """Register a command (typer.Typer.command) of breeze's command class."""
        kwargs.setdefault("cls", BreezeCommand)
        return super().command(*args, **kwargs)


def new_app() -> typer.Typer:
    """The root app with its options and no commands yet."""
    app = BreezeTyper(
        name="breeze",
        help=APP_HELP,
        invoke_without_command=True,  # no command: offer the wizard on a terminal, else the help
        add_completion=False,
        rich_markup_mode="rich",
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 120},
    )
    app.callback()(main)
    return app


def _never_run() -> None:
    """Stands for a command in the help-only app."""


def help_only_app() -> typer.Typer:
    """The root app with every command as a summary only: enough to render `breeze --help`."""
    app = new_app()
    for name, summary in COMMANDS:
        app.command(name, short_help=summary)(_never_run)
    return app
