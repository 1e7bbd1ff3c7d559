"""Command help that stays readable at 80 columns: nothing is cut, flags show no type."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.text import Text

# Below this many columns for an option's help, each help goes under its option instead.
MIN_HELP_WIDTH = 40
STACKED_INDENT = 4
GAP = 2
# Panel border and padding: one column each side.
PANEL_FRAME = 4
ARGUMENTS = "Arguments"
OPTIONS = "Options"
COMMANDS = "Commands"
_OPTION_RE = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*")


@dataclass(frozen=True)
class Entry:
    """One option or argument as the help shows it."""

    names: str
    metavar: str
    help: str
    default: str
    required: bool
    aliases: tuple[str, ...] = ()

    @property
    def width(self) -> int:
        """The columns its names take: the first line with the metavar, an alias a line."""
        first = f"{self.names} {self.metavar}" if self.metavar else self.names
        return max(len(line) for line in (first, *self.aliases))


def print_help(command: Any, ctx: Any) -> None:
    """Print a command's help to stdout, as wide as the terminal up to max_content_width."""
    from rich.console import Console

    console = Console(highlight=False)
    console.width = min(console.width, ctx.max_content_width or console.width)
    for renderable in render(command, ctx, console):
        console.print(renderable)


def render(command: Any, ctx: Any, console: Console) -> Iterator[RenderableType]:
    """The help's parts: usage, description, then a panel per group of options and commands."""
    from rich.text import Text

    width = console.width
    usage = Text(command.get_usage(ctx), style="bold")
    usage.stylize("yellow", 0, len("Usage:"))
    yield Text("")
    yield _indented(console, usage, width)
    description = inspect.cleandoc(command.help or "").partition("\f")[0]
    if description:
        first, *rest = description.split("\n\n")
        yield Text("")
        yield _indented(console, Text(" ".join(first.split())), width)
        for paragraph in rest:
            yield Text("")
            yield _indented(console, Text(" ".join(paragraph.split()), style="dim"), width)
    yield Text("")
    panels = _param_panels(command, ctx)
    entries = [entry for _, panel in panels for entry in panel]
    inner = width - PANEL_FRAME
    left = max((entry.width for entry in entries), default=0)
    stacked = left + GAP + MIN_HELP_WIDTH > inner
    for title, panel in panels:
        yield _panel(title, _entries_table(console, panel, left, inner, stacked))
    for title, rows in _command_panels(command, ctx):
        yield _panel(title, _commands_table(rows))
    if command.epilog:
        yield Text("")
        yield _indented(console, Text(" ".join(inspect.cleandoc(command.epilog).split())), width)


def _indented(console: Console, text: Text, width: int) -> Text:
    """TEXT wrapped to WIDTH with a one-column margin each side, without trailing spaces."""
    from rich.text import Text

    lines = text.wrap(console, width - 2)
    for line in lines:
        line.rstrip()
    indented = Text(" ")
    indented.append(Text("\n ").join(lines))
    return indented


def _param_panels(command: Any, ctx: Any) -> list[tuple[str, list[Entry]]]:
    """Arguments, then options, each grouped by help panel in order of first appearance."""
    arguments: dict[str, list[Entry]] = {ARGUMENTS: []}
    options: dict[str, list[Entry]] = {OPTIONS: []}
    for param in command.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        is_argument = param.param_type_name == "argument"
        panels = arguments if is_argument else options
        default_title = ARGUMENTS if is_argument else OPTIONS
        title = getattr(param, "rich_help_panel", None) or default_title
        panels.setdefault(title, []).append(_entry(param, ctx))
    return [
        (title, entries) for title, entries in [*arguments.items(), *options.items()] if entries
    ]


def _entry(param: Any, ctx: Any) -> Entry:
    """How one parameter is shown."""
    aliases: tuple[str, ...] = ()
    if param.param_type_name == "argument":
        name = param.metavar or param.name
        names = f"{name}..." if param.nargs != 1 else name
        metavar = ""
    else:
        long = [opt for opt in param.opts if opt.startswith("--")]
        short = [opt for opt in param.opts if not opt.startswith("--")]
        names = ", ".join(long[:1] + short)
        if param.secondary_opts:
            names += " / " + ", ".join(param.secondary_opts)
        metavar = "" if getattr(param, "is_flag", False) else _metavar(param, ctx)
        aliases = tuple(long[1:])
    return Entry(
        names=names,
        metavar=metavar,
        help=" ".join((getattr(param, "help", None) or "").split()),
        default=_default(param, ctx),
        required=bool(param.required),
        aliases=aliases,
    )


def _metavar(param: Any, ctx: Any) -> str:
    """The value's placeholder, e.g. <str> or <3.12|3.13>."""
    display = getattr(param, "display_type_rich", None)
    if display is not None:
        return display(ctx=ctx) or ""
    return param.make_metavar(ctx)


