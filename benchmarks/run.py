"""Benchmark breeze's production image against naive pip/uv Dockerfiles (issue 13).

Usage: python benchmarks/run.py [--workload W|S] [--repeat N] [--naive-pip-timeout S]
                                [--smoke | --cli-only | --startup-only TAG [--baseline NAME=TAG]]
Run it with the interpreter of breeze's virtualenv (.venv/bin/python). A full run writes
Markdown and JSON under benchmarks/results/ (committed); the other modes under
benchmarks/results/local/ (ignored by git).
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import bench_exec as ex  # noqa: E402
from benchmarks import bench_markdown as markdown  # noqa: E402
from benchmarks import bench_report as report  # noqa: E402
from benchmarks import measure  # noqa: E402

HERE = ROOT / "benchmarks"
CLI_RUNS = 20
SUBCOMMAND_RUNS = 5
HELLO_WORLD = """\
import typer
app = typer.Typer()
@app.command()
def main(name: str = "world") -> None: print(f"hello {name}")
app(prog_name="hello")
"""


def subcommands() -> list[str]:
    """Every command and group of breeze, from its completion index."""
    from breeze.completion.index_data import INDEX

    return [name for name in INDEX["commands"] if name]


def _median_time(argv: list[str], env: dict[str, str], expected: str, runs: int) -> float:
    """Median wall time of a command whose output must contain `expected`."""
    times = []
    for _ in range(runs):
        elapsed, done = ex.run(argv, env={"COLUMNS": "100", **env})
        if expected not in done.stdout:
            raise ex.BenchError(f"{expected!r} not in the output of {shlex.join(argv)}")
        times.append(elapsed)
    found = report.median(times)
    assert found is not None
    return found


def cli_latency(
    breeze: list[str], python: str, folder: Path
) -> tuple[dict[str, float | None], dict[str, str]]:
    """--help, every subcommand's --help and one TAB request: breeze and a typer hello-world."""
    hello = folder / "hello.py"
    hello.write_text(HELLO_WORLD)
    wordbreaks = " \t\n\"'><=;|&(:"
    cases = {
        "breeze_help_s": ([*breeze, "--help"], {}, "prod-image"),
        "hello_help_s": ([python, str(hello), "--help"], {}, "--name"),
        # As completions/breeze.bash calls it: the line up to the cursor and COMP_WORDBREAKS.
        "breeze_tab_s": (
            [*breeze, "breeze prod-image build --", wordbreaks],
            {"_BREEZE_COMPLETE": "bash"},
            "--python",
        ),
        # As typer's bash script calls it: _<PROG>_COMPLETE=complete_bash, COMP_WORDS, COMP_CWORD.
        "hello_tab_s": (
            [python, str(hello)],
            {"_HELLO_COMPLETE": "complete_bash", "COMP_WORDS": "hello --", "COMP_CWORD": "1"},
            "--name",
        ),
    }
    found: dict[str, float | None] = {}
    for key, (argv, env, expected) in cases.items():
        found[key] = _median_time(argv, env, expected, CLI_RUNS)
        ex.log(f"{key}: {found[key]:.3f} s")
    per_command = {
        name: _median_time([*breeze, *name.split(), "--help"], {}, "Usage", SUBCOMMAND_RUNS)
        for name in subcommands()
    }
    slowest = max(per_command, key=per_command.__getitem__)
    found["subcommand_help_s"] = per_command[slowest]
    ex.log(f"slowest subcommand --help: {slowest} {per_command[slowest]:.3f} s")
    return found, {"slowest_subcommand": slowest}


def known_extras(breeze: list[str]) -> list[str]:
    """Extras of the benchmarked Airflow version, from breeze's shipped metadata."""
    _, done = ex.run(
        [*breeze, "prod-image", "extras", "--install-airflow-version", report.AIRFLOW_VERSION]
    )
    return report.parse_known_extras(done.stdout)


def new_result(args: argparse.Namespace, kept: list[str], dropped: list[str]) -> dict[str, Any]:
    """The result document before any measurement."""
    mode = next(
        (m for m, on in (("smoke", args.smoke), ("cli-only", args.cli_only)) if on),
        "startup-only" if args.startup_only else "full",
    )
    return {
        "environment": ex.environment(),
        "revision": ex.revision(),
        "workload": {
            "name": args.workload,
            "airflow_version": report.AIRFLOW_VERSION,
            "python": report.PYTHON_VERSION,
            "base_image": report.BASE_IMAGE,
            "extras": kept,
            "dropped_extras": dropped,
        },
        "mode": mode,
        "repeat": args.repeat,
        "smoke": args.smoke,
        "cold": mode == "full",
        "metrics": {key: None for key in report.metric_keys()},
        "unfinished": {},
        "not_measured": {},
        "images": {},
        "phases": {},
        "phases_unmapped": {},
        "details": {},
        "notes": [],
    }


def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    """Run every measurement of the mode and return the result document."""
    breeze = ex.breeze_command()
    kept, dropped = report.split_extras(report.WORKLOADS[args.workload], known_extras(breeze))
    extras = ",".join(kept)
    result = new_result(args, kept, dropped)
    notes = result["notes"]
    if dropped:
        notes.append(
            f"extras dropped (Airflow {report.AIRFLOW_VERSION} does not have them, breeze refuses"
            f" them): {', '.join(dropped)}; the baselines use the same list"
        )
    work = Path(tempfile.mkdtemp(prefix="breeze-bench-"))
    try:
        if args.startup_only:
            result["images"] = {"ours": args.startup_only, **dict(args.baseline)}
            result["base_pyc_bytes"] = ex.base_pyc_bytes()
            for name, tag in result["images"].items():
                result["metrics"][f"size_bytes.{name}"] = ex.image_size(tag)
                result["metrics"][f"bytecode_bytes.{name}"] = ex.bytecode_bytes(
                    tag, result["base_pyc_bytes"]
                )
            measure.measure_startup(args, result)
            notes.append("--startup-only: images given on the command line, nothing built")
            return finish(result)
        if not args.cli_only:
            full_run(args, breeze, extras, work, result)
        metrics, details = cli_latency(breeze, sys.executable, work)
        result["metrics"].update(metrics)
        result["details"].update(details)
        if args.cli_only:
            notes.append("--cli-only: CLI latency only, nothing built")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return finish(result)


