"""Known-vulnerability matching: OSV advisories and pip-audit reports against installed packages.

Pure: no files, no network. `packaging` (versions) is imported inside the functions that compare.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

PYPI = "PyPI"


def canonical_name(name: str) -> str:
    """A distribution name normalised as PEP 503 says (lower case, runs of -_. become -)."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Package:
    """An installed distribution: its name as published and its version."""

    name: str
    version: str


@dataclass(frozen=True)
class Range:
    """An ECOSYSTEM range of an OSV advisory: (kind, version) events, kind being introduced,
    fixed, last_affected or limit."""

    events: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Affected:
    """One package an advisory affects: its ranges and its explicit list of versions."""

    package: str
    ranges: tuple[Range, ...] = ()
    versions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Advisory:
    """An OSV advisory reduced to what matching and reporting need."""

    id: str
    aliases: tuple[str, ...] = ()
    summary: str = ""
    affected: tuple[Affected, ...] = ()
    withdrawn: bool = False


@dataclass(frozen=True)
class Finding:
    """An installed package a known advisory affects."""

    package: str
    version: str
    advisory: str
    aliases: tuple[str, ...] = ()
    fixed_versions: tuple[str, ...] = ()
    summary: str = ""

    def as_json(self) -> dict[str, Any]:
        """The finding as a JSON object."""
        return {
            "package": self.package,
            "version": self.version,
            "id": self.advisory,
            "aliases": list(self.aliases),
            "fixed_versions": list(self.fixed_versions),
            "summary": self.summary,
        }


