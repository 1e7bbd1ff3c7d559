"""The upgrade-check service through the fake session: images, containers, ruff, exit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from breeze.core.dag_report import REPORT_MARKER
from breeze.core.errors import BreezeError, InvalidInput
from breeze.core.image_params import ImageBuildParams, ImageSpec
from breeze.core.run_options import RunOptions
from breeze.core.upgrade_params import PACKAGES_MARKER, UpgradeCheckParams
from breeze.io.engine import ContainerRun
from breeze.io.runner import Result
from breeze.services.upgrade_check import check_upgrade
from tests.fakes import FakeEngine, FakeSession

CURRENT = ImageBuildParams(ImageSpec(airflow_version="3.2.2", python="3.13"))
OLD, NEW = "breeze/airflow:3.2.2-python3.13", "breeze/airflow:3.3.2-python3.13"
LABELS = {"Config": {"Labels": {"org.apache.airflow.constraints.source": "generated"}}}
RUFF = [
    {"code": "AIR301", "filename": "{dags}/old.py", "location": {"row": 2, "column": 1},
     "message": "`days_ago` is removed in Airflow 3.0"},
    {"code": None, "filename": "{dags}/broken.py", "location": {"row": 1, "column": 5},
     "message": "SyntaxError: Expected ':'"},
]  # fmt: skip


def _container(packages: dict[str, str], dags: list[dict]) -> list[ContainerRun]:
    """What the two containers of one image print: its distributions, its DAG report."""
    return [
        ContainerRun(0, f"{PACKAGES_MARKER}\n{json.dumps(packages)}\n", 1.0),
        ContainerRun(0, f"{REPORT_MARKER}\n{json.dumps(dags)}\n", 2.0),
    ]


def _session(tmp_path: Path, *, ruff: list[dict] | None = None) -> FakeSession:
    dags = tmp_path / "dags"
    dags.mkdir()
    good = {"file": "good.py", "dags": ["good"], "seconds": 0.2, "error": None}
    moved = {"file": "moved.py", "dags": ["m"], "seconds": 0.2, "error": None}
    gone = {**moved, "dags": [], "error": "Traceback\n  File \"/opt/airflow/dags/moved.py\", "
            "line 3, in <module>\nImportError: cannot import name 'X'"}  # fmt: skip
    engine = FakeEngine(
        images={OLD: LABELS, NEW: LABELS},
        containers=[
            *_container({"apache-airflow": "3.2.2", "six": "1.17"}, [good, moved]),
            *_container({"apache-airflow": "3.3.2"}, [good, gone]),
        ],
    )
    text = json.dumps(ruff or []).replace("{dags}", str(dags))
    answers = {
        "docker buildx version": Result(0, "github.com/docker/buildx v0.13.1 x\n"),
        "docker buildx": Result(0),
    }
    session = FakeSession(
        cwd=tmp_path, engine=engine, answers=answers,
        environ={"BREEZE_CACHE_DIR": str(tmp_path / "cache")},
    )  # fmt: skip
    session.answers[str(session.ruff())] = Result(0, text)
    return session


def _ruff(session: FakeSession) -> list[tuple[str, ...]]:
    return [c.argv for c in session.commands if Path(c.argv[0]).name == "ruff"]


def test_a_dag_that_newly_fails_breaks_the_upgrade_and_the_report_says_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session = _session(tmp_path, ruff=RUFF)
    report_file = tmp_path / "upgrade.md"
    params = UpgradeCheckParams(CURRENT, "3.3.2", report=report_file, json=True)
    with pytest.raises(BreezeError, match=r"3.2.2 -> 3.3.2: the upgrade breaks something \(2 "):
        check_upgrade(params, session)
    data = json.loads(capsys.readouterr().out)
    assert {d["file"]: d["status"] for d in data["dags"]} == {
        "good.py": "passes",
        "moved.py": "newly fails",
    }
    assert data["dags"][1]["target"]["line"] == 3
    assert [(f["code"], f["file"], f["line"]) for f in data["lint"]] == [("AIR301", "old.py", 2)]
    assert {c["name"]: c["kind"] for c in data["dependencies"]} == {
        "apache-airflow": "upgraded",
        "six": "removed",
    }
    assert data["current"]["constraints"] == "generated"
    assert "| `moved.py` |" in session.written[report_file]
    images = [run["image"] for run in session.fake_engine.runs]
    assert images == [OLD, OLD, NEW, NEW]
    (ruff,) = _ruff(session)
    assert ruff[1:] == (
        "check", "--isolated", "--no-cache", "--preview", "--select", "AIR3",
        "--output-format", "json", "--exit-zero", str(tmp_path / "dags"),
    )  # fmt: skip


@pytest.mark.parametrize(("fail_on", "raises"), [("breaking", True), ("never", False)])
def test_fail_on_decides_the_exit(tmp_path: Path, fail_on: str, raises: bool) -> None:
    params = UpgradeCheckParams(CURRENT, "3.3.2", fail_on=fail_on)
    if raises:
        with pytest.raises(BreezeError):
            check_upgrade(params, _session(tmp_path))
    else:
        assert check_upgrade(params, _session(tmp_path)).severity == "breaking"  # type: ignore[union-attr]


def test_bad_input_runs_nothing_and_writes_nothing(tmp_path: Path) -> None:
    session = FakeSession(cwd=tmp_path)
    with pytest.raises(InvalidInput, match="dags does not exist"):
        check_upgrade(UpgradeCheckParams(CURRENT, "3.3.2"), session)
    (tmp_path / "dags").mkdir()
    with pytest.raises(InvalidInput, match=r"--report .*: folder .*nowhere does not exist"):
        check_upgrade(
            UpgradeCheckParams(CURRENT, "3.3.2", report=tmp_path / "nowhere" / "r.md"), session
        )
    with pytest.raises(InvalidInput, match="not an Airflow release breeze knows"):
        check_upgrade(UpgradeCheckParams(CURRENT, "4.0.0"), session)
    assert session.commands == [] and session.fake_engine.runs == [] and session.written == {}


def test_a_dry_run_prints_both_builds_and_every_container(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "dags").mkdir()
    session = FakeSession(
        RunOptions(dry_run=True), cwd=tmp_path,
        environ={"BREEZE_CACHE_DIR": str(tmp_path / "cache")},
    )  # fmt: skip
    assert check_upgrade(UpgradeCheckParams(CURRENT, "3.3.2"), session) is None
    tags = [a[a.index("--tag") + 1] for a in session.argv_of("docker buildx build")]
    assert tags == [OLD, NEW]
    assert capsys.readouterr().out.count("docker run --rm") == 4
    assert len(_ruff(session)) == 1 and session.fake_engine.runs == []
