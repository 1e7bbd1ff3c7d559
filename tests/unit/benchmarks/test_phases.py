"""Seconds per build phase from BuildKit's plain progress output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from benchmarks import phases

ROOT = Path(__file__).resolve().parents[3]
# A `breeze prod-image build --build-progress plain` of a small workload as breeze's stderr
# carried it (docker 26, docker driver), long apt and package lists cut short.
OURS = (Path(__file__).parent / "data" / "ours-plain.log").read_text()

# The bytecode baseline's shape (one stage, uv from PyPI); the uv summary lines as uv prints them.
NAIVE_UV_BYTECODE = """\
#0 building with "default" instance using docker driver

#1 [internal] load build definition from naive-uv-bytecode.Dockerfile
#1 transferring dockerfile: 1.20kB done
#1 DONE 0.0s

#2 [internal] load metadata for docker.io/library/python:3.13-slim-trixie
#2 DONE 0.0s

#3 [1/4] FROM docker.io/library/python:3.13-slim-trixie
#3 DONE 0.1s

#4 [2/4] RUN apt-get update     && apt-get install -y --no-install-recommends build-essential default-libmysqlclient-dev pkg-config     && rm -rf /var/lib/apt/lists/*
#4 0.412 Get:1 http://deb.debian.org/debian trixie InRelease [140 kB]
#4 DONE 27.9s

#5 [3/4] RUN pip install --no-cache-dir --break-system-packages "uv==0.13.9"
#5 0.801 Collecting uv==0.13.9
#5 DONE 3.4s

#6 [4/4] RUN uv pip install --system --break-system-packages --no-cache --compile-bytecode     "apache-airflow[celery,postgres]==3.3.2"
#6 0.212 Using Python 3.13.5 environment at: /usr
#6 3.401 Resolved 158 packages in 3.12s
#6 65.30 Prepared 158 packages in 1m 02s
#6 69.87 Installed 158 packages in 4.50s
#6 128.1 Bytecode compiled 6001 files in 58.20s
#6 128.2  + a2wsgi==1.10.10
#6 DONE 128.9s

#7 exporting to image
#7 exporting layers
#7 exporting layers 21.3s done
#7 writing image sha256:4f0c done
#7 naming to docker.io/breeze-bench/naive-uv-bytecode:S done
#7 DONE 21.4s
"""


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("345ms", 0.345), ("2.34s", 2.34), ("1m 05s", 65.0), ("1h 2m 3s", 3723.0), ("soon", None)],
)
def test_uv_durations(text: str, seconds: float | None) -> None:
    assert phases.parse_uv_duration(text) == (pytest.approx(seconds) if seconds else None)


def test_uv_summary_lines_name_their_phase() -> None:
    assert phases.uv_summary("Resolved 156 packages in 1.25s") == ("resolve", 1.25)
    assert phases.uv_summary("Prepared 1 package in 345ms") == ("download", 0.345)
    assert phases.uv_summary("Downloaded 3 packages in 1m 02s") == ("download", 62.0)
    assert phases.uv_summary("Bytecode compiled 5925 files in 5.77s") == ("bytecode", 5.77)
    assert phases.uv_summary(" Downloaded pygments") is None
    assert phases.uv_summary(" + a2wsgi==1.10.10") is None


def test_steps_are_read_once_with_their_time() -> None:
    steps = phases.parse_steps(OURS)
    assert steps[16].name.startswith("[airflow-build 3/4] RUN --mount=type=bind")
    assert steps[16].seconds == 24.2
    assert steps[16].uv == {
        "resolve": 1.25,
        "download": 2.81,
        "install": pytest.approx(0.181 + 3.95),
        "bytecode": 5.77,
    }
    # interrupted by another step's output ("#20 ..."), then done
    assert steps[20].seconds == 2.6
    assert steps[15].cached and steps[15].seconds == 0.0
    assert steps[28].name == "exporting to image" and steps[28].seconds == 2.0


def test_our_build_by_phase() -> None:
    found = phases.breakdown(OURS)
    assert found.unmapped == []
    assert found.phases == {
        "context": 0.3,
        "apt (build stage)": 24.5,
        "uv and venv setup": pytest.approx(24.2 - 1.25 - 2.81 - 0.181 - 3.95 - 5.77),
        "resolve": 1.25,
        "download": 2.81,
        "install": 4.131,
        "bytecode": 5.77,
        "trim": 2.2,
        "added packages": 2.4,
        "apt (runtime)": 5.3,
        "user": 0.4,
        "venv copy": 2.6,
        "files and metadata": 0.2,
        "export": 2.0,
    }
    assert found.total == pytest.approx(64.1)
    assert list(found.phases) == phases.ordered_phases(found.phases)


def test_a_baseline_build_by_phase() -> None:
    found = phases.breakdown(NAIVE_UV_BYTECODE)
    assert found.phases == {
        "base image": 0.1,
        "apt": 27.9,
        "uv setup": 3.4,
        "resolve": 3.12,
        "download": 62.0,
        "install": 4.5,
        "bytecode": 58.2,
        "install (uv other)": pytest.approx(128.9 - 3.12 - 62.0 - 4.5 - 58.2),
        "export": 21.4,
    }


def test_unknown_steps_are_listed() -> None:
    text = "#4 [main 3/9] RUN make-magic --now\n#4 DONE 3.0s\n"
    found = phases.breakdown(text)
    assert found.phases == {"other": 3.0}
    assert found.unmapped == ["[main 3/9] RUN make-magic --now"]


def test_a_failed_or_cancelled_step_counts_nothing() -> None:
    text = "#4 [2/4] RUN apt-get update\n#4 ERROR: process did not complete\n"
    assert phases.breakdown(text).phases == {}


def test_every_run_line_of_our_dockerfile_has_a_phase() -> None:
    """A RUN or COPY the rules do not know would land in 'other': keep the rules current."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    stage = ""
    for line in text.splitlines():
        if match := re.match(r"FROM \S+ AS (\S+)", line):
            stage = match[1]
        elif match := re.match(r"(RUN|COPY) (.*)", line):
            if stage in ("ci", "trust-true"):
                continue  # not part of the production build the benchmark measures
            phase, _ = phases.classify(f"[{stage} 1/1] {match[1]} {match[2]}")
            assert phase != "other", line


def test_phases_median_over_builds() -> None:
    runs = [{"apt": 10.0, "export": 2.0}, {"apt": 12.0}, {"apt": 11.0, "export": 4.0}]
    assert phases.median_phases(runs) == {"apt": 11.0, "export": 2.0}
