#!/usr/bin/env python3
"""Regenerate breeze/data/airflow_releases.json from the apache-airflow metadata on PyPI.

Dev-time tool, not shipped in the wheel.  It reads the release list from the PEP 691 simple JSON
API, then the core metadata of each final 1.10.x, 2.x and 3.x release: the PEP 658 ``.metadata``
file when there is one, else METADATA read out of the wheel with HTTP range requests (the whole
wheel only when the server refuses ranges), else PKG-INFO (and egg-info/requires.txt) from the
sdist.  For every extra it records the ``apache-airflow-providers-*`` distributions the extra
pulls in, following ``apache-airflow[other]`` references, and on which Python minor versions the
environment markers let each provider in (null: all of them).

Usage::

    .venv/bin/python scripts/update_airflow_metadata.py [--output PATH] [--workers 16]

Needs ``packaging`` and network access to PyPI; everything else is the standard library.
"""

from __future__ import annotations

import argparse
import datetime as dt
import email.parser
import hashlib
import io
import json
import re
import sys
import tarfile
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from packaging.markers import Marker, default_environment
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

PROJECT = "apache-airflow"
SIMPLE_URL = f"https://pypi.org/simple/{PROJECT}/"
SIMPLE_ACCEPT = "application/vnd.pypi.simple.v1+json"
USER_AGENT = "breeze-update-airflow-metadata/1 (+https://github.com/apache/airflow)"
PROVIDER_PREFIX = "apache-airflow-providers-"
# Distributions whose extras belong to Airflow itself but install no provider (3.x split).
CORE_DISTRIBUTIONS = frozenset({"apache-airflow-core", "apache-airflow-task-sdk"})
# Python minor versions markers are evaluated for; a provider allowed on all of them is stored
# with null.  Wider than the range breeze builds (3.8..3.15) so 2.0-era 3.6/3.7 markers count.
CANDIDATE_PYTHONS = tuple(f"3.{minor}" for minor in range(6, 16))
# Markers are evaluated for a Linux CPython image on each architecture breeze builds for.
MACHINES = ("x86_64", "aarch64")
DEFAULT_OUTPUT = (
    Path(__file__).resolve().parent.parent / "breeze" / "data" / "airflow_releases.json"
)
TIMEOUT = 60.0
RETRIES = 3
RANGE_BLOCK = 256 * 1024
MAX_SDIST_BYTES = 32 * 1024 * 1024
_CLASSIFIER_RE = re.compile(r"^Programming Language :: Python :: (\d+\.\d+)$")
_EXTRA_IN_MARKER_RE = re.compile(r"""\bextra\s*==\s*(['"])(.*?)\1""")
_NAME_RUNS_RE = re.compile(r"[-_.]+")


@dataclass
class Release:
    """The files PyPI lists for one apache-airflow version."""

    version: str
    wheels: list[dict] = field(default_factory=list)
    sdists: list[dict] = field(default_factory=list)


@dataclass
class Result:
    """The record for one release, or why it was skipped."""

    version: str
    record: dict | None
    source: str
    notes: list[str] = field(default_factory=list)


def normalize_extra(name: str) -> str:
    """The PEP 685 form of an extra name."""
    return _NAME_RUNS_RE.sub("-", name.strip()).lower()


def http_get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, dict]:
    """GET a URL with retries; return status, body and headers (404 is returned, not raised)."""
    request_headers = {"User-Agent": USER_AGENT, **(headers or {})}
    last_error: Exception | None = None
    for attempt in range(RETRIES):
        try:
            request = urllib.request.Request(url, headers=request_headers)
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                return response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            if error.code in (403, 404, 410, 416):
                return error.code, b"", dict(error.headers or {})
            last_error = error
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            last_error = error
        time.sleep(1.5 * (attempt + 1))
    raise RuntimeError(f"GET {url} failed after {RETRIES} attempts: {last_error}")


