"""The benchmark harness in smoke mode: workload S, one repeat, build cache kept, no baselines;
our image's fresh-container startup is measured (two containers, one api-server)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import bench_report as report

ROOT = Path(__file__).resolve().parents[2]
MEASURED = (
    "build_s.ours",
    "noop_rebuild_s",
    "dag_rebuild_s",
    "package_rebuild_s",
    "size_bytes.ours",
    "compressed_bytes.ours",
    "floor_bytes",
    "floor.base_bytes",
    "floor.site_packages_bytes",
    "floor.scripts_bytes",
    "floor.runtime_apt_bytes",
    "bytecode_bytes.ours",
    "startup_version_s.ours",
    "startup_import_s.ours",
    "startup_health_s.ours",
    "breeze_help_s",
    "hello_help_s",
    "subcommand_help_s",
    "breeze_tab_s",
    "hello_tab_s",
)


def test_smoke_run_writes_json_and_markdown(engine: None, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--smoke", "--workload", "S",
         "--repeat", "1", "--results-dir", str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT, timeout=1200, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        pytest.fail(f"benchmarks/run.py failed:\n{done.stdout}\n{done.stderr[-4000:]}")
    [json_file] = tmp_path.glob("*-S-smoke.json")
    result = json.loads(json_file.read_text())
    metrics = result["metrics"]
    for key in MEASURED:
        assert isinstance(metrics[key], (int, float)) and metrics[key] > 0, key
    assert metrics["floor_bytes"] == (
        metrics["floor.base_bytes"]
        + metrics["floor.site_packages_bytes"]
        + metrics["floor.scripts_bytes"]
        + metrics["floor.runtime_apt_bytes"]
    )
    assert metrics["build_s.naive-uv"] is None and metrics["build_s.naive-pip"] is None
    assert result["not_measured"]["start_airflow_s"].startswith("smoke mode")
    # seconds per phase of our build (with the cache kept, the cached steps count nothing)
    assert all(seconds > 0 for seconds in result["phases"]["ours"].values())
    assert result["cold"] is False and result["mode"] == "smoke"
    assert result["verify"]["passed"] is True, result["verify"]  # the measured image is sound
    env = result["environment"]
    assert env["cpus"] > 0 and env["memory_bytes"] > 0 and env["docker_version"] and env["date"]
    statuses = {row["target"]: row["status"] for row in result["targets"]}
    assert statuses["cold build <= 1.0 x naive-uv"] == report.NOT_MEASURED
    assert statuses["DAG-only rebuild <= 1.5 s"] in (report.MET, report.MISSED)
    assert statuses["TAB <= 0.3 x hello-world TAB"] in (report.MET, report.MISSED)
    table = json_file.with_suffix(".md").read_text()
    assert "| target | measured | status |" in table
    assert table in done.stdout