def full_run(
    args: argparse.Namespace, breeze: list[str], extras: str, work: Path, result: dict
) -> None:
    """Constraints, our image, the baselines (full mode) and every image's startup."""
    ex.log("constraints (breeze constraints generate)")
    elapsed, _ = ex.run(
        [*breeze, "constraints", "generate", "--python", report.PYTHON_VERSION,
         "--install-airflow-version", report.AIRFLOW_VERSION, "--airflow-extras", extras,
         "--output-dir", str(work)],
        timeout=1800,
    )  # fmt: skip
    result["constraints_s"] = elapsed
    result["notes"].append(
        f"constraints generated in {elapsed:.1f} s before the builds, not counted"
    )
    constraints = work / f"constraints-{report.PYTHON_VERSION}.txt"
    content = [
        "--python", report.PYTHON_VERSION,
        "--install-airflow-version", report.AIRFLOW_VERSION,
        "--airflow-extras", extras,
    ]  # fmt: skip
    build = ["--airflow-constraints-location", str(constraints), "--build-progress", "plain"]
    result["base_pyc_bytes"] = ex.base_pyc_bytes()
    result["images"]["ours"] = measure.measure_ours(args, breeze, content, build, work, result)
    if args.smoke:
        result["notes"].append("smoke mode: build cache kept (not a cold build), baselines skipped")
        for name in report.BASELINES:
            result["not_measured"][f"build_s.{name}"] = "smoke mode"
    else:
        measure.measure_baselines(args, extras, work, result)
    measure.measure_startup(args, result)


def finish(result: dict[str, Any]) -> dict[str, Any]:
    """The result document with the ratios and the targets evaluated."""
    metrics, cold = result["metrics"], result["cold"]
    result["ratios"] = report.ratios(metrics, cold=cold)
    result["targets"] = report.evaluate_all(
        metrics, cold, result["unfinished"], result["not_measured"]
    )
    return result


def image_pair(text: str) -> tuple[str, str]:
    """NAME=TAG of --baseline, NAME one of the baselines."""
    name, _, tag = text.partition("=")
    if name not in report.BASELINES or not tag:
        raise argparse.ArgumentTypeError(f"expected NAME=TAG, NAME one of {report.BASELINES}")
    return name, tag


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--workload", choices=sorted(report.WORKLOADS), default="W")
    parser.add_argument("--repeat", type=int, default=1, help="builds per measurement (median)")
    modes = parser.add_mutually_exclusive_group()
    modes.add_argument(
        "--smoke", action="store_true", help="keep the build cache, skip the baselines (CI)"
    )
    modes.add_argument(
        "--cli-only", action="store_true", help="measure only --help and TAB latency, build nothing"
    )
    modes.add_argument(
        "--startup-only", metavar="TAG", help="measure only the startup of existing images"
    )
    parser.add_argument(
        "--baseline", type=image_pair, action="append", default=[], metavar="NAME=TAG",
        help="with --startup-only: a baseline image to compare with",
    )  # fmt: skip
    parser.add_argument("--naive-pip-timeout", type=float, default=1800.0, metavar="SECONDS")
    parser.add_argument("--startup-runs", type=int, default=5, help="new containers per image")
    parser.add_argument("--health-runs", type=int, default=3, help="api-server starts per image")
    parser.add_argument("--results-dir", type=Path, help="default benchmarks/results[/local]")
    args = parser.parse_args(argv)
    if min(args.repeat, args.startup_runs, args.health_runs) < 1:
        parser.error("--repeat, --startup-runs and --health-runs must be 1 or more")
    if args.baseline and not args.startup_only:
        parser.error("--baseline goes with --startup-only")
    return args


def result_stem(result: dict[str, Any]) -> str:
    """<UTC date and time>-<workload>[-<mode>]: sorts by time, says what was run."""
    stamp = result["environment"]["date"].replace(":", "").replace("-", "")
    mode = "" if result["mode"] == "full" else f"-{result['mode'].replace('-only', '')}"
    return f"{stamp}-{result['workload']['name']}{mode}"


def write_results(folder: Path, stem: str, result: dict[str, Any], table: str) -> Path:
    """Write <stem>.json and <stem>.md, never over an earlier run's files; returns the JSON."""
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(1, 100):
        name = stem if index == 1 else f"{stem}-{index}"
        try:
            with open(folder / f"{name}.json", "x", encoding="utf-8") as out:
                out.write(json.dumps(result, indent=2) + "\n")
        except FileExistsError:
            continue
        (folder / f"{name}.md").write_text(table)
        return folder / f"{name}.json"
    raise ex.BenchError(f"too many results named {stem} in {folder}")


def main(argv: Sequence[str] | None = None) -> int:
    """Benchmark, then write the JSON and Markdown results and print the table."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        result = benchmark(args)
    except (ex.BenchError, subprocess.TimeoutExpired) as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    full = result["mode"] == "full"
    folder = args.results_dir or (HERE / "results" if full else HERE / "results" / "local")
    table = markdown.render_markdown(result)
    written = write_results(folder, result_stem(result), result, table)
    print(table)
    print(f"results: {written} and .md" + ("" if full else " (not a full run: not for committing)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
