"""Generating constraints: resolve Airflow for each Python in its own container, in parallel."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from pathlib import Path

from breeze import __version__
from breeze.core.argv import Command, engine_env
from breeze.core.build_args import build_secrets
from breeze.core.build_log import TLS_FAILURE, tls_failure
from breeze.core.errors import BreezeError, InvalidInput
from breeze.core.image_params import BuildSettings, ImageBuildParams
from breeze.core.network import NetworkRequest
from breeze.core.pins import AIRFLOW, read_constraints
from breeze.core.uv_resolve import (
    OUTPUT_MARKER,
    UV_VERSION,
    GenerateParams,
    airflow_requirement,
    generated_header,
    resolve_script,
    uv_container,
    validate_generate,
)
from breeze.core.validation import validate_spec
from breeze.io.session import Session
from breeze.services.build_network import with_network
from breeze.services.preflight import preflight
from breeze.ui import console
from breeze.ui.resolve_progress import ResolveProgress


def generate_constraints(params: GenerateParams, session: Session) -> list[Path]:
    """Resolve constraints for each Python in its own container, in parallel; return the files."""
    validate_generate(params)
    params = _with_secrets(params, session)
    for python in params.pythons:
        for message in validate_spec(params.spec_for(python)):
            console.warning(message)
    if not session.dry_run and not params.output_dir.is_dir():
        raise InvalidInput(f"--output-dir {params.output_dir} is not a folder; create it first")
    run_id = uuid.uuid4().hex[:8]
    jobs = {
        python: _GenerateJob(params, python, f"breeze-constraints-{run_id}-{python}", session)
        for python in params.pythons
    }
    if session.dry_run:
        for job in jobs.values():
            session.run_steps(job.command())
        return []
    preflight(session)
    console.info(
        f"Generating {params.constraints_mode} for Airflow {params.airflow_version} on Python "
        f"{', '.join(params.pythons)} with uv {UV_VERSION}"
    )
    with ResolveProgress(list(jobs)) as progress:
        results = _run_parallel(jobs, session, progress, lambda job: job.run(progress.feed))
    written, failures = [], []
    for python, result in results.items():
        if isinstance(result, Path):
            written.append(result)
            console.success(f"Wrote {result} ({jobs[python].pin_count} pins)")
        else:
            failures.append(f"Python {python}: {result}")
    if failures:
        raise BreezeError(f"generating constraints failed for {'; '.join(failures)}")
    return written


def _with_secrets(params: GenerateParams, session: Session) -> GenerateParams:
    """The params with their network options (as given) resolved into the build's secrets."""
    if params.secrets or params.network == NetworkRequest():
        return params
    settings = BuildSettings(network=params.network)
    resolved = with_network(ImageBuildParams(settings=settings), session).settings
    return replace(params, secrets=build_secrets(resolved))


@dataclass
class _GenerateJob:
    """One Python's resolution: its container, output and result."""

    params: GenerateParams
    python: str
    container: str
    session: Session
    pin_count: int = 0

    def command(self) -> tuple[Command, ...]:
        """The docker run command of this resolution; on an engine on another machine that
        needs the secrets' files, the commands that copy them in instead of mounting them."""
        spec = self.params.spec_for(self.python)
        requirement = airflow_requirement(
            self.params.airflow_version, self.params.airflow_extras, self.params.constraints_mode
        )
        return uv_container(
            spec.base_image,
            resolve_script([], requirement, self.python),
            name=self.container,
            environ=self.session.world.environ,
            docker_host=self.session.docker_host,
            secrets=self.params.secrets,
            proxy_forward=self.params.proxy_forward,
            copy_in=bool(self.params.secrets) and not self.session.engine_target.local,
        )

    def run(self, feed: Callable[[str, str], None]) -> Path:
        """Run the container and write `<mode>-<python>.txt` atomically."""
        log, output = ContainerOutput.collect(self.session, self.command(), self.python, feed)
        if log.returncode != 0:
            raise BreezeError(log.cause())
        text = "\n".join(output).strip() + "\n"
        pins = read_constraints(
            text.encode(), f"the resolution for Python {self.python}", self.params.airflow_version
        )
        if AIRFLOW not in pins:
            raise BreezeError("the resolution does not pin apache-airflow")
        self.pin_count = len(pins)
        created = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        header = generated_header(
            self.params, self.python, created=created, breeze_version=__version__
        )
        target = self.params.output_dir / self.params.file_name(self.python)
        self.session.write_text(target, header + text)
        return target


@dataclass
class ContainerOutput:
    """What a resolve container printed: its log before OUTPUT_MARKER, its result after it."""

    returncode: int
    log: list[str]

    @staticmethod
    def collect(
        session: Session,
        command: tuple[Command, ...],
        label: str,
        feed: Callable[[str, str], None],
    ) -> tuple[ContainerOutput, list[str]]:
        """Run a container, feeding its log lines to the progress display."""
        log: list[str] = []
        output: list[str] = []
        after_marker = False

        def on_line(line: str) -> None:
            nonlocal after_marker
            if after_marker:
                output.append(line)
            elif line == OUTPUT_MARKER:
                after_marker = True
            else:
                log.append(line)
                feed(label, line)

        result = session.run_steps(command, on_line=on_line)
        return ContainerOutput(result.returncode, log), output

    def cause(self) -> str:
        """The last meaningful log line, for a one-line error."""
        if tls_failure("\n".join(self.log)):
            return TLS_FAILURE
        lines = [line.strip() for line in self.log if line.strip()]
        for line in reversed(lines):
            if line.lower().startswith(
                ("error", "\N{MULTIPLICATION SIGN}", "unable to find image")
            ):
                return line
        return lines[-1] if lines else f"the container exited with {self.returncode}"


def _run_parallel(
    jobs: Mapping[str, _GenerateJob],
    session: Session,
    progress: ResolveProgress,
    work: Callable[[_GenerateJob], Path],
) -> dict[str, Path | str]:
    """Run each job in a thread; Ctrl-C removes the containers, then re-raises."""
    results: dict[str, Path | str] = {}
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures: dict[Future[Path], str] = {pool.submit(work, job): p for p, job in jobs.items()}
        try:
            pending = set(futures)
            while pending:
                done, pending = wait(pending, timeout=0.2)
                for future in done:
                    python = futures[future]
                    error = future.exception()
                    if error is None:
                        results[python] = future.result()
                    elif isinstance(error, BreezeError):
                        results[python] = error.message
                    else:
                        raise error
                    progress.finish(python, error is None)
        except KeyboardInterrupt:
            progress.stop()
            console.info("Interrupted: removing the resolve containers")
            names = tuple(job.container for job in jobs.values())
            session.run(
                Command(("docker", "rm", "--force", *names), engine_env(session.docker_host)),
                capture=True,
            )
            raise
    return results
