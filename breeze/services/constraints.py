"""Constraints services: resolve on the host (download or read, cached), generate and check."""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import os
import shutil
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import TYPE_CHECKING

from breeze import __version__
from breeze.core import airflow_meta
from breeze.core.argv import Command
from breeze.core.build_log import TLS_FAILURE, tls_failure
from breeze.core.constraint_files import (
    AIRFLOW,
    OUTPUT_MARKER,
    UV_VERSION,
    CheckParams,
    ConstraintsSource,
    GenerateParams,
    Pin,
    PreparedConstraints,
    airflow_requirement,
    constraints_source,
    explain,
    file_cache_key,
    find_conflicts,
    generated_header,
    parse_constraints,
    parse_requirements,
    read_constraints,
    resolve_script,
    uv_conflict_lines,
    uv_container,
    validate_constraints,
    validate_generate,
)
from breeze.core.errors import BreezeError, ConstraintsUnavailable, InvalidInput
from breeze.core.image_params import ImageSpec
from breeze.core.network import mask_credentials
from breeze.core.run_options import RunOptions
from breeze.core.validation import validate_spec
from breeze.io.runner import Runner
from breeze.ui import console

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

DEFAULT_TIMEOUT = 30.0
MAX_BYTES = 10_000_000
_STAGING = ".staging"


@dataclass(frozen=True)
class ConstraintsState:
    """What `constraints show` reports: the source, whether it was cached, the prepared file."""

    source: ConstraintsSource | None
    was_cached: bool
    prepared: PreparedConstraints | None
    generated: Path | None = None  # the file generated earlier that stands in for the source


