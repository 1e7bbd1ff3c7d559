"""The registry build cache between two machines (issue 15): two empty engines, one registry.

Usage: python benchmarks/teams.py [--workload W|S] [--results-dir DIR]

Machine A builds the workload cold and pushes the image and its build cache; machine B, empty,
builds the same options from the registry's cache, then the same with one added Python package.
Prints a table and writes Markdown and JSON under benchmarks/results/ (target: B <= 0.25 x A
with no install step executed; the added package reuses the Airflow layers).
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(ROOT))

from benchmarks import bench_exec as ex  # noqa: E402
from benchmarks import bench_report as report  # noqa: E402
from benchmarks.fleet import executed_steps, fleet  # noqa: E402

TARGET_RATIO = 0.25
ADDED_PACKAGE = "cowsay"
INSTALL_STEP = "airflow-build"  # the stage whose RUN steps install Airflow and its packages


def build(breeze: list[str], host: str, options: Sequence[str]) -> tuple[float, list[str]]:
    """One `breeze prod-image build` on an engine: its wall time and the RUN steps that ran."""
    argv = [*breeze, "prod-image", "build", "--docker-host", host, *options]
    argv += ["--build-progress", "plain", "--answer", "yes"]
    seconds, done = ex.run(argv, timeout=3600)
    return seconds, executed_steps(done.stdout + done.stderr)


def judge(cold: float, warm: float, warm_ran: list[str], added_ran: list[str]) -> dict[str, Any]:
    """The figures and whether each target is met."""
    ratio = report.ratio(warm, cold)
    return {
        "ratio": ratio,
        "warm_met": ratio is not None and ratio <= TARGET_RATIO and not warm_ran,
        "added_reuses_airflow": bool(added_ran)
        and not any(step.startswith(INSTALL_STEP) for step in added_ran),
    }


def render(result: dict[str, Any]) -> str:
    """The result as a Markdown table."""
    m, verdict = result["metrics"], result["verdict"]
    met = "met" if verdict["warm_met"] else "missed"
    reuse = "met" if verdict["added_reuses_airflow"] else "missed"
    return "\n".join(
        [
            f"# Registry build cache, workload {result['workload']} ({result['date']})",
            "",
            "| measurement | seconds | RUN steps executed | target |",
            "|---|---|---|---|",
            f"| A: cold build, push image and cache | {m['cold_s']:.1f} | {len(m['cold_ran'])} | |",
            f"| B (empty engine): same options | {m['warm_s']:.1f} | {len(m['warm_ran'])} | "
            f"<= {TARGET_RATIO} x A, none executed: {met} ({verdict['ratio']:.3f} x) |",
            f"| B: one added package ({ADDED_PACKAGE}) | {m['added_s']:.1f} | "
            f"{', '.join(m['added_ran']) or 'none'} | Airflow's install reused: {reuse} |",
            "",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Start the machines, measure, write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", choices=sorted(report.WORKLOADS), default="W")
    parser.add_argument("--results-dir", type=Path, default=ex.ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)
    breeze = ex.breeze_command()
    _, done = ex.run([*breeze, "prod-image", "extras", "--install-airflow-version",
                      report.AIRFLOW_VERSION])  # fmt: skip
    kept, _ = report.split_extras(
        report.WORKLOADS[args.workload], report.parse_known_extras(done.stdout)
    )
    extras = ["--airflow-extras", ",".join(kept)]
    with fleet(2, (report.BASE_IMAGE,), prefix="breeze-bench-teams") as made:
        a, b = made.engines
        image = f"{made.registry}/team/airflow:{args.workload.lower()}"
        cache = ["--docker-cache", "registry", "--image-tag", image]
        ex.log(f"A builds workload {args.workload} cold and pushes image and cache")
        cold, cold_ran = build(breeze, a, [*extras, *cache, "--push"])
        ex.log("B builds the same options from the registry cache")
        warm, warm_ran = build(breeze, b, [*extras, *cache])
        ex.log(f"B adds {ADDED_PACKAGE}")
        added, added_ran = build(
            breeze, b,
            [*extras, "--docker-cache", "registry", "--image-tag", f"{image}-added",
             "--cache-ref", f"{made.registry}/team/airflow:buildcache-main-python"
             f"{report.PYTHON_VERSION}-trixie", "--additional-python-deps", ADDED_PACKAGE],
        )  # fmt: skip
    metrics = {
        "cold_s": cold, "cold_ran": cold_ran, "warm_s": warm, "warm_ran": warm_ran,
        "added_s": added, "added_ran": added_ran,
    }  # fmt: skip
    now = datetime.datetime.now(datetime.timezone.utc)
    result = {
        "workload": args.workload,
        "date": now.strftime("%Y-%m-%d %H:%M UTC"),
        "environment": ex.environment(),
        "metrics": metrics,
        "verdict": judge(cold, warm, warm_ran, added_ran),
    }
    markdown = render(result)
    print(markdown)
    args.results_dir.mkdir(parents=True, exist_ok=True)
    stem = args.results_dir / f"{now.strftime('%Y%m%dT%H%M%SZ')}-{args.workload}-teams"
    stem.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n")
    stem.with_suffix(".md").write_text(markdown)
    ex.log(f"wrote {stem}.json and .md")
    return 0 if result["verdict"]["warm_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
