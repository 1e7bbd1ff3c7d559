"""Pins and requirements, pure: parsing constraints and requirements files, and their conflicts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from breeze.core.errors import BreezeError, InvalidInput

AIRFLOW = "apache-airflow"
_NAME_RUNS_RE = re.compile(r"[-_.]+")
_PIN_RE = re.compile(
    r"^(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*"
    r"===?\s*(?P<version>[A-Za-z0-9][A-Za-z0-9.+!_-]*)\s*(?:;.*)?$"
)
_REQUIREMENT_RE = re.compile(
    r"^(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?P<extras>\[[^\]]*\])?\s*"
    r"(?P<specifier>\(?[<>=!~][^;@]*?\)?)?\s*(?:;\s*(?P<marker>.*))?$"
)


@dataclass(frozen=True)
class Pin:
    """One `name==version` line of a constraints file."""

    name: str  # normalised
    version: str
    line: int
    text: str


@dataclass(frozen=True)
class Requirement:
    """One requirement line of a user's requirements file."""

    name: str  # normalised
    specifier: str
    marker: str | None
    line: int
    text: str


@dataclass(frozen=True)
class Conflict:
    """A user requirement the pinned version does not satisfy."""

    requirement: Requirement
    pin: Pin
    pin_source: str


def normalize_name(name: str) -> str:
    """The PEP 503 form of a distribution name: lowercase, runs of '-', '_' and '.' made one '-'."""
    return _NAME_RUNS_RE.sub("-", name.strip()).lower()


def parse_constraints(text: str) -> dict[str, Pin]:
    """The `name==version` pins of a constraints file, by normalised name (first one wins)."""
    pins: dict[str, Pin] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _strip_comment(raw)
        if not line or line.startswith("-"):
            continue
        match = _PIN_RE.match(line)
        if match and "*" not in match.group("version"):
            name = normalize_name(match.group("name"))
            pins.setdefault(name, Pin(name, match.group("version"), number, line))
    return pins


def read_constraints(data: bytes, source: str, airflow_version: str | None) -> dict[str, Pin]:
    """The pins of a constraints file's bytes; raise when it is no constraints file or mismatches.

    airflow_version None skips the Airflow check (an install from sources).
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = ""
    pins = parse_constraints(text) if "\0" not in text else {}
    if not pins:
        raise BreezeError(
            f"{source} is not a constraints file (no 'name==version' lines); give an official "
            "file or one made by `breeze constraints generate`"
        )
    pinned = pins.get(AIRFLOW)
    if airflow_version is not None and pinned is not None and pinned.version != airflow_version:
        raise InvalidInput(
            f"{source} pins apache-airflow=={pinned.version} but --install-airflow-version is "
            f"{airflow_version}; use --install-airflow-version {pinned.version} or constraints "
            f"made for {airflow_version}"
        )
    return pins


def parse_requirements(text: str) -> list[Requirement]:
    """The named requirements of a requirements file; options, URLs and paths are skipped."""
    requirements = []
    for number, raw in _logical_lines(text):
        line = _strip_comment(raw)
        if not line or line.startswith("-") or " @ " in line or "://" in line:
            continue
        match = _REQUIREMENT_RE.match(line)
        if not match:
            continue
        specifier = (match.group("specifier") or "").strip().strip("()").replace(" ", "")
        requirements.append(
            Requirement(
                normalize_name(match.group("name")),
                specifier,
                match.group("marker"),
                number,
                line,
            )
        )
    return requirements


def find_conflicts(
    requirements: Iterable[Requirement], pins: Mapping[str, Pin], pin_source: str
) -> list[Conflict]:
    """Each requirement whose specifier the pinned version does not satisfy."""
    conflicts = []
    for requirement in requirements:
        pin = pins.get(requirement.name)
        if pin is None or not requirement.specifier:
            continue
        if specifier_allows(requirement.specifier, pin.version) is False:
            conflicts.append(Conflict(requirement, pin, pin_source))
    return conflicts


def explain(conflict: Conflict, requirements_name: str) -> str:
    """One line: the package, what the user asked for, what is pinned and where."""
    requirement, pin = conflict.requirement, conflict.pin
    where = f"{conflict.pin_source} line {pin.line}" if pin.line else conflict.pin_source
    return (
        f"{requirement.name}: you ask for '{requirement.text}' ({requirements_name} line "
        f"{requirement.line}), the constraints pin {pin.text} ({where})"
    )


def uv_conflict_lines(output: str) -> list[str]:
    """uv's own explanation of a failed resolution: its error and cause lines."""
    lines = [line.strip() for line in output.splitlines()]
    start = next((i for i, line in enumerate(lines) if "No solution found" in line), None)
    if start is None:
        return [line for line in lines if line.lower().startswith("error")][-3:]
    return [line for line in lines[start:] if line and not line.startswith("exit ")][:20]


def specifier_allows(specifier: str, version: str) -> bool | None:
    """Whether a specifier set such as '>=2,<3' admits a version; None when unreadable.

    PEP 440 as pip applies it, through its reference implementation (packaging); a pinned
    pre-release counts as admitted, as pip installs a pin whatever its kind.
    """
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    try:
        return SpecifierSet(specifier).contains(Version(version), prereleases=True)
    except (InvalidSpecifier, InvalidVersion):
        return None


def _strip_comment(line: str) -> str:
    """A line without its comment and surrounding blanks."""
    line = line.strip()
    if line.startswith("#"):
        return ""
    return re.split(r"\s#", line, maxsplit=1)[0].strip()


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Lines with backslash continuations joined, each with the number of its first line."""
    joined: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        start, prefix = pending if pending else (number, "")
        if line.rstrip().endswith("\\"):
            pending = (start, prefix + line.rstrip()[:-1] + " ")
            continue
        pending = None
        joined.append((start, prefix + line))
    if pending:
        joined.append(pending)
    return joined
