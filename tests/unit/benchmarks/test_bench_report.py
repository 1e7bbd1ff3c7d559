"""The benchmark harness's pure part: ratios, the size floor, targets and the table."""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks import bench_report as report


def test_ratio_is_none_without_both_sides() -> None:
    assert report.ratio(3.0, 2.0) == 1.5
    assert report.ratio(None, 2.0) is None
    assert report.ratio(1.0, None) is None
    assert report.ratio(1.0, 0.0) is None


def test_median_of_measurements() -> None:
    assert report.median([3.0, 1.0, 2.0]) == 2.0
    assert report.median([]) is None


def test_split_extras_drops_what_the_version_lacks() -> None:
    kept, dropped = report.split_extras(report.WORKLOADS["W"], ["celery", "postgres", "async"])
    assert kept == ["async", "celery", "postgres"]
    assert "virtualenv" in dropped


def test_parse_known_extras_reads_breeze_extras_output() -> None:
    text = "aiobotocore\tapache-airflow-providers-amazon\ncelery\tapache-airflow-providers-celery\n"
    assert report.parse_known_extras(text) == ["aiobotocore", "celery"]


def test_floor_counts_only_apt_packages_the_base_lacks() -> None:
    base = report.parse_dpkg_sizes("apt\t4481\nbash\t7000\n")
    ours = report.parse_dpkg_sizes("apt\t4481\nbash\t7000\nlibpq5\t1000\ntini\t24\n")
    apt = report.added_apt_bytes(base, ours)
    assert apt == 1024 * 1024
    assert report.size_floor(100, 20, 5, apt) == 125 + 1024 * 1024


def full_metrics(**overrides: float | None) -> dict[str, float | None]:
    """A complete set of measurements in which every target is met."""
    metrics: dict[str, float | None] = {
        "build_s.ours": 100.0,
        "build_s.naive-uv": 120.0,
        "build_s.naive-pip": 1000.0,
        "size_bytes.ours": 600.0,
        "size_bytes.naive-uv": 1000.0,
        "size_bytes.naive-pip": 1100.0,
        "compressed_bytes.ours": 200.0,
        "floor_bytes": 650.0,
        "dag_rebuild_s": 2.0,
        "package_rebuild_s": 20.0,
        "breeze_help_s": 0.3,
        "hello_help_s": 0.3,
        "breeze_tab_s": 0.02,
        "hello_tab_s": 0.3,
    }
    return {**metrics, **overrides}


def statuses(targets: list[dict[str, Any]]) -> dict[str, str]:
    """Target name -> status."""
    return {row["target"]: row["status"] for row in targets}


def test_every_target_met() -> None:
    assert set(statuses(report.evaluate_all(full_metrics(), cold=True)).values()) == {report.MET}


def test_targets_missed_at_the_limit_plus_one() -> None:
    found = statuses(
        report.evaluate_all(
            full_metrics(**{"build_s.naive-uv": 99.0, "dag_rebuild_s": 3.5}), cold=True
        )
    )
    assert found["cold build <= 1.0 x naive-uv"] == report.MISSED
    assert found["DAG-only rebuild <= 3 s"] == report.MISSED
    assert found["cold build <= 0.15 x naive-pip"] == report.MET


def test_limits_are_inclusive() -> None:
    target = report.Target("x", "a", "b", 0.25)
    assert report.evaluate(target, {"a": 1.0, "b": 4.0}, cold=True)["status"] == report.MET


def test_warm_builds_leave_build_targets_not_measured() -> None:
    found = statuses(report.evaluate_all(full_metrics(), cold=False))
    assert found["cold build <= 1.0 x naive-uv"] == report.NOT_MEASURED
    assert found["one-added-package rebuild <= 0.25 x cold"] == report.NOT_MEASURED
    assert found["image <= 1.0 x floor"] == report.MET
    assert report.ratios(full_metrics(), cold=False)["build ours / naive-uv"] is None


def test_missing_baselines_are_not_measured() -> None:
    metrics = full_metrics(**{"build_s.naive-uv": None, "size_bytes.naive-uv": None})
    found = statuses(report.evaluate_all(metrics, cold=True))
    assert found["cold build <= 1.0 x naive-uv"] == report.NOT_MEASURED
    assert found["image <= 0.7 x naive-uv"] == report.NOT_MEASURED


@pytest.mark.parametrize("ours", [200.0, 400.0])
def test_unfinished_naive_pip_meets_the_target_with_an_upper_bound(ours: float) -> None:
    metrics = full_metrics(**{"build_s.ours": ours, "build_s.naive-pip": None})
    timeouts = {"build_s.naive-pip": 1800.0}
    row = report.evaluate(report.TARGETS[1], metrics, cold=True, timeouts=timeouts)
    assert row["status"] == report.MET
    assert row["bound"] is True
    assert report.format_target(row) == f"< {ours / 1800:.3f} x (baseline did not finish)"


def test_no_time_limit_and_no_baseline_is_not_measured() -> None:
    metrics = full_metrics(**{"build_s.naive-pip": None})
    assert report.evaluate(report.TARGETS[1], metrics, cold=True)["status"] == report.NOT_MEASURED


@pytest.mark.parametrize(("ours", "status"), [(1000.4, report.MET), (1000.6, report.MISSED)])
def test_ratios_are_compared_at_the_precision_shown(ours: float, status: str) -> None:
    target = report.Target("x", "a", "b", 1.0)
    assert report.evaluate(target, {"a": ours, "b": 1000.0}, cold=True)["status"] == status


def test_ratios_are_pairwise_within_the_run() -> None:
    found = report.ratios(full_metrics(), cold=True)
    assert found["build ours / naive-uv"] == pytest.approx(100 / 120)
    assert found["size ours / floor"] == pytest.approx(600 / 650)
    assert found["size ours / naive-pip"] == pytest.approx(600 / 1100)
    assert found["compressed ours / naive-uv"] is None


def test_markdown_table() -> None:
    metrics = {key: None for key in report.METRIC_LABELS}
    metrics.update(full_metrics(**{"build_s.naive-pip": None}))
    result = {
        "environment": {
            "date": "2026-01-01T00:00:00Z",
            "cpus": 2,
            "memory_bytes": 2 * 2**30,
            "docker_version": "26.1.5",
        },
        "workload": {
            "name": "W",
            "airflow_version": "3.3.2",
            "python": "3.13",
            "extras": ["celery", "postgres"],
            "dropped_extras": ["virtualenv"],
        },
        "repeat": 1,
        "smoke": False,
        "cold": True,
        "status": {"naive-pip": "did not finish in 1800 s"},
        "metrics": metrics,
        "ratios": report.ratios(metrics, cold=True),
        "targets": report.evaluate_all(metrics, cold=True),
        "notes": ["a note"],
    }
    table = report.render_markdown(result)
    assert "(dropped: `virtualenv`)" in table
    assert "2 CPUs, 2.0 GiB memory, Docker 26.1.5" in table
    assert "| cold build, ours | 100.0 s |" in table
    assert "| cold build, naive-pip | did not finish in 1800 s |" in table
    assert "| image size, ours | 0 MB |" in table
    assert "| breeze TAB (median of 20) | 0.020 s |" in table
    assert "| cold build <= 1.0 x naive-uv | 0.833 x | met |" in table
    assert "| cold build <= 0.15 x naive-pip | - | not measured |" in table
    assert "| DAG-only rebuild <= 3 s | 2.00 s | met |" in table
    assert "| compressed (docker save \\| gzip), ours | 0 MB |" in table
    assert "- a note" in table
