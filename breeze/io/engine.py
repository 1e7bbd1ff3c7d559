"""Queries to the Docker engine through the docker SDK (imported on first use)."""

from __future__ import annotations

import contextlib
import functools
import re
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from breeze.core.doctor_checks import engine_row
from breeze.core.engine_target import DEFAULT_ENDPOINT, EngineTarget, resolve_target
from breeze.core.errors import BreezeError, InvalidInput, engine_gone, engine_gone_message
from breeze.core.verify_checks import HARDENED_SDK_ARGS

if TYPE_CHECKING:
    import tarfile

    import docker


@dataclass(frozen=True)
class ContainerRun:
    """What a finished container returned."""

    exit_code: int
    output: str
    seconds: float


CONNECT_TIMEOUT = 15


class Engine:
    """A connection to one Docker engine."""

    def __init__(
        self, docker_host: str | None = None, timeout: int = 120, target: EngineTarget | None = None
    ) -> None:
        self.docker_host = docker_host
        self.timeout = timeout
        # what chose the engine: the docker CLI's order (ADR 0020); tests give only a host
        self.target = target or EngineTarget(docker_host or DEFAULT_ENDPOINT, "--docker-host")

    @property
    def where(self) -> str:
        """The engine's endpoint and what chose it, for messages."""
        return self.target.describe()

    @functools.cached_property
    def client(self) -> docker.DockerClient:
        """The SDK client; fails with a one-line error when no engine answers."""
        import docker

        try:
            if self.docker_host:
                client = docker.DockerClient(base_url=self.docker_host, timeout=self.timeout)
            elif self.target.context is not None:  # its TLS settings too
                client = docker.DockerClient.from_context(self.target.context, timeout=self.timeout)
            else:
                client = docker.from_env(timeout=self.timeout, use_context=False)
            # an engine that has not answered a ping in this time is not there
            client.api.timeout = CONNECT_TIMEOUT
            client.ping()
            client.api.timeout = self.timeout
        except docker.errors.DockerException as e:
            raise BreezeError(engine_row(None, self.where, str(e)).message) from e  # as doctor
        return client

    def ping(self, timeout: float | None = None) -> str:
        """Check the engine answers (within TIMEOUT seconds) and return its version.

        An engine that stopped answering since the client connected gets the same one line as
        one that never answered.
        """
        try:
            if timeout is None:
                return str(self.client.version().get("Version", "unknown"))
            with self.timeout_of(timeout):
                return str(self.client.version().get("Version", "unknown"))
        except BreezeError:
            raise
        except Exception as e:
            if not engine_gone(e):
                raise
            raise BreezeError(engine_row(None, self.where, str(e)).message) from e

    @contextlib.contextmanager
    def timeout_of(self, seconds: float) -> Iterator[None]:
        """Calls in this block give up after SECONDS (the client's default stays as it was)."""
        api = self.client.api
        before = api.timeout
        api.timeout = seconds
        try:
            yield
        finally:
            api.timeout = before

    def image_attrs(self, image: str) -> Mapping[str, Any] | None:
        """The image's inspect data, or None when the engine has no such image."""
        import docker

        try:
            return self.client.images.get(image).attrs
        except docker.errors.ImageNotFound:
            return None
        except docker.errors.APIError as e:
            if e.status_code == 400 and "invalid reference format" in str(e):
                raise InvalidInput(
                    f"'{image}' is not a valid image name; use NAME[:TAG] with lowercase "
                    "letters, digits and separators, e.g. my-airflow:3.3.2"
                ) from e
            raise BreezeError(f"cannot inspect image {image}: {_reason(e)}") from e
        except docker.errors.DockerException as e:
            raise BreezeError(f"cannot inspect image {image}: {_reason(e)}") from e

    def registry_problem(self, image: str, timeout: float = 60) -> str | None:
        """None when the registry has IMAGE (asked through the engine, not pulled), else why."""
        import docker
        import requests

        try:
            with self.timeout_of(timeout):
                self.client.images.get_registry_data(image)
        except docker.errors.APIError as e:
            # e.g. 'Get "https://registry-1.docker.io/v2/": dial tcp: lookup ...: no such host'
            return re.sub(r'^Get "[^"]*": ', "", str(e.explanation or e).strip())[:200]
        except requests.exceptions.Timeout:
            return f"its registry did not answer in {timeout:g} s"
        return None

    def require_image(
        self, image: str, build_command: str = "breeze prod-image build"
    ) -> Mapping[str, Any]:
        """The image's inspect data; a one-line error when it is missing."""
        attrs = self.image_attrs(image)
        if attrs is None:
            raise BreezeError(
                f"image {image} does not exist in the engine; build it with "
                f"`{build_command}` or give an existing image"
            )
        return attrs

    def run(
        self,
        image: str,
        command: list[str],
        *,
        user: str | None = None,
        environment: Mapping[str, str] | None = None,
        entrypoint: list[str] | None = None,
        timeout: float = 300,
        purpose: str = "verify",
        hardened: bool = False,
        mounts: Mapping[str, str] | None = None,
        copies: Mapping[str, str] | None = None,
        name: str | None = None,
        platform: str | None = None,
    ) -> ContainerRun:
        """Run a container to completion and remove it; output is stdout and stderr together.

        MOUNTS are host folders bound read-only at their targets; COPIES are host folders copied
        to theirs before the start (an engine on another machine sees no host folder).
        """
        import docker

        started = time.monotonic()
        container = self.client.containers.create(
            image,
            command,
            name=name,
            platform=platform,
            user=user,
            environment=dict(environment or {}),
            entrypoint=entrypoint,
            labels={"breeze.purpose": purpose},
            volumes={
                source: {"bind": target, "mode": "ro"} for source, target in (mounts or {}).items()
            },
            **(HARDENED_SDK_ARGS if hardened else {}),
        )
        try:
            for source, target in (copies or {}).items():
                container.put_archive("/", _tar_of(Path(source), target))
            _start(container, image)
            status = container.wait(timeout=timeout)
            output = container.logs(stdout=True, stderr=True).decode(errors="replace")
            return ContainerRun(status["StatusCode"], output, time.monotonic() - started)
        except BreezeError:
            raise
        except Exception as e:  # the SDK raises requests' timeout types here
            if engine_gone(e):
                raise BreezeError(engine_gone_message(e)) from e
            raise BreezeError(f"container from {image} did not finish in {timeout:.0f} s") from e
        finally:
            with contextlib.suppress(docker.errors.DockerException, ConnectionError, OSError):
                container.remove(force=True)

    def sees_folder(self, image: str, folder: Path) -> bool:
        """Whether a container of IMAGE on this engine finds FOLDER as this machine has it."""
        import docker
        from docker.types import Mount

        try:
            container = self.client.containers.create(
                image,
                entrypoint=["ls", "-A", "/breeze-probe"],
                mounts=[Mount("/breeze-probe", str(folder), type="bind", read_only=True)],
                labels={"breeze.purpose": "folder-probe"},
            )
        except docker.errors.APIError as e:
            if "does not exist" in str(e):  # the engine's machine has no such path
                return False
            raise
        try:
            _start(container, image)
            container.wait(timeout=60)
            listed = set(container.logs(stdout=True, stderr=False).decode().split())
        finally:
            with contextlib.suppress(docker.errors.DockerException, ConnectionError, OSError):
                container.remove(force=True)
        return listed == {entry.name for entry in folder.iterdir()}

    def stop_time(
        self, image: str, command: list[str], *, settle: float = 2.0, platform: str | None = None
    ) -> ContainerRun:
        """Start a long-running container, then time `docker stop` (10 s grace) on it."""
        import docker

        container = self.client.containers.create(
            image, command, labels={"breeze.purpose": "verify"}, platform=platform
        )
        try:
            _start(container, image)
            time.sleep(settle)
            container.reload()
            if container.status != "running":
                output = container.logs().decode(errors="replace")
                return ContainerRun(-1, f"container was not running: {output}", 0.0)
            started = time.monotonic()
            container.stop(timeout=10)
            seconds = time.monotonic() - started
            container.reload()
            return ContainerRun(container.attrs["State"]["ExitCode"], "", seconds)
        finally:
            with contextlib.suppress(docker.errors.DockerException, ConnectionError, OSError):
                container.remove(force=True)

    def history(self, image: str) -> list[Mapping[str, Any]]:
        """The image's build steps, newest first, as `docker history` lists them."""
        import docker

        try:
            return list(self.client.api.history(image))
        except docker.errors.DockerException as e:
            raise BreezeError(f"cannot read the history of {image}: {_reason(e)}") from e

    def save(self, image: str, path: Path) -> None:
        """Write the image as `docker save` does (a tar of its layers and configuration)."""
        import docker

        try:
            with path.open("wb") as out:
                for chunk in self.client.images.get(image).save(named=False):
                    out.write(chunk)
        except docker.errors.DockerException as e:
            raise BreezeError(f"cannot export {image} from {self.where}: {_reason(e)}") from e
        except OSError as e:
            raise BreezeError(f"cannot write {image} to {path}: {e.strerror}") from e

    def info(self) -> Mapping[str, Any]:
        """What `docker info` reports: data root, memory, CPUs, architecture, proxies."""
        return self.client.info()

    def local_images(self) -> list[tuple[str, int]]:
        """Every tag in the engine with its image's size in bytes."""
        return [
            (tag, int(image.attrs.get("Size") or 0))
            for image in self.client.images.list()
            for tag in image.tags
        ]

    def published_ports(self) -> dict[int, tuple[str, str]]:
        """Host ports of running containers: port -> (container name, compose project)."""
        ports: dict[int, tuple[str, str]] = {}
        for container in self.client.containers.list():
            project = container.labels.get("com.docker.compose.project", "")
            for bindings in (container.ports or {}).values():
                for binding in bindings or ():
                    if str(binding.get("HostPort", "")).isdigit():
                        ports[int(binding["HostPort"])] = (container.name, project)
        return ports


