"""The dev-environment service's pure helpers: DAG parse state, service names, piped logs."""

from __future__ import annotations

import json
from pathlib import Path

from breeze.core.stack_report import ANSI_ESCAPE, dag_files, parse_dag_state, unknown_service

WARNING = "2026-12-02T05:30:49Z [warning  ] Could not import graphviz. [py.warnings]\n"


def test_dag_files_are_python_files_naming_airflow_and_dag(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("from airflow.sdk import dag\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.py").write_text("import airflow\nDAG = 1\n")
    (tmp_path / "helper.py").write_text("x = 1\n")
    (tmp_path / "notes.txt").write_text("airflow dag\n")
    assert dag_files(tmp_path) == ["a.py", "sub/b.py"]


def test_parsed_files_are_those_with_a_dag_or_an_import_error() -> None:
    dags = [{"dag_id": "hello", "fileloc": "/opt/airflow/dags/a.py", "is_paused": "False"}]
    errors = [{"filename": "/opt/airflow/dags/broken.py", "error": "SyntaxError"}]
    state = parse_dag_state(
        ["a.py", "broken.py", "late.py"],
        WARNING + json.dumps(dags),  # Airflow prints warnings before the JSON
        WARNING + json.dumps(errors),
    )
    assert state.dag_ids == ("hello",)
    assert state.errors == ("broken.py",)
    assert state.pending == ("late.py",)


def test_output_without_json_parses_nothing() -> None:
    state = parse_dag_state(["a.py"], WARNING, "Traceback (most recent call last):\n")
    assert state.dag_ids == () and state.pending == ("a.py",)


def test_an_unknown_service_gets_the_closest_of_the_stacks_own() -> None:
    services = ["airflow-init", "api-server", "dag-processor", "scheduler", "triggerer"]
    line = unknown_service("schedular", services)
    assert line.startswith("'schedular' is not a service of this stack; did you mean 'scheduler'?")
    assert "worker" not in line
    assert "did you mean" not in unknown_service("zzz", services)


def test_terminal_codes_are_stripped_from_piped_logs() -> None:
    assert ANSI_ESCAPE.sub("", "\x1b[2Kscheduler-1  | started\x1b[0m") == "scheduler-1  | started"
