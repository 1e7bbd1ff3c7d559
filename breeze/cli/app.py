"""The breeze command tree: every top-level command with its one summary from cli/root.py."""

from collections.abc import Callable
from typing import Any

import typer

from breeze.cli import (
    build_commands,
    ci_image_commands,
    constraints_commands,
    dags_commands,
    devenv_commands,
    doctor_command,
    prod_image_commands,
    setup_commands,
    upgrade_commands,
    wizard_command,
)
from breeze.cli.root import SUMMARY, new_app

app = new_app()


def _group(name: str, group: typer.Typer) -> None:
    """Add a command group, its help the summary."""
    app.add_typer(group, name=name, help=SUMMARY[name], short_help=SUMMARY[name])


def _command(name: str, command: Callable[..., Any], **settings: Any) -> None:
    """Add a command, its help the summary; SETTINGS are click's context settings."""
    app.command(name, help=SUMMARY[name], short_help=SUMMARY[name], context_settings=settings)(
        command
    )


_group("prod-image", prod_image_commands.app)
_command("build-image", build_commands.build_image)
_group("ci-image", ci_image_commands.app)
_command("shell", devenv_commands.shell)
_command("start-airflow", devenv_commands.start_airflow)
_command("exec", devenv_commands.exec_)
_command("logs", devenv_commands.logs)
_command("ps", devenv_commands.ps)
_command("down", devenv_commands.down)
# pytest's own options (-k, -x, --lf) pass through without `--`
_command("testing", devenv_commands.testing, ignore_unknown_options=True)
_group("constraints", constraints_commands.app)
_group("dags", dags_commands.app)
_command("upgrade-check", upgrade_commands.upgrade_check)
_group("setup", setup_commands.app)
_command("doctor", doctor_command.doctor)
_command("wizard", wizard_command.wizard)
