"""`breeze dags check` on a real image: sample DAGs that pass, fail, lack a package, are slow."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.integration.conftest import breeze

SAMPLES = {
    "good.py": (
        "from airflow.sdk import dag, task\n\n\n@dag(schedule=None)\ndef good():\n"
        "    @task\n    def hi() -> str:\n        return 'hi'\n\n    hi()\n\n\ngood()\n"
    ),
    "broken.py": "from airflow.sdk import dag\n\n@dag(schedule=None\ndef broken():\n    pass\n",
    "needs_pkg.py": (
        "import cowsay  # not in the image\nfrom airflow.sdk import dag\n\n\n"
        "@dag(schedule=None)\ndef needs_pkg():\n    pass\n\n\nneeds_pkg()\n"
    ),
    "slow.py": (
        "import time\n\nfrom airflow.sdk import dag\n\ntime.sleep(3)\n\n\n"
        "@dag(schedule=None)\ndef slow():\n    pass\n\n\nslow()\n"
    ),
    "airflow2_paths.py": (
        "from airflow import DAG\nfrom airflow.operators.bash import BashOperator\n\n"
        "with DAG('airflow2_paths', schedule=None):\n    BashOperator(task_id='b', bash_command='true')\n"
    ),
    "helper.py": "x = 1\n",
}


@pytest.fixture
def dag_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "dags"
    folder.mkdir()
    for name, text in SAMPLES.items():
        (folder / name).write_text(text)
    return folder


def test_each_file_is_reported_with_its_cause(default_image: str, dag_folder: Path) -> None:
    junit = dag_folder.parent / "report.xml"
    done = breeze(
        "dags", "check", str(dag_folder), "--image", default_image, "--import-timeout", "2",
        "--json", "--junit-xml", str(junit), check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    files = {f["file"]: f for f in json.loads(done.stdout)["files"]}
    assert files["good.py"]["dags"] == ["good"] and not files["good.py"]["failed"]
    assert files["broken.py"]["error"].startswith("SyntaxError") and files["broken.py"]["line"] == 3
    assert files["needs_pkg.py"]["missing_module"] == "cowsay"
    assert files["slow.py"]["slow"] and files["slow.py"]["seconds"] >= 2
    assert files["airflow2_paths.py"]["dags"] == ["airflow2_paths"]  # still imports in Airflow 3
    assert files["helper.py"]["skipped"]
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [
        f"Error: 3 of 6 DAG files do not import cleanly in {default_image}: broken.py, "
        "needs_pkg.py, slow.py"
    ]
    suite = ElementTree.parse(junit).getroot()
    assert suite.get("tests") == "6" and suite.get("failures") == "3"


def test_the_table_names_the_option_that_adds_a_missing_package(
    default_image: str, dag_folder: Path
) -> None:
    (dag_folder / "slow.py").unlink()
    done = breeze("dags", "check", str(dag_folder), "--image", default_image, check=False)
    assert done.returncode == 1
    assert "--additional-python-deps cowsay" in " ".join(done.stdout.split())


def test_a_folder_that_does_not_exist_is_one_line(default_image: str, tmp_path: Path) -> None:
    done = breeze("dags", "check", str(tmp_path / "nope"), "--image", default_image, check=False)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"Error: {tmp_path / 'nope'} does not exist; give the folder of your DAG files"
    ]
