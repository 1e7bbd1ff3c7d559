"""Lists the Python files Airflow's processes import when they start, one path per line.

Run by compile-bytecode.sh with the venv's python and PYTHONDONTWRITEBYTECODE=1 (build stage only):
the CLI (`airflow version`), scheduler, API server, DAG processor, triggerer, task runner, the
executors, the standard operators and the database migrations. A module that cannot be imported
here (a provider that is not installed, a setting it wants) is skipped: the list only decides what
gets bytecode.
"""

import importlib
import os
import sys

ENTRY_MODULES = (
    "airflow",
    "airflow.cli.cli_parser",
    "airflow.cli.commands.version_command",
    "airflow.cli.commands.scheduler_command",
    "airflow.jobs.scheduler_job_runner",
    "airflow.cli.commands.api_server_command",
    "airflow.api_fastapi.app",
    "airflow.api_fastapi.main",
    "airflow.cli.commands.dag_processor_command",
    "airflow.dag_processing.manager",
    "airflow.dag_processing.processor",
    "airflow.cli.commands.triggerer_command",
    "airflow.jobs.triggerer_job_runner",
    "airflow.sdk",
    "airflow.sdk.execution_time.task_runner",
    "airflow.sdk.execution_time.supervisor",
    "airflow.executors.local_executor",
    "airflow.providers.celery.executors.celery_executor",
    "airflow.providers.celery.cli.celery_command",
    "airflow.providers.cncf.kubernetes.executors.kubernetes_executor",
    "airflow.providers.standard.operators.python",
    "airflow.providers.standard.operators.bash",
    "airflow.models",
    "airflow.utils.db",
    "uvicorn",
)

os.environ.setdefault("AIRFLOW_HOME", "/tmp/record-imports-airflow")
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "false")
skipped = 0
for name in ENTRY_MODULES:
    try:
        importlib.import_module(name)
    except Exception:  # any failure only means no bytecode for what it would import
        skipped += 1
try:  # `airflow db migrate` loads every migration script (the entrypoint runs it on a new DB)
    from airflow.utils import db
    from alembic.script import ScriptDirectory

    list(ScriptDirectory.from_config(db._get_alembic_config()).walk_revisions())
except Exception:
    skipped += 1
files = sorted(
    {
        path
        for module in list(sys.modules.values())
        if (path := getattr(module, "__file__", None)) and path.endswith(".py")
    }
)
sys.stdout.write("".join(f"{path}\n" for path in files))
print(f"{len(files)} files imported at start ({skipped} entry modules skipped)", file=sys.stderr)
