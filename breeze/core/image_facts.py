"""What an image contains, as facts gathered by a script run in a throw-away container.

Pure: the script is data, its output is parsed here; the container runs in breeze.services.sbom.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from breeze.core.advisories import Package, canonical_name
from breeze.core.errors import BreezeError

FACTS_MARKER = "BREEZE-IMAGE-FACTS:"

# Runs under the image's `python` (3.9 or newer): the distributions that interpreter sees, the first
# on sys.path winning as at import time, then dpkg's packages and /etc/os-release, on one line.
FACTS_SCRIPT = r"""
import importlib.metadata, json, re, subprocess, sys
seen, python = set(), []
for dist in importlib.metadata.distributions():
    meta = dist.metadata
    name = meta["Name"]
    if not name or re.sub(r"[-_.]+", "-", name).lower() in seen:
        continue
    seen.add(re.sub(r"[-_.]+", "-", name).lower())
    python.append({
        "name": name, "version": meta["Version"] or "",
        "license_expression": meta.get("License-Expression") or "",
        "license": meta.get("License") or "",
        "classifiers": [c for c in meta.get_all("Classifier") or [] if c.startswith("License ::")],
        "summary": meta.get("Summary") or "",
    })
deb = []
try:
    fields = "${db:Status-Abbrev}\t${Package}\t${Version}\t${Architecture}\t${source:Package}\n"
    out = subprocess.run(["dpkg-query", "-W", "-f", fields],
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        status, name, version, arch, source = (line.split("\t") + [""] * 5)[:5]
        if status.startswith("ii"):
            deb.append({"name": name, "version": version, "arch": arch, "source": source})
except (OSError, subprocess.CalledProcessError):
    pass
os_release = {}
try:
    for line in open("/etc/os-release"):
        key, _, value = line.strip().partition("=")
        os_release[key] = value.strip('"')
except OSError:
    pass
print("BREEZE-IMAGE-FACTS:" + json.dumps({
    "python_version": "%d.%d.%d" % sys.version_info[:3], "python": python, "deb": deb,
    "os": {k: os_release.get(k, "") for k in ("ID", "VERSION_ID", "VERSION_CODENAME")}}))
"""


@dataclass(frozen=True)
class PythonPackage:
    """A distribution the image's python sees, with its license metadata."""

    name: str
    version: str
    license_expression: str = ""
    license: str = ""
    classifiers: tuple[str, ...] = ()
    summary: str = ""


@dataclass(frozen=True)
class DebPackage:
    """An installed Debian package."""

    name: str
    version: str
    arch: str
    source: str = ""


@dataclass(frozen=True)
class ImageFacts:
    """The packages in an image and the system they run on."""

    python_version: str
    python: tuple[PythonPackage, ...]
    deb: tuple[DebPackage, ...]
    os_id: str = ""
    os_version: str = ""
    os_codename: str = ""

    def packages(self) -> list[Package]:
        """The Python distributions as name/version pairs for auditing."""
        return [Package(p.name, p.version) for p in self.python]


@dataclass(frozen=True)
class ImageMeta:
    """What the engine says about an image: reference, id, digests, labels, platform."""

    reference: str
    id: str
    repo_digests: tuple[str, ...] = ()
    labels: tuple[tuple[str, str], ...] = ()
    os: str = ""
    architecture: str = ""

    @property
    def repository(self) -> str:
        """The reference without tag or digest."""
        name = self.reference.split("@", 1)[0]
        head, _, tail = name.rpartition(":")
        return head if head and "/" not in tail else name

    @property
    def tag(self) -> str:
        """The tag of the reference, or '' when it has none."""
        name = self.reference.split("@", 1)[0]
        head, _, tail = name.rpartition(":")
        return tail if head and "/" not in tail else ""


def image_meta(reference: str, attrs: Mapping[str, Any]) -> ImageMeta:
    """The image facts the SBOM's metadata needs, from the engine's inspect data."""
    config = attrs.get("Config") or {}
    labels = config.get("Labels") or {}
    return ImageMeta(
        reference=reference,
        id=str(attrs.get("Id", "")),
        repo_digests=tuple(attrs.get("RepoDigests") or ()),
        labels=tuple(sorted((str(k), str(v)) for k, v in labels.items())),
        os=str(attrs.get("Os", "")),
        architecture=str(attrs.get("Architecture", "")),
    )


def parse_facts(output: str, image: str) -> ImageFacts:
    """The facts line of the container's output; a one-line error when it is missing."""
    line = next((x for x in output.splitlines() if x.startswith(FACTS_MARKER)), None)
    if line is None:
        last = next((x for x in reversed(output.splitlines()) if x.strip()), "no output")
        raise BreezeError(
            f"cannot list the packages of {image}: its python printed no package list "
            f"({last.strip()[:200]}); is it an image with python on PATH?"
        )
    data = json.loads(line[len(FACTS_MARKER) :])
    os_release = data.get("os") or {}
    return ImageFacts(
        python_version=str(data.get("python_version", "")),
        python=tuple(
            sorted(
                (
                    PythonPackage(
                        name=p["name"],
                        version=p["version"],
                        license_expression=p.get("license_expression", ""),
                        license=p.get("license", ""),
                        classifiers=tuple(p.get("classifiers") or ()),
                        summary=p.get("summary", ""),
                    )
                    for p in data.get("python") or ()
                ),
                key=lambda p: canonical_name(p.name),
            )
        ),
        deb=tuple(
            sorted(
                (
                    DebPackage(d["name"], d["version"], d["arch"], d.get("source", ""))
                    for d in data.get("deb") or ()
                ),
                key=lambda d: (d.name, d.arch),
            )
        ),
        os_id=os_release.get("ID", ""),
        os_version=os_release.get("VERSION_ID", ""),
        os_codename=os_release.get("VERSION_CODENAME", ""),
    )


def license_names(package: PythonPackage) -> tuple[str, ...]:
    """The licenses to report: the SPDX expression, else a short License field, else classifiers."""
    if package.license_expression.strip():
        return (package.license_expression.strip(),)
    text = package.license.strip()
    if text and "\n" not in text and len(text) <= 100 and text.upper() != "UNKNOWN":
        return (text,)
    names = []
    for classifier in package.classifiers:
        name = classifier.split("::")[-1].strip()
        if name and name != "OSI Approved" and name not in names:
            names.append(name)
    return tuple(names)
