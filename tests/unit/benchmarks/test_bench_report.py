"""The benchmark harness's pure part: extras, floor, ratios and the targets of issue 13."""

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


@pytest.mark.parametrize(
    ("extras", "module"),
    [
        (report.WORKLOADS["W"], "airflow.providers.google.cloud.hooks.bigquery"),
        (report.WORKLOADS["S"], "airflow.providers.celery.executors.celery_executor"),
        (("postgres",), "airflow.providers.postgres.hooks.postgres"),
    ],
)
def test_heavy_import_comes_from_the_workload(extras: tuple[str, ...], module: str) -> None:
    statement = report.heavy_import(extras)
    assert statement is not None and statement.startswith(f"from {module} import ")


def test_no_heavy_import_without_a_known_extra() -> None:
    assert report.heavy_import(["statsd"]) is None


def test_floor_counts_only_apt_packages_the_base_lacks() -> None:
    base = report.parse_dpkg_sizes("apt\t4481\nbash\t7000\n")
    ours = report.parse_dpkg_sizes("apt\t4481\nbash\t7000\nlibpq5\t1000\ntini\t24\n")
    apt = report.added_apt_bytes(base, ours)
    assert apt == 1024 * 1024
    assert report.size_floor(100, 20, 5, apt) == 125 + 1024 * 1024


def test_probe_counts_are_read_line_by_line() -> None:
    text = "site 2080000000\nsite_source 1500000000\nscripts 8000000\npyc \nnoise\n"
    counts = report.parse_counts(text)
    assert counts == {"site": 2080000000, "site_source": 1500000000, "scripts": 8000000}
    # the floor takes site-packages without bytecode: the bytecode is reported on its own
    assert counts["site"] - counts["site_source"] == 580000000


def test_every_metric_has_one_key() -> None:
    keys = report.metric_keys()
    assert len(keys) == len(set(keys))
    assert "startup_import_s.naive-uv-bytecode" in keys
    assert "bytecode_bytes.ours" in keys
    targets = [*report.TARGETS, *(part for t in report.TARGETS for part in t.also)]
    for target in targets:
        assert target.metric in keys
        assert target.reference is None or target.reference in keys
    for numerator, denominator in report.RATIOS.values():
        assert numerator in keys and (denominator in keys or denominator == "floor_bytes")


def full_metrics(**overrides: float | None) -> dict[str, float | None]:
    """A complete set of measurements in which every target is met."""
    metrics: dict[str, float | None] = {
        "build_s.ours": 100.0,
        "build_s.naive-uv": 120.0,
        "build_s.naive-uv-bytecode": 180.0,
        "build_s.naive-pip": 1000.0,
        "size_bytes.ours": 700.0,
        "size_bytes.naive-uv": 1000.0,
        "size_bytes.naive-uv-bytecode": 1300.0,
        "startup_version_s.ours": 2.0,
        "startup_version_s.naive-uv": 5.0,
        "startup_import_s.ours": 3.0,
        "startup_import_s.naive-uv": 8.0,
        "floor_bytes": 650.0,
        "dag_rebuild_s": 1.0,
        "package_rebuild_s": 9.0,
        "start_airflow_s": 15.0,
        "breeze_help_s": 0.15,
        "subcommand_help_s": 0.3,
        "hello_help_s": 0.3,
        "breeze_tab_s": 0.02,
        "hello_tab_s": 0.3,
    }
    return {**metrics, **overrides}


def statuses(targets: list[dict[str, Any]]) -> dict[str, str]:
    """Target name -> status."""
    return {row["target"]: row["status"] for row in targets}


def target(name: str) -> report.Target:
    """The target whose name starts with `name`."""
    return next(t for t in report.TARGETS if t.name.startswith(name))


def test_every_target_met() -> None:
    assert set(statuses(report.evaluate_all(full_metrics(), cold=True)).values()) == {report.MET}


def test_the_targets_are_issue_13s() -> None:
    names = [t.name for t in report.TARGETS]
    assert names == [
        "cold build <= 1.0 x naive-uv",
        "cold build <= 0.8 x naive-uv-bytecode",
        "image <= 0.75 x naive-uv while startup <= 0.6 x naive-uv's",
        "DAG-only rebuild <= 1.5 s",
        "one added package <= 0.1 x cold",
        "start-airflow to healthy, second start <= 20 s",
        "breeze --help <= 0.5 x hello-world --help",
        "every subcommand --help <= 1.0 x hello-world --help",
        "TAB <= 0.3 x hello-world TAB",
    ]


def test_targets_missed_past_the_limit() -> None:
    found = statuses(
        report.evaluate_all(
            full_metrics(
                **{"build_s.naive-uv-bytecode": 120.0, "dag_rebuild_s": 1.6, "start_airflow_s": 21}
            ),
            cold=True,
        )
    )
    assert found["cold build <= 0.8 x naive-uv-bytecode"] == report.MISSED
    assert found["DAG-only rebuild <= 1.5 s"] == report.MISSED
    assert found["start-airflow to healthy, second start <= 20 s"] == report.MISSED
    assert found["cold build <= 1.0 x naive-uv"] == report.MET


def test_limits_are_inclusive() -> None:
    inclusive = report.Target("x", "a", "b", 0.25)
    assert report.evaluate(inclusive, {"a": 1.0, "b": 4.0}, cold=True)["status"] == report.MET


