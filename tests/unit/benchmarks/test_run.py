"""The harness's command line and where it writes its results."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks import run


def minimal(mode: str = "full", date: str = "2026-12-02T10:15:00Z") -> dict[str, Any]:
    """Just what naming a result reads."""
    return {"environment": {"date": date}, "workload": {"name": "W"}, "mode": mode}


@pytest.mark.parametrize(
    ("mode", "stem"),
    [
        ("full", "20261202T101500Z-W"),
        ("smoke", "20261202T101500Z-W-smoke"),
        ("cli-only", "20261202T101500Z-W-cli"),
        ("startup-only", "20261202T101500Z-W-startup"),
    ],
)
def test_result_names_sort_by_time_and_say_the_mode(mode: str, stem: str) -> None:
    assert run.result_stem(minimal(mode)) == stem


def test_results_never_overwrite_an_earlier_run(tmp_path: Path) -> None:
    first = run.write_results(tmp_path, "stem", {"run": 1}, "one\n")
    second = run.write_results(tmp_path, "stem", {"run": 2}, "two\n")
    assert (first.name, second.name) == ("stem.json", "stem-2.json")
    assert json.loads(first.read_text()) == {"run": 1}
    assert (tmp_path / "stem-2.md").read_text() == "two\n"


def test_only_full_runs_are_meant_for_committing() -> None:
    ignored = (Path(run.ROOT) / ".gitignore").read_text().splitlines()
    assert "benchmarks/results/local/" in ignored
    assert "benchmarks/results/" not in ignored


def test_startup_only_takes_baseline_images() -> None:
    args = run.parse_args(
        ["--startup-only", "ours:1", "--baseline", "naive-uv=uv:1", "--workload", "S"]
    )
    assert args.startup_only == "ours:1" and args.baseline == [("naive-uv", "uv:1")]


@pytest.mark.parametrize(
    "argv",
    [
        ["--baseline", "naive-uv=uv:1"],
        ["--startup-only", "x", "--baseline", "mine=uv:1"],
        ["--smoke", "--cli-only"],
        ["--startup-runs", "0"],
    ],
)
def test_bad_command_lines(argv: list[str]) -> None:
    with pytest.raises(SystemExit):
        run.parse_args(argv)


def test_compare_prints_two_results_side_by_side(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from benchmarks import compare
    from tests.unit.benchmarks.test_bench_markdown import result

    old, new = result(), result(**{"build_s.ours": 50.0})
    (tmp_path / "old.json").write_text(json.dumps(old))
    (tmp_path / "new.json").write_text(json.dumps(new))
    assert compare.main([str(tmp_path / "old.json"), str(tmp_path / "new.json")]) == 0
    assert "| build_s.ours | 100.0 s | 50.0 s | 0.500 |" in capsys.readouterr().out
    assert compare.main([]) == 2
