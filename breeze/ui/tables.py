"""Tables printed by commands."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.table import Table
    from rich.text import Text

    from breeze.core.dag_report import FileResult
    from breeze.core.doctor_facts import Row
    from breeze.core.upgrade_report import UpgradeReport
    from breeze.core.verify_checks import Outcome


def outcome_table(title: str, outcomes: Iterable[Outcome], width: int = 80) -> Table:
    """A check / result / detail table."""
    from rich.text import Text

    outcomes = list(outcomes)
    details = []
    for outcome in outcomes:
        detail = Text(outcome.detail)
        if outcome.expected:  # an error the check wanted: labelled, so it does not read as one
            detail.append(f"\nexpected: {outcome.expected}", style="dim")
        details.append(detail)
    table = _checks_table(title, ("Check", "Result"), details, width)
    for outcome, detail in zip(outcomes, details, strict=True):
        result = "[green]ok[/]" if outcome.ok else "[red]FAILED[/]"
        table.add_row(Text(outcome.name), result, detail)
    return table


def doctor_table(rows: Iterable[Row], width: int = 80) -> Table:
    """A check / status / detail table of `breeze doctor`; a row's fix is under its detail."""
    from rich.text import Text

    rows = list(rows)
    colours = {"ok": "green", "warn": "yellow", "fail": "red"}
    details = []
    for row in rows:
        detail = Text(row.detail)
        if row.hint:
            detail.append("\nfix: ", style="bold")
            detail.append(row.hint)
        details.append(detail)
    table = _checks_table("breeze doctor", ("Check", "Status"), details, width)
    for row, detail in zip(rows, details, strict=True):
        table.add_row(Text(row.check), Text(row.status, style=colours.get(row.status, "")), detail)
    return table


# Borders and padding of a three-column table, and the narrowest a check's name may wrap to.
_FRAME = 10
_STATUS = 6


def dag_table(title: str, results: Iterable[FileResult], width: int = 80) -> Table:
    """A DAG file / result / what it defines or why it fails table, with each file's time."""
    from rich.text import Text

    results = list(results)
    details = [
        Text(r.describe() if r.skipped or r.slow else f"{r.describe()} [{r.seconds:.1f} s]")
        for r in results
    ]
    table = _checks_table(title, ("DAG file", "Result"), details, width)
    for result, detail in zip(results, details, strict=True):
        if result.skipped:
            status = "[dim]skipped[/]"
        else:
            status = "[red]FAILED[/]" if result.failed else "[green]ok[/]"
        table.add_row(Text(result.file), status, detail)
    return table


def upgrade_table(report: UpgradeReport, width: int = 80) -> Table:
    """Each DAG file: its status after the upgrade and what the target image makes of it."""
    from rich.text import Text

    details = [Text(dag.describe()) for dag in report.dags]
    title = f"DAG files: {report.current.image} -> {report.target.image}"
    table = _checks_table(title, ("DAG file", "Status"), details, width)
    colours = {"breaking": "red", "warning": "yellow", "info": "green"}
    for dag, detail in zip(report.dags, details, strict=True):
        table.add_row(Text(dag.file), f"[{colours[dag.severity]}]{dag.status}[/]", detail)
    return table


def findings_table(report: UpgradeReport) -> Table:
    """ruff's findings: where, rule and severity, and the message."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title="ruff: Airflow 3 rules (AIR3)", title_justify="left")
    table.add_column("Where", no_wrap=True)
    table.add_column("Rule", no_wrap=True)
    table.add_column("Message")
    for finding in report.findings:
        colour = "red" if finding.severity == "breaking" else "yellow"
        table.add_row(
            Text(f"{finding.file}:{finding.line}"),
            f"[{colour}]{finding.code}[/]",
            Text(finding.message),
        )
    return table


_MIN_CHECK = 15


def _checks_table(title: str, columns: tuple[str, str], details: list[Text], width: int) -> Table:
    """A table whose detail column fits its longest word, so paths and names never split."""
    from rich.table import Table

    longest = max((len(word) for detail in details for word in detail.plain.split()), default=0)
    table = Table(title=title, title_justify="left")
    # the check's name wraps first: the detail keeps room for its longest word (a path)
    table.add_column(columns[0], max_width=max(_MIN_CHECK, width - _FRAME - _STATUS - longest))
    table.add_column(columns[1], no_wrap=True)
    table.add_column("Detail", overflow="fold")  # folds only a word wider than all the room
    return table
