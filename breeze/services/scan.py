"""The scan service: audit an image's Python packages with pip-audit or a local advisory db."""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

from breeze.core.advisories import (
    AuditReport,
    Package,
    match,
    pip_audit_failure,
    report_from_pip_audit,
    requirements_text,
    valid_version,
)
from breeze.core.argv import Command
from breeze.core.errors import BreezeError, InvalidInput
from breeze.core.scan_params import ScanParams
from breeze.io.session import Session
from breeze.services.sbom import collect_facts
from breeze.ui import console

PIP_AUDIT_TIMEOUT = "15"


def pip_audit_command(requirements: Path, output: Path) -> Command:
    """pip-audit on a pinned requirements file, without pip or resolution, JSON to a file."""
    argv = (
        sys.executable, "-m", "pip_audit",
        "--requirement", str(requirements),
        "--no-deps", "--disable-pip",
        "--format", "json", "--output", str(output),
        "--aliases", "on", "--desc", "on",
        "--progress-spinner", "off",
        "--timeout", PIP_AUDIT_TIMEOUT,
    )  # fmt: skip
    return Command(argv)


def scan_image(params: ScanParams, session: Session) -> None:
    """Audit the image's packages, print a table (or JSON); with fail_on_vulns raise on findings."""
    from breeze.services.bom import require_scan_extra

    if params.advisory_db is None:
        require_scan_extra("breeze prod-image scan", ("pip_audit", "packaging"))
    else:
        require_scan_extra("breeze prod-image scan --advisory-db", ("yaml", "packaging"))
        if not params.advisory_db.is_dir():
            raise InvalidInput(f"--advisory-db {params.advisory_db} is not a folder")
    collected = collect_facts(params.image, session)
    if collected is None:
        if params.advisory_db is None:
            session.run(pip_audit_command(Path("requirements.txt"), Path("pip-audit.json")))
        return
    _, facts = collected
    packages = facts.packages()
    if params.advisory_db is not None:
        from breeze.io.advisory_db import load_advisories

        advisories = load_advisories(params.advisory_db, [p.name for p in packages])
        report = AuditReport(tuple(match(packages, advisories)), (), len(packages))
        source = f"advisory database {params.advisory_db}"
    else:
        report = _pip_audit(packages, session)
        source = "pip-audit (PyPI)"
    _print_report(params, report, source)
    if report.findings and params.fail_on_vulns:
        affected = len({f.package for f in report.findings})
        raise BreezeError(
            f"{len(report.findings)} known vulnerabilities in {affected} "
            f"package{'s' if affected > 1 else ''} of "
            f"{params.image} (--fail-on-vulns)"
        )


def _pip_audit(packages: list[Package], session: Session) -> AuditReport:
    """Run pip-audit through the runner on the pinned list; a one-line error when it cannot."""
    with session.temporary_folder("breeze-scan-") as folder:
        requirements = folder / "requirements.txt"
        session.write_text(requirements, requirements_text(packages))
        output = folder / "pip-audit.json"
        command = pip_audit_command(requirements, output)
        result = session.run(command, capture=True)
        report = None
        with contextlib.suppress(OSError, ValueError):
            report = report_from_pip_audit(output.read_text())
        reason = pip_audit_failure(result.returncode, result.output, report)
        if reason is not None:
            raise BreezeError(reason)
        assert report is not None
    invalid = tuple((p.name, f"version {p.version!r} is not PEP 440") for p in packages
                    if not valid_version(p.version))  # fmt: skip
    report = AuditReport(report.findings, report.skipped + invalid, report.audited)
    for name, why in report.skipped:
        console.warning(f"not audited: {name}: {why}")
    return report


def _print_report(params: ScanParams, report: AuditReport, source: str) -> None:
    """The findings as JSON on stdout, or a table and a one-line summary."""
    if params.json:
        document = {
            "image": params.image,
            "source": source,
            "audited": report.audited,
            "vulnerabilities": [f.as_json() for f in report.findings],
            "skipped": [{"package": n, "reason": r} for n, r in report.skipped],
        }
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
        sys.stdout.flush()
        return
    packages = len({f.package for f in report.findings})
    if report.findings:
        from breeze.ui.findings import findings_table

        table = findings_table(f"{params.image} ({source})", report.findings)
        console.stdout_console().print(table)
        console.warning(
            f"{len(report.findings)} known vulnerabilities in {packages} of the "
            f"{report.audited} Python packages of {params.image}"
        )
    else:
        console.success(
            f"No known vulnerabilities in the {report.audited} Python packages of {params.image} "
            f"({source})"
        )
