"""The table of known vulnerabilities that `prod-image scan` prints."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.table import Table

    from breeze.core.advisories import Finding


def findings_table(title: str, findings: Iterable[Finding]) -> Table:
    """A package / version / advisory / aliases / fixed in table."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left")
    table.add_column("Package")
    table.add_column("Version")
    table.add_column("Advisory")
    table.add_column("Aliases", overflow="fold")
    table.add_column("Fixed in", overflow="fold")
    for finding in findings:
        table.add_row(
            Text(finding.package),
            Text(finding.version),
            Text(finding.advisory),
            Text(", ".join(finding.aliases) or "-"),
            Text(", ".join(finding.fixed_versions) or "-"),
        )
    return table
