"""Builders of the docker command lines that breeze runs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from breeze.core.image_params import BuildSettings


def engine_env(docker_host: str | None) -> dict[str, str]:
    """The environment that points a docker command at the chosen engine: the one place."""
    return {"DOCKER_HOST": docker_host} if docker_host else {}


@dataclass(frozen=True)
class Command:
    """A command line with the environment variables it needs on top of the caller's."""

    argv: tuple[str, ...]
    env: Mapping[str, str] = field(default_factory=dict)


def docker_env(settings: BuildSettings) -> dict[str, str]:
    """Environment variables that point docker at the chosen engine."""
    return engine_env(settings.docker_host)


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
    cache_ref: str | None = None,
) -> Command:
    """The `docker buildx build` command for one image.

    With --docker-cache registry the build reads the cache at CACHE_REF and, when it pushes the
    image, writes every stage's layers there too (mode=max): the next build anywhere reuses them.

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
    if settings.docker_cache == "disabled":
        argv.append("--no-cache")
    elif settings.docker_cache == "registry" and cache_ref:
        argv += ["--cache-from", f"type=registry,ref={cache_ref}"]
        if settings.push:
            argv += ["--cache-to", f"type=registry,ref={cache_ref},mode=max"]
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


def buildx_version(docker_host: str | None) -> Command:
    """The command that proves buildx is installed."""
    return Command(("docker", "buildx", "version"), engine_env(docker_host))


def compose_version(docker_host: str | None) -> Command:
    """The command that proves compose v2 is installed."""
    return Command(("docker", "compose", "version", "--short"), engine_env(docker_host))


def docker_run(
    image: str,
    command: tuple[str, ...],
    *,
    user: str | None = None,
    environment: Mapping[str, str] | None = None,
    flags: tuple[str, ...] = (),
    mounts: Mapping[str, str] | None = None,
) -> Command:
    """The `docker run --rm` command of a throw-away container; MOUNTS: host folder -> target."""
    argv = ["docker", "run", "--rm", *flags]
    if user:
        argv += ["--user", user]
    for name, value in (environment or {}).items():
        argv += ["--env", f"{name}={value}"]
    for source, target in (mounts or {}).items():
        argv += ["--volume", f"{source}:{target}:ro"]
    return Command((*argv, image, *command))


def docker_copy_run(
    image: str,
    command: tuple[str, ...],
    *,
    name: str,
    copies: Mapping[str, str],
    user: str | None = None,
    environment: Mapping[str, str] | None = None,
    flags: tuple[str, ...] = (),
) -> tuple[Command, ...]:
    """A throw-away container that gets host folders copied in: for an engine on another machine.

    COPIES: host folder -> target; `docker cp` sends the files where a bind mount would find none.
    """
    flags = ("--name", name, *flags)
    run = docker_run(image, command, user=user, environment=environment, flags=flags)
    return copy_in_run(run, {f"{source}/.": target for source, target in copies.items()})


def copy_in_run(run: Command, copies: Mapping[str, str]) -> tuple[Command, ...]:
    """A `docker run --rm --name N ...` as `docker create`, a `docker cp` of each host file,
    `docker start --attach` and `docker rm`: for an engine that cannot see this machine's files.
    """
    argv = list(run.argv)
    name = argv[argv.index("--name") + 1]
    created = Command(("docker", "create", *(a for a in argv[2:] if a != "--rm")), run.env)
    copied = tuple(
        Command(("docker", "cp", source, f"{name}:{target}"), run.env)
        for source, target in copies.items()
    )
    started = Command(("docker", "start", "--attach", name), run.env)
    return (created, *copied, started, Command(("docker", "rm", "--force", name), run.env))


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
    extra = engine_env(docker_host)
    return Command((*argv, *args), {**(env or {}), **extra})
