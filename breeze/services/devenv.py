"""The dev environment service: start, wait for, enter, inspect and stop docker compose stacks."""

from __future__ import annotations

import json
import platform
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from breeze.core import argv
from breeze.core.compose_env import (
    COMPOSE_DIR,
    compose_env,
    compose_files,
    compose_profiles,
    project_name,
    shell_project_name,
)
from breeze.core.devenv_params import DevEnvParams, check_mysql_platform, validate_dev_env
from breeze.core.errors import BreezeError, InvalidInput
from breeze.core.image_params import ImageBuildParams
from breeze.core.run_options import RunOptions
from breeze.core.stack_report import (
    ANSI_ESCAPE,
    DagFolderState,
    dag_files,
    parse_dag_state,
    unknown_service,
)
from breeze.io.engine import Engine
from breeze.io.runner import Runner
from breeze.services.ci_image import ensure_ci_image
from breeze.services.preflight import preflight
from breeze.ui import console

LOG_TAIL = 30
INIT_SERVICE = "airflow-init"
PS_JSON = ("ps", "--all", "--format", "json")
DAG_PARSE_TIMEOUT = 120  # seconds for the first parse of the DAG folder once the stack is healthy


@dataclass(frozen=True)
class ServiceState:
    """One container of a stack as `docker compose ps` reports it."""

    service: str
    state: str
    health: str
    exit_code: int

    @property
    def ready(self) -> bool:
        """Running and healthy (or without a health check); the init service has finished."""
        if self.service == INIT_SERVICE:
            return self.state == "exited" and self.exit_code == 0
        return self.state == "running" and self.health in ("", "healthy")

    @property
    def failed(self) -> bool:
        """Stopped with an error, or declared unhealthy."""
        if self.state in ("exited", "dead"):
            return self.exit_code != 0 or self.service != INIT_SERVICE
        return self.health == "unhealthy"

    def describe(self) -> str:
        """The state in a few words."""
        if self.state == "exited":
            return f"exited ({self.exit_code})"
        return self.health or self.state


class Stack:
    """One compose project: its name, files and variables, run through the one runner."""

    def __init__(self, params: DevEnvParams, project: str, *, airflow: bool, runner: Runner):
        self.params = params
        self.project = project
        self.runner = runner
        self.files = tuple(COMPOSE_DIR / name for name in compose_files(params, airflow=airflow))
        self.profiles = compose_profiles(params)
        self.env = compose_env(params, project)

    def command(self, *args: str) -> argv.Command:
        """A compose command over this stack's files and variables."""
        return argv.docker_compose(
            self.project,
            *args,
            files=self.files,
            profiles=self.profiles,
            env=self.env,
            docker_host=self.params.docker_host,
        )

    def states(self) -> list[ServiceState]:
        """The stack's containers and their state."""
        quiet = Runner()  # polled every few seconds: never echoed
        result = quiet.run(
            project_command(self.project, self.params.docker_host, *PS_JSON),
            capture=True,
            query=True,
        )
        if result.returncode != 0:
            Engine(self.params.docker_host).ping()  # a lost engine: one line, not a long wait
            return []
        return parse_ps(result.output)

    def down(self, *, volumes: bool = False) -> None:
        """Remove the stack's containers and network (and volumes when asked)."""
        extra = ("--volumes",) if volumes else ()
        self.runner.run(self.command("down", "--remove-orphans", *extra), capture=True)


def parse_ps(output: str) -> list[ServiceState]:
    """`docker compose ps --format json` output (one JSON object per line, or one array)."""
    text = output.strip()
    if not text:
        return []
    items = json.loads(text) if text.startswith("[") else []
    if not items:
        for line in text.splitlines():
            line = line.strip()
            if line.startswith("{"):
                items.append(json.loads(line))
    return [
        ServiceState(
            service=item.get("Service", ""),
            state=item.get("State", ""),
            health=item.get("Health", ""),
            exit_code=int(item.get("ExitCode", 0) or 0),
        )
        for item in items
    ]


