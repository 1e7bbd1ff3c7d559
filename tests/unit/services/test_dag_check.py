"""The DAG check service through the fake session: refused input, the container it runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from breeze.core.dag_report import REPORT_MARKER, DagCheckParams
from breeze.core.errors import BreezeError, InvalidInput
from breeze.core.run_options import RunOptions
from breeze.io.engine import ContainerRun
from breeze.io.runner import Result
from breeze.services.dag_check import check_dags
from tests.fakes import FakeEngine, FakeSession

IMAGE = "my/airflow:1"
ENGINE_OK = {"docker buildx version": Result(0, "github.com/docker/buildx v0.13.1 x\n")}


def test_a_missing_or_file_folder_is_refused_before_anything_runs(tmp_path: Path) -> None:
    session = FakeSession(cwd=tmp_path)
    with pytest.raises(InvalidInput, match="dags does not exist; give the folder of your DAG"):
        check_dags(DagCheckParams(image=IMAGE), session)
    (tmp_path / "file.py").write_text("x = 1\n")
    with pytest.raises(InvalidInput, match="is not a folder"):
        check_dags(DagCheckParams(tmp_path / "file.py", IMAGE), session)
    assert session.commands == [] and session.fake_engine.runs == []


def test_the_folder_is_mounted_read_only_and_failures_fail(tmp_path: Path) -> None:
    (tmp_path / "dags").mkdir()
    report = [{"file": "a.py", "dags": [], "seconds": 0.1, "error": "SyntaxError: bad"}]
    engine = FakeEngine(
        images={IMAGE: {"Config": {}}},
        containers=[ContainerRun(0, f"{REPORT_MARKER}\n{json.dumps(report)}\n", 1.0)],
    )
    session = FakeSession(cwd=tmp_path, engine=engine, answers=ENGINE_OK)
    with pytest.raises(BreezeError, match="1 of 1 DAG files do not import cleanly in my/airflow:1"):
        check_dags(DagCheckParams(image=IMAGE, json=True), session)
    (run,) = engine.runs
    assert run["mounts"] == {str(tmp_path / "dags"): "/opt/airflow/dags"}
    assert run["image"] == IMAGE and run["command"][:2] == ["python", "-c"]


def test_a_dry_run_prints_the_container(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "dags").mkdir()
    check_dags(DagCheckParams(image=IMAGE), FakeSession(RunOptions(dry_run=True), cwd=tmp_path))
    out = capsys.readouterr().out
    assert out.startswith("docker run --rm") and f"{tmp_path / 'dags'}:/opt/airflow/dags:ro" in out
