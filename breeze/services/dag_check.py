"""`breeze dags check`: import every DAG file of a folder in a throw-away container of the image."""

from __future__ import annotations

from pathlib import Path

from breeze.core.dag_report import (
    CHECK_SCRIPT,
    DAGS_TARGET,
    DagCheckParams,
    FileResult,
    parse_report,
    to_json,
    to_junit,
)
from breeze.core.errors import BreezeError, InvalidInput
from breeze.core.image_params import default_image_tag
from breeze.io.session import Session
from breeze.services.output_file import check_output_file
from breeze.services.preflight import preflight
from breeze.ui import console

CHECK_TIMEOUT = 600


def check_dags(params: DagCheckParams, session: Session) -> list[FileResult]:
    """Import each DAG file in the image; print a report; raise when any file fails."""
    folder = dag_folder(params.dags_folder, session)
    image = params.image or default_image_tag(params.spec)
    if params.junit_xml is not None:
        check_output_file(params.junit_xml, "--junit-xml")
    if not session.dry_run:
        preflight(session)
        session.engine.require_image(image, "breeze prod-image build")
    results = import_dags(image, folder, params.import_timeout, session)
    if results is None:  # a dry run
        return []
    _report(params, image, folder, results, session)
    failed = [r.file for r in results if r.failed]
    if failed:
        raise BreezeError(
            f"{len(failed)} of {len(results)} DAG files do not import cleanly in {image}: "
            f"{', '.join(failed)}"
        )
    return results


def import_dags(
    image: str, folder: Path, import_timeout: float, session: Session
) -> list[FileResult] | None:
    """Import each DAG file of FOLDER in a throw-away container of IMAGE; None in a dry run."""
    run = session.run_container(
        image,
        ("python", "-c", CHECK_SCRIPT.strip()),
        # no database, no examples: only the files' own imports run
        environment={"AIRFLOW__CORE__LOAD_EXAMPLES": "false", "CONNECTION_CHECK_MAX_COUNT": "0"},
        mounts={str(folder): DAGS_TARGET},
        timeout=CHECK_TIMEOUT,
        purpose="dags-check",
    )
    return None if run is None else parse_report(run.output, import_timeout)


def dag_folder(given: Path | None, session: Session) -> Path:
    """The DAG folder: the given one, else dags/ of the working folder; it must exist."""
    folder = given or session.world.cwd / "dags"
    if not folder.exists():
        raise InvalidInput(f"{folder} does not exist; give the folder of your DAG files")
    if not folder.is_dir():
        raise InvalidInput(f"{folder} is not a folder; give the folder of your DAG files")
    return folder.resolve()


def _report(
    params: DagCheckParams,
    image: str,
    folder: Path,
    results: list[FileResult],
    session: Session,
) -> None:
    """JSON on stdout, or a table; the JUnit XML file when asked for."""
    if params.junit_xml is not None:
        session.write_text(params.junit_xml, to_junit(image, results))
    if params.json:
        print(to_json(image, results))
        return
    from breeze.ui.tables import dag_table

    out = console.stdout_console()
    out.print(dag_table(f"{folder} in {image}", results, out.width))
    if not any(r.failed for r in results):
        dags = sum(len(r.dags) for r in results)
        console.success(f"{len(results)} DAG files, {dags} DAGs: every file imports in {image}")