def project_command(project: str, docker_host: str | None, *args: str) -> argv.Command:
    """A compose command that needs only the project name (ps, logs, exec, down)."""
    return argv.docker_compose(project, *args, docker_host=docker_host)


def prepare(params: DevEnvParams, options: RunOptions, image: ImageBuildParams | None) -> Runner:
    """Check the input, the engine and compose v2, then provide the folders and the CI image."""
    runner = check_dev_env(params, options)
    if not options.dry_run:
        provide(params, options, image)
    return runner


def check_dev_env(params: DevEnvParams, options: RunOptions) -> Runner:
    """Check the input, the engine, compose v2 and the database image; create nothing."""
    validate_dev_env(params)
    if params.dags_folder is not None and not params.dags_folder.is_dir():
        raise InvalidInput(
            f"--dags-folder {params.dags_folder} is not a folder; create it or give an existing one"
        )
    if not params.project_folder.is_dir():
        raise InvalidInput(
            f"--project-folder {params.project_folder} is not a folder; create it or give an "
            "existing one"
        )
    runner = Runner(dry_run=options.dry_run, verbose=options.verbose)
    if options.dry_run:
        return runner
    preflight(params.docker_host, compose=True, runner=runner)
    engine = Engine(params.docker_host)
    if params.database_image is not None:
        has_image = engine.image_attrs(params.database_image) is not None
        check_mysql_platform(params, platform.machine(), has_image)
        if not has_image:
            raise BreezeError(
                f"the engine has no image {params.database_image}; pull it "
                f"(`docker pull {params.database_image}`) or choose another backend version"
            )
    return runner


def provide(params: DevEnvParams, options: RunOptions, image: ImageBuildParams | None) -> None:
    """Make sure the CI image exists and is current, then create the mounted folders."""
    if image is not None:
        ensure_ci_image(image, options)
    created = []
    for folder in (params.dags, params.plugins):
        if not folder.exists():
            folder.mkdir(parents=True)  # else docker creates it, owned by root
            created.append(folder)
            console.info(f"Created {folder} (`breeze down` removes it again while it is empty)")
    if created:
        record_created(params.project_folder, created)


def _created_record(project_folder: Path) -> Path:
    """Where breeze notes the folders it created for a project folder's stacks."""
    from breeze.io.files import cache_dir

    return cache_dir() / "created-folders" / f"{project_name(project_folder)}.json"


def record_created(project_folder: Path, folders: list[Path]) -> None:
    """Remember folders breeze created, so that `down` can remove them while they are empty."""
    from breeze.io.files import atomic_write

    record = _created_record(project_folder)
    known = set(_read_created(record)) | {str(folder) for folder in folders}
    atomic_write(record, json.dumps(sorted(known)) + "\n")


def _read_created(record: Path) -> list[str]:
    """The folders of a record; none when it is missing or damaged."""
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [item for item in data if isinstance(item, str)] if isinstance(data, list) else []


def remove_created(project_folder: Path) -> None:
    """Remove the folders breeze created that are still empty; keep any the user filled."""
    record = _created_record(project_folder)
    for name in _read_created(record):
        folder = Path(name)
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            console.info(f"Removed {folder}: breeze created it and it is still empty")
    record.unlink(missing_ok=True)


def run_shell(
    params: DevEnvParams,
    options: RunOptions,
    command: str | None,
    tty: bool,
    *,
    image: ImageBuildParams | None = None,
) -> int:
    """Start the backend, migrate, run an interactive shell or one command; tear it all down."""
    runner = prepare(params, options, image)
    stack = Stack(params, shell_project_name(params.project_folder), airflow=False, runner=runner)
    run_args = ["run", "--rm"]
    if not tty:
        run_args.append("--no-TTY")
    run_args.append("shell")
    if command is not None:
        run_args += ["bash", "-c", command]
    try:
        result = runner.run(stack.command(*run_args))
    except KeyboardInterrupt:
        _stop(stack)
        raise
    if not options.dry_run:
        stack.down()
    return result.returncode