def cache_root() -> Path:
    """The constraints cache below $BREEZE_CACHE_DIR, $XDG_CACHE_HOME/breeze or ~/.cache/breeze."""
    explicit = os.environ.get("BREEZE_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser() / "constraints"
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "breeze" / "constraints"


def download_timeout() -> float:
    """Seconds a download may take: $BREEZE_CONSTRAINTS_TIMEOUT, else 30."""
    value = os.environ.get("BREEZE_CONSTRAINTS_TIMEOUT", "")
    try:
        return float(value) if value else DEFAULT_TIMEOUT
    except ValueError as e:
        raise InvalidInput(
            f"BREEZE_CONSTRAINTS_TIMEOUT '{value}' is not a number of seconds; set it to one "
            f"(e.g. 60) or unset it for the default of {DEFAULT_TIMEOUT:g}"
        ) from e


def prepare_constraints(
    spec: ImageSpec, runner: Runner, *, timeout: float | None = None
) -> PreparedConstraints | None:
    """Resolve the spec's constraints on the host (read, cached, generated earlier, downloaded).

    None for mode none. A dry run neither downloads nor writes the cache: it reads a local file,
    a cached entry or constraints generated earlier, else returns where the file would be, with
    no pins.
    """
    return _prepare(spec, runner, timeout).prepared


def describe_constraints(
    spec: ImageSpec, runner: Runner, *, allow_download: bool = True
) -> ConstraintsState:
    """The source the spec resolves to, whether it was cached, and the prepared file.

    Without allow_download, constraints that need a download are not prepared (prepared None).
    """
    return _prepare(spec, runner, None, allow_download=allow_download)


def generated_file(spec: ImageSpec) -> Path:
    """Where constraints generated for this spec's Airflow, extras, mode and Python are kept."""
    key = hashlib.sha256(f"{spec.base_image}|{','.join(sorted(spec.extras))}".encode()).hexdigest()
    folder = cache_root() / "generated" / spec.airflow_version / key[:16]
    return folder / f"{spec.constraints_mode}-{spec.python}.txt"


def _prepare(
    spec: ImageSpec, runner: Runner, timeout: float | None, *, allow_download: bool = True
) -> ConstraintsState:
    """Validate, then resolve: a local file, a cached download, earlier generated, a download.

    Constraints generated earlier stand in for an uncached official file without trying the
    network, so the build, its dry run and `constraints show` agree whenever a file is on disk.
    """
    for message in validate_constraints(spec):
        console.warning(message)
    source = constraints_source(spec)
    if source is None:
        return ConstraintsState(None, False, None)
    airflow_version = spec.airflow_version if spec.installation == "pypi" else None
    if source.kind == "file":
        return _prepare_file(spec, source, airflow_version, runner)
    folder = cache_root().joinpath(*source.cache_key)
    cached = folder / source.file_name
    if cached.is_file():
        data = cached.read_bytes()
        pins = read_constraints(data, f"{source.location} (cached in {folder})", airflow_version)
        return ConstraintsState(source, True, _prepared(folder, source, data, pins))
    generated = generated_file(spec)
    if source.kind == "official" and generated.is_file():
        state = _prepare_file(
            spec,
            ConstraintsSource("file", str(generated), source.file_name),
            airflow_version,
            runner,
        )
        assert state.prepared is not None
        prepared = replace(state.prepared, kind="generated")
        return ConstraintsState(source, state.was_cached, prepared, generated)
    if not allow_download:
        return ConstraintsState(source, False, None)
    if runner.dry_run:
        console.info(f"Dry run: would download {source.location} into {folder}")
        return ConstraintsState(
            source,
            False,
            PreparedConstraints(folder, source.file_name, source.location, "", kind=source.kind),
        )
    data = download(source.location, timeout or download_timeout(), verbose=runner.verbose)
    pins = read_constraints(data, source.location, airflow_version)
    store(folder, source.file_name, data)
    return ConstraintsState(source, False, _prepared(folder, source, data, pins))


def _prepare_file(
    spec: ImageSpec, source: ConstraintsSource, airflow_version: str | None, runner: Runner
) -> ConstraintsState:
    """Read a local constraints file and keep a copy keyed by its content."""
    path = _find_file(spec, source.location)
    data = path.read_bytes()
    pins = read_constraints(data, str(path), airflow_version)
    key = file_cache_key(source.file_name, data)
    folder = cache_root().joinpath(*key)
    was_cached = (folder / source.file_name).is_file()
    if not was_cached and not runner.dry_run:
        store(folder, source.file_name, data)
    located = ConstraintsSource("file", str(path), source.file_name, key)
    return ConstraintsState(located, was_cached, _prepared(folder, located, data, pins))


def _find_file(spec: ImageSpec, location: str) -> Path:
    """A local constraints file: the path as given, else a name in the docker-context-files."""
    given = Path(location).expanduser()
    candidates = [given]
    if not given.is_absolute():
        if spec.docker_context_files is not None:
            candidates.append(spec.docker_context_files / given)
        else:
            with contextlib.suppress(BreezeError):
                from breeze.io.build_context import default_context_files, packaged_context

                candidates.append(default_context_files(packaged_context()) / given)
    for candidate in candidates:
        if candidate.is_file():
            return candidate.resolve()
    raise InvalidInput(
        f"--airflow-constraints-location {location} is neither a URL nor a file (looked in "
        f"{', '.join(str(c) for c in candidates)}); give a URL or an existing file"
    )


def _prepared(
    folder: Path, source: ConstraintsSource, data: bytes, pins: Mapping[str, Pin]
) -> PreparedConstraints:
    """The prepared constraints of a file's bytes."""
    return PreparedConstraints(
        folder=folder,
        file_name=source.file_name,
        source=source.location,
        sha256=hashlib.sha256(data).hexdigest(),
        pins=MappingProxyType({name: pin.version for name, pin in pins.items()}),
        kind=source.kind,
    )


def download(url: str, timeout: float, *, verbose: bool = False) -> bytes:
    """The bytes at a URL, through the proxy the environment names; one-line errors."""
    if verbose:
        shown = mask_credentials(url)
        console.info(f"Downloading {shown}{_proxy_note(url)} (timeout {timeout:.0f} s)")
    hint = (
        "generate constraints with `breeze constraints generate` or pass "
        "--airflow-constraints-location URL-or-FILE"
    )
    request = urllib.request.Request(url, headers={"User-Agent": f"breeze/{__version__}"})
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    try:
        # A fresh opener reads HTTP(S)_PROXY / NO_PROXY now; urlopen's global one keeps the first.
        opener = urllib.request.build_opener()
        with opener.open(request, timeout=timeout) as response:
            size = 0
            while chunk := response.read1(65536):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise BreezeError(
                        f"{url} is larger than {MAX_BYTES // 1_000_000} MB, not a constraints "
                        f"file; {hint}"
                    )
                if time.monotonic() > deadline:
                    raise TimeoutError
                chunks.append(chunk)
    except urllib.error.HTTPError as e:
        raise _unavailable(url, f"HTTP {e.code} {e.reason}", hint) from e
    except TimeoutError as e:
        raise _unavailable(url, f"no answer in {timeout:.0f} s", hint) from e
    except urllib.error.URLError as e:
        if isinstance(e.reason, TimeoutError):
            raise _unavailable(url, f"no answer in {timeout:.0f} s", hint) from e
        raise _unavailable(url, _reason(e.reason), hint) from e
    except OSError as e:
        raise _unavailable(url, _reason(e), hint) from e
    return b"".join(chunks)


def _unavailable(url: str, reason: str, hint: str) -> ConstraintsUnavailable:
    """The one-line error of a failed download, with its URL and short reason kept apart."""
    return ConstraintsUnavailable(
        f"cannot download {url}: {reason}; {hint}", url=url, reason=reason
    )


def _reason(error: object) -> str:
    """A network error's reason without errno noise."""
    strerror = getattr(error, "strerror", None)
    return str(strerror or error)


def _proxy_note(url: str) -> str:
    """' through proxy HOST:PORT' when the environment routes the URL through one."""
    parts = urllib.parse.urlsplit(url)
    proxy = urllib.request.getproxies().get(parts.scheme)
    if not proxy or urllib.request.proxy_bypass(parts.hostname or ""):
        return ""
    return f" through proxy {urllib.parse.urlsplit(proxy).netloc.rsplit('@', 1)[-1]}"


def store(folder: Path, file_name: str, data: bytes) -> None:
    """Write a cache entry atomically: the folder appears complete, with only the file, or not."""
    root = cache_root()
    staging_root = root / _STAGING
    staging_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=staging_root))
    try:
        with open(staging / file_name, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        folder.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(staging, folder)
        except OSError:
            if not (folder / file_name).is_file():
                raise  # not another process's complete entry
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        with contextlib.suppress(OSError):
            staging_root.rmdir()  # only when empty: other writers may be staging


def generate_constraints(params: GenerateParams, options: RunOptions) -> list[Path]:
    """Resolve constraints for each Python in its own container, in parallel; return the files."""
    validate_generate(params)
    for python in params.pythons:
        for message in validate_spec(params.spec_for(python)):
            console.warning(message)
    if not options.dry_run and not params.output_dir.is_dir():
        raise InvalidInput(f"--output-dir {params.output_dir} is not a folder; create it first")
    runner = Runner(dry_run=options.dry_run, verbose=options.verbose)
    run_id = uuid.uuid4().hex[:8]
    jobs = {
        python: _GenerateJob(params, python, f"breeze-constraints-{run_id}-{python}")
        for python in params.pythons
    }
    if options.dry_run:
        for job in jobs.values():
            runner.run(job.command())
        return []
    _ping(params.docker_host)
    console.info(
        f"Generating {params.constraints_mode} for Airflow {params.airflow_version} on Python "
        f"{', '.join(params.pythons)} with uv {UV_VERSION}"
    )
    with _Progress(list(jobs)) as progress:
        results = _run_parallel(jobs, runner, progress, lambda job: job.run(runner, progress.feed))
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


@dataclass
class _GenerateJob:
    """One Python's resolution: its container, output and result."""

    params: GenerateParams
    python: str
    container: str
    pin_count: int = 0

    def command(self) -> Command:
        """The docker run command of this resolution."""
        spec = self.params.spec_for(self.python)
        requirement = airflow_requirement(
            self.params.airflow_version, self.params.airflow_extras, self.params.constraints_mode
        )
        return uv_container(
            spec.base_image,
            resolve_script([], requirement, self.python),
            name=self.container,
            environ=os.environ,
            docker_host=self.params.docker_host,
            secrets=self.params.secrets,
            proxy_forward=self.params.proxy_forward,
        )

    def run(self, runner: Runner, feed: Callable[[str, str], None]) -> Path:
        """Run the container and write `<mode>-<python>.txt` atomically."""
        log, output = _ContainerOutput.collect(runner, self.command(), self.python, feed)
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
        write_atomically(target, header + text)
        return target


@dataclass
class _ContainerOutput:
    """What a resolve container printed: its log before OUTPUT_MARKER, its result after it."""

    returncode: int
    log: list[str]

    @staticmethod
    def collect(
        runner: Runner, command: Command, label: str, feed: Callable[[str, str], None]
    ) -> tuple[_ContainerOutput, list[str]]:
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

        result = runner.run(command, on_line=on_line)
        return _ContainerOutput(result.returncode, log), output

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
    runner: Runner,
    progress: _Progress,
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
            runner.run(
                Command(("docker", "rm", "--force", *names), _docker_env(jobs)), capture=True
            )
            raise
    return results


def _docker_env(jobs: Mapping[str, _GenerateJob]) -> dict[str, str]:
    """DOCKER_HOST of the jobs, if one was chosen."""
    host = next(iter(jobs.values())).params.docker_host
    return {"DOCKER_HOST": host} if host else {}


def write_atomically(target: Path, text: str) -> None:
    """Write a file through a temporary name in its folder, so it appears complete or not at all."""
    descriptor, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def check_requirements(params: CheckParams, options: RunOptions) -> None:
    """Resolve the requirements with Airflow under the constraints; raise naming each conflict."""
    spec = params.spec
    for message in validate_spec(spec):
        console.warning(message)
    if not params.requirements.is_file():
        raise InvalidInput(f"-r {params.requirements} is not a file; give a requirements file")
    runner = Runner(dry_run=options.dry_run, verbose=options.verbose)
    if not options.dry_run:
        _ping(params.docker_host)  # before downloading constraints
    prepared = prepare_constraints(spec, runner)
    if prepared is None:
        console.warning("no constraints: checking against Airflow's own requirements only")
    requirements_dir = params.requirements.resolve().parent
    mounts = {str(requirements_dir): "/breeze/requirements"}
    constraints = None
    if prepared is not None:
        mounts[str(prepared.folder)] = "/breeze/constraints"
        constraints = f"/breeze/constraints/{prepared.file_name}"
    # The build installs the extras whatever the mode; only generate leaves them out.
    requirement = airflow_requirement(spec.airflow_version, spec.extras, "constraints")
    script = resolve_script(
        [f"/breeze/requirements/{params.requirements.name}"],
        requirement,
        spec.python,
        constraints=constraints,
        print_result=False,
    )
    command = uv_container(
        spec.base_image,
        script,
        name=f"breeze-constraints-check-{uuid.uuid4().hex[:8]}",
        mounts=mounts,
        environ=os.environ,
        docker_host=params.docker_host,
    )
    if options.dry_run:
        runner.run(command)
        return
    text = params.requirements.read_text(errors="replace")
    user = parse_requirements(text)
    pins = _pins_with_airflow(prepared, spec.airflow_version)
    source = prepared.file_name if prepared else "--install-airflow-version"
    under = prepared.source if prepared else "no constraints"
    plural = "" if len(user) == 1 else "s"
    console.info(
        f"Checking {params.requirements} ({len(user)} requirement{plural}) with {requirement} "
        f"under {under}"
    )
    with _Progress([spec.python]) as progress:
        log, _ = _ContainerOutput.collect(runner, command, spec.python, progress.feed)
        progress.finish(spec.python, log.returncode == 0)
    if log.returncode == 0:
        console.success(
            f"compatible: {params.requirements.name} resolves with Airflow "
            f"{spec.airflow_version} under {under}"
        )
        return
    output = "\n".join(log.log)
    if "No solution found" not in output:
        raise BreezeError(f"uv could not resolve the requirements: {log.cause()}")
    conflicts = find_conflicts(user, pins, source)
    if conflicts:
        for conflict in conflicts:
            print(explain(conflict, params.requirements.name))
    else:
        print("uv reports a conflict:")
        for line in uv_conflict_lines(output):
            print(f"  {line}")
    count = len(conflicts) or 1
    raise BreezeError(
        f"{params.requirements.name} is not compatible with the constraints ({count} "
        f"conflict{'s' if count > 1 else ''}); change the requirements listed above or choose "
        "other constraints"
    )


def _pins_with_airflow(prepared: PreparedConstraints | None, version: str) -> dict[str, Pin]:
    """The constraints' pins with line numbers, plus Airflow's own pin when the file lacks it."""
    pins: dict[str, Pin] = {}
    if prepared is not None:
        text = (prepared.folder / prepared.file_name).read_text(errors="replace")
        pins = parse_constraints(text)
    if AIRFLOW not in pins:
        pins[AIRFLOW] = Pin(AIRFLOW, version, 0, f"{AIRFLOW}=={version}")
    return pins


def show_constraints(spec: ImageSpec, options: RunOptions) -> None:
    """Print the constraints the next build with these options uses: source, file and key pins."""
    for message in validate_spec(spec):
        console.warning(message)
    runner = Runner(dry_run=options.dry_run, verbose=options.verbose)
    try:
        state = describe_constraints(spec, runner)
    except ConstraintsUnavailable as e:
        source = constraints_source(spec)
        if source is None or source.kind != "official":
            raise  # the user's URL: the build would stop with this error too
        print(f"Source:  {source.location} ({_KINDS[source.kind]})")
        print(f"Cached:  no, and it cannot be downloaded now ({e.reason})")
        print(f"None available yet: {_GET_GENERATED}")
        return
    if state.source is None or state.prepared is None:
        reason = (
            "--airflow-constraints-mode none"
            if spec.constraints_mode == "none"
            else "--install-distributions-from-context"
        )
        print(f"Source:  none ({reason}: the install is not pinned by a constraints file)")
        return
    prepared = state.prepared
    if state.generated is not None:
        print(f"Source:  generated by breeze, {state.generated}")
        print(
            f"         used instead of the official file {state.source.location}, which is not "
            "cached (delete the generated file to download it)"
        )
    else:
        print(f"Source:  {mask_credentials(prepared.source)} ({_KINDS[state.source.kind]})")
    if state.was_cached:
        print(f"Cached:  yes, {prepared.folder / prepared.file_name}")
    elif not prepared.sha256:
        print(f"Cached:  no; it would be downloaded into {prepared.folder}")
        if state.source.kind == "official":
            print(f"         If that fails, {_GET_GENERATED}")
        return
    else:
        print(f"Cached:  no, stored now in {prepared.folder / prepared.file_name}")
    print(f"SHA-256: {prepared.sha256}")
    print(f"Pins:    {len(prepared.pins)}")
    rows = provider_pins(spec, prepared.pins)
    width = max(len(name) for name, _ in rows)
    for name, version in rows:
        print(f"  {name:<{width}}  {version or 'not pinned'}")


_KINDS = {"official": "official file", "url": "URL", "file": "local file"}
_GET_GENERATED = (
    "a build with --answer yes generates them locally (about a minute), or `breeze constraints "
    "generate` makes a file to pass with --airflow-constraints-location"
)


def provider_pins(spec: ImageSpec, pins: Mapping[str, str]) -> list[tuple[str, str | None]]:
    """Airflow and the requested extras' providers, each with its pinned version or None."""
    names = [AIRFLOW]
    release = airflow_meta.get_release(spec.airflow_version)
    if release is not None:
        names += list(airflow_meta.providers_for_extras(release, spec.extras, spec.python))
    return [(name, pins.get(name)) for name in names]


def _ping(docker_host: str | None) -> None:
    """Fail early, in one line with doctor's hint, when no engine answers."""
    from breeze.services.preflight import preflight

    preflight(docker_host)


def progress_display(console: Console) -> Progress:
    """One line per Python: spinner, Python, elapsed time whole, then the status, shortened."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
    from rich.table import Column

    return Progress(
        SpinnerColumn(),
        TextColumn("Python {task.fields[label]}", table_column=Column(no_wrap=True)),
        TimeElapsedColumn(table_column=Column(no_wrap=True, min_width=7)),
        TextColumn(
            "{task.fields[status]}",
            table_column=Column(no_wrap=True, overflow="ellipsis", ratio=1),
        ),
        console=console,
        transient=False,
        expand=True,  # the status column takes what is left and shortens in it
    )


class _Progress:
    """One line per Python: a live rich display on a terminal, prefixed plain lines otherwise."""

    def __init__(self, labels: list[str], *, live: bool | None = None) -> None:
        self.labels = labels
        self.live = sys.stderr.isatty() if live is None else live
        self._lock = threading.Lock()
        self._progress = None
        self._tasks: dict[str, int] = {}

    def __enter__(self) -> _Progress:
        if self.live:
            from breeze.ui.console import stderr_console

            self._progress = progress_display(stderr_console())
            self._progress.start()
            for label in self.labels:
                self._tasks[label] = self._progress.add_task(
                    label, total=1, label=label, status="starting"
                )
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self) -> None:
        """End the live display."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def feed(self, label: str, line: str) -> None:
        """Show one log line of a Python's container."""
        with self._lock:
            if self._progress is None:
                if not self.live:
                    print(f"[{label}] {line}", file=sys.stderr, flush=True)
                return
            from rich.markup import escape

            self._progress.update(self._tasks[label], status=escape(line.strip()[:100]))

    def finish(self, label: str, ok: bool) -> None:
        """Mark a Python's resolution as done."""
        with self._lock:
            if self._progress is None:
                return
            status = "[green]done[/]" if ok else "[red]failed[/]"
            self._progress.update(self._tasks[label], completed=1, status=status)