def _default(param: Any, ctx: Any) -> str:
    """The default as the help states it; empty when there is none to state."""
    show = getattr(param, "show_default", None)
    if show is None:
        show = ctx.show_default
    if isinstance(show, str):  # e.g. "3.12 from breeze.toml" (breeze.cli.setup_commands.configure)
        return f"({show})"
    if not show:
        return ""
    resilient, ctx.resilient_parsing = ctx.resilient_parsing, True
    try:
        value = param.get_default(ctx, call=False)
    finally:
        ctx.resilient_parsing = resilient
    if getattr(param, "is_flag", False):
        if param.secondary_opts:  # name the flag that is on: --use-uv / --no-use-uv
            return (param.opts if value else param.secondary_opts)[0].lstrip("-")
        return ""
    if value is None or value == "" or callable(value):
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    return str(value.value if isinstance(value, Enum) else value)


def _help_text(console: Console, entry: Entry, width: int) -> Text:
    """An option's help, then its default and whether it is required, each kept whole."""
    from rich.text import Text

    text = Text(entry.help)
    for match in _OPTION_RE.finditer(entry.help):
        text.stylize("bold cyan", match.start(), match.end())
    notes = []
    if entry.default:
        notes.append((_breakable(f"[default: {entry.default}]", width), "dim"))
    if entry.required:
        notes.append(("[required]", "dim red"))
    for note, style in notes:
        last = len(text.wrap(console, width)[-1]) if text.plain else -1
        # a note that does not fit after the last line starts a line of its own
        fits = last + 1 + len(note.split("\n")[0]) <= width
        text.append((" " if fits else "\n") if text.plain else "")
        text.append(note, style=style)
    return text


def _breakable(value: str, width: int) -> str:
    """VALUE in lines of at most WIDTH, broken at spaces or after commas."""
    lines = [""]
    for piece in re.findall(r"[^,\s]*,?\s*", value):
        if lines[-1] and len(lines[-1]) + len(piece.rstrip()) > width:
            lines.append("")
        lines[-1] += piece
    return "\n".join(line.rstrip() for line in lines)


def _left_text(entry: Entry) -> Text:
    """An option's names and metavar, styled."""
    from rich.text import Text

    text = Text(entry.names, style="bold cyan")
    if entry.metavar:
        text.append(" ")
        text.append(entry.metavar, style="yellow")
    for alias in entry.aliases:
        text.append(f"\n{alias}", style="cyan")
    text.overflow = "fold"  # only a metavar wider than the whole panel is ever folded
    return text


def _entries_table(
    console: Console, entries: list[Entry], left: int, inner: int, stacked: bool
) -> RenderableType:
    """The options of one panel: two columns, or each help under its option when narrow."""
    from rich.padding import Padding
    from rich.table import Table

    table = Table.grid(padding=(0, GAP, 0, 0), expand=True)
    if stacked:
        table.add_column(overflow="fold")
        for entry in entries:
            table.add_row(_left_text(entry))
            help_text = _help_text(console, entry, inner - STACKED_INDENT)
            if help_text.plain:
                table.add_row(Padding(help_text, (0, 0, 0, STACKED_INDENT)))
        return table
    table.add_column(width=left, no_wrap=True)
    table.add_column(ratio=1, overflow="fold")
    for entry in entries:
        table.add_row(_left_text(entry), _help_text(console, entry, inner - left - GAP))
    return table


def _command_panels(command: Any, ctx: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    """A group's subcommands and their summaries, grouped by help panel."""
    panels: dict[str, list[tuple[str, str]]] = {}
    for name in getattr(command, "list_commands", lambda _: [])(ctx):
        sub = command.get_command(ctx, name)
        if sub is None or sub.hidden:
            continue
        summary = sub.short_help or inspect.cleandoc(sub.help or "").split("\n\n")[0]
        title = getattr(sub, "rich_help_panel", None) or COMMANDS
        panels.setdefault(title, []).append((name, " ".join(summary.split())))
    return list(panels.items())


def _commands_table(rows: list[tuple[str, str]]) -> RenderableType:
    """Command names and their summaries."""
    from rich.table import Table
    from rich.text import Text

    table = Table.grid(padding=(0, GAP, 0, 0), expand=True)
    table.add_column(no_wrap=True, style="bold cyan")
    table.add_column(ratio=1)
    for name, summary in rows:
        table.add_row(Text(name), Text(summary))
    return table


def _panel(title: str, body: RenderableType) -> RenderableType:
    """A titled, rounded box."""
    from rich.panel import Panel

    return Panel(body, title=title, title_align="left", border_style="dim")