class RangeFile(io.RawIOBase):
    """A read-only, seekable view of a remote file, fetched in cached blocks by HTTP range."""

    def __init__(self, url: str, size: int) -> None:
        """Open URL, whose length is SIZE bytes."""
        super().__init__()
        self.url = url
        self.size = size
        self.position = 0
        self.blocks: dict[int, bytes] = {}
        self.requests = 0

    def readable(self) -> bool:
        """Always readable."""
        return True

    def seekable(self) -> bool:
        """Always seekable."""
        return True

    def tell(self) -> int:
        """The current offset."""
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        """Move the offset like file.seek."""
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        self.position = max(0, base + offset)
        return self.position

    def _block(self, index: int) -> bytes:
        """Fetch (once) the block with this index."""
        if index not in self.blocks:
            start = index * RANGE_BLOCK
            end = min(self.size, start + RANGE_BLOCK) - 1
            status, body, _ = http_get(self.url, {"Range": f"bytes={start}-{end}"})
            self.requests += 1
            if status != 206 or len(body) != end - start + 1:
                raise OSError(f"range request to {self.url} answered {status} ({len(body)} bytes)")
            self.blocks[index] = body
        return self.blocks[index]

    def readinto(self, buffer) -> int:  # type: ignore[override]
        """Fill BUFFER from the current offset."""
        wanted = min(len(buffer), self.size - self.position)
        if wanted <= 0:
            return 0
        copied = 0
        while copied < wanted:
            index, offset = divmod(self.position, RANGE_BLOCK)
            chunk = self._block(index)[offset : offset + wanted - copied]
            buffer[copied : copied + len(chunk)] = chunk
            copied += len(chunk)
            self.position += len(chunk)
        return copied


def list_releases() -> list[Release]:
    """The final 1.10.x, 2.x and 3.x releases and their files, from the simple JSON API."""
    status, body, _ = http_get(SIMPLE_URL, {"Accept": SIMPLE_ACCEPT})
    if status != 200:
        raise RuntimeError(f"{SIMPLE_URL} answered {status}")
    index = json.loads(body)
    releases: dict[str, Release] = {}
    for raw in index.get("versions", []):
        try:
            version = Version(raw)
        except InvalidVersion:
            print(f"note: skipping unparsable version {raw!r}", file=sys.stderr)
            continue
        if version.is_prerelease or version.is_devrelease:
            continue
        if version.major in (2, 3) or (version.major, version.minor) == (1, 10):
            releases[str(version)] = Release(str(version))
    for file in index["files"]:
        filename = file["filename"]
        version = file_version(filename)
        if version is None or version not in releases:
            continue
        if filename.endswith(".whl"):
            releases[version].wheels.append(file)
        elif filename.endswith((".tar.gz", ".zip")):
            releases[version].sdists.append(file)
    return sorted(releases.values(), key=lambda release: Version(release.version))


def file_version(filename: str) -> str | None:
    """The normalised version a distribution file name carries, or None."""
    if filename.endswith(".whl"):
        parts = filename[: -len(".whl")].split("-")
        raw = parts[1] if len(parts) >= 5 else None
    else:
        match = re.match(r"^apache[-_.]airflow-(.+?)\.(?:tar\.gz|zip)$", filename, re.IGNORECASE)
        raw = match.group(1) if match else None
    if raw is None:
        return None
    try:
        return str(Version(raw))
    except InvalidVersion:
        return None


def fetch_wheel_metadata(wheel: dict) -> tuple[str, str]:
    """The METADATA text of a wheel and how it was obtained."""
    url = wheel["url"]
    advertised = wheel.get("core-metadata") or wheel.get("dist-info-metadata")
    # PyPI serves .metadata for most wheels even where the index does not advertise it.
    status, body, _ = http_get(url + ".metadata")
    if status == 200 and body:
        expected = advertised.get("sha256") if isinstance(advertised, dict) else None
        if expected and hashlib.sha256(body).hexdigest() != expected:
            raise RuntimeError(f"{url}.metadata does not match its advertised sha256")
        return body.decode("utf-8"), "pep658" if advertised else "pep658-unadvertised"
    size = wheel.get("size")
    if size:
        remote = RangeFile(url, int(size))
        try:
            with zipfile.ZipFile(io.BufferedReader(remote, RANGE_BLOCK)) as archive:
                return read_metadata_member(archive), f"wheel-range({remote.requests} requests)"
        except (OSError, zipfile.BadZipFile):
            pass  # no range support (or a short answer): download the whole wheel
    status, body, _ = http_get(url)
    if status != 200:
        raise RuntimeError(f"{url} answered {status}")
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return read_metadata_member(archive), "wheel-download"


