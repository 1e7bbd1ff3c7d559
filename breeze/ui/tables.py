"""Tables printed by commands."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.table import Table

    from breeze.doctor import Row
    from breeze.verify_checks import Outcome


def outcome_table(title: str, outcomes: Iterable[Outcome]) -> Table:
    """A check / result / detail table."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left")
    table.add_column("Check")
    table.add_column("Result")
    table.add_column("Detail", overflow="fold")
    for outcome in outcomes:
        result = "[green]ok[/]" if outcome.ok else "[red]FAILED[/]"
        detail = Text(outcome.detail)
        if outcome.expected:  # an error the check wanted: labelled, so it does not read as one
            detail.append(f"\nexpected: {outcome.expected}", style="dim")
        table.add_row(Text(outcome.name), result, detail)
    return table


def doctor_table(rows: Iterable[Row]) -> Table:
    """A check / status / detail / fix table of `breeze doctor`."""
    from rich.table import Table
    from rich.text import Text

    colours = {"ok": "green", "warn": "yellow", "fail": "red"}
    table = Table(title="breeze doctor", title_justify="left")
    table.add_column("Check")
    table.add_column("Status")
    table.add_column("Detail", overflow="fold")
    table.add_column("Fix", overflow="fold")
    for row in rows:
        status = Text(row.status, style=colours.get(row.status, ""))
        table.add_row(Text(row.check), status, Text(row.detail), Text(row.hint))
    return table
