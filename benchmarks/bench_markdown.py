"""A benchmark result as Markdown, and two results side by side."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from benchmarks import bench_report as report
from benchmarks import phases as build_phases

RD = report.RATIO_DIGITS


def format_value(key: str, value: float | None) -> str:
    """A metric for the table: seconds, MB or a plain number; '-' when not measured."""
    if value is None:
        return "-"
    if key.endswith("_s") or "_s." in key:
        return f"{value:.3f} s" if value < 1 else f"{value:.1f} s"
    if "bytes" in key:
        return f"{value / 1e6:,.0f} MB"
    return f"{value:g}"


def format_target(row: Mapping[str, Any]) -> str:
    """The measured value of a target row: a ratio or seconds, '<'/'>' for a bound."""
    value = row.get("value")
    if value is None:
        shown = "-"
    else:
        bound = row.get("bound")
        bound = "< " if bound is True else f"{bound} " if bound else ""  # True: issue 6's files
        number = f"{value:.2f} s" if row["target"].endswith(" s") else f"{value:.{RD}f} x"
        shown = bound + number
    parts = row.get("parts") or []
    if parts:
        shown += "; " + ", ".join(f"{part['target']} {format_target(part)}" for part in parts)
    return shown


def _cell(result: Mapping[str, Any], key: str) -> str:
    """A metric's value, else why it is missing (a time limit, a skipped step), else '-'."""
    value = result["metrics"].get(key)
    if value is not None:
        return format_value(key, value)
    if key in result.get("unfinished", {}):
        return f"did not finish in {result['unfinished'][key]:.0f} s"
    return result.get("not_measured", {}).get(key, "-")


def _header(result: Mapping[str, Any]) -> list[str]:
    """Workload, machine and revision lines."""
    workload, env = result["workload"], result["environment"]
    dropped = workload.get("dropped_extras")
    revision = result.get("revision") or {}
    commit = revision.get("commit")
    lines = [
        f"Workload {workload['name']}: Airflow {workload['airflow_version']}, Python "
        f"{workload['python']}, extras `{','.join(workload['extras'])}`"
        + (f" (dropped: `{','.join(dropped)}`)" if dropped else "")
        + f"; mode {result.get('mode', 'full')}.",
        "",
        f"{env['date']}, {env['cpus']} CPUs, {env['memory_bytes'] / 2**30:.1f} GiB memory, "
        f"Docker {env['docker_version']}, repeat {result['repeat']}"
        + (
            f", revision {commit[:12]}{' (uncommitted changes)' if revision.get('dirty') else ''}"
            if commit
            else ""
        )
        + ".",
    ]
    return lines


def _images_table(result: Mapping[str, Any]) -> list[str]:
    """Per-image measurements: ours and every baseline in one table."""
    startup = result.get("startup") or {}
    lines = [
        "",
        "| measurement | " + " | ".join(report.IMAGES) + " |",
        "|---|" + "---|" * len(report.IMAGES),
    ]
    for kind, label in report.IMAGE_METRICS.items():
        if kind == "build_s" and not result.get("cold"):
            label = "build (cache kept, not cold)"
        elif kind in ("startup_version_s", "startup_import_s"):
            label += f" (median of {startup.get('runs', '-')})"
        elif kind == "startup_health_s":
            label += f" (median of {startup.get('health_runs', '-')})"
        cells = [_cell(result, f"{kind}.{image}") for image in report.IMAGES]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    if startup:
        lines += [
            "",
            f"New containers run as `--user {startup.get('user')}` with the entrypoint bypassed; "
            f"heavy import: `{startup.get('import') or 'none for this workload'}`; to healthy: "
            f"`{startup.get('health_command')}`.",
        ]
    return lines


def _ours_table(result: Mapping[str, Any]) -> list[str]:
    """Measurements of our image and of breeze only, with the floor's margin."""
    metrics = result["metrics"]
    lines = ["", "| ours only | value |", "|---|---|"]
    for key, label in report.OURS_METRICS.items():
        lines.append(f"| {label} | {_cell(result, key)} |")
    size, floor = metrics.get("size_bytes.ours"), metrics.get("floor_bytes")
    if size is not None and floor is not None:
        bytecode = metrics.get("bytecode_bytes.ours")
        extra = f", of which bytecode {format_value('bytes', bytecode)}" if bytecode else ""
        lines.append(f"| ours above the floor | {format_value('bytes', size - floor)}{extra} |")
    slowest = (result.get("details") or {}).get("slowest_subcommand")
    if slowest:
        lines += ["", f"Slowest subcommand `--help`: `breeze {slowest} --help`."]
    return lines


