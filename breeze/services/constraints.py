"""Constraints on the host: resolve a spec's file (read, cached, generated earlier, downloaded)."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

from breeze.core.constraint_files import (
    ConstraintsSource,
    PreparedConstraints,
    constraints_source,
    file_cache_key,
    validate_constraints,
)
from breeze.core.errors import BreezeError, InvalidInput
from breeze.core.image_params import ImageSpec
from breeze.core.pins import Pin, read_constraints
from breeze.io.session import Session
from breeze.ui import console

DEFAULT_TIMEOUT = 30.0
_STAGING = ".staging"


@dataclass(frozen=True)
class ConstraintsState:
    """What `constraints show` reports: the source, whether it was cached, the prepared file."""

    source: ConstraintsSource | None
    was_cached: bool
    prepared: PreparedConstraints | None
    generated: Path | None = None  # the file generated earlier that stands in for the source


def cache_root(session: Session) -> Path:
    """The constraints cache: constraints/ in breeze's cache folder."""
    return session.cache_dir / "constraints"


def download_timeout(session: Session) -> float:
    """Seconds a download may take: $BREEZE_CONSTRAINTS_TIMEOUT, else 30."""
    value = session.world.environ.get("BREEZE_CONSTRAINTS_TIMEOUT", "")
    try:
        return float(value) if value else DEFAULT_TIMEOUT
    except ValueError as e:
        raise InvalidInput(
            f"BREEZE_CONSTRAINTS_TIMEOUT '{value}' is not a number of seconds; set it to one "
            f"(e.g. 60) or unset it for the default of {DEFAULT_TIMEOUT:g}"
        ) from e


def prepare_constraints(
    spec: ImageSpec, session: Session, *, timeout: float | None = None
) -> PreparedConstraints | None:
    """Resolve the spec's constraints on the host (read, cached, generated earlier, downloaded).

    None for mode none. A dry run neither downloads nor writes the cache: it reads a local file,
    a cached entry or constraints generated earlier, else returns where the file would be, with
    no pins.
    """
    return _prepare(spec, session, timeout).prepared


def describe_constraints(
    spec: ImageSpec, session: Session, *, allow_download: bool = True
) -> ConstraintsState:
    """The source the spec resolves to, whether it was cached, and the prepared file.

    Without allow_download, constraints that need a download are not prepared (prepared None).
    """
    return _prepare(spec, session, None, allow_download=allow_download)


def generated_file(spec: ImageSpec, session: Session) -> Path:
    """Where constraints generated for this spec's Airflow, extras, mode and Python are kept."""
    key = hashlib.sha256(f"{spec.base_image}|{','.join(sorted(spec.extras))}".encode()).hexdigest()
    folder = cache_root(session) / "generated" / spec.airflow_version / key[:16]
    return folder / f"{spec.constraints_mode}-{spec.python}.txt"


def _prepare(
    spec: ImageSpec, session: Session, timeout: float | None, *, allow_download: bool = True
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
        return _prepare_file(spec, source, airflow_version, session)
    folder = cache_root(session).joinpath(*source.cache_key)
    cached = folder / source.file_name
    if cached.is_file():
        data = cached.read_bytes()
        pins = read_constraints(data, f"{source.location} (cached in {folder})", airflow_version)
        return ConstraintsState(source, True, _prepared(folder, source, data, pins))
    generated = generated_file(spec, session)
    if source.kind == "official" and generated.is_file():
        state = _prepare_file(
            spec,
            ConstraintsSource("file", str(generated), source.file_name),
            airflow_version,
            session,
        )
        assert state.prepared is not None
        prepared = replace(state.prepared, kind="generated")
        return ConstraintsState(source, state.was_cached, prepared, generated)
    if not allow_download:
        return ConstraintsState(source, False, None)
    if session.dry_run:
        console.info(f"Dry run: would download {source.location} into {folder}")
        return ConstraintsState(
            source,
            False,
            PreparedConstraints(folder, source.file_name, source.location, "", kind=source.kind),
        )
    timeout = timeout or download_timeout(session)
    data = session.download(source.location, timeout)
    pins = read_constraints(data, source.location, airflow_version)
    session.store_entry(cache_root(session), folder, source.file_name, data)
    return ConstraintsState(source, False, _prepared(folder, source, data, pins))


def _prepare_file(
    spec: ImageSpec, source: ConstraintsSource, airflow_version: str | None, session: Session
) -> ConstraintsState:
    """Read a local constraints file and keep a copy keyed by its content."""
    path = _find_file(spec, source.location, session.world.cwd)
    data = path.read_bytes()
    pins = read_constraints(data, str(path), airflow_version)
    key = file_cache_key(source.file_name, data)
    folder = cache_root(session).joinpath(*key)
    was_cached = (folder / source.file_name).is_file()
    if not was_cached and not session.dry_run:
        session.store_entry(cache_root(session), folder, source.file_name, data)
    located = ConstraintsSource("file", str(path), source.file_name, key)
    return ConstraintsState(located, was_cached, _prepared(folder, located, data, pins))


def _find_file(spec: ImageSpec, location: str, cwd: Path) -> Path:
    """A local constraints file: the path as given, else a name in the docker-context-files."""
    given = Path(location).expanduser()
    candidates = [given]
    if not given.is_absolute():
        if spec.docker_context_files is not None:
            candidates.append(spec.docker_context_files / given)
        else:
            with contextlib.suppress(BreezeError):
                from breeze.io.build_context import default_context_files, packaged_context

                candidates.append(default_context_files(packaged_context(), cwd) / given)
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