def start_airflow(
    params: DevEnvParams,
    options: RunOptions,
    *,
    timeout: float,
    image: ImageBuildParams | None = None,
) -> None:
    """Start the Airflow stack (building the CI image when needed) and wait until healthy."""
    runner = check_dev_env(params, options)
    stack = Stack(params, project_name(params.project_folder), airflow=True, runner=runner)
    if options.dry_run:
        runner.run(stack.command("up", "--detach", "--no-build"))
        return
    if not stack.states():
        check_ports(params)  # before anything is built or created
    if not params.published_on_loopback:
        console.warning(exposure_warning(params))
    provide(params, options, image)
    started = time.monotonic()
    try:
        console.info(
            f"Starting Airflow ({params.executor}, {params.backend}) as project {stack.project}"
        )
        result = runner.run(stack.command("up", "--detach", "--no-build"), capture=True)
        if result.returncode != 0:
            _explain_failed_start(stack, result.output)
        wait_healthy(stack, timeout=timeout, started=started)
        dags = wait_for_dags(stack, deadline=time.monotonic() + DAG_PARSE_TIMEOUT)
    except KeyboardInterrupt:
        _stop(stack)
        raise
    console.success(
        f"Airflow is up in {time.monotonic() - started:.0f} s: {ui_url(params)} (no login; "
        f"project {stack.project}; `breeze down` stops it)"
    )
    report_dags(params, dags)


def ui_url(params: DevEnvParams) -> str:
    """Where the user opens the UI: localhost unless the ports are published on one address."""
    everywhere = params.publish_address in ("0.0.0.0", "::")
    host = "localhost" if everywhere or params.published_on_loopback else params.publish_host
    return f"http://{host}:{params.api_port}"


def exposure_warning(params: DevEnvParams) -> str:
    """What publishing on a non-loopback address exposes, in one line."""
    where = (
        "every network interface"
        if params.publish_address in ("0.0.0.0", "::")
        else params.publish_address
    )
    exposed = f"the Airflow UI and API (port {params.api_port})"
    if params.flower and params.executor == "CeleryExecutor":
        exposed += f" and flower (port {params.flower_port})"
    return (
        f"--publish-address {params.publish_address}: {exposed} are open on {where}, to every "
        "machine that reaches it, and the UI makes anyone an admin without a login"
    )


def wait_for_dags(stack: Stack, *, deadline: float, poll: float = 3.0) -> DagFolderState | None:
    """Wait until the dag-processor has parsed every DAG file once, so a trigger finds them."""
    files = dag_files(stack.params.dags)
    if not files:
        return None
    from breeze.ui.progress import StatusLine

    started = time.monotonic()
    state = None
    with StatusLine(f"Waiting for {len(files)} DAG files to be parsed") as status:
        while True:
            state = parse_dag_state(
                files, _airflow_json(stack, "list"), _airflow_json(stack, "list-import-errors")
            )
            status.update(
                f"{len(files) - len(state.pending)}/{len(files)} parsed", time.monotonic() - started
            )
            if not state.pending or time.monotonic() > deadline:
                return state
            time.sleep(poll)


def _airflow_json(stack: Stack, subcommand: str) -> str:
    """`airflow dags SUBCOMMAND --output json` in the scheduler container."""
    command = stack.command(
        "exec", "--no-TTY", "scheduler", "airflow", "dags", subcommand, "--output", "json"
    )
    return stack.runner.run(command, capture=True, query=True).output


