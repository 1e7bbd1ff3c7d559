"""Which Docker engine a command talks to, chosen as the docker CLI chooses it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from breeze.core.errors import InvalidInput

DEFAULT_ENDPOINT = "unix:///var/run/docker.sock"
# endpoints on this machine: files here are files there (Linux, Docker Desktop's file sharing)
LOCAL_SCHEMES = ("unix://", "npipe://")


@dataclass(frozen=True)
class EngineTarget:
    """An engine's endpoint and what chose it."""

    endpoint: str
    source: str  # --docker-host, DOCKER_HOST, DOCKER_CONTEXT, docker context, default
    context: str | None = None  # the docker context, when one chose the engine

    @property
    def local(self) -> bool:
        """A socket of this machine: the engine sees this machine's folders."""
        return self.endpoint.startswith(LOCAL_SCHEMES)

    def describe(self) -> str:
        """Where the engine is and why, for messages and doctor."""
        if self.source == "default":
            return f"{self.endpoint} (the default socket)"
        if self.context is not None:
            return f"{self.endpoint} (docker context {self.context!r})"
        return f"{self.endpoint} ({self.source})"


def resolve_target(
    option: str | None,
    environ: Mapping[str, str],
    current_context: str,
    context_hosts: Mapping[str, str],
) -> EngineTarget:
    """The engine as the docker CLI picks it: --docker-host, DOCKER_CONTEXT, DOCKER_HOST, context.

    CURRENT_CONTEXT is the one `docker context use` chose (``default`` for none);
    CONTEXT_HOSTS maps each context's name to its docker endpoint.
    """
    named = environ.get("DOCKER_CONTEXT", "")
    if option:
        if named and named != "default":
            raise InvalidInput(
                f"--docker-host {option} and DOCKER_CONTEXT={named} both choose an engine, and "
                "docker would follow DOCKER_CONTEXT; unset one of them"
            )
        return EngineTarget(option, "--docker-host")
    if named and named != "default":
        return EngineTarget(
            _host_of(named, context_hosts, "DOCKER_CONTEXT"), "DOCKER_CONTEXT", named
        )
    if environ.get("DOCKER_HOST"):
        return EngineTarget(environ["DOCKER_HOST"], "DOCKER_HOST")
    if current_context and current_context != "default":
        host = _host_of(current_context, context_hosts, "the current docker context")
        return EngineTarget(host, "docker context", current_context)
    return EngineTarget(DEFAULT_ENDPOINT, "default")


def _host_of(name: str, context_hosts: Mapping[str, str], what: str) -> str:
    """A context's endpoint; one line when the context does not exist."""
    if name not in context_hosts:
        known = ", ".join(sorted(context_hosts)) or "none"
        raise InvalidInput(
            f"{what} {name!r} is not a docker context (known: {known}); "
            "`docker context ls` lists them"
        )
    return context_hosts[name] or DEFAULT_ENDPOINT
