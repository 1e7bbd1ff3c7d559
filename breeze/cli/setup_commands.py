"""`breeze setup`: shell completion and configuration; and the config defaults of every command.

``configure`` turns breeze.toml and the remembered choices into click's ``default_map`` (which
click consults after the command line and the BREEZE_* variables) and marks in each option's
help where its current value comes from.
"""

# No `from __future__ import annotations`: typer reads the signatures at runtime.
import os
from collections.abc import Iterator
from typing import Annotated, Any, Literal

import typer

from breeze.cli.options import COMMON, DryRunOpt, accepting_answer
from breeze.cli.root import BreezeTyper

app = BreezeTyper(
    help="Set up shell completion and see where option values come from.", no_args_is_help=True
)

ShellOpt = Annotated[
    Literal["bash", "zsh", "fish", "powershell"] | None,
    typer.Option(
        "--shell",
        help="Shell to set up: bash, zsh, fish or powershell; default the one you run.",
        show_default=False,
        rich_help_panel=COMMON,
    ),
]
ForceOpt = Annotated[
    bool,
    typer.Option(
        "--force", help="Replace a completion file breeze did not write.", rich_help_panel=COMMON
    ),
]
UninstallOpt = Annotated[
    bool,
    typer.Option(
        "--uninstall", help="Remove what `setup autocomplete` added.", rich_help_panel=COMMON
    ),
]
ResetOpt = Annotated[
    bool,
    typer.Option("--reset", help="Forget the remembered choices.", rich_help_panel=COMMON),
]


@app.command("autocomplete")
@accepting_answer
def autocomplete(
    shell: ShellOpt = None,
    force: ForceOpt = False,
    uninstall: UninstallOpt = False,
    dry_run: DryRunOpt = False,
) -> None:
    """Set up TAB completion for your shell (idempotent; --uninstall reverts it)."""
    from breeze.completion.installer import setup_completion

    setup_completion(shell, uninstall=uninstall, force=force, dry_run=dry_run)


@app.command("config")
@accepting_answer
def config(ctx: typer.Context, reset: ResetOpt = False) -> None:
    """Show the remembered choices and breeze.toml, and where each current default comes from."""
    from breeze.io import files as config_store
    from breeze.ui import console

    if reset:
        if config_store.forget():
            console.success(f"Forgot the remembered choices ({config_store.remembered_file()}).")
        else:
            console.info("No remembered choices to forget.")
        return
    for line in config_lines(ctx.find_root().command):
        print(line)


def config_lines(root: Any) -> list[str]:
    """The text `setup config` prints: the files, then each option's value(s) and their source."""
    from breeze.core.config import DEFAULT, REMEMBERED_KEYS
    from breeze.io.files import project_file, read_remembered, remembered_file

    by_key: dict[str, dict[tuple[str, str], Any]] = {}
    for (_, key), setting in current_settings(root).items():
        by_key.setdefault(key, {})[_show(setting.value), setting.where] = setting
    rows = []
    for key, found in sorted(by_key.items()):
        chosen = [pair for pair, setting in found.items() if setting.source != DEFAULT]
        if not chosen and key in REMEMBERED_KEYS:
            chosen = list(found)
        rows += [(key, value, where) for value, where in chosen]
    remembered = read_remembered()
    rows += [
        (key, _show(value), "remembered (no command takes it yet)")
        for key, value in remembered.items()
        if key not in by_key
    ]
    width = max([len(key) for key, _, _ in rows] + [6])
    file_path = project_file()
    lines = [
        f"breeze.toml: {file_path} ({'present' if file_path.is_file() else 'none'})",
        f"remembered:  {remembered_file()} ({len(remembered)} choices)",
        "",
        f"{'option':<{width}}  {'value':<16}  from",
    ]
    lines += [f"{key:<{width}}  {value:<16}  {where}" for key, value, where in rows]
    return lines


# Arguments that take their default from an option's key (verify checks the tag you build).
_ARGUMENT_KEYS = {"image": "image-tag"}


def iter_commands(
    command: Any, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every (path, command) of the tree, groups included."""
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from iter_commands(sub, (*path, name))


def iter_options(command: Any) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every (command path, parameter) that breeze.toml may set."""
    for path, node in iter_commands(command):
        for param in getattr(node, "params", []):
            kind = getattr(param, "param_type_name", "")
            option = kind == "option" and not getattr(param, "is_eager", False)
            if option or (kind == "argument" and param.name in _ARGUMENT_KEYS):
                yield path, param


def param_key(param: Any) -> str:
    """The config key of a parameter: its long option name, or the option an argument follows."""
    from breeze.core.config import option_key

    if getattr(param, "param_type_name", "") == "argument":
        return _ARGUMENT_KEYS[param.name]
    return option_key([*param.opts, *param.secondary_opts])


def command_facts(root: Any) -> dict[tuple[str, ...], dict[str, Any]]:
    """What the config needs to know of each option key, per command path (groups included)."""
    from breeze.core.config import OptionFacts

    commands: dict[tuple[str, ...], dict[str, OptionFacts]] = {
        path: {} for path, _ in iter_commands(root)
    }
    for path, param in iter_options(root):
        descriptor = getattr(param, "type_descriptor", None)
        choices = getattr(descriptor, "choices", None) or ()
        commands[path][param_key(param)] = OptionFacts(
            key=param_key(param),
            envvar=param.envvar if isinstance(param.envvar, str) else None,
            default=param.default,
            choices=tuple(str(choice) for choice in choices),
            multiple=bool(param.multiple),
            flag=bool(getattr(param, "is_flag", False)),
        )
    return commands


def current_settings(root: Any) -> dict[tuple[tuple[str, ...], str], Any]:
    """Each (command path, option key)'s value without flags, and its source."""
    from breeze.core.config import check_file_values, check_remembered, resolve
    from breeze.io.files import project_file, read_project, read_remembered

    commands = command_facts(root)
    file_values = check_file_values(read_project(), commands, str(project_file()))
    remembered = check_remembered(read_remembered(), commands)
    return {
        (path, key): resolve(facts, path, os.environ, file_values, remembered)
        for path, options in commands.items()
        for key, facts in options.items()
    }


def configure(root: Any) -> dict[str, Any]:
    """The default_map from breeze.toml and remembered choices; help shows each value's source."""
    from breeze.core.config import DEFAULT, FILE, REMEMBERED

    settings = current_settings(root)
    default_map: dict[str, Any] = {}
    for path, param in iter_options(root):
        setting = settings[path, param_key(param)]
        if setting.source == DEFAULT:
            continue
        param.show_default = f"{_show(setting.value)} from {setting.where}"
        if setting.source in (FILE, REMEMBERED):
            # named in errors about the value (breeze.cli.options.value_source)
            remembered = "your remembered choices, shown by `breeze setup config`"
            param.breeze_source = remembered if setting.source == REMEMBERED else setting.where
            node = default_map
            for part in path:
                node = node.setdefault(part, {})
            node[param.name] = [setting.value] if param.multiple else setting.value
    return default_map


def _show(value: Any) -> str:
    """A value as the user writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(str(item) for item in value)
    return "-" if value is None else str(value)
