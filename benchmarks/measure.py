"""Measuring images: builds of ours and of the baselines, sizes, phases, startup."""

from __future__ import annotations

import argparse
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks import bench_exec as ex
from benchmarks import bench_report as report
from benchmarks import phases, startup

HERE = ex.ROOT / "benchmarks"


def build_ours(
    breeze: list[str], tag: str, base_args: list[str], extra: Sequence[str] = ()
) -> tuple[float, str]:
    """Time one `breeze prod-image build` of our image; returns its wall time and build log."""
    ex.log(f"building {tag} {' '.join(extra)}")
    elapsed, done = ex.run(
        [*breeze, "prod-image", "build", "--image-tag", tag, *base_args, *extra], timeout=7200
    )
    ex.log(f"built {tag} in {elapsed:.1f} s")
    return elapsed, done.stdout + done.stderr


def build_baseline(
    name: str, tag: str, extras: str, timeout: float, context: Path
) -> tuple[float | None, str]:
    """Time one baseline build; None as its time when it did not finish within the timeout."""
    argv = [
        "docker", "buildx", "build", "--load", "--progress", "plain",
        "--file", str(HERE / "baselines" / f"{name}.Dockerfile"),
        "--build-arg", f"PYTHON_BASE_IMAGE={report.BASE_IMAGE}",
        "--build-arg", f"AIRFLOW_VERSION={report.AIRFLOW_VERSION}",
        "--build-arg", f"AIRFLOW_EXTRAS={extras}",
        "--tag", tag, str(context),
    ]  # fmt: skip
    ex.log(f"building baseline {name} (limit {timeout:.0f} s)")
    try:
        elapsed, done = ex.run(argv, timeout=timeout)
    except subprocess.TimeoutExpired:
        ex.log(f"baseline {name} did not finish within {timeout:.0f} s")
        return None, ""
    ex.log(f"built {name} in {elapsed:.1f} s")
    return elapsed, done.stderr


def prune() -> None:
    """Clear the build cache so that the next build is cold (full mode only)."""
    ex.log("docker builder prune -af")
    ex.run(["docker", "builder", "prune", "-af"])


def record_phases(result: dict[str, Any], image: str, logs: Sequence[str]) -> None:
    """Seconds per build phase of an image (median over its cold builds) into the result."""
    found = [phases.breakdown(text) for text in logs if text]
    if found:
        result["phases"][image] = phases.median_phases([b.phases for b in found])
        result["phases_unmapped"][image] = found[0].unmapped


def measure_ours(
    args: argparse.Namespace,
    breeze: list[str],
    content: list[str],
    build: list[str],
    work: Path,
    result: dict[str, Any],
) -> str:
    """Cold build(s), rebuilds, sizes, floor and start-airflow of our image; returns its tag.

    ``content`` are the options that choose what the image holds, ``build`` how it is built.
    """
    metrics, notes = result["metrics"], result["notes"]
    base_args = [*content, *build]
    tag = f"breeze-bench/airflow:{args.workload}"
    builds, logs = [], []
    for _ in range(args.repeat):
        if not args.smoke:
            prune()
        elapsed, text = build_ours(breeze, tag, base_args)
        builds.append(elapsed)
        logs.append(text)
    metrics["build_s.ours"] = report.median(builds)
    record_phases(result, "ours", logs)
    metrics["noop_rebuild_s"] = report.median(
        [build_ours(breeze, tag, base_args)[0] for _ in range(args.repeat)]
    )
    dags = work / "dags"
    dags.mkdir()
    (dags / "dag_0.py").write_text("# a DAG file\n")
    dag_args = [*base_args, "--embedded-dags", str(dags)]
    build_ours(breeze, f"{tag}-dags", dag_args)
    dag_times = []
    for index in range(1, args.repeat + 1):
        (dags / f"dag_{index}.py").write_text(f"# DAG file {index}\n")
        dag_times.append(build_ours(breeze, f"{tag}-dags", dag_args)[0])
    metrics["dag_rebuild_s"] = report.median(dag_times)
    metrics["package_rebuild_s"] = build_ours(
        breeze, f"{tag}-cowsay", [*base_args, "--additional-python-deps", "cowsay"]
    )[0]
    notes.append("one-added-package rebuild measured once (a repeat would hit the cache)")
    if args.smoke:
        for key in ("ci_build_s", "start_airflow_first_s", "start_airflow_s"):
            result["not_measured"][key] = "smoke mode: no CI image, no dev stack"
    else:
        measure_start_airflow(breeze, content, build, work, result)
    metrics["size_bytes.ours"] = ex.image_size(tag)
    ex.log("compressing our image (docker save | gzip)")
    metrics["compressed_bytes.ours"] = ex.compressed_size(tag)
    ex.log("size floor and bytecode")
    parts = ex.floor_parts(tag)
    metrics.update(parts)
    metrics["floor_bytes"] = report.size_floor(*parts.values())
    metrics["bytecode_bytes.ours"] = ex.bytecode_bytes(tag, result["base_pyc_bytes"])
    verify_ours(breeze, tag, content, result)
    return tag


