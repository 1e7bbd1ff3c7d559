"""The dev environment service: start, wait for, enter, inspect and stop docker compose stacks."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from breeze.core.compose_env import (
    project_name,
    shell_project_name,
)
from breeze.core.devenv_params import (
    DevEnvParams,
    ShellParams,
    StartParams,
    check_mysql_platform,
    validate_dev_env,
)
from breeze.core.errors import BreezeError, InvalidInput
from breeze.core.image_params import ImageBuildParams
from breeze.core.network import proxy_env
from breeze.core.stack_report import (
    DagFolderState,
    dag_files,
    parse_dag_state,
)
from breeze.io.session import Session
from breeze.services.build_network import with_network
from breeze.services.compose_stack import Stack, project_command
from breeze.services.ensure_image import ensure_image
from breeze.services.preflight import preflight
from breeze.services.stack_commands import last_line, record_created
from breeze.ui import console

LOG_TAIL = 30
DAG_PARSE_TIMEOUT = 120  # seconds for the first parse of the DAG folder once the stack is healthy


def in_this_world(
    params: DevEnvParams, image: ImageBuildParams | None, session: Session
) -> DevEnvParams:
    """The params with what the session knows: folder, UID, proxies, the CI image's tag."""
    return replace(
        params,
        image=image.tag if image is not None else params.image,
        project_folder=params.project_folder or session.world.cwd,
        host_uid=session.world.uid,
        proxy_env=tuple(proxy_env(session.world.environ).items()),
        # --no-proxy-forward comes with the CI image's network options: it holds for both
        proxy_forward=image.settings.network.proxy_forward if image else params.proxy_forward,
    )


def resolve_image(image: ImageBuildParams | None, session: Session) -> ImageBuildParams | None:
    """The CI image's build with its network options resolved, before anything runs.

    Bad options fail first (also in a dry run), and the spec whose hash label is compared with
    the image's carries the CA bundle's checksum, as the build gave it.
    """
    return with_network(image, session) if image is not None else None


def check_dev_env(params: DevEnvParams, session: Session) -> None:
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
    if session.dry_run:
        return
    preflight(session, compose=True)
    if params.database_image is not None:
        has_image = session.engine.image_attrs(params.database_image) is not None
        check_mysql_platform(params, session.world.machine, has_image)
        if not has_image:
            raise BreezeError(
                f"the engine has no image {params.database_image}; pull it "
                f"(`docker pull {params.database_image}`) or choose another backend version"
            )


def provide(
    params: DevEnvParams, session: Session, image: ImageBuildParams | None, *, keep: bool = True
) -> list[Path]:
    """Make sure the CI image exists and is current, then create the mounted folders.

    With KEEP the folders stay until `breeze down`; without, the caller removes them.
    """
    if image is not None:
        ensure_image(image, session)
    require_visible_folder(params, session)
    created = []
    for folder in (params.dags, params.plugins):
        if not folder.exists():
            folder.mkdir(parents=True)  # else docker creates it, owned by root
            created.append(folder)
            if keep:
                console.info(f"Created {folder} (`breeze down` removes it again while it is empty)")
    if created and keep:
        record_created(params.project_folder, created, session)
    return created


def require_visible_folder(params: DevEnvParams, session: Session) -> None:
    """Fail in one line when the engine runs on another machine: it cannot mount our folders."""
    target = session.engine_target
    if target.local or session.engine.sees_folder(params.image, params.project_folder):
        return
    raise BreezeError(
        f"the engine at {target.describe()} does not see {params.project_folder}: the dev "
        "environment mounts your folders, and an engine on another machine has none of them; "
        "use an engine on this machine (unset DOCKER_HOST, drop --docker-host, or "
        "`docker context use default`)"
    )


def run_shell(shell: ShellParams, session: Session) -> int:
    """Start the backend, migrate, run an interactive shell or one command; tear it all down."""
    image = resolve_image(shell.image, session)
    params, command = in_this_world(shell.env, image, session), shell.command
    check_dev_env(params, session)
    if not session.dry_run:
        provide(params, session, image)
    project = shell_project_name(params.project_folder)
    stack = Stack(params, project, airflow=False, session=session)
    run_args = ["run", "--rm"]
    if command is not None or not session.world.interactive:
        run_args.append("--no-TTY")
    run_args.append("shell")
    if command is not None:
        run_args += ["bash", "-c", command]
    try:
        result = session.run(stack.command(*run_args))
    except KeyboardInterrupt:
        _stop(stack)
        raise
    if not session.dry_run:
        stack.down()
    return result.returncode


def start_airflow(start: StartParams, session: Session) -> None:
    """Start the Airflow stack (building the CI image when needed) and wait until healthy."""
    image = resolve_image(start.image, session)
    params, timeout = in_this_world(start.env, image, session), start.timeout
    check_dev_env(params, session)
    stack = Stack(params, project_name(params.project_folder), airflow=True, session=session)
    if session.dry_run:
        session.run(stack.command("up", "--detach", "--no-build"))
        return
    if not stack.states():
        check_ports(params, session)  # before anything is built or created
    if not params.published_on_loopback:
        console.warning(exposure_warning(params))
    provide(params, session, image)
    started = time.monotonic()
    try:
        console.info(
            f"Starting Airflow ({params.executor}, {params.backend}) as project {stack.project}"
        )
        result = session.run(stack.command("up", "--detach", "--no-build"), capture=True)
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
    return stack.session.run(command, capture=True, query=True).output


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
        raise BreezeError(f"docker compose up failed: {last_line(output)}")
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
    result = stack.session.run(
        project_command(
            stack.project,
            stack.session,
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


def check_ports(params: DevEnvParams, session: Session) -> None:
    """Fail with a suggested free port when a port the stack forwards is busy."""
    ports = [("--api-port", params.api_port)]
    if params.flower and params.executor == "CeleryExecutor":
        ports.append(("--flower-port", params.flower_port))
    address = params.publish_address
    for option, port in ports:
        if not session.port_free(port, address):
            free = session.free_port_after(port, address)
            hint = f"; try {option} {free}" if free else f"; choose another {option}"
            raise BreezeError(f"port {port} is busy (another program listens on it){hint}")
