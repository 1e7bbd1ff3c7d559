"""`breeze upgrade-check` on a real pair of releases: Airflow 3.2.2 -> 3.3.2, small extras.

Sample DAGs that break, warn and pass: one leans on a module Airflow 3.3 removed (newly fails),
one is Airflow 2 code (fails in both, ruff's AIR301 names the lines), one uses names Airflow 3
deprecated (imports in both, ruff warns), one is plain Airflow 3.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.integration.conftest import CI_IMAGE_ARGS, TEST_REPOSITORY, breeze, docker
from tests.integration.test_dags import SAMPLES as CHECK_SAMPLES

SAMPLES = {
    "good.py": CHECK_SAMPLES["good.py"],
    "internal.py": (
        '"""Leans on an Airflow-internal helper that Airflow 3.3 removed."""\n'
        "from airflow.sdk import dag, task\n"
        "from airflow.utils.log.action_logger import action_event_from_permission\n\n\n"
        "@dag(schedule=None)\ndef audit():\n    @task\n    def event() -> str:\n"
        "        return action_event_from_permission('dag', 'can_read')\n\n    event()\n\n\n"
        "audit()\n"
    ),
    "legacy.py": (
        '"""Airflow 2 code."""\n'
        "from airflow import DAG\n"
        "from airflow.operators.bash import BashOperator\n"
        "from airflow.utils.dates import days_ago\n\n"
        "with DAG('legacy', schedule_interval='@daily', start_date=days_ago(1)):\n"
        "    BashOperator(task_id='hello', bash_command='echo hi')\n"
    ),
    "deprecated.py": (
        '"""Works on Airflow 3, through names it deprecated."""\n'
        "from airflow import DAG\n"
        "from airflow.operators.bash import BashOperator\n\n"
        "with DAG('deprecated_names', schedule=None):\n"
        "    BashOperator(task_id='hello', bash_command='echo hi')\n"
    ),
}
IMAGES = (f"{TEST_REPOSITORY}:upgrade-from", f"{TEST_REPOSITORY}:upgrade-to")
OPTIONS = (
    "--install-airflow-version", "3.2.2", "--to-version", "3.3.2", *CI_IMAGE_ARGS,
    "--image-tag", IMAGES[0], "--to-image-tag", IMAGES[1],
)  # fmt: skip


@pytest.fixture(scope="module")
def checked(engine: None, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, str]:
    """One full run: both images built (or reused), the JSON report, the Markdown file."""
    folder = tmp_path_factory.mktemp("upgrade")
    dags = folder / "dags"
    dags.mkdir()
    for name, text in SAMPLES.items():
        (dags / name).write_text(text)
    report = folder / "upgrade.md"
    done = breeze(
        "upgrade-check", str(dags), *OPTIONS, "--answer", "yes", "--build-progress", "plain",
        "--json", "--report", str(report), check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr[-3000:]
    return dags, json.loads(done.stdout), report.read_text()


def test_the_dags_side_by_side_say_what_newly_breaks(checked: tuple[Path, dict, str]) -> None:
    _, data, _ = checked
    assert (data["current"]["image"], data["target"]["image"]) == IMAGES
    assert data["severity"] == "breaking"
    dags = {d["file"]: d for d in data["dags"]}
    assert {name: d["status"] for name, d in dags.items()} == {
        "deprecated.py": "passes",
        "good.py": "passes",
        "internal.py": "newly fails",
        "legacy.py": "still fails",
    }
    internal = dags["internal.py"]
    assert internal["current"]["dags"] == ["audit"] and internal["target"]["line"] == 3
    assert "airflow.utils.log.action_logger" in internal["target"]["error"]


def test_ruff_names_removed_and_deprecated_airflow_names_by_line(
    checked: tuple[Path, dict, str],
) -> None:
    _, data, _ = checked
    found = {(f["file"], f["line"], f["code"], f["severity"]) for f in data["lint"]}
    assert ("legacy.py", 6, "AIR301", "breaking") in found  # schedule_interval, days_ago
    assert ("deprecated.py", 6, "AIR312", "warning") in found  # BashOperator from core
    assert ("deprecated.py", 5, "AIR311", "warning") in found  # airflow.DAG
    assert not any(f["file"] in ("good.py", "internal.py") for f in data["lint"])


def test_the_dependency_diff_comes_from_the_images(checked: tuple[Path, dict, str]) -> None:
    _, data, _ = checked
    changes = {c["name"]: c for c in data["dependencies"]}
    assert changes["apache-airflow"] == {
        "name": "apache-airflow", "before": "3.2.2", "after": "3.3.2", "kind": "upgraded"
    }  # fmt: skip
    assert changes["apache-airflow-core"]["kind"] == "upgraded"
    for image, side in zip(IMAGES, ("current", "target"), strict=True):
        pins = json.loads(
            docker("run", "--rm", "--entrypoint", "", image, "python", "-m", "pip", "list",
                   "--format", "json").stdout
        )  # fmt: skip
        installed = {p["name"].lower().replace("_", "-"): p["version"] for p in pins}
        for change in changes.values():
            key = "before" if side == "current" else "after"
            assert installed.get(change["name"]) == change[key], (image, change)


def test_the_markdown_report_has_every_section(checked: tuple[Path, dict, str]) -> None:
    _, _, markdown = checked
    assert markdown.startswith("# Upgrade check: Airflow 3.2.2 → 3.3.2\n")
    for needle in (
        "| `internal.py` | audit | fails: ModuleNotFoundError",
        "| **newly fails** |",
        "| `legacy.py:6` | AIR301 | breaking |",
        "| apache-airflow | 3.2.2 | 3.3.2 | upgraded |",
    ):
        assert needle in markdown


def test_fail_on_sets_the_exit_code_and_images_are_reused(
    checked: tuple[Path, dict, str], tmp_path: Path
) -> None:
    dags, _, _ = checked
    clean = tmp_path / "dags"
    clean.mkdir()
    for name in ("good.py", "deprecated.py"):
        (clean / name).write_text((dags / name).read_text())
    warned = breeze("upgrade-check", str(clean), *OPTIONS)
    # both images reused, neither stale: their inputs did not change
    assert "Building" not in warned.stderr and "as it is" not in warned.stderr
    assert "the upgrade works, with warnings" in warned.stderr
    strict = breeze("upgrade-check", str(clean), *OPTIONS, "--fail-on", "warning", check=False)
    assert strict.returncode == 1
    assert (
        strict.stderr.strip()
        .splitlines()[-1]
        .startswith("Error: Airflow 3.2.2 -> 3.3.2: the upgrade works, with warnings")
    )
    lenient = breeze("upgrade-check", str(dags), *OPTIONS, "--fail-on", "never")
    assert "the upgrade breaks something" in lenient.stderr