def report_dags(params: DevEnvParams, state: DagFolderState | None) -> None:
    """Say which DAGs the stack has and how to run one, or how to add one."""
    if state is None:
        hint = "" if params.load_example_dags else ", or restart with --load-example-dags"
        console.info(f"No DAG files in {params.dags} yet: add some (picked up in seconds){hint}")
        return
    if state.dag_ids:
        console.info(
            f"DAGs: {', '.join(state.dag_ids)}; run one with "
            f"`breeze exec airflow dags trigger {state.dag_ids[0]}`"
        )
    for name in state.errors:
        console.warning(f"{name} does not import: `breeze exec airflow dags list-import-errors`")
    if state.pending:
        console.warning(f"not parsed yet: {', '.join(state.pending)}")


def _stop(stack: Stack) -> None:
    """After Ctrl-C: remove what was started, keep the volumes."""
    console.info(f"Interrupted: stopping {stack.project}")
    stack.down()


def _explain_failed_start(stack: Stack, output: str) -> None:
    """Name the service that kept the stack from starting and show its log tail."""
    states = stack.states()
    failed = next((s for s in states if s.failed), None)
    if failed is None:
        raise BreezeError(f"docker compose up failed: {_last(output)}")
    _show_log_tail(stack, failed.service)
    raise BreezeError(
        f"service {failed.service} is {failed.describe()}; its last {LOG_TAIL} log lines are "
        f"above (`breeze logs {failed.service}`)"
    )


def wait_healthy(stack: Stack, *, timeout: float, started: float) -> None:
    """Wait until every service is ready, with progress; on failure name the first unready one."""
    from breeze.ui.progress import StatusLine

    deadline = started + timeout
    with StatusLine("Waiting for the services") as status:
        while True:
            states = stack.states()
            status.update(
                ", ".join(f"{s.service} {s.describe()}" for s in states),
                time.monotonic() - started,
            )
            if states and all(s.ready for s in states):
                return
            failed = next((s for s in states if s.failed), None)
            if failed is not None or time.monotonic() > deadline:
                break
            time.sleep(2)
    culprit = failed or next((s for s in states if not s.ready), None)
    name = culprit.service if culprit else "the stack"
    if culprit is not None:
        _show_log_tail(stack, culprit.service)
    why = culprit.describe() if culprit else "not started"
    raise BreezeError(
        f"service {name} is not healthy ({why}) after {time.monotonic() - started:.0f} s; its "
        f"last {LOG_TAIL} log lines are above; stop the stack with `breeze down`"
    )


def _show_log_tail(stack: Stack, service: str) -> None:
    """Print the last lines of a service's log."""
    result = stack.runner.run(
        project_command(
            stack.project,
            stack.params.docker_host,
            "logs",
            "--no-color",
            "--tail",
            str(LOG_TAIL),
            service,
        ),
        capture=True,
        query=True,
    )
    console.info(f"Last {LOG_TAIL} log lines of {service}:")
    for line in result.output.splitlines()[-LOG_TAIL:]:
        console.info(f"  {line}")


def check_ports(params: DevEnvParams) -> None:
    """Fail with a suggested free port when a port the stack forwards is busy."""
    ports = [("--api-port", params.api_port)]
    if params.flower and params.executor == "CeleryExecutor":
        ports.append(("--flower-port", params.flower_port))
    address = params.publish_address
    for option, port in ports:
        if not port_free(port, address):
            free = next((p for p in range(port + 1, port + 200) if port_free(p, address)), None)
            hint = f"; try {option} {free}" if free else f"; choose another {option}"
            raise BreezeError(f"port {port} is busy (another program listens on it){hint}")


