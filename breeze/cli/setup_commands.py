"""`breeze setup`: shell completion, and where option values come from."""

# No `from __future__ import annotations`: typer reads the signatures at runtime.
from typing import Annotated, Literal

import typer

from breeze.cli.groups import Group, Option, fields_of, takes
from breeze.cli.options import COMMON, flag
from breeze.cli.root import BreezeTyper
from breeze.cli.run_groups import RUN
from breeze.core.config import CompletionSetup
from breeze.core.run_options import RunOptions

app = BreezeTyper(no_args_is_help=True)  # its help: cli/root.py COMMANDS

ShellOpt = Annotated[
    Literal["bash", "zsh", "fish", "powershell"] | None,
    typer.Option(
        "--shell",
        help="Shell to set up: bash, zsh, fish or powershell; default the one you run.",
        show_default=False,
        rich_help_panel=COMMON,
    ),
]
ForceOpt = flag(
    "--force", help="Replace a completion file breeze did not write.", panel=COMMON, env=False
)
UninstallOpt = flag(
    "--uninstall", help="Remove what `setup autocomplete` added.", panel=COMMON, env=False
)
ResetOpt = flag("--reset", help="Forget the remembered choices.", panel=COMMON, env=False)
RESET = Group("reset", (Option("reset", ResetOpt, False),), lambda reset: reset)


COMPLETION = fields_of(
    "params",
    CompletionSetup,
    Option("shell", ShellOpt, None),
    Option("force", ForceOpt, False),
    Option("uninstall", UninstallOpt, False),
)


@app.command("autocomplete")
@takes(COMPLETION, RUN.without("verbose"))
def autocomplete(params: CompletionSetup, run: RunOptions) -> None:
    """Set up TAB completion for your shell (idempotent; --uninstall reverts it)."""
    from breeze.completion.installer import setup_completion
    from breeze.io.session import Session

    setup_completion(params, Session(run))


@app.command("config")
@takes(RESET, RUN.only("answer"))
def config(ctx: typer.Context, reset: bool, run: RunOptions) -> None:
    """Show the remembered choices and breeze.toml, and where each current default comes from."""
    from breeze.cli.introspect import command_facts, show_value
    from breeze.io.session import Session
    from breeze.services import configuration

    session = Session(run)
    if reset:
        configuration.forget(session)
        return
    facts = command_facts(ctx.find_root().command)
    settings = configuration.current_settings(facts, session)
    for line in configuration.config_lines(settings, session, show_value):
        print(line)