def read_metadata_member(archive: zipfile.ZipFile) -> str:
    """The text of */METADATA in the .dist-info directory of a wheel."""
    for name in archive.namelist():
        parts = name.split("/")
        if len(parts) == 2 and parts[0].endswith(".dist-info") and parts[1] == "METADATA":
            return archive.read(name).decode("utf-8")
    raise RuntimeError("wheel has no .dist-info/METADATA")


def fetch_sdist_metadata(sdist: dict) -> tuple[str, str]:
    """PKG-INFO of an sdist, with Provides-Extra/Requires-Dist added from egg-info/requires.txt."""
    status, body, _ = http_get(sdist["url"])
    if status != 200:
        raise RuntimeError(f"{sdist['url']} answered {status}")
    pkg_info = requires_txt = None
    if sdist["filename"].endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            members = {name: archive.read for name in archive.namelist()}
            pkg_info, requires_txt = _sdist_members(members)
    else:
        with tarfile.open(fileobj=io.BytesIO(body), mode="r:gz") as archive:

            def reader(name: str) -> bytes:
                handle = archive.extractfile(name)
                return handle.read() if handle else b""

            members = {member.name: reader for member in archive.getmembers() if member.isfile()}
            pkg_info, requires_txt = _sdist_members(members)
    if pkg_info is None:
        raise RuntimeError("sdist has no PKG-INFO")
    message = email.parser.Parser().parsestr(pkg_info)
    if requires_txt and not message.get_all("Provides-Extra"):
        pkg_info = pkg_info.rstrip("\n") + "\n" + requires_txt_to_metadata(requires_txt) + "\n"
    return pkg_info, "sdist"


def _sdist_members(members: dict) -> tuple[str | None, str | None]:
    """The top-level PKG-INFO and egg-info/requires.txt texts among an sdist's members."""
    pkg_info = requires_txt = None
    for name, read in members.items():
        parts = name.split("/")
        if len(parts) == 2 and parts[1] == "PKG-INFO":
            pkg_info = read(name).decode("utf-8", "replace")
        elif len(parts) >= 3 and parts[-2].endswith(".egg-info") and parts[-1] == "requires.txt":
            requires_txt = read(name).decode("utf-8", "replace")
    return pkg_info, requires_txt


def requires_txt_to_metadata(text: str) -> str:
    """Convert setuptools' requires.txt sections into Provides-Extra/Requires-Dist lines."""
    lines: list[str] = []
    extra: str | None = None
    marker: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            extra, _, marker = section.partition(":")
            extra = extra.strip() or None
            marker = marker.strip() or None
            if extra:
                lines.append(f"Provides-Extra: {extra}")
            continue
        conditions = [f"({marker})"] if marker else []
        if extra:
            conditions.append(f'extra == "{extra}"')
        suffix = f"; {' and '.join(conditions)}" if conditions else ""
        lines.append(f"Requires-Dist: {line}{suffix}")
    return "\n".join(lines)


def marker_pythons(marker: Marker | None, extra: str) -> frozenset[str]:
    """The candidate Pythons on which MARKER holds for EXTRA on some Linux machine."""
    if marker is None:
        return frozenset(CANDIDATE_PYTHONS)
    allowed = set()
    for python in CANDIDATE_PYTHONS:
        for machine in MACHINES:
            environment = default_environment()
            environment.update(
                {
                    "extra": extra,
                    "python_version": python,
                    "python_full_version": f"{python}.0",
                    "implementation_version": f"{python}.0",
                    "implementation_name": "cpython",
                    "platform_python_implementation": "CPython",
                    "os_name": "posix",
                    "sys_platform": "linux",
                    "platform_system": "Linux",
                    "platform_machine": machine,
                }
            )
            if marker.evaluate(environment):
                allowed.add(python)
                break
    return frozenset(allowed)