def port_free(port: int, address: str = "0.0.0.0") -> bool:
    """Whether a TCP port on an address can be bound now."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((address, port))
        except OSError:
            return False
    return True


def stack_projects(project_folder: Path) -> tuple[str, str]:
    """The compose projects of a folder: the Airflow stack and the shell."""
    return project_name(project_folder), shell_project_name(project_folder)


def passthrough(project: str, docker_host: str | None, args: list[str], options: RunOptions) -> int:
    """Run a project-only compose command (exec, logs, ps) and return its exit code."""
    runner = Runner(dry_run=options.dry_run, verbose=options.verbose)
    if not options.dry_run:
        preflight(docker_host, compose=True, runner=runner)
        if args[0] in ("exec", "logs") and not _has_resources(
            runner, project, docker_host, volumes=False
        ):
            raise BreezeError(
                f"no breeze stack runs from this project folder (compose project {project}); "
                "start one with `breeze start-airflow` or pass its --project-folder"
            )
    return runner.run(project_command(project, docker_host, *args)).returncode


def logs(
    project: str,
    docker_host: str | None,
    service: str | None,
    *,
    follow: bool,
    options: RunOptions,
) -> int:
    """Print the stack's logs (or one service's); piped output carries no terminal codes."""
    import sys

    args = ["logs", *(["--follow"] if follow else []), *([service] if service else [])]
    command = project_command(project, docker_host, *args)
    runner = Runner(dry_run=options.dry_run, verbose=options.verbose)
    if options.dry_run:
        return runner.run(command).returncode
    preflight(docker_host, compose=True, runner=runner)
    services = stack_services(runner, project, docker_host)
    if not services:
        raise BreezeError(
            f"no breeze stack runs from this project folder (compose project {project}); "
            "start one with `breeze start-airflow` or pass its --project-folder"
        )
    if service is not None and service not in services:
        raise InvalidInput(unknown_service(service, services))
    if sys.stdout.isatty():
        return runner.run(command).returncode
    return runner.run(command, on_line=lambda line: print(ANSI_ESCAPE.sub("", line))).returncode


def stack_services(runner: Runner, project: str, docker_host: str | None) -> list[str]:
    """The services of a project's containers, running or not."""
    result = runner.run(project_command(project, docker_host, *PS_JSON), capture=True, query=True)
    return (
        sorted({state.service for state in parse_ps(result.output)})
        if result.returncode == 0
        else []
    )


def down(
    project_folder: Path, docker_host: str | None, *, volumes: bool, options: RunOptions
) -> None:
    """Remove the folder's stacks (containers, networks; volumes with volumes=True)."""
    runner = Runner(dry_run=options.dry_run, verbose=options.verbose)
    if not options.dry_run:
        preflight(docker_host, compose=True, runner=runner)
    extra = ("--volumes",) if volumes else ()
    stopped = False
    for project in stack_projects(project_folder):
        command = project_command(project, docker_host, "down", "--remove-orphans", *extra)
        if options.dry_run:
            runner.run(command)
            continue
        if not _has_resources(runner, project, docker_host, volumes=volumes):
            continue
        result = runner.run(command, capture=True)
        if result.returncode != 0:
            raise BreezeError(f"docker compose down failed for {project}: {_last(result.output)}")
        console.success(f"Stopped {project}" + (" and removed its volumes" if volumes else ""))
        stopped = True
    if not options.dry_run:
        remove_created(project_folder)
    if not stopped and not options.dry_run:
        console.info(f"Nothing to stop for {project_folder}: no breeze stack runs from it")


def _last(output: str) -> str:
    """The last non-empty line of some output."""
    lines = [line for line in output.splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


def _has_resources(runner: Runner, project: str, docker_host: str | None, *, volumes: bool) -> bool:
    """Whether a project has containers or networks (or, when asked, volumes)."""
    env = {"DOCKER_HOST": docker_host} if docker_host else {}
    label = f"label=com.docker.compose.project={project}"
    kinds = [("container", "ls", "--all"), ("network", "ls")]
    if volumes:
        kinds.append(("volume", "ls"))
    for kind in kinds:
        command = argv.Command(("docker", *kind, "--quiet", "--filter", label), env)
        result = runner.run(command, capture=True, query=True)
        if result.output.strip():
            return True
    return False
