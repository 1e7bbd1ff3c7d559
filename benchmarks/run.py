"""Benchmark breeze's production image against naive pip/uv Dockerfiles (issue 6).

Usage: python benchmarks/run.py [--workload W|S] [--repeat N] [--smoke | --cli-only]
                                [--naive-pip-timeout S]
Run it with the interpreter of breeze's virtualenv (.venv/bin/python); writes Markdown and JSON
under benchmarks/results/.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import bench_report as report

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BASELINES = ("naive-uv", "naive-pip")
CLI_RUNS = 20
HELLO_WORLD = """\
import typer
app = typer.Typer()
@app.command()
def main(name: str = "world") -> None: print(f"hello {name}")
app(prog_name="hello")
"""


class BenchError(Exception):
    """A step of the benchmark failed; the message says which."""


def log(message: str) -> None:
    """Progress on stderr, so stdout carries only the table."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(
    argv: Sequence[str],
    timeout: float | None = None,
    env: dict[str, str] | None = None,
    check: bool = True,
) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Run a command, returning its wall time and result; raise BenchError when it fails."""
    start = time.perf_counter()
    done = subprocess.run(
        list(argv),
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if check and done.returncode != 0:
        raise BenchError(
            f"{shlex.join(argv)} failed ({done.returncode}):\n{done.stdout[-2000:]}\n"
            f"{done.stderr[-4000:]}"
        )
    return elapsed, done


def breeze_command() -> list[str]:
    """The breeze executable next to this interpreter, else the one on PATH."""
    beside = Path(sys.executable).parent / "breeze"
    found = str(beside) if beside.exists() else shutil.which("breeze")
    if not found:
        raise BenchError("breeze not found: run with the interpreter of breeze's virtualenv")
    return [found]


def environment() -> dict[str, Any]:
    """CPU count, memory, Docker version and date of this run."""
    memory = 0
    with open("/proc/meminfo", encoding="utf-8") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) * 1024
    _, version = run(["docker", "version", "--format", "{{.Server.Version}}"])
    _, buildx = run(["docker", "buildx", "version"], check=False)
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "cpus": os.cpu_count(),
        "memory_bytes": memory,
        "docker_version": version.stdout.strip(),
        "buildx_version": buildx.stdout.strip(),
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


def image_size(tag: str) -> int:
    """The image's size on disk as the engine reports it."""
    _, done = run(["docker", "image", "inspect", "--format", "{{.Size}}", tag])
    return int(done.stdout.strip())


def compressed_size(tag: str) -> int:
    """Bytes of `docker save TAG | gzip` (default level), compressed here with zlib."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # wbits 31: the gzip format
    total = 0
    with subprocess.Popen(["docker", "save", tag], stdout=subprocess.PIPE) as save:
        assert save.stdout is not None
        while chunk := save.stdout.read(1 << 20):
            total += len(compressor.compress(chunk))
    if save.returncode != 0:
        raise BenchError(f"docker save {tag} failed ({save.returncode})")
    return total + len(compressor.flush())


def in_container(image: str, script: str) -> str:
    """stdout of a shell script run in a throw-away container of the image."""
    _, done = run(["docker", "run", "--rm", "--entrypoint", "sh", image, "-c", script])
    return done.stdout


DPKG = "dpkg-query -W -f '${Package}\\t${Installed-Size}\\n'"


def floor_parts(image: str) -> dict[str, int]:
    """Base image, site-packages, the venv's bin/ and the runtime apt packages our image adds."""
    site = in_container(image, "du -sbc /opt/airflow-venv/lib/python3*/site-packages | tail -1")
    scripts = in_container(image, "du -sb /opt/airflow-venv/bin")
    base_pkgs = report.parse_dpkg_sizes(in_container(report.BASE_IMAGE, DPKG))
    our_pkgs = report.parse_dpkg_sizes(in_container(image, DPKG))
    return {
        "floor.base_bytes": image_size(report.BASE_IMAGE),
        "floor.site_packages_bytes": int(site.split()[0]),
        "floor.scripts_bytes": int(scripts.split()[0]),
        "floor.runtime_apt_bytes": report.added_apt_bytes(base_pkgs, our_pkgs),
    }