def parse_record(
    version: str, metadata: str, yanked: bool, yanked_reason: str | None, notes: list[str]
) -> dict:
    """Turn core metadata text into the JSON record of one release, appending oddities to NOTES."""
    message = email.parser.Parser().parsestr(metadata)
    python_versions = sorted(
        {
            match.group(1)
            for classifier in message.get_all("Classifier") or []
            if (match := _CLASSIFIER_RE.match(classifier.strip()))
        },
        key=lambda value: tuple(int(part) for part in value.split(".")),
    )
    requires_python = (message.get("Requires-Python") or "").strip() or None
    declared = {normalize_extra(name) for name in message.get_all("Provides-Extra") or []}
    # extra -> provider -> pythons, and extra -> [(referenced extras, pythons)]
    direct: dict[str, dict[str, set[str]]] = {name: {} for name in declared}
    references: dict[str, list[tuple[list[str], frozenset[str]]]] = {name: [] for name in declared}
    base: dict[str, set[str]] = {}
    unparsable: dict[str, set[str]] = {}
    for line in message.get_all("Requires-Dist") or []:
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            text, _, marker_text = line.partition(";")
            found = _EXTRA_IN_MARKER_RE.findall(marker_text)
            unparsable.setdefault(text.strip(), set()).update(m[1] for m in found)
            continue
        name = canonicalize_name(requirement.name)
        marker_text = str(requirement.marker) if requirement.marker else ""
        extras_named = sorted(
            {normalize_extra(m[1]) for m in _EXTRA_IN_MARKER_RE.findall(marker_text)}
        )
        for extra in extras_named or [""]:
            pythons = marker_pythons(requirement.marker, extra)
            if extra and extra not in direct:
                # A marker naming an extra that Provides-Extra forgot: still an extra.
                direct[extra], references[extra] = {}, []
            if name.startswith(PROVIDER_PREFIX):
                target = direct[extra] if extra else base
                target.setdefault(name, set()).update(pythons)
            elif name == PROJECT and extra:
                references[extra].append(
                    ([normalize_extra(e) for e in requirement.extras], pythons)
                )
            elif name.startswith(f"{PROJECT}-") and name not in CORE_DISTRIBUTIONS:
                notes.append(f"{name} is neither a provider nor a core distribution (ignored)")
            # apache-airflow-core[...] / apache-airflow-task-sdk[...] and ordinary libraries
            # install no provider.
    for text, extras_named in sorted(unparsable.items()):
        where = ", ".join(sorted(extras_named)) or "base"
        notes.append(f"ignored unparsable requirement {text!r} (in: {where})")
    resolved: dict[str, dict[str, set[str]]] = {}

    def resolve(extra: str, stack: tuple[str, ...]) -> dict[str, set[str]]:
        if extra in resolved:
            return resolved[extra]
        providers = {name: set(pythons) for name, pythons in direct.get(extra, {}).items()}
        for targets, pythons in references.get(extra, []):
            for target in targets:
                if target in stack:
                    notes.append(f"extra cycle {' -> '.join((*stack, target))}")
                    continue
                if target not in direct:
                    notes.append(f"extra {extra!r} refers to {PROJECT}[{target}], not an extra")
                    continue
                for name, target_pythons in resolve(target, (*stack, target)).items():
                    providers.setdefault(name, set()).update(target_pythons & pythons)
        resolved[extra] = providers
        return providers

    extras = {name: encode_providers(resolve(name, (name,))) for name in sorted(direct)}
    record = {
        "requires_python": requires_python,
        "python_versions": python_versions,
        "yanked": yanked,
        "extras": extras,
        "base_providers": encode_providers(base),
    }
    if yanked and yanked_reason:
        record["yanked_reason"] = yanked_reason.strip()
    return record


def encode_providers(providers: dict[str, set[str]]) -> dict[str, list[str] | None]:
    """Providers with null for 'every candidate Python', else the sorted list of Pythons."""
    encoded: dict[str, list[str] | None] = {}
    for name in sorted(providers):
        pythons = providers[name]
        if pythons >= set(CANDIDATE_PYTHONS):
            encoded[name] = None
        else:
            encoded[name] = sorted(pythons, key=lambda value: tuple(map(int, value.split("."))))
    return encoded


def yanked_state(files: Iterable[dict]) -> tuple[bool, str | None]:
    """Whether every given file is yanked, and the reason PyPI gives."""
    files = list(files)
    flags = [file.get("yanked", False) for file in files]
    if not files or not all(flags):
        return False, None
    reasons = [flag for flag in flags if isinstance(flag, str) and flag.strip()]
    return True, (reasons[0] if reasons else None)


