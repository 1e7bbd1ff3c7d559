"""`breeze upgrade-check --report FILE`: the report as Markdown, for a pull request or a wiki."""

from __future__ import annotations

from breeze.core.dag_report import FileResult
from breeze.core.upgrade_params import BREAKING
from breeze.core.upgrade_report import KIND_ORDER, LINT_SELECT, UpgradeReport


def to_markdown(report: UpgradeReport) -> str:
    """The whole report: verdict, images, DAG files, ruff's findings, dependency changes."""
    current, target = report.current, report.target
    lines = [
        f"# Upgrade check: Airflow {current.airflow} → {target.airflow}",
        "",
        f"**{report.summary()}**",
        "",
        "| | current | target |",
        "|---|---|---|",
        f"| image | `{current.image}` | `{target.image}` |",
        f"| Airflow | {current.airflow} | {target.airflow} |",
        f"| Python | {current.python} | {target.python} |",
        f"| constraints | {_cell(current.constraints)} | {_cell(target.constraints)} |",
        "",
        *_dags(report),
        *_lint(report),
        *_dependencies(report),
    ]
    return "\n".join(lines).rstrip() + "\n"


def _dags(report: UpgradeReport) -> list[str]:
    """The DAG files side by side."""
    lines = ["## DAG files", ""]
    if not report.dags:
        return [*lines, "The DAG folder has no Python files.", ""]
    lines += ["| file | current | target | status |", "|---|---|---|---|"]
    for dag in report.dags:
        status = f"**{dag.status}**" if dag.severity == BREAKING else dag.status
        lines.append(f"| `{dag.file}` | {_result(dag.before)} | {_result(dag.after)} | {status} |")
    return [*lines, ""]


def _result(result: FileResult | None) -> str:
    """One image's result for a file, in a table cell."""
    if result is None:
        return "not found"
    prefix = "fails: " if result.failed else ""
    return _cell(prefix + result.describe())


def _lint(report: UpgradeReport) -> list[str]:
    """ruff's Airflow 3 findings, file:line first."""
    lines = [f"## ruff: Airflow 3 rules ({LINT_SELECT}*)", ""]
    if report.lint_note:
        return [*lines, report.lint_note, ""]
    if not report.findings:
        return [*lines, "No finding.", ""]
    lines += ["| where | rule | severity | message |", "|---|---|---|---|"]
    for finding in report.findings:
        where = f"`{finding.file}:{finding.line}`"
        lines.append(
            f"| {where} | {finding.code} | {finding.severity} | {_cell(finding.message)} |"
        )
    return [*lines, ""]


def _dependencies(report: UpgradeReport) -> list[str]:
    """The distributions that differ, what may break first."""
    lines = ["## Python distributions", ""]
    if not report.changes:
        return [*lines, "The two images have the same distributions.", ""]
    lines += [report.changes_summary() + ".", ""]
    lines += ["| distribution | current | target | change |", "|---|---|---|---|"]
    ordered = sorted(report.changes, key=lambda c: (KIND_ORDER.index(c.kind), c.name))
    for change in ordered:
        kind = f"**{change.kind}**" if change.kind in ("removed", "downgraded") else change.kind
        lines.append(f"| {change.name} | {change.before or '-'} | {change.after or '-'} | {kind} |")
    return [*lines, ""]


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ") or "-"
