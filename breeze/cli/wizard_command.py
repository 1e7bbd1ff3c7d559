"""`breeze wizard`, also offered by `breeze` alone on a terminal."""

# No `from __future__ import annotations`: typer reads the signatures at runtime.
import typer

from breeze.cli.groups import takes
from breeze.cli.run_groups import RUN
from breeze.core.errors import RunCommand
from breeze.core.run_options import RunOptions


@takes(RUN.without("verbose"))
def wizard(ctx: typer.Context, run: RunOptions) -> RunCommand | None:
    """`wizard`: the command tree and current settings, to the wizard service."""
    return _run_wizard(ctx.find_root().command, run)


def _run_wizard(root: object, run: RunOptions) -> RunCommand | None:
    """The wizard over the command tree ROOT; a plan to run comes back as a RunCommand."""
    from breeze.cli.introspect import command_facts
    from breeze.io.session import Session
    from breeze.services import configuration
    from breeze.services.wizard import WizardParams, run_wizard

    session = Session(run)
    facts = command_facts(root)
    settings = configuration.current_settings(facts, session)
    argv = run_wizard(WizardParams(facts, settings), session)
    return RunCommand(argv) if argv else None


def offer(ctx: typer.Context) -> RunCommand | None:
    """`breeze` without a command: offer the wizard on a terminal, else print the help."""
    from breeze.ui import prompts

    if prompts.is_interactive() and prompts.confirm_now(
        "No command given. Start the wizard (it asks what to do and shows the command)?"
    ):
        return _run_wizard(ctx.command, RunOptions())
    print(ctx.get_help())
    raise typer.Exit(0 if prompts.is_interactive() else 2)
