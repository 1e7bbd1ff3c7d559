"""Builders of the docker command lines that breeze runs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from breeze.core.image_params import BuildSettings


@dataclass(frozen=True)
class Command:
    """A command line with the environment variables it needs on top of the caller's."""

    argv: tuple[str, ...]
    env: Mapping[str, str] = field(default_factory=dict)


def docker_env(settings: BuildSettings) -> dict[str, str]:
    """Environment variables that point docker at the chosen engine."""
    return {"DOCKER_HOST": settings.docker_host} if settings.docker_host else {}


def buildx_build(
    *,
    dockerfile: Path,
    context: Path,
    target: str,
    tag: str,
    settings: BuildSettings,
    build_args: Mapping[str, str],
    build_contexts: Mapping[str, str],
    labels: Mapping[str, str] | None = None,
    secrets: Mapping[str, str] | None = None,
    proxy_args: Mapping[str, str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Command:
    """The `docker buildx build` command for one image.

    Proxy variables are passed by name (`--build-arg HTTPS_PROXY`): docker reads their values
    from its environment, so they stay out of the printed command; only values the caller's
    environment (environ) lacks are added to the command's environment.
    """
    argv = ["docker", "buildx", "build", "--file", str(dockerfile), "--target", target]
    argv += ["--tag", tag, "--progress", settings.build_progress]
    if settings.builder:
        argv += ["--builder", settings.builder]
    if settings.platform:
        argv += ["--platform", settings.platform]
    argv.append("--push" if settings.push else "--load")
    for name, value in build_args.items():
        argv += ["--build-arg", f"{name}={value}"]
    env = docker_env(settings)
    for name, value in (proxy_args or {}).items():
        argv += ["--build-arg", name]
        if (environ or {}).get(name) != value:
            env[name] = value
    for name, path in build_contexts.items():
        argv += ["--build-context", f"{name}={path}"]
    for secret_id, path in (secrets or {}).items():
        argv += ["--secret", f"id={secret_id},src={path}"]
    for name, value in (labels or {}).items():
        argv += ["--label", f"{name}={value}"]
    argv.append(str(context))
    return Command(tuple(argv), env)


def buildx_version(settings: BuildSettings) -> Command:
    """The command that proves buildx is installed."""
    return Command(("docker", "buildx", "version"), docker_env(settings))


def docker_run(
    image: str,
    command: tuple[str, ...],
    *,
    user: str | None = None,
    environment: Mapping[str, str] | None = None,
    flags: tuple[str, ...] = (),
) -> Command:
    """The `docker run --rm` command equivalent to one verify check."""
    argv = ["docker", "run", "--rm", *flags]
    if user:
        argv += ["--user", user]
    for name, value in (environment or {}).items():
        argv += ["--env", f"{name}={value}"]
    return Command((*argv, image, *command))


def docker_compose(
    project: str,
    *args: str,
    files: tuple[Path, ...] = (),
    profiles: tuple[str, ...] = (),
    env: Mapping[str, str] | None = None,
    docker_host: str | None = None,
) -> Command:
    """A `docker compose` command for one project; files and profiles only where they matter."""
    argv = ["docker", "compose", "--project-name", project]
    for file in files:
        argv += ["--file", str(file)]
    for profile in profiles:
        argv += ["--profile", profile]
    extra = {"DOCKER_HOST": docker_host} if docker_host else {}
    return Command((*argv, *args), {**(env or {}), **extra})