def process(release: Release) -> Result:
    """Fetch and parse the metadata of one release."""
    yanked, reason = yanked_state(release.wheels + release.sdists)
    errors: list[str] = []
    notes: list[str] = []
    candidates = [(wheel, fetch_wheel_metadata) for wheel in release.wheels]
    candidates += [(sdist, fetch_sdist_metadata) for sdist in release.sdists]
    for file, fetch in candidates:
        if fetch is fetch_sdist_metadata and file.get("size", 0) > MAX_SDIST_BYTES:
            errors.append(f"{file['filename']}: sdist too large to fetch")
            continue
        try:
            metadata, how = fetch(file)
        except Exception as error:
            errors.append(f"{file['filename']}: {error}")
            continue
        if errors:
            notes.append("fell back after: " + "; ".join(errors))
        record = parse_record(release.version, metadata, yanked, reason, notes)
        return Result(release.version, record, how, notes)
    return Result(release.version, None, "", ["skipped: " + ("; ".join(errors) or "no files")])


def table_id(table: dict) -> str:
    """A stable, content-derived id for an extras table."""
    digest = hashlib.sha256(json.dumps(table, sort_keys=True).encode()).hexdigest()
    return digest[:10]


def strip_prefix(name: str) -> str:
    """A provider distribution name without the common apache-airflow-providers- prefix."""
    if not name.startswith(PROVIDER_PREFIX):
        raise ValueError(f"{name} is not a provider distribution")
    return name[len(PROVIDER_PREFIX) :]


def render(records: dict[str, dict], generated: str) -> str:
    """The JSON document: header, one release per line, then one shared extras table per line."""
    tables: dict[str, dict] = {}
    releases: dict[str, dict] = {}
    for version, record in records.items():
        record = dict(record)
        for key in ("extras", "base_providers"):
            table = record[key]
            if key == "base_providers":
                table = {"": table}  # same shape as an extras table: one nameless extra
            table = {
                extra: {strip_prefix(name): pythons for name, pythons in providers.items()}
                for extra, providers in table.items()
            }
            ident = table_id(table)
            tables[ident] = table
            record[key] = ident
        releases[version] = record
    header = {
        "candidate_pythons": list(CANDIDATE_PYTHONS),
        "date": generated,
        "format": 1,
        "generator": "scripts/update_airflow_metadata.py",
        "note": (
            "releases[v].extras and .base_providers name a table in 'tables': {extra: "
            "{provider: null (any Python) | [Python minor versions]}}; a provider is its "
            "distribution name without provider_prefix; base_providers tables have one "
            "extra, named ''"
        ),
        "provider_prefix": PROVIDER_PREFIX,
        "source": SIMPLE_URL,
    }

    def dumps(value: object) -> str:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    ordered = sorted(releases, key=Version, reverse=True)
    lines = ["{", f'"header":{dumps(header)},', '"releases":{']
    lines += [
        f"{dumps(version)}:{dumps(releases[version])}{',' if i < len(ordered) - 1 else ''}"
        for i, version in enumerate(ordered)
    ]
    lines += ["},", '"tables":{']
    idents = sorted(tables)
    lines += [
        f"{dumps(ident)}:{dumps(tables[ident])}{',' if i < len(idents) - 1 else ''}"
        for i, ident in enumerate(idents)
    ]
    lines += ["}", "}"]
    text = "\n".join(lines) + "\n"
    json.loads(text)  # the hand-assembled document must still be valid JSON
    return text


def main(argv: list[str] | None = None) -> int:
    """Regenerate the data file; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--workers", type=int, default=16)
    args = parser.parse_args(argv)
    started = time.monotonic()
    releases = list_releases()
    print(f"{len(releases)} final releases (1.10.x, 2.x, 3.x) listed by {SIMPLE_URL}")
    records: dict[str, dict] = {}
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        for result in pool.map(process, releases):
            for note in sorted(set(result.notes)):
                print(f"  note: {result.version}: {note}")
            if result.record is None:
                continue
            record = records[result.version] = result.record
            yanked = f" YANKED ({record.get('yanked_reason')})" if record["yanked"] else ""
            print(f"{result.version}: {len(record['extras'])} extras via {result.source}{yanked}")
    generated = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d")
    text = render(records, generated)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(
        f"wrote {args.output} ({len(text.encode()):,} bytes, {len(records)} releases) "
        f"in {time.monotonic() - started:.1f}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