def cli_latency(breeze: list[str], python: str, folder: Path) -> dict[str, float | None]:
    """Median wall time of --help and of one bash TAB request, breeze and a typer hello-world."""
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
        times = []
        for _ in range(CLI_RUNS):
            elapsed, done = run(argv, env={"COLUMNS": "100", **env})
            if expected not in done.stdout:
                raise BenchError(f"{key}: {expected!r} not in the output of {shlex.join(argv)}")
            times.append(elapsed)
        found[key] = report.median(times)
        log(f"{key}: {found[key]:.3f} s")
    return found


def build_ours(
    breeze: list[str], tag: str, base_args: list[str], extra: Sequence[str] = ()
) -> float:
    """Time one `breeze prod-image build` of our image."""
    log(f"building {tag} {' '.join(extra)}")
    elapsed, _ = run(
        [*breeze, "prod-image", "build", "--image-tag", tag, *base_args, *extra], timeout=7200
    )
    log(f"built {tag} in {elapsed:.1f} s")
    return elapsed


def build_baseline(name: str, tag: str, extras: str, timeout: float, context: Path) -> float | None:
    """Time one baseline build; None when it did not finish within the timeout."""
    argv = [
        "docker", "buildx", "build", "--load", "--progress", "plain",
        "--file", str(HERE / "baselines" / f"{name}.Dockerfile"),
        "--build-arg", f"PYTHON_BASE_IMAGE={report.BASE_IMAGE}",
        "--build-arg", f"AIRFLOW_VERSION={report.AIRFLOW_VERSION}",
        "--build-arg", f"AIRFLOW_EXTRAS={extras}",
        "--tag", tag, str(context),
    ]  # fmt: skip
    log(f"building baseline {name} (limit {timeout:.0f} s)")
    try:
        elapsed, _ = run(argv, timeout=timeout)
    except subprocess.TimeoutExpired:
        log(f"baseline {name} did not finish within {timeout:.0f} s")
        return None
    log(f"built {name} in {elapsed:.1f} s")
    return elapsed


def prune() -> None:
    """Clear the build cache so that the next build is cold (full mode only)."""
    log("docker builder prune -af")
    run(["docker", "builder", "prune", "-af"])


def known_extras(breeze: list[str]) -> list[str]:
    """Extras of the benchmarked Airflow version, from breeze's shipped metadata."""
    _, done = run(
        [*breeze, "prod-image", "extras", "--install-airflow-version", report.AIRFLOW_VERSION]
    )
    return report.parse_known_extras(done.stdout)


