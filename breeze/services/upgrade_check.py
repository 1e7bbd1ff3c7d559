"""`breeze upgrade-check`: what moving the DAGs to a newer Airflow changes and breaks."""

from __future__ import annotations

from pathlib import Path

from breeze.core.argv import Command
from breeze.core.build_args import LABEL_PREFIX
from breeze.core.errors import BreezeError
from breeze.core.image_params import ImageBuildParams
from breeze.core.upgrade_markdown import to_markdown
from breeze.core.upgrade_params import (
    PACKAGES_SCRIPT,
    SEVERITIES,
    UpgradeCheckParams,
    parse_packages,
    validate_upgrade,
)
from breeze.core.upgrade_report import (
    LINT_SELECT,
    ImageSide,
    UpgradeReport,
    compare_dags,
    dependency_diff,
    parse_ruff,
    to_json,
)
from breeze.io.session import Session
from breeze.services.build_network import with_network
from breeze.services.dag_check import dag_folder, import_dags
from breeze.services.ensure_image import ensure_image
from breeze.services.image_build import build_image
from breeze.services.output_file import check_output_file
from breeze.services.preflight import preflight
from breeze.ui import console


def check_upgrade(params: UpgradeCheckParams, session: Session) -> UpgradeReport | None:
    """Build or reuse both images, compare them and the DAGs, report; raise at --fail-on."""
    validate_upgrade(params)
    folder = dag_folder(params.dags_folder, session)
    if params.report is not None:
        check_output_file(params.report, "--report")
    # the network options resolved first: the hash an image is reused by includes them
    images = (with_network(params.current, session), with_network(params.target, session))
    if session.dry_run:
        for build in images:
            build_image(build, session)
    else:
        preflight(session, buildx=True)
        for build in images:
            ensure_image(build, session)
    sides = [_inspect(build, folder, params, session) for build in images]
    findings, note = _lint(folder, params, session)
    if session.dry_run:
        return None
    (current, before, old), (target, after, new) = sides  # type: ignore[misc]
    report = UpgradeReport(
        current, target, dependency_diff(before, after), compare_dags(old, new), findings, note
    )
    fails = params.fail_on != "never" and SEVERITIES.index(report.severity) >= SEVERITIES.index(
        params.fail_on
    )
    _output(report, params, session, verdict=not fails)
    if fails:
        raise BreezeError(report.summary())
    return report


def _inspect(
    build: ImageBuildParams, folder: Path, params: UpgradeCheckParams, session: Session
) -> tuple[ImageSide, dict[str, str], list] | None:
    """One image: what it is, its distributions, and what its Airflow makes of the DAG files."""
    image = build.tag
    console.info(f"Checking {image}")
    listing = session.run_container(
        image, ("python", "-c", PACKAGES_SCRIPT.strip()), timeout=120, purpose="upgrade-check"
    )
    results = import_dags(image, folder, params.import_timeout, session)
    if listing is None or results is None:  # a dry run
        return None
    attrs = session.engine.image_attrs(image) or {}
    labels = (attrs.get("Config") or {}).get("Labels") or {}
    side = ImageSide(
        image,
        build.spec.airflow_version,
        build.spec.python,
        labels.get(f"{LABEL_PREFIX}constraints.source", ""),
    )
    return side, parse_packages(listing.output), results


def _lint(folder: Path, params: UpgradeCheckParams, session: Session) -> tuple[tuple, str]:
    """ruff's Airflow 3 rules over the DAG folder; a note instead when they cannot apply."""
    if not params.to_version.startswith("3."):
        return (), f"Not run: the {LINT_SELECT} rules are for Airflow 3."
    ruff = session.ruff()
    if ruff is None:
        return (), "Not run: ruff is not installed (`pipx inject airflow-breeze ruff`)."
    command = Command(
        (
            ruff, "check", "--isolated", "--no-cache", "--preview", "--select", LINT_SELECT,
            "--output-format", "json", "--exit-zero", str(folder),
        )
    )  # fmt: skip
    result = session.run(command, capture=True, query=True)
    if session.dry_run:
        return (), ""
    if result.returncode != 0:
        lines = [line for line in result.output.splitlines() if line.strip()] or ["no output"]
        raise BreezeError(f"ruff failed on {folder}: {lines[-1]}")
    # a file that does not parse has no rule code: the DAG check reports it with its line
    return tuple(f for f in parse_ruff(_json_part(result.output), folder) if f.code), ""


def _json_part(output: str) -> str:
    """ruff's JSON array, without any warning lines printed around it."""
    start, end = output.find("["), output.rfind("]")
    return output[start : end + 1] if start >= 0 else "[]"


def _output(
    report: UpgradeReport, params: UpgradeCheckParams, session: Session, *, verdict: bool
) -> None:
    """The Markdown file when asked for; JSON on stdout, or tables (and the VERDICT line)."""
    if params.report is not None:
        session.write_text(params.report, to_markdown(report))
    if params.json:
        print(to_json(report))
        return
    from breeze.ui.tables import findings_table, upgrade_table

    out = console.stdout_console()
    out.print(upgrade_table(report, out.width))
    if report.findings:
        out.print(findings_table(report))
    if report.lint_note:
        console.info(f"ruff: {report.lint_note}")
    console.info(f"Python distributions: {report.changes_summary() or 'none changed'}")
    for change in report.changes:
        if change.kind in ("removed", "downgraded"):
            console.warning(
                f"{change.name} {change.kind}: {change.before} -> {change.after or '-'}"
            )
    if params.report is not None:
        console.info(f"Report: {params.report}")
    if verdict:
        say = console.success if report.severity == "info" else console.warning
        say(report.summary())
