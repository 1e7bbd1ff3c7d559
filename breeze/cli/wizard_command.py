"""`breeze wizard`, also offered by `breeze` alone on a terminal."""

# No `from __future__ import annotations`: typer reads the signatures at runtime.
import typer

from breeze.cli.options import DryRunOpt


def wizard(ctx: typer.Context, dry_run: DryRunOpt = False) -> None:
    """Answer a few questions; get the equivalent command, run it or save the answers."""
    from breeze.services.wizard import run_wizard

    code = run_wizard(ctx.find_root().command, dry_run=dry_run)
    if code:
        raise typer.Exit(code)


def offer(ctx: typer.Context) -> None:
    """`breeze` without a command: offer the wizard on a terminal, else print the help."""
    from breeze.ui import prompts

    if prompts.is_interactive() and prompts.confirm_now(
        "No command given. Start the wizard (it asks what to do and shows the command)?"
    ):
        from breeze.services.wizard import run_wizard

        raise typer.Exit(run_wizard(ctx.command))
    print(ctx.get_help())
    raise typer.Exit(0 if prompts.is_interactive() else 2)