@pytest.mark.parametrize(("ours", "status"), [(1000.4, report.MET), (1000.6, report.MISSED)])
def test_ratios_are_compared_at_the_precision_shown(ours: float, status: str) -> None:
    compared = report.Target("x", "a", "b", 1.0)
    assert report.evaluate(compared, {"a": ours, "b": 1000.0}, cold=True)["status"] == status


def test_size_is_met_only_while_startup_is() -> None:
    size = target("image <=")
    assert report.evaluate(size, full_metrics(), cold=True)["status"] == report.MET
    slow = full_metrics(**{"startup_import_s.ours": 5.0})
    row = report.evaluate(size, slow, cold=True)
    assert row["status"] == report.MISSED
    assert [part["status"] for part in row["parts"]] == [report.MET, report.MISSED]
    big = full_metrics(**{"size_bytes.ours": 800.0})
    assert report.evaluate(size, big, cold=True)["status"] == report.MISSED


def test_size_without_startup_is_not_measured() -> None:
    metrics = full_metrics(**{"startup_version_s.naive-uv": None})
    row = report.evaluate(
        target("image <="),
        metrics,
        cold=True,
        reasons={"startup_version_s.naive-uv": "failed: boom"},
    )
    assert row["status"] == report.NOT_MEASURED
    assert row["reason"] == "failed: boom"


def test_warm_builds_leave_build_targets_not_measured() -> None:
    rows = report.evaluate_all(full_metrics(), cold=False)
    found = statuses(rows)
    assert found["cold build <= 1.0 x naive-uv"] == report.NOT_MEASURED
    assert found["one added package <= 0.1 x cold"] == report.NOT_MEASURED
    assert found["DAG-only rebuild <= 1.5 s"] == report.MET
    assert rows[0]["reason"] == "not a cold build"
    assert report.ratios(full_metrics(), cold=False)["build ours / naive-uv"] is None


def test_missing_baselines_are_not_measured_with_their_reason() -> None:
    metrics = full_metrics(**{"build_s.naive-uv": None, "size_bytes.naive-uv": None})
    rows = report.evaluate_all(metrics, cold=True, reasons={"build_s.naive-uv": "smoke mode"})
    found = statuses(rows)
    assert found["cold build <= 1.0 x naive-uv"] == report.NOT_MEASURED
    assert found["image <= 0.75 x naive-uv while startup <= 0.6 x naive-uv's"] == (
        report.NOT_MEASURED
    )
    assert rows[0]["reason"] == "smoke mode"


# An unfinished side is only known to exceed its time limit: issue 13's run with a 60 s limit
# printed "met" for ours 126.6 s (bound < 2.109 x) against a 0.15 x target.
UNFINISHED_REFERENCE = report.Target("x <= 0.15 x slow", "build_s.ours", "build_s.slow", 0.15)


@pytest.mark.parametrize(
    ("ours", "limit", "status"),
    [
        (126.6, 60.0, report.NOT_MEASURED),
        (200.0, 1800.0, report.MET),
        (270.0, 1800.0, report.NOT_MEASURED),  # bound exactly 0.15: not below the target
    ],
)
def test_an_unfinished_reference_bounds_the_ratio_from_above(
    ours: float, limit: float, status: str
) -> None:
    row = report.evaluate(
        UNFINISHED_REFERENCE, {"build_s.ours": ours}, cold=True, unfinished={"build_s.slow": limit}
    )
    assert row["status"] == status
    assert row["bound"] == "<"
    assert row["value"] == pytest.approx(ours / limit)
    if status == report.NOT_MEASURED:
        assert row["reason"] == f"slow did not finish in {limit:.0f} s"


def test_an_unfinished_measurement_can_only_miss() -> None:
    seconds = report.Target("t <= 20 s", "t", None, 20.0)
    row = report.evaluate(seconds, {}, cold=True, unfinished={"t": 300.0})
    assert (row["status"], row["bound"], row["value"]) == (report.MISSED, ">", 300.0)
    short = report.evaluate(seconds, {}, cold=True, unfinished={"t": 10.0})
    assert short["status"] == report.NOT_MEASURED
    relative = report.Target("a <= 0.6 x b", "a", "b", 0.6)
    over = report.evaluate(relative, {"b": 100.0}, cold=True, unfinished={"a": 70.0})
    assert (over["status"], over["bound"]) == (report.MISSED, ">")
    under = report.evaluate(relative, {"b": 100.0}, cold=True, unfinished={"a": 50.0})
    assert under["status"] == report.NOT_MEASURED


def test_both_sides_unfinished_is_not_measured() -> None:
    row = report.evaluate(
        UNFINISHED_REFERENCE, {}, cold=True, unfinished={"build_s.ours": 9, "build_s.slow": 9}
    )
    assert row["status"] == report.NOT_MEASURED


def test_no_time_limit_and_no_baseline_is_not_measured() -> None:
    row = report.evaluate(UNFINISHED_REFERENCE, {"build_s.ours": 1.0}, cold=True)
    assert row["status"] == report.NOT_MEASURED
    assert "bound" not in row and "reason" not in row


def test_ratios_are_pairwise_within_the_run() -> None:
    found = report.ratios(full_metrics(), cold=True)
    assert found["build ours / naive-uv"] == pytest.approx(100 / 120)
    assert found["build naive-uv-bytecode / naive-uv"] == pytest.approx(1.5)
    assert found["size ours / floor"] == pytest.approx(700 / 650)
    assert found["airflow version ours / naive-uv"] == pytest.approx(0.4)
    assert found["compressed ours / naive-uv"] is None
