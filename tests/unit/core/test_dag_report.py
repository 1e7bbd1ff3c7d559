"""The DAG check's report: read from the container's output, shown, and written as JSON/JUnit."""

from __future__ import annotations

import json
from xml.etree import ElementTree

import pytest

from breeze.core.dag_report import CHECK_SCRIPT, REPORT_MARKER, parse_report, to_json, to_junit
from breeze.core.errors import BreezeError

SYNTAX = (
    'Traceback (most recent call last):\n  File "/opt/airflow/dags/broken.py", line 3\n'
    "    @dag(schedule=None\n        ^\nSyntaxError: '(' was never closed\n"
)
MISSING = (
    'Traceback (most recent call last):\n  File "/opt/airflow/dags/sub/needs.py", line 1, in '
    "<module>\n    import cowsay.main\nModuleNotFoundError: No module named 'cowsay'\n"
)
REPORT = [
    {"file": "broken.py", "dags": [], "seconds": 0.01, "error": SYNTAX},
    {"file": "good.py", "dags": ["b", "a"], "seconds": 0.2, "error": None},
    {"file": "helper.py", "skipped": True},
    {"file": "sub/needs.py", "dags": [], "seconds": 0.1, "error": MISSING},
    {"file": "slow.py", "dags": ["slow"], "seconds": 31.5, "error": None},
    {"file": "empty.py", "dags": [], "seconds": 0.1, "error": None},
]
OUTPUT = f"some log line\n[warning] deprecated\n{REPORT_MARKER}\n{json.dumps(REPORT)}\n"


def test_the_report_says_what_each_file_gave() -> None:
    broken, good, helper, needs, slow, empty = parse_report(OUTPUT, 30.0)
    assert (
        broken.failed and broken.line == 3 and broken.error == "SyntaxError: '(' was never closed"
    )
    assert good.dags == ("b", "a") and not good.failed and good.describe() == "b, a"
    assert helper.skipped and not helper.failed
    assert needs.missing_module == "cowsay" and needs.line == 1
    assert needs.describe().endswith("add it with --additional-python-deps cowsay")
    assert slow.slow and slow.failed and "slower than the import timeout" in slow.describe()
    assert not empty.failed and empty.describe() == "imports, but defines no DAG"


def test_a_check_that_did_not_finish_is_one_line() -> None:
    with pytest.raises(BreezeError, match="did not finish in the image: ImportError: nope"):
        parse_report("Traceback...\nImportError: nope\n", 30.0)


def test_json_and_junit_carry_every_file() -> None:
    results = parse_report(OUTPUT, 30.0)
    document = json.loads(to_json("img:1", results))
    assert [f["failed"] for f in document["files"]] == [True, False, False, True, True, False]
    suite = ElementTree.fromstring(to_junit("img:1", results))
    assert (
        suite.get("tests") == "6" and suite.get("failures") == "3" and suite.get("skipped") == "1"
    )
    failures = [case.get("name") for case in suite if case.find("failure") is not None]
    assert failures == ["broken.py", "sub/needs.py", "slow.py"]


def test_the_script_compiles_and_prints_the_marker() -> None:
    compile(CHECK_SCRIPT, "<dags-check>", "exec")
    assert REPORT_MARKER in CHECK_SCRIPT


def test_a_module_airflow_no_longer_has_is_not_a_package_to_add() -> None:
    error = (
        'Traceback (most recent call last):\n  File "/opt/airflow/dags/old.py", line 2, in '
        "<module>\nModuleNotFoundError: No module named 'airflow.utils.dates'\n"
    )
    item = {"file": "old.py", "dags": [], "seconds": 0.1, "error": error}
    (old,) = parse_report(f"{REPORT_MARKER}\n{json.dumps([item])}\n", 30.0)
    assert old.line == 2 and "--additional-python-deps" not in old.describe()
    assert old.describe().endswith(
        "this Airflow has no such module (moved or removed: see ruff's AIR3 rules)"
    )