def _phases_table(result: Mapping[str, Any]) -> list[str]:
    """Seconds per build phase of every image whose build log was read."""
    found: Mapping[str, Mapping[str, float]] = result.get("phases") or {}
    if not found:
        return []
    images = [image for image in report.IMAGES if image in found]
    names = build_phases.ordered_phases(name for image in images for name in found[image])
    lines = [
        "",
        "Cold build by phase (BuildKit step times; the stages of our Dockerfile run in parallel, "
        "so the sum exceeds the wall time):",
        "",
        "| phase | " + " | ".join(images) + " |",
        "|---|" + "---|" * len(images),
    ]
    for name in names:
        cells = [_seconds(found[image].get(name)) for image in images]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    sums = [_seconds(sum(found[image].values())) for image in images]
    walls = [_cell(result, f"build_s.{image}") for image in images]
    lines += [f"| sum of steps | {' | '.join(sums)} |", f"| wall time | {' | '.join(walls)} |"]
    for image, steps in (result.get("phases_unmapped") or {}).items():
        if steps:
            lines.append(
                f"\nSteps of {image} no phase names: " + "; ".join(f"`{s}`" for s in steps)
            )
    return lines


def _seconds(value: float | None) -> str:
    """Seconds with one decimal, '-' when absent."""
    return "-" if value is None else f"{value:.1f} s"


def render_markdown(result: Mapping[str, Any]) -> str:
    """The run as Markdown: environment, measurements, phases, ratios, targets and notes."""
    lines = _header(result) + _images_table(result) + _ours_table(result)
    lines += _phases_table(result)
    lines += ["", "| ratio | value |", "|---|---|"]
    for name, value in result["ratios"].items():
        lines.append(f"| {name} | {'-' if value is None else f'{value:.{RD}f}'} |")
    lines += ["", "| target | measured | status |", "|---|---|---|"]
    for row in result["targets"]:
        status = row["status"] + (f" ({row['reason']})" if row.get("reason") else "")
        lines.append(f"| {row['target']} | {format_target(row)} | {status} |")
    notes = result.get("notes") or []
    if notes:
        lines += ["", *[f"- {note}" for note in notes]]
    return "\n".join(lines) + "\n"


def render_comparison(old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    """Two results side by side: every metric, its change, and every target's status."""

    def name(result: Mapping[str, Any]) -> str:
        commit = (result.get("revision") or {}).get("commit") or "?"
        return f"{result['environment']['date']} ({commit[:8]})"

    lines = [
        f"old: {name(old)}, new: {name(new)}",
        "",
        "| metric | old | new | new / old |",
        "|---|---|---|---|",
    ]
    keys = list(dict.fromkeys([*old["metrics"], *new["metrics"]]))
    for key in keys:
        before, after = old["metrics"].get(key), new["metrics"].get(key)
        if before is None and after is None:
            continue
        change = report.ratio(after, before)
        shown = "-" if change is None else f"{change:.{RD}f}"
        lines.append(f"| {key} | {_cell(old, key)} | {_cell(new, key)} | {shown} |")
    lines += ["", "| target | old | new |", "|---|---|---|"]
    old_rows = {row["target"]: row for row in old.get("targets", [])}
    for row in new.get("targets", []):
        before = old_rows.get(row["target"])
        was = f"{format_target(before)}, {before['status']}" if before else "-"
        lines.append(f"| {row['target']} | {was} | {format_target(row)}, {row['status']} |")
    old_phases = (old.get("phases") or {}).get("ours") or {}
    new_phases = (new.get("phases") or {}).get("ours") or {}
    if old_phases or new_phases:
        lines += ["", "| phase of our build | old | new |", "|---|---|---|"]
        for phase in build_phases.ordered_phases([*old_phases, *new_phases]):
            before, after = old_phases.get(phase), new_phases.get(phase)
            lines.append(f"| {phase} | {_seconds(before)} | {_seconds(after)} |")
    return "\n".join(lines) + "\n"