def verify_ours(breeze: list[str], tag: str, content: list[str], result: dict[str, Any]) -> None:
    """`breeze prod-image verify` on the measured image: figures of a broken image do not count."""
    ex.log(f"prod-image verify {tag}")
    _, done = ex.run([*breeze, "prod-image", "verify", tag, *content], timeout=900, check=False)
    output = (done.stdout + done.stderr).strip().splitlines() or ["no output"]
    passed = done.returncode == 0
    result["verify"] = {"image": tag, "passed": passed, "last_line": output[-1]}
    status = "passed" if passed else f"FAILED ({output[-1]})"
    result["notes"].append(f"`breeze prod-image verify` on the measured image {tag}: {status}")


def measure_start_airflow(
    breeze: list[str], content: list[str], build: list[str], work: Path, result: dict[str, Any]
) -> None:
    """Build the CI image (cache kept), then time `breeze start-airflow` twice."""
    metrics = result["metrics"]
    ci_tag = f"breeze-bench/airflow-ci:{result['workload']['name']}"
    try:
        ex.log(f"building the CI image {ci_tag}")
        metrics["ci_build_s"], _ = ex.run(
            [*breeze, "ci-image", "build", "--image-tag", ci_tag, *content, *build], timeout=7200
        )
        first, second = startup.start_airflow(breeze, ci_tag, content, work)
    except (ex.BenchError, subprocess.TimeoutExpired) as error:
        reason = f"failed: {str(error).splitlines()[0][:200]}"
        ex.log(f"start-airflow: {error}")
        for key in ("start_airflow_first_s", "start_airflow_s"):
            result["not_measured"][key] = reason
        return
    metrics["start_airflow_first_s"], metrics["start_airflow_s"] = first, second


def measure_baselines(
    args: argparse.Namespace, extras: str, work: Path, result: dict[str, Any]
) -> None:
    """Cold build, size and bytecode of every baseline; a timeout is recorded as unfinished."""
    metrics = result["metrics"]
    context = work / "empty-context"
    context.mkdir()
    for name in report.BASELINES:
        timeout = args.naive_pip_timeout if name == "naive-pip" else 7200.0
        tag = f"breeze-bench/{name}:{args.workload}"
        times, logs = [], []
        for _ in range(args.repeat):
            prune()
            elapsed, text = build_baseline(name, tag, extras, timeout, context)
            times.append(elapsed)
            logs.append(text)
        if None in times:
            result["unfinished"][f"build_s.{name}"] = timeout
            for kind in report.IMAGE_METRICS:
                if kind != "build_s":
                    result["not_measured"][f"{kind}.{name}"] = "no image (build unfinished)"
            continue
        metrics[f"build_s.{name}"] = report.median([t for t in times if t is not None])
        record_phases(result, name, logs)
        result["images"][name] = tag
        metrics[f"size_bytes.{name}"] = ex.image_size(tag)
        metrics[f"compressed_bytes.{name}"] = ex.compressed_size(tag)
        metrics[f"bytecode_bytes.{name}"] = ex.bytecode_bytes(tag, result["base_pyc_bytes"])


def measure_startup(args: argparse.Namespace, result: dict[str, Any]) -> None:
    """Fresh-container startup and time to a healthy API of every image the run has."""
    images = result["images"]
    statement = report.heavy_import(result["workload"]["extras"])
    runs, health_runs = (2, 1) if args.smoke else (args.startup_runs, args.health_runs)
    result["startup"] = {
        "user": report.CONTAINER_USER,
        "import": statement,
        "runs": runs,
        "health_runs": health_runs,
        "environment": startup.CONTAINER_ENV,
        "health_command": startup.HEALTH_COMMAND,
    }
    if statement is None:
        for image in images:
            result["not_measured"][f"startup_import_s.{image}"] = "no heavy import for the extras"
    ex.log(f"fresh-container startup of {', '.join(images)}")
    medians, failed = startup.python_startup(images, statement, runs)
    result["metrics"].update(medians)
    result["not_measured"].update(failed)
    medians, failed = startup.health_startup(images, health_runs)
    result["metrics"].update(medians)
    result["not_measured"].update(failed)
