"""What `breeze upgrade-check` found: dependency diff, DAGs side by side, ruff's findings."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from packaging.version import InvalidVersion, Version

from breeze.core.dag_report import FileResult
from breeze.core.upgrade_params import BREAKING, INFO, SEVERITIES, WARNING

# ruff's Airflow 3 rules: AIR30x name what Airflow 3 removed, AIR31x/AIR32x what it deprecated
BREAKING_RULES = ("AIR301", "AIR302", "AIR303")
LINT_SELECT = "AIR3"
# the kinds of distribution change, in the order they are listed: what may break first
KIND_ORDER = ("removed", "downgraded", "added", "upgraded")


@dataclass(frozen=True)
class ImageSide:
    """One of the two images: its tag, Airflow, Python and where its constraints came from."""

    image: str
    airflow: str
    python: str
    constraints: str = ""


@dataclass(frozen=True)
class Change:
    """One distribution whose presence or version differs between the images."""

    name: str
    before: str | None
    after: str | None

    @property
    def kind(self) -> str:
        """added, removed, upgraded or downgraded."""
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        try:
            newer = Version(self.after) > Version(self.before)
        except InvalidVersion:
            newer = self.after > self.before
        return "upgraded" if newer else "downgraded"

    @property
    def severity(self) -> str:
        """A package that goes away or back in time may break code that uses it."""
        return WARNING if self.kind in ("removed", "downgraded") else INFO


@dataclass(frozen=True)
class DagComparison:
    """One DAG file imported in both images."""

    file: str
    before: FileResult | None
    after: FileResult | None

    @property
    def status(self) -> str:
        """newly fails, still fails, fixed, passes, lost DAGs, or no DAG."""
        was, now = self.before, self.after
        failed_before = was is not None and was.failed
        failed_now = now is not None and now.failed
        if failed_now:
            return "still fails" if failed_before else "newly fails"
        if failed_before:
            return "fixed"
        if self.lost_dags:
            return "lost DAGs"
        if now is not None and now.skipped:
            return "no DAG"
        return "passes"

    @property
    def lost_dags(self) -> tuple[str, ...]:
        """DAG ids the current image finds in the file and the target does not."""
        if self.before is None or self.after is None:
            return ()
        return tuple(d for d in self.before.dags if d not in self.after.dags)

    @property
    def severity(self) -> str:
        """A file that fails, or loses DAGs, in the target breaks the upgrade."""
        return BREAKING if self.status in ("newly fails", "still fails", "lost DAGs") else INFO

    def describe(self) -> str:
        """What the target image makes of the file, in one line."""
        if self.status == "lost DAGs":
            return f"the target finds no {', '.join(self.lost_dags)}"
        shown = self.after or self.before
        return shown.describe() if shown is not None else ""


@dataclass(frozen=True)
class Finding:
    """One ruff finding in the DAG folder."""

    code: str
    file: str
    line: int
    column: int
    message: str

    @property
    def severity(self) -> str:
        """Removed in Airflow 3: breaking; deprecated or moved with a shim: warning."""
        return BREAKING if self.code in BREAKING_RULES else WARNING


@dataclass(frozen=True)
class UpgradeReport:
    """Everything upgrade-check found, and how bad it is."""

    current: ImageSide
    target: ImageSide
    changes: tuple[Change, ...]
    dags: tuple[DagComparison, ...]
    findings: tuple[Finding, ...]
    lint_note: str = ""  # why the lint did not run, when it did not

    @property
    def severity(self) -> str:
        """The worst severity of anything found."""
        found = [c.severity for c in self.changes] + [d.severity for d in self.dags]
        found += [f.severity for f in self.findings]
        return max(found, key=SEVERITIES.index, default=INFO)

    def count(self, severity: str) -> int:
        """How many items have this severity."""
        items = (*self.changes, *self.dags, *self.findings)
        return sum(item.severity == severity for item in items)

    def changes_summary(self) -> str:
        """The distribution changes counted by kind, e.g. '3 removed, 4 upgraded'; '' for none."""
        counts = {kind: sum(c.kind == kind for c in self.changes) for kind in KIND_ORDER}
        return ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)

    def summary(self) -> str:
        """One line: the verdict and the counts."""
        verdict = {
            BREAKING: "the upgrade breaks something",
            WARNING: "the upgrade works, with warnings",
            INFO: "nothing breaks",
        }[self.severity]
        return (
            f"Airflow {self.current.airflow} -> {self.target.airflow}: {verdict} "
            f"({self.count(BREAKING)} breaking, {self.count(WARNING)} warnings)"
        )


def dependency_diff(before: dict[str, str], after: dict[str, str]) -> tuple[Change, ...]:
    """The distributions added, removed, upgraded or downgraded, by name."""
    names = sorted(set(before) | set(after))
    return tuple(
        Change(name, before.get(name), after.get(name))
        for name in names
        if before.get(name) != after.get(name)
    )


def compare_dags(before: list[FileResult], after: list[FileResult]) -> tuple[DagComparison, ...]:
    """Each DAG file with its result in both images, in file order."""
    old = {r.file: r for r in before}
    new = {r.file: r for r in after}
    return tuple(DagComparison(f, old.get(f), new.get(f)) for f in sorted(set(old) | set(new)))


def parse_ruff(output: str, folder: Path) -> tuple[Finding, ...]:
    """ruff's JSON output as findings, their files relative to the DAG folder."""
    findings = []
    for item in json.loads(output or "[]"):
        path = Path(item["filename"])
        name = path.relative_to(folder).as_posix() if path.is_relative_to(folder) else str(path)
        where = item.get("location") or {}
        findings.append(
            Finding(
                item["code"], name, where.get("row", 0), where.get("column", 0), item["message"]
            )
        )
    return tuple(sorted(findings, key=lambda f: (f.file, f.line, f.column, f.code)))


def to_json(report: UpgradeReport) -> str:
    """The report as one JSON document."""
    return json.dumps(
        {
            "current": asdict(report.current),
            "target": asdict(report.target),
            "severity": report.severity,
            "summary": report.summary(),
            "dependencies": [{**asdict(c), "kind": c.kind} for c in report.changes],
            "dags": [
                {
                    "file": d.file,
                    "status": d.status,
                    "severity": d.severity,
                    "current": asdict(d.before) if d.before else None,
                    "target": asdict(d.after) if d.after else None,
                }
                for d in report.dags
            ],
            "lint": [{**asdict(f), "severity": f.severity} for f in report.findings],
            "lint_note": report.lint_note,
        },
        indent=2,
    )
