"""One compose project of a dev environment: its command line, its containers and their state."""

from __future__ import annotations

import json
from dataclasses import dataclass

from breeze.core import argv
from breeze.core.compose_env import COMPOSE_DIR, compose_env, compose_files, compose_profiles
from breeze.core.devenv_params import DevEnvParams
from breeze.io.session import Session

INIT_SERVICE = "airflow-init"
PS_JSON = ("ps", "--all", "--format", "json")


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

    def __init__(self, params: DevEnvParams, project: str, *, airflow: bool, session: Session):
        self.params = params
        self.project = project
        self.session = session
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
            docker_host=self.session.docker_host,
        )

    def states(self) -> list[ServiceState]:
        """The stack's containers and their state."""
        # polled every few seconds: never echoed
        result = self.session.probe(project_command(self.project, self.session, *PS_JSON))
        if result.returncode != 0:
            self.session.engine.ping()  # a lost engine: one line, not a long wait
            return []
        return parse_ps(result.output)

    def down(self, *, volumes: bool = False) -> None:
        """Remove the stack's containers and network (and volumes when asked)."""
        extra = ("--volumes",) if volumes else ()
        self.session.run(self.command("down", "--remove-orphans", *extra), capture=True)


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


def project_command(project: str, session: Session, *args: str) -> argv.Command:
    """A compose command that needs only the project name (ps, logs, exec, down)."""
    return argv.docker_compose(project, *args, docker_host=session.docker_host)
