"""`constraints check`: do a requirements file and Airflow resolve under the constraints?"""

from __future__ import annotations

import uuid

from breeze.core.constraint_files import PreparedConstraints
from breeze.core.errors import BreezeError, InvalidInput
from breeze.core.pins import (
    AIRFLOW,
    Pin,
    explain,
    find_conflicts,
    parse_constraints,
    parse_requirements,
    uv_conflict_lines,
)
from breeze.core.uv_resolve import (
    CheckParams,
    airflow_requirement,
    resolve_script,
    uv_container,
)
from breeze.core.validation import validate_spec
from breeze.io.session import Session
from breeze.services.constraints import prepare_constraints
from breeze.services.constraints_generate import ContainerOutput
from breeze.services.preflight import preflight
from breeze.ui import console
from breeze.ui.resolve_progress import ResolveProgress


def check_requirements(params: CheckParams, session: Session) -> None:
    """Resolve the requirements with Airflow under the constraints; raise naming each conflict."""
    spec = params.spec
    for message in validate_spec(spec):
        console.warning(message)
    if not params.requirements.is_file():
        raise InvalidInput(f"-r {params.requirements} is not a file; give a requirements file")
    if not session.dry_run:
        preflight(session)  # before downloading constraints
    prepared = prepare_constraints(spec, session)
    if prepared is None:
        console.warning("no constraints: checking against Airflow's own requirements only")
    # files, into /tmp (which every image has): mounted here, copied to an engine elsewhere
    requirements = f"/tmp/breeze-requirements-{params.requirements.name}"
    mounts = {str(params.requirements.resolve()): requirements}
    constraints = None
    if prepared is not None:
        constraints = f"/tmp/breeze-constraints-{prepared.file_name}"
        mounts[str(prepared.folder / prepared.file_name)] = constraints
    # The build installs the extras whatever the mode; only generate leaves them out.
    requirement = airflow_requirement(spec.airflow_version, spec.extras, "constraints")
    script = resolve_script(
        [requirements], requirement, spec.python, constraints=constraints, print_result=False
    )
    command = uv_container(
        spec.base_image,
        script,
        name=f"breeze-constraints-check-{uuid.uuid4().hex[:8]}",
        mounts=mounts,
        environ=session.world.environ,
        docker_host=session.docker_host,
        copy_in=not session.engine_target.local,
    )
    if session.dry_run:
        session.run_steps(command)
        return
    text = params.requirements.read_text(errors="replace")
    user = parse_requirements(text)
    pins = _pins_with_airflow(prepared, spec.airflow_version)
    source = prepared.file_name if prepared else "--install-airflow-version"
    under = prepared.source if prepared else "no constraints"
    plural = "" if len(user) == 1 else "s"
    console.info(
        f"Checking {params.requirements} ({len(user)} requirement{plural}) with {requirement} "
        f"under {under}"
    )
    with ResolveProgress([spec.python]) as progress:
        log, _ = ContainerOutput.collect(session, command, spec.python, progress.feed)
        progress.finish(spec.python, log.returncode == 0)
    if log.returncode == 0:
        console.success(
            f"compatible: {params.requirements.name} resolves with Airflow "
            f"{spec.airflow_version} under {under}"
        )
        return
    output = "\n".join(log.log)
    if "No solution found" not in output:
        raise BreezeError(f"uv could not resolve the requirements: {log.cause()}")
    conflicts = find_conflicts(user, pins, source)
    if conflicts:
        for conflict in conflicts:
            print(explain(conflict, params.requirements.name))
    else:
        print("uv reports a conflict:")
        for line in uv_conflict_lines(output):
            print(f"  {line}")
    count = len(conflicts) or 1
    raise BreezeError(
        f"{params.requirements.name} is not compatible with the constraints ({count} "
        f"conflict{'s' if count > 1 else ''}); change the requirements listed above or choose "
        "other constraints"
    )


def _pins_with_airflow(prepared: PreparedConstraints | None, version: str) -> dict[str, Pin]:
    """The constraints' pins with line numbers, plus Airflow's own pin when the file lacks it."""
    pins: dict[str, Pin] = {}
    if prepared is not None:
        text = (prepared.folder / prepared.file_name).read_text(errors="replace")
        pins = parse_constraints(text)
    if AIRFLOW not in pins:
        pins[AIRFLOW] = Pin(AIRFLOW, version, 0, f"{AIRFLOW}=={version}")
    return pins
