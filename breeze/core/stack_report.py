"""What the dev stack's commands print, made sense of: parsed DAGs, service names, log lines."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path

# a terminal control sequence (compose writes "erase line" before log lines even into pipes)
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@dataclass(frozen=True)
class DagFolderState:
    """What the dag-processor has made of the DAG folder so far."""

    dag_ids: tuple[str, ...]
    errors: tuple[str, ...]  # files that failed to import, relative to the DAG folder
    pending: tuple[str, ...]  # DAG files not parsed yet


def dag_files(folder: Path) -> list[str]:
    """DAG files as Airflow's safe mode sees them: .py files mentioning both airflow and dag."""
    found = []
    for path in sorted(folder.rglob("*.py")):
        text = path.read_text(encoding="utf-8", errors="replace").lower()
        if "airflow" in text and "dag" in text:
            found.append(path.relative_to(folder).as_posix())
    return found


def parse_dag_state(files: list[str], dags_json: str, errors_json: str) -> DagFolderState:
    """Combine `airflow dags list` and `list-import-errors` (JSON) with the folder's files."""
    prefix = "/opt/airflow/dags/"
    dags = _json_list(dags_json)
    errors = _json_list(errors_json)
    seen = {str(d.get("fileloc", "")).removeprefix(prefix) for d in dags}
    failed = tuple(sorted({str(e.get("filename", "")).removeprefix(prefix) for e in errors}))
    return DagFolderState(
        dag_ids=tuple(sorted(str(d.get("dag_id")) for d in dags)),
        errors=failed,
        pending=tuple(f for f in files if f not in seen and f not in failed),
    )


def _json_list(text: str) -> list[dict[str, object]]:
    """The JSON array in a command's output: its last line that is one (warnings come first)."""
    for line in reversed(text.splitlines()):
        try:
            data = json.loads(line)
        except ValueError:
            continue
        if isinstance(data, list):
            return [item for item in data if isinstance(item, dict)]
    return []


def unknown_service(service: str, services: list[str]) -> str:
    """The one line for a service name the stack does not have, with the closest one."""
    close = difflib.get_close_matches(service, services, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"'{service}' is not a service of this stack; {hint}its services: {', '.join(services)}"
