"""A benchmark result rendered as Markdown, and two results compared."""

from __future__ import annotations

import copy
from typing import Any

from benchmarks import bench_markdown as markdown
from benchmarks import bench_report as report
from tests.unit.benchmarks.test_bench_report import full_metrics


def result(**metric_overrides: float | None) -> dict[str, Any]:
    """A full run's document: naive-pip unfinished, phases of ours and naive-uv."""
    metrics: dict[str, float | None] = {key: None for key in report.metric_keys()}
    metrics.update(full_metrics(**{"build_s.naive-pip": None, **metric_overrides}))
    metrics.update({"floor.base_bytes": 239e6, "bytecode_bytes.ours": 30.0})
    unfinished = {"build_s.naive-pip": 1800.0}
    reasons = {"startup_version_s.naive-pip": "no image (build unfinished)"}
    return {
        "environment": {
            "date": "2026-12-02T10:00:00Z",
            "cpus": 2,
            "memory_bytes": 2 * 2**30,
            "docker_version": "26.1.5",
        },
        "revision": {"commit": "0123456789abcdef0123", "branch": "main", "dirty": True},
        "workload": {
            "name": "W",
            "airflow_version": "3.3.2",
            "python": "3.13",
            "extras": ["celery", "google"],
            "dropped_extras": ["virtualenv"],
        },
        "mode": "full",
        "repeat": 1,
        "cold": True,
        "metrics": metrics,
        "unfinished": unfinished,
        "not_measured": reasons,
        "startup": {
            "user": "1000123:0",
            "import": "from a import b",
            "runs": 5,
            "health_runs": 3,
            "health_command": "airflow api-server",
        },
        "phases": {
            "ours": {"apt (build stage)": 24.5, "bytecode": 60.0, "export": 20.0},
            "naive-uv": {"apt": 27.9, "install (uv other)": 40.0},
        },
        "phases_unmapped": {"ours": ["[main 3/9] RUN make-magic"]},
        "details": {"slowest_subcommand": "prod-image build"},
        "ratios": report.ratios(metrics, cold=True),
        "targets": report.evaluate_all(metrics, True, unfinished, reasons),
        "notes": ["a note"],
    }


def test_markdown_header_names_the_run() -> None:
    table = markdown.render_markdown(result())
    assert "(dropped: `virtualenv`); mode full." in table
    assert "2 CPUs, 2.0 GiB memory, Docker 26.1.5, repeat 1, revision 0123456789ab" in table
    assert "(uncommitted changes)" in table


def test_markdown_images_side_by_side() -> None:
    table = markdown.render_markdown(result())
    assert "| measurement | ours | naive-uv | naive-uv-bytecode | naive-pip |" in table
    assert "| cold build | 100.0 s | 120.0 s | 180.0 s | did not finish in 1800 s |" in table
    assert (
        "| `airflow version`, new container (median of 5) | 2.0 s | 5.0 s | - |"
        " no image (build unfinished) |"
    ) in table
    assert "`--user 1000123:0` with the entrypoint bypassed; heavy import: `from a import b`" in (
        table
    )


def test_markdown_ours_only_and_the_floor() -> None:
    table = markdown.render_markdown(result())
    assert "| DAG-only rebuild | 1.0 s |" in table
    assert "|   base image | 239 MB |" in table
    assert "| ours above the floor | 0 MB, of which bytecode 0 MB |" in table
    assert "| `breeze start-airflow` to healthy, second start | 15.0 s |" in table
    assert "Slowest subcommand `--help`: `breeze prod-image build --help`." in table


def test_markdown_phases_per_image() -> None:
    table = markdown.render_markdown(result())
    assert "| phase | ours | naive-uv |" in table
    assert "| apt (build stage) | 24.5 s | - |" in table
    assert "| apt | - | 27.9 s |" in table
    assert "| bytecode | 60.0 s | - |" in table
    assert "| sum of steps | 104.5 s | 67.9 s |" in table
    assert "| wall time | 100.0 s | 120.0 s |" in table
    assert "Steps of ours no phase names: `[main 3/9] RUN make-magic`" in table
    assert table.index("| apt (build stage) |") < table.index("| export |")


def test_markdown_targets_and_ratios() -> None:
    table = markdown.render_markdown(result())
    assert "| cold build <= 1.0 x naive-uv | 0.833 x | met |" in table
    assert (
        "| image <= 0.75 x naive-uv while startup <= 0.6 x naive-uv's | 0.700 x; airflow version"
        " 0.400 x, heavy import 0.375 x | met |"
    ) in table
    assert "| DAG-only rebuild <= 1.5 s | 1.00 s | met |" in table
    assert "| build ours / naive-pip | - |" in table
    assert "- a note" in table


def test_markdown_shows_bounds_and_reasons() -> None:
    doc = result(**{"build_s.naive-uv-bytecode": None})
    doc["unfinished"]["build_s.naive-uv-bytecode"] = 60.0
    doc["targets"] = report.evaluate_all(doc["metrics"], True, doc["unfinished"], {})
    table = markdown.render_markdown(doc)
    assert (
        "| cold build <= 0.8 x naive-uv-bytecode | < 1.667 x | not measured"
        " (naive-uv-bytecode did not finish in 60 s) |"
    ) in table


def test_issue_6_bounds_still_render() -> None:
    row = {"target": "x", "value": 0.104, "bound": True, "status": "met"}
    assert markdown.format_target(row) == "< 0.104 x"


def test_warm_build_is_labelled() -> None:
    doc = result()
    doc["cold"] = False
    assert "| build (cache kept, not cold) | 100.0 s |" in markdown.render_markdown(doc)


def test_comparison_of_two_runs() -> None:
    old = result()
    new = copy.deepcopy(old)
    new["environment"]["date"] = "2026-12-09T10:00:00Z"
    new["revision"]["commit"] = "fedcba9876543210"
    new["metrics"]["build_s.ours"] = 50.0
    new["phases"]["ours"]["bytecode"] = 6.0
    new["targets"] = report.evaluate_all(new["metrics"], True, new["unfinished"], {})
    text = markdown.render_comparison(old, new)
    assert text.startswith("old: 2026-12-02T10:00:00Z (01234567), new: 2026-12-09T10:00:00Z")
    assert "| build_s.ours | 100.0 s | 50.0 s | 0.500 |" in text
    assert "| build_s.naive-pip | did not finish in 1800 s |" not in text  # None on both sides
    assert "| cold build <= 1.0 x naive-uv | 0.833 x, met | 0.417 x, met |" in text
    assert "| bytecode | 60.0 s | 6.0 s |" in text
