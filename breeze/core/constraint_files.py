"""Constraints files, pure: where they come from, their cache keys, and checks of the options."""

from __future__ import annotations

import hashlib
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from breeze.core.errors import InvalidInput
from breeze.core.image_params import ImageSpec

CONSTRAINTS_MODES = ("constraints", "constraints-no-providers", "constraints-source-providers")
NO_CONSTRAINTS = "none"
GENERATED_MODES = ("constraints", "constraints-no-providers")
OFFICIAL_URL = "https://raw.githubusercontent.com/apache/airflow/{reference}/{mode}-{python}.txt"
_REFERENCE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
_RELEASE_REFERENCE_RE = re.compile(r"^constraints-(\d+\.\d+\.\d+\S*)$")
_FILE_NAME_UNSAFE_RE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class PreparedConstraints:
    """A constraints file resolved on the host, ready to hand to the build as a named context."""

    folder: Path  # holds only file_name: --build-context constraints=<folder>
    file_name: str  # AIRFLOW_CONSTRAINTS_LOCATION=<file_name>
    source: str  # the URL or file it came from
    sha256: str  # of the file's bytes; empty in a dry run that did not download
    pins: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    kind: str = "file"  # 'official' or 'url' (downloaded), 'file' (the user's) or 'generated'


@dataclass(frozen=True)
class ConstraintsSource:
    """Where the constraints of a spec come from and where their cache entry lives."""

    kind: str  # 'official' or 'url' (both downloaded), or 'file' (read from disk)
    location: str  # the URL, or the path as the user gave it
    file_name: str  # the name of the file in its cache folder and in the build
    cache_key: tuple[str, ...] = ()  # folder below the cache root; files are keyed by content

    @property
    def is_url(self) -> bool:
        """Whether the constraints are downloaded."""
        return self.kind in ("official", "url")


def default_reference(spec: ImageSpec) -> str:
    """The git ref of the official constraints: the explicit one, else constraints-<version>."""
    return spec.constraints_reference or f"constraints-{spec.airflow_version}"


def official_url(reference: str, mode: str, python: str) -> str:
    """The URL of an official constraints file."""
    return OFFICIAL_URL.format(reference=reference, mode=mode, python=python)


def is_url(location: str) -> bool:
    """Whether a constraints location is a URL (else a path)."""
    return "://" in location and not location.startswith("file://")


def validate_constraints(spec: ImageSpec) -> list[str]:
    """Raise InvalidInput for a mode/reference/location combination that makes no sense."""
    mode, reference, location = (
        spec.constraints_mode,
        spec.constraints_reference,
        spec.constraints_location,
    )
    if mode not in (*CONSTRAINTS_MODES, NO_CONSTRAINTS):
        allowed = ", ".join((*CONSTRAINTS_MODES, NO_CONSTRAINTS))
        raise InvalidInput(f"--airflow-constraints-mode '{mode}' is not one of {allowed}")
    if mode == NO_CONSTRAINTS:
        for option, value in (
            ("--airflow-constraints-location", location),
            ("--airflow-constraints-reference", reference),
        ):
            if value:
                raise InvalidInput(
                    f"--airflow-constraints-mode none installs without constraints, yet "
                    f"{option} is set; drop one of the two"
                )
        return []
    if location:
        if is_url(location):
            scheme = urllib.parse.urlsplit(location).scheme
            if scheme not in ("http", "https"):
                raise InvalidInput(
                    f"--airflow-constraints-location {location}: only http(s) URLs and files "
                    "can be read; download it and give the file"
                )
        if reference:
            return [
                "--airflow-constraints-reference is ignored: --airflow-constraints-location "
                "overrides it"
            ]
        return []
    if mode == "constraints-source-providers" and spec.installation == "pypi":
        raise InvalidInput(
            "--airflow-constraints-mode constraints-source-providers pins providers built from "
            "Airflow sources; use constraints or constraints-no-providers for a PyPI install"
        )
    ref = default_reference(spec)
    if not _REFERENCE_RE.match(ref) or ".." in ref or ref.endswith(("/", ".lock")):
        raise InvalidInput(
            f"--airflow-constraints-reference '{ref}' is not a git ref; use a tag or branch "
            "such as constraints-3.3.2 or constraints-main"
        )
    release = _RELEASE_REFERENCE_RE.match(ref)
    if release and spec.installation == "pypi" and release.group(1) != spec.airflow_version:
        raise InvalidInput(
            f"--airflow-constraints-reference {ref} is for Airflow {release.group(1)}, not "
            f"{spec.airflow_version}; drop the option or use constraints-{spec.airflow_version}"
        )
    return []


def constraints_source(spec: ImageSpec) -> ConstraintsSource | None:
    """Where the spec's constraints come from; None when the build installs without any."""
    location = spec.constraints_location
    if spec.constraints_mode == NO_CONSTRAINTS:
        return None
    if location and is_url(location):
        digest = hashlib.sha256(location.encode()).hexdigest()[:16]
        host = safe_file_name(urllib.parse.urlsplit(location).hostname or "host", "host")
        name = safe_file_name(urllib.parse.urlsplit(location).path.rsplit("/", 1)[-1])
        return ConstraintsSource("url", location, name, ("url", host, digest))
    if location:
        path = urllib.parse.unquote(location[len("file://") :]) if "://" in location else location
        return ConstraintsSource("file", path, safe_file_name(Path(path).name))
    if spec.install_distributions_from_context:
        return None  # the build installs the context's distributions, which pin the versions
    reference = default_reference(spec)
    name = f"{spec.constraints_mode}-{spec.python}"
    url = official_url(reference, spec.constraints_mode, spec.python)
    key = ("official", urllib.parse.quote(reference, safe=""), name)
    return ConstraintsSource("official", url, f"{name}.txt", key)


def file_cache_key(file_name: str, data: bytes) -> tuple[str, ...]:
    """The cache folder of a local file: keyed by its name and content."""
    return ("file", file_name, hashlib.sha256(data).hexdigest()[:16])


def safe_file_name(name: str, default: str = "constraints.txt") -> str:
    """A name safe as a file name and a build arg: letters, digits, '.', '_' and '-'."""
    cleaned = _FILE_NAME_UNSAFE_RE.sub("_", name).lstrip(".")
    return cleaned or default
