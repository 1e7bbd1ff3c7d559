"""Commands on a project folder's running stacks: exec, logs, ps, down; the folders breeze made."""

from __future__ import annotations

import json
from pathlib import Path

from breeze.core import argv
from breeze.core.compose_env import project_name, pytest_project_name, shell_project_name
from breeze.core.devenv_params import StackCommand, split_exec_args
from breeze.core.errors import BreezeError, InvalidInput
from breeze.core.stack_report import ANSI_ESCAPE, unknown_service
from breeze.io.session import Session
from breeze.services.compose_stack import PS_JSON, parse_ps, project_command
from breeze.services.preflight import preflight
from breeze.ui import console


def _created_record(project_folder: Path, session: Session) -> Path:
    """Where breeze notes the folders it created for a project folder's stacks."""
    return session.cache_dir / "created-folders" / f"{project_name(project_folder)}.json"


def record_created(project_folder: Path, folders: list[Path], session: Session) -> None:
    """Remember folders breeze created, so that `down` can remove them while they are empty."""
    record = _created_record(project_folder, session)
    known = set(_read_created(record)) | {str(folder) for folder in folders}
    session.write_text(record, json.dumps(sorted(known)) + "\n")


def _read_created(record: Path) -> list[str]:
    """The folders of a record; none when it is missing or damaged."""
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [item for item in data if isinstance(item, str)] if isinstance(data, list) else []


def remove_created(project_folder: Path, session: Session) -> None:
    """Remove the folders breeze created that are still empty; keep any the user filled."""
    record = _created_record(project_folder, session)
    for name in _read_created(record):
        folder = Path(name)
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            console.info(f"Removed {folder}: breeze created it and it is still empty")
    record.unlink(missing_ok=True)


def stack_projects(project_folder: Path) -> tuple[str, ...]:
    """The compose projects of a folder: the Airflow stack, the shell and the test run."""
    names = (project_name, shell_project_name, pytest_project_name)
    return tuple(name(project_folder) for name in names)


def _folder(params: StackCommand, session: Session) -> Path:
    """The project folder of the command: the given one, else the working folder."""
    return params.project_folder or session.world.cwd


def _require_stack(session: Session, project: str) -> None:
    """Fail in one line when the project has no containers or networks."""
    if not _has_resources(session, project, volumes=False):
        raise BreezeError(
            f"no breeze stack runs from this project folder (compose project {project}); "
            "start one with `breeze start-airflow` or pass its --project-folder"
        )


def exec_in_stack(params: StackCommand, session: Session) -> int:
    """Run a command (default bash) in a service of the folder's stack; its exit code."""
    project = project_name(_folder(params, session))
    service, command = split_exec_args(list(params.args))
    tty = [] if session.world.interactive else ["--no-TTY"]
    if not session.dry_run:
        preflight(session, compose=True)
        _require_stack(session, project)
    args = ("exec", *tty, service, *command)
    return session.run(project_command(project, session, *args)).returncode


def show_logs(params: StackCommand, session: Session) -> int:
    """Print the stack's logs (or one service's); piped output carries no terminal codes."""
    project = project_name(_folder(params, session))
    service = params.service
    args = ["logs", *(["--follow"] if params.follow else []), *([service] if service else [])]
    command = project_command(project, session, *args)
    if session.dry_run:
        return session.run(command).returncode
    preflight(session, compose=True)
    services = stack_services(session, project)
    if not services:
        raise BreezeError(
            f"no breeze stack runs from this project folder (compose project {project}); "
            "start one with `breeze start-airflow` or pass its --project-folder"
        )
    if service is not None and service not in services:
        raise InvalidInput(unknown_service(service, services))
    if session.world.interactive:
        return session.run(command).returncode
    return session.run(command, on_line=lambda line: print(ANSI_ESCAPE.sub("", line))).returncode


def stack_services(session: Session, project: str) -> list[str]:
    """The services of a project's containers, running or not."""
    result = session.run(project_command(project, session, *PS_JSON), capture=True, query=True)
    if result.returncode != 0:
        return []
    return sorted({state.service for state in parse_ps(result.output)})


def list_stack(params: StackCommand, session: Session) -> int:
    """Print the folder's stack containers and their health (as a JSON array with json)."""
    project = project_name(_folder(params, session))
    if not params.json:
        if not session.dry_run:
            preflight(session, compose=True)
        return session.run(project_command(project, session, "ps", "--all")).returncode
    command = project_command(project, session, *PS_JSON)
    if session.dry_run:
        return session.run(command).returncode
    session.engine.ping()
    result = session.run(command, capture=True)
    if result.returncode != 0:
        last = result.output.strip().splitlines()[-1:] or ["no output"]
        raise BreezeError(f"docker compose ps failed: {last[0]}; check the engine and retry")
    print(json.dumps([vars(state) for state in parse_ps(result.output)], indent=2))
    return 0


def down(params: StackCommand, session: Session) -> int:
    """Remove the folder's stacks (containers, networks; volumes with volumes=True)."""
    folder = _folder(params, session)
    if not session.dry_run:
        preflight(session, compose=True)
    extra = ("--volumes",) if params.volumes else ()
    stopped = False
    for project in stack_projects(folder):
        command = project_command(project, session, "down", "--remove-orphans", *extra)
        if session.dry_run:
            session.run(command)
            continue
        if not _has_resources(session, project, volumes=params.volumes):
            continue
        result = session.run(command, capture=True)
        if result.returncode != 0:
            raise BreezeError(
                f"docker compose down failed for {project}: {last_line(result.output)}"
            )
        removed = " and removed its volumes" if params.volumes else ""
        console.success(f"Stopped {project}{removed}")
        stopped = True
    if not session.dry_run:
        remove_created(folder, session)
    if not stopped and not session.dry_run:
        console.info(f"Nothing to stop for {folder}: no breeze stack runs from it")
    return 0


def last_line(output: str) -> str:
    """The last non-empty line of some output."""
    lines = [line for line in output.splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


def _has_resources(session: Session, project: str, *, volumes: bool) -> bool:
    """Whether a project has containers or networks (or, when asked, volumes)."""
    label = f"label=com.docker.compose.project={project}"
    kinds = [("container", "ls", "--all"), ("network", "ls")]
    if volumes:
        kinds.append(("volume", "ls"))
    for kind in kinds:
        command = argv.Command(
            ("docker", *kind, "--quiet", "--filter", label), argv.engine_env(session.docker_host)
        )
        result = session.run(command, capture=True, query=True)
        if result.output.strip():
            return True
    return False