@dataclass(frozen=True)
class AuditReport:
    """What an audit found; skipped are packages the auditor could not check, with the reason."""

    findings: tuple[Finding, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()
    audited: int = 0


# --- OSV advisories --------------------------------------------------------------------------


def advisory_from_osv(data: Mapping[str, Any]) -> Advisory:
    """An advisory from an OSV document (as parsed from YAML or JSON); PyPI packages only.

    Raises ValueError when the document has no id.
    """
    if not isinstance(data, Mapping) or not data.get("id"):
        raise ValueError("not an OSV advisory (no 'id')")
    affected = []
    for entry in data.get("affected") or ():
        package = (entry or {}).get("package") or {}
        if package.get("ecosystem") != PYPI or not package.get("name"):
            continue
        ranges = tuple(
            Range(_events(item.get("events") or ()))
            for item in entry.get("ranges") or ()
            if item.get("type") == "ECOSYSTEM"
        )
        versions = tuple(str(v) for v in entry.get("versions") or ())
        affected.append(Affected(canonical_name(str(package["name"])), ranges, versions))
    summary = str(data.get("summary") or data.get("details") or "").strip()
    return Advisory(
        id=str(data["id"]),
        aliases=tuple(str(a) for a in data.get("aliases") or ()),
        summary=" ".join(summary.split())[:200],
        affected=tuple(affected),
        withdrawn=bool(data.get("withdrawn")),
    )


def _events(events: Iterable[Mapping[str, Any]]) -> tuple[tuple[str, str], ...]:
    """The (kind, version) pairs of a range's events, in their order."""
    pairs = []
    for event in events:
        for kind in ("introduced", "fixed", "last_affected", "limit"):
            if kind in event:
                pairs.append((kind, str(event[kind])))
    return tuple(pairs)


def match(packages: Iterable[Package], advisories: Iterable[Advisory]) -> list[Finding]:
    """Every (package, advisory) pair where the advisory affects the installed version."""
    by_name: dict[str, list[Advisory]] = {}
    for advisory in advisories:
        if advisory.withdrawn:
            continue
        for name in {a.package for a in advisory.affected}:
            by_name.setdefault(name, []).append(advisory)
    findings = []
    for package in packages:
        name = canonical_name(package.name)
        for advisory in by_name.get(name, ()):
            fixes: list[str] = []
            hit = False
            for affected in advisory.affected:
                if affected.package != name:
                    continue
                in_ranges = [r for r in affected.ranges if _in_range(package.version, r)]
                if in_ranges or _listed(package.version, affected.versions):
                    hit = True
                    fixes += [_next_fix(package.version, r) for r in in_ranges]
            if hit:
                findings.append(
                    Finding(
                        package=package.name,
                        version=package.version,
                        advisory=advisory.id,
                        aliases=advisory.aliases,
                        fixed_versions=_sorted_versions(f for f in fixes if f),
                        summary=advisory.summary,
                    )
                )
    return sorted(findings, key=lambda f: (canonical_name(f.package), f.advisory))


def _version(text: str) -> Any:
    """A packaging Version, or None when the text is not a valid version."""
    from packaging.version import InvalidVersion, Version

    try:
        return Version(text)
    except InvalidVersion:
        return None


def valid_version(text: str) -> bool:
    """Whether a version string is valid under PEP 440."""
    return _version(text) is not None


def _in_range(version: str, range_: Range) -> bool:
    """Whether a version falls in an ECOSYSTEM range (the OSV evaluation; invalid versions never
    do)."""
    installed = _version(version)
    if installed is None:
        return False
    events = []
    for kind, text in range_.events:
        bound = _version(text)
        if bound is None:
            return False  # e.g. a commit hash where a version belongs: the range is unusable
        events.append((bound, kind))
    # Events sorted by version; an "introduced: 0" is the lowest of all.
    affected = False
    for bound, kind in sorted(events, key=lambda e: e[0]):
        if kind == "introduced" and installed >= bound:
            affected = True
        elif (kind == "fixed" and installed >= bound) or (
            kind == "last_affected" and installed > bound
        ):
            affected = False
        elif kind == "limit" and installed >= bound:
            return False
    return affected


def _next_fix(version: str, range_: Range) -> str | None:
    """The lowest `fixed` of a range above the installed version, or None."""
    installed = _version(version)
    fixes = [
        (parsed, text)
        for kind, text in range_.events
        if kind == "fixed" and (parsed := _version(text)) is not None and parsed > installed
    ]
    return min(fixes)[1] if fixes else None


def _listed(version: str, versions: Sequence[str]) -> bool:
    """Whether a version is in an advisory's explicit list (equal as versions, else as text)."""
    if version in versions:
        return True
    installed = _version(version)
    return installed is not None and any(_version(v) == installed for v in versions)


def _sorted_versions(versions: Iterable[str]) -> tuple[str, ...]:
    """Distinct version strings in version order (invalid ones last, as text)."""
    unique = set(versions)
    valid = sorted((v for v in unique if _version(v) is not None), key=_version)
    return tuple(valid + sorted(v for v in unique if _version(v) is None))


def requirements_text(packages: Iterable[Package]) -> str:
    """Pinned requirement lines, `name==version`, one per package, sorted (valid versions only)."""
    lines = {
        f"{canonical_name(p.name)}=={p.version}"
        for p in packages
        if _version(p.version) is not None
    }
    return "".join(f"{line}\n" for line in sorted(lines))


# --- pip-audit -----------------------------------------------------------------------------------


def report_from_pip_audit(text: str) -> AuditReport:
    """The findings and skipped packages of pip-audit's `--format json` output."""
    data = json.loads(text)
    findings = []
    skipped = []
    audited = 0
    for dependency in data.get("dependencies") or ():
        name = str(dependency.get("name", ""))
        if "skip_reason" in dependency:
            skipped.append((name, str(dependency["skip_reason"])))
            continue
        audited += 1
        for vuln in dependency.get("vulns") or ():
            summary = " ".join(str(vuln.get("description") or "").split())[:200]
            findings.append(
                Finding(
                    package=name,
                    version=str(dependency.get("version", "")),
                    advisory=str(vuln.get("id", "")),
                    aliases=tuple(str(a) for a in vuln.get("aliases") or ()),
                    fixed_versions=_sorted_versions(str(v) for v in vuln.get("fix_versions") or ()),
                    summary=summary,
                )
            )
    findings.sort(key=lambda f: (canonical_name(f.package), f.advisory))
    return AuditReport(tuple(findings), tuple(skipped), audited)


NETWORK_MARKERS = (
    "NameResolutionError",
    "Name or service not known",
    "Temporary failure in name resolution",
    "ConnectionError",
    "ConnectTimeout",
    "ReadTimeout",
    "Max retries exceeded",
    "ProxyError",
    "SSLError",
    "ServiceError",
)


def pip_audit_failure(returncode: int, output: str, report: AuditReport | None) -> str | None:
    """Why a pip-audit run cannot be trusted, in one line; None when its report is usable."""
    host = _host_in(output)
    if any(marker in output for marker in NETWORK_MARKERS):
        where = f" ({host})" if host else ""
        return (
            f"the vulnerability service{where} cannot be reached; "
            "scan offline with --advisory-db PATH (a copy of the PyPA advisory database)"
        )
    if report is None:
        last = next((line for line in reversed(output.splitlines()) if line.strip()), "")
        return f"pip-audit failed (exit {returncode}): {last.strip() or 'no output'}"
    if report.skipped and not report.audited:
        return (
            f"pip-audit could not audit any of the {len(report.skipped)} packages, PyPI's "
            f"vulnerability data does not answer ({report.skipped[0][1]}); "
            "scan offline with --advisory-db PATH (a copy of the PyPA advisory database)"
        )
    return None


def _host_in(output: str) -> str | None:
    """The host named in a requests/urllib3 connection error, if any."""
    found = re.search(r"host='([^']+)'", output)
    return found.group(1) if found else None
