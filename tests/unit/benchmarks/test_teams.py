"""The teams benchmark's pure parts: which steps ran, the verdict, the table."""

from __future__ import annotations

from benchmarks.fleet import executed_steps
from benchmarks.teams import judge, render

# A build on an empty engine from a registry cache, one package added (trimmed from a real log).
LOG = """\
#11 [airflow-build 3/4] RUN --mount=type=bind,source=scripts/docker/install-airflow.sh bash /tmp/install-airflow.sh airflow
#11 CACHED

#13 [airflow-build 4/4] RUN --mount=type=bind,source=scripts/docker/finalize-venv.sh bash /tmp/finalize-venv.sh
#13 sha256:58d887ee 8.39MB / 28.20MB 0.2s
#13 extracting sha256:6af4b680 3.0s done
#13 DONE 4.5s

#14 [airflow-additional 1/1] RUN --mount=type=bind,source=scripts/docker/install-airflow.sh bash /tmp/venv-overlay.sh snapshot
#14 0.512 Resolved 2 packages in 310ms
#14 1.201 Installed 1 package in 5ms
#14 DONE 1.5s

#15 [main 2/9] RUN useradd --uid "50000" airflow
#15 CACHED
"""


def test_only_steps_that_printed_their_commands_output_ran() -> None:
    # #13 only downloaded and extracted its cached layers for the step after it
    assert executed_steps(LOG) == ["airflow-additional 1/1"]


def test_the_verdict_needs_the_ratio_and_no_executed_step() -> None:
    assert judge(100.0, 9.0, [], ["airflow-additional 1/1"]) == {
        "ratio": 0.09,
        "warm_met": True,
        "added_reuses_airflow": True,
    }
    assert not judge(100.0, 30.0, [], [])["warm_met"]  # slower than 0.25 x
    assert not judge(100.0, 9.0, ["airflow-build 3/4"], [])["warm_met"]  # the install ran
    assert not judge(100.0, 9.0, [], ["airflow-build 3/4", "airflow-additional 1/1"])[
        "added_reuses_airflow"
    ]


def test_the_table_names_each_measurement_and_its_target() -> None:
    metrics = {
        "cold_s": 186.0, "cold_ran": ["airflow-build 3/4"], "warm_s": 20.5, "warm_ran": [],
        "added_s": 31.0, "added_ran": ["airflow-additional 1/1"],
    }  # fmt: skip
    result = {
        "workload": "W", "date": "2026-12-02 10:00 UTC", "metrics": metrics,
        "verdict": judge(186.0, 20.5, [], ["airflow-additional 1/1"]),
    }  # fmt: skip
    text = render(result)
    assert (
        "| B (empty engine): same options | 20.5 | 0 | <= 0.25 x A, none executed: met (0.110 x) |"
        in text
    )
    assert (
        "| B: one added package (cowsay) | 31.0 | airflow-additional 1/1 | Airflow's install reused: met |"
        in text
    )