def _start(container: Any, image: str) -> None:
    """Start a created container; a command the image cannot run is one line."""
    import docker

    try:
        container.start()
    except docker.errors.APIError as e:
        why = str(e.explanation or e).split("exec: ")[-1].split(": unknown")[0]
        raise BreezeError(
            f"cannot start a container of {image}: {why}; is it an Airflow image built by "
            "breeze (`breeze prod-image build`)?"
        ) from e


def _reason(error: Exception) -> str:
    """The first line of an SDK error."""
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def find_target(option: str | None, environ: Mapping[str, str]) -> EngineTarget:
    """The engine a command talks to: --docker-host, DOCKER_CONTEXT, DOCKER_HOST, the context."""
    if option:
        return resolve_target(option, environ, "default", {})
    from docker.context import ContextAPI
    from docker.context.config import get_current_context_name
    from docker.errors import DockerException

    try:
        hosts = {c.Name: c.Host or "" for c in ContextAPI.contexts()}
        current = get_current_context_name()
    except (DockerException, OSError, ValueError):  # unreadable docker config: as docker does
        hosts, current = {"default": ""}, "default"
    return resolve_target(option, environ, current, hosts)


def _tar_of(folder: Path, target: str) -> bytes:
    """FOLDER's files as a tar archive whose paths start at TARGET (relative to /)."""
    import io
    import tarfile

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        archive.add(folder, arcname=target.strip("/"), filter=_readable)
    return buffer.getvalue()


def _readable(info: tarfile.TarInfo) -> tarfile.TarInfo:
    """An entry any user of the image can read (the image's user is not the host's)."""
    info.mode |= 0o755 if info.isdir() else 0o644
    return info
