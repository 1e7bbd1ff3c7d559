"""`breeze testing`: the project's pytest run in the CI image against a fresh backend."""

from __future__ import annotations

from breeze.core.compose_env import pytest_project_name
from breeze.core.devenv_params import REPORTS_TARGET, DevEnvParams, PytestParams, pytest_command
from breeze.core.errors import InvalidInput
from breeze.io.session import Session
from breeze.services.compose_stack import Stack
from breeze.services.devenv import check_dev_env, in_this_world, provide, resolve_image
from breeze.services.output_file import check_output_file
from breeze.ui import console


def run_tests(params: PytestParams, session: Session) -> int:
    """Start and migrate the backend, run pytest in the shell service, remove it all; its code."""
    image = resolve_image(params.image, session)
    env = in_this_world(params.env, image, session)
    check_dev_env(env, session)
    _check_inputs(params, env)
    created = [] if session.dry_run else provide(env, session, image, keep=False)
    stack = Stack(env, pytest_project_name(env.project_folder), airflow=False, session=session)
    run_args = ["run", "--rm"]
    if not session.world.interactive:
        run_args.append("--no-TTY")
    if params.junit_xml is not None:
        run_args += ["--volume", f"{params.junit_xml.parent}:{REPORTS_TARGET}"]
    try:
        result = session.run(stack.command(*run_args, "shell", *pytest_command(params)))
    finally:
        if not session.dry_run:
            # every run starts from an empty database: nothing one run left changes the next
            stack.down(volumes=True)
            for folder in created:
                if folder.is_dir() and not any(folder.iterdir()):
                    folder.rmdir()
    if params.junit_xml is not None and not session.dry_run and params.junit_xml.is_file():
        console.info(f"JUnit XML: {params.junit_xml}")
    return result.returncode


def _check_inputs(params: PytestParams, env: DevEnvParams) -> None:
    """Something to test, and a folder for the JUnit XML file."""
    if not params.pytest_args and not (env.project_folder / "tests").is_dir():
        raise InvalidInput(
            f"{env.project_folder} has no tests/ folder; give the test files or folders to run "
            "(`breeze testing -- path/to/tests`)"
        )
    if params.junit_xml is not None:
        check_output_file(params.junit_xml, "--junit-xml")