def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    """Run every measurement of the workload and return the result document."""
    breeze = breeze_command()
    python = sys.executable
    workload = args.workload
    kept, dropped = report.split_extras(report.WORKLOADS[workload], known_extras(breeze))
    extras = ",".join(kept)
    notes = []
    if dropped:
        notes.append(
            f"extras dropped (Airflow {report.AIRFLOW_VERSION} does not have them, breeze refuses"
            f" them): {', '.join(dropped)}; the baselines use the same list"
        )
    result: dict[str, Any] = {
        "environment": environment(),
        "workload": {
            "name": workload,
            "airflow_version": report.AIRFLOW_VERSION,
            "python": report.PYTHON_VERSION,
            "base_image": report.BASE_IMAGE,
            "extras": kept,
            "dropped_extras": dropped,
        },
        "repeat": args.repeat,
        "smoke": args.smoke,
        "cold": not (args.smoke or args.cli_only),
        "timeouts": {"build_s.naive-pip": args.naive_pip_timeout},
        "status": {},
    }
    metrics: dict[str, float | None] = {key: None for key in report.METRIC_LABELS}
    work = Path(tempfile.mkdtemp(prefix="breeze-bench-"))
    if args.cli_only:
        try:
            metrics.update(cli_latency(breeze, python, work))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        notes.append("--cli-only: CLI latency only, nothing built")
        return finish(result, metrics, notes)
    try:
        log("constraints (breeze constraints generate)")
        elapsed, _ = run(
            [*breeze, "constraints", "generate", "--python", report.PYTHON_VERSION,
             "--install-airflow-version", report.AIRFLOW_VERSION, "--airflow-extras", extras,
             "--output-dir", str(work)],
            timeout=1800,
        )  # fmt: skip
        result["constraints_s"] = elapsed
        notes.append(f"constraints generated in {elapsed:.1f} s before the builds, not counted")
        constraints = work / f"constraints-{report.PYTHON_VERSION}.txt"
        base_args = [
            "--python", report.PYTHON_VERSION,
            "--install-airflow-version", report.AIRFLOW_VERSION,
            "--airflow-extras", extras,
            "--airflow-constraints-location", str(constraints),
            "--build-progress", "plain",
        ]  # fmt: skip
        tag = f"breeze-bench/airflow:{workload}"
        builds = []
        for _ in range(args.repeat):
            if not args.smoke:
                prune()
            builds.append(build_ours(breeze, tag, base_args))
        metrics["build_s.ours"] = report.median(builds)
        metrics["noop_rebuild_s"] = report.median(
            [build_ours(breeze, tag, base_args) for _ in range(args.repeat)]
        )
        dags = work / "dags"
        dags.mkdir()
        (dags / "dag_0.py").write_text("# a DAG file\n")
        dag_args = [*base_args, "--embedded-dags", str(dags)]
        build_ours(breeze, f"{tag}-dags", dag_args)
        dag_times = []
        for index in range(1, args.repeat + 1):
            (dags / f"dag_{index}.py").write_text(f"# DAG file {index}\n")
            dag_times.append(build_ours(breeze, f"{tag}-dags", dag_args))
        metrics["dag_rebuild_s"] = report.median(dag_times)
        metrics["package_rebuild_s"] = build_ours(
            breeze, f"{tag}-cowsay", [*base_args, "--additional-python-deps", "cowsay"]
        )
        notes.append("one-added-package rebuild measured once (a repeat would hit the cache)")
        metrics["size_bytes.ours"] = image_size(tag)
        log("compressing our image (docker save | gzip)")
        metrics["compressed_bytes.ours"] = compressed_size(tag)
        log("size floor")
        parts = floor_parts(tag)
        metrics.update(parts)
        metrics["floor_bytes"] = report.size_floor(*parts.values())
        metrics.update(cli_latency(breeze, python, work))
        if args.smoke:
            notes.append("smoke mode: build cache kept (not a cold build), baselines skipped")
        else:
            context = work / "empty-context"
            context.mkdir()
            for name in BASELINES:
                timeout = args.naive_pip_timeout if name == "naive-pip" else 7200
                times = []
                for _ in range(args.repeat):
                    prune()
                    times.append(
                        build_baseline(name, f"breeze-bench/{name}:{workload}", extras, timeout,
                                       context)
                    )  # fmt: skip
                if None in times:
                    result["status"][name] = f"did not finish in {timeout:.0f} s"
                    continue
                baseline_tag = f"breeze-bench/{name}:{workload}"
                metrics[f"build_s.{name}"] = report.median([t for t in times if t is not None])
                metrics[f"size_bytes.{name}"] = image_size(baseline_tag)
                metrics[f"compressed_bytes.{name}"] = compressed_size(baseline_tag)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return finish(result, metrics, notes)


def finish(
    result: dict[str, Any], metrics: dict[str, float | None], notes: list[str]
) -> dict[str, Any]:
    """The result document with the metrics, their ratios, the targets and the notes."""
    result["metrics"] = metrics
    result["ratios"] = report.ratios(metrics, cold=result["cold"])
    result["targets"] = report.evaluate_all(metrics, result["cold"], result["timeouts"])
    result["notes"] = notes
    return result


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", choices=sorted(report.WORKLOADS), default="W")
    parser.add_argument("--repeat", type=int, default=1, help="builds per measurement (median)")
    parser.add_argument(
        "--smoke", action="store_true", help="keep the build cache, skip the baselines (CI)"
    )
    parser.add_argument(
        "--cli-only", action="store_true", help="measure only --help and TAB latency, build nothing"
    )
    parser.add_argument("--naive-pip-timeout", type=float, default=1800.0, metavar="SECONDS")
    parser.add_argument("--results-dir", type=Path, default=HERE / "results")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be 1 or more")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Benchmark, then write <date>-<workload>[-smoke].json and .md under the results folder."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        result = benchmark(args)
    except (BenchError, subprocess.TimeoutExpired) as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    args.results_dir.mkdir(parents=True, exist_ok=True)
    stamp = result["environment"]["date"].replace(":", "").replace("-", "")
    mode = "-cli" if args.cli_only else "-smoke" if args.smoke else ""
    stem = f"{stamp}-{args.workload}{mode}"
    table = report.render_markdown(result)
    (args.results_dir / f"{stem}.json").write_text(json.dumps(result, indent=2) + "\n")
    (args.results_dir / f"{stem}.md").write_text(table)
    print(table)
    print(f"results: {args.results_dir / stem}.json and .md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
