"""`breeze testing` on the real CI image: a DAG author's pytest tests on sqlite and postgres."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest

from breeze.core.compose_env import pytest_project_name
from tests.integration.conftest import CI_IMAGE_ARGS, breeze
from tests.integration.test_dev_env import HELLO_DAG, leftovers

DAG_TESTS = """\
from pathlib import Path

import pytest

try:
    from airflow.dag_processing.dagbag import DagBag
except ImportError:  # Airflow before 3.1
    from airflow.models.dagbag import DagBag

DAGS = Path(__file__).parents[1] / "dags"


@pytest.fixture(scope="module")
def bag():
    return DagBag(dag_folder=str(DAGS))


def test_every_dag_imports(bag):
    assert bag.import_errors == {} and sorted(bag.dag_ids) == ["hello"]


def test_hello_runs_to_success(bag, record_property):
    from airflow.models import DagRun
    from airflow.settings import engine

    record_property("dialect", engine.dialect.name)
    record_property("runs_before", len(DagRun.find(dag_id="hello")))
    assert bag.dags["hello"].test().state == "success"


def test_fails_on_purpose():
    assert 1 + 1 == 3
"""


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    """A DAG project with its tests; its test stack is removed whatever the test did."""
    (tmp_path / "dags").mkdir()
    (tmp_path / "dags" / "hello.py").write_text(HELLO_DAG)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_dags.py").write_text(DAG_TESTS)
    (tmp_path / "pytest.ini").write_text("[pytest]\njunit_family = xunit1\n")
    (tmp_path / "reports").mkdir()
    yield tmp_path
    breeze("down", "--volumes", "--project-folder", str(tmp_path), check=False)


def _cases(junit: Path) -> dict[str, tuple[str, dict[str, str]]]:
    """Each test case of a JUnit file: passed/failed and its recorded properties."""
    cases = {}
    for case in ElementTree.parse(junit).getroot().iter("testcase"):
        outcome = "failed" if case.find("failure") is not None else "passed"
        properties = {p.get("name", ""): p.get("value", "") for p in case.iter("property")}
        cases[case.get("name", "")] = (outcome, properties)
    return cases


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_pytest_runs_against_a_fresh_backend_and_its_exit_code_comes_back(
    ci_image: str, project: Path, backend: str
) -> None:
    junit = project / "reports" / "junit.xml"
    common = (
        "testing", "--project-folder", str(project), "--image-tag", ci_image, *CI_IMAGE_ARGS,
        "--backend", backend, "--junit-xml", str(junit),
    )  # fmt: skip
    passing = breeze(*common, "--", "-k", "not on_purpose")
    assert "2 passed, 1 deselected" in passing.stdout
    cases = _cases(junit)
    assert cases["test_hello_runs_to_success"] == (
        "passed",
        {"dialect": "postgresql" if backend == "postgres" else "sqlite", "runs_before": "0"},
    )
    assert junit.stat().st_uid == os.getuid()  # the user's file, not root's
    failing = breeze(*common, "--", "-x", check=False)
    assert failing.returncode == 1, failing.stderr
    assert "test_fails_on_purpose" in failing.stdout
    # the second run started from an empty database again: its DAG run was the first one
    assert _cases(junit)["test_hello_runs_to_success"][1]["runs_before"] == "0"
    assert leftovers(pytest_project_name(project)) == {
        "containers": "", "networks": "", "volumes": ""
    }  # fmt: skip
    # no plugins/ left behind; pytest's own .pytest_cache stays, as with pytest on the host
    assert sorted(p.name for p in project.iterdir() if not p.name.startswith(".")) == [
        "dags", "pytest.ini", "reports", "tests"
    ]  # fmt: skip
