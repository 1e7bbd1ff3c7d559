"""Constraints files, pure: where they come from, cache keys, parsing, checks and uv scripts."""

from __future__ import annotations

import hashlib
import re
import shlex
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from breeze.core.argv import Command
from breeze.core.defaults import DEFAULT_AIRFLOW_EXTRAS, DEFAULT_DEBIAN_VERSION
from breeze.core.errors import BreezeError, InvalidInput
from breeze.core.image_params import ImageSpec
from breeze.core.network import PROXY_KINDS, SECRET_ENV, SECRETS_DIR, NetworkRequest

CONSTRAINTS_MODES = ("constraints", "constraints-no-providers", "constraints-source-providers")
NO_CONSTRAINTS = "none"
GENERATED_MODES = ("constraints", "constraints-no-providers")
OFFICIAL_URL = "https://raw.githubusercontent.com/apache/airflow/{reference}/{mode}-{python}.txt"
AIRFLOW = "apache-airflow"
# The uv the Dockerfile installs with (AIRFLOW_UV_VERSION), so generate resolves like the build.
UV_VERSION = "0.13.9"
UV_CACHE_VOLUME = "breeze-uv-cache"
PYTHON_PLACEHOLDER = "{python}"
# Printed by the container scripts between uv's log and the file they made.
OUTPUT_MARKER = "==== breeze: output follows ===="
# Forwarded by name (`--env NAME`, the value stays out of dry-run output) into the containers.
FORWARDED_ENV = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
    "PIP_INDEX_URL",
    "PIP_EXTRA_INDEX_URL",
    "UV_DEFAULT_INDEX",
    "UV_INDEX",
    "UV_INDEX_URL",
    "UV_EXTRA_INDEX_URL",
)

_NAME_RUNS_RE = re.compile(r"[-_.]+")
_PIN_RE = re.compile(
    r"^(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*"
    r"===?\s*(?P<version>[A-Za-z0-9][A-Za-z0-9.+!_-]*)\s*(?:;.*)?$"
)
_REQUIREMENT_RE = re.compile(
    r"^(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?P<extras>\[[^\]]*\])?\s*"
    r"(?P<specifier>\(?[<>=!~][^;@]*?\)?)?\s*(?:;\s*(?P<marker>.*))?$"
)
_REFERENCE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
_RELEASE_REFERENCE_RE = re.compile(r"^constraints-(\d+\.\d+\.\d+\S*)$")
_FILE_NAME_UNSAFE_RE = re.compile(r"[^A-Za-z0-9._-]+")
_SH_BARE_RE = re.compile(r"^[A-Za-z0-9_./=:+-]+$")
_SH_DOUBLE_RE = re.compile(r"^[A-Za-z0-9_./=:+, \[\]-]+$")


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


@dataclass(frozen=True)
class GenerateParams:
    """What `breeze constraints generate` makes: one file per Python, resolved in containers."""

    pythons: tuple[str, ...]
    airflow_version: str
    airflow_extras: tuple[str, ...] = DEFAULT_AIRFLOW_EXTRAS
    constraints_mode: str = "constraints"
    debian_version: str = DEFAULT_DEBIAN_VERSION
    python_base_image: str | None = None
    output_dir: Path = Path(".")
    # mounted into the resolve containers like the build's BuildKit secrets (resolved), or the
    # network options as given, which the generate service resolves into them
    secrets: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    proxy_forward: bool = True
    network: NetworkRequest = field(default_factory=NetworkRequest)

    def spec_for(self, python: str) -> ImageSpec:
        """The image spec the resolution for one Python stands for."""
        base = self.python_base_image
        return ImageSpec(
            python=python,
            debian_version=self.debian_version,
            python_base_image=base.replace(PYTHON_PLACEHOLDER, python) if base else None,
            airflow_version=self.airflow_version,
            airflow_extras=self.airflow_extras,
            constraints_mode=self.constraints_mode,
        )

    def file_name(self, python: str) -> str:
        """The name of the file made for one Python: `<mode>-<python>.txt`."""
        return f"{self.constraints_mode}-{python}.txt"


@dataclass(frozen=True)
class CheckParams:
    """What `breeze constraints check` resolves: a requirements file with Airflow and its pins."""

    spec: ImageSpec
    requirements: Path


def normalize_name(name: str) -> str:
    """The PEP 503 form of a distribution name: lowercase, runs of '-', '_' and '.' made one '-'."""
    return _NAME_RUNS_RE.sub("-", name.strip()).lower()


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


def airflow_requirement(version: str, extras: Iterable[str], mode: str) -> str:
    """The Airflow requirement a mode resolves: with the extras, or bare for no-providers."""
    wanted = [] if mode == "constraints-no-providers" else list(extras)
    return f"{AIRFLOW}[{','.join(wanted)}]=={version}" if wanted else f"{AIRFLOW}=={version}"


def generated_header(
    params: GenerateParams, python: str, *, created: str, breeze_version: str
) -> str:
    """The comment block at the top of a generated file: what it covers, how and when made."""
    spec = params.spec_for(python)
    requirement = airflow_requirement(
        params.airflow_version, params.airflow_extras, params.constraints_mode
    )
    if params.constraints_mode == "constraints":
        covers = (
            "Airflow, the providers of the requested extras and every transitive dependency\n"
            "# (the official files pin every provider; these only the requested extras')."
        )
    else:
        covers = "Airflow without provider extras and every transitive dependency."
    return (
        f"# {params.constraints_mode} for Apache Airflow {params.airflow_version} on Python "
        f"{python}\n"
        f"# Generated {created} by breeze {breeze_version}: `breeze constraints generate`\n"
        f"# Resolved by uv {UV_VERSION} (`uv pip compile --resolution highest`) in "
        f"{spec.base_image}\n"
        f"# Requirement: {requirement}\n"
        f"# Covers {covers}\n"
    )


def resolve_script(
    requirement_files: Iterable[str],
    airflow: str,
    python: str,
    *,
    constraints: str | None = None,
    print_result: bool = True,
) -> str:
    """The shell script a container runs: uv (kept in the cache volume), then `uv pip compile`.

    uv is pip-installed in a venv once per version and architecture, and its binary kept in the
    volume. With print_result the resolution follows OUTPUT_MARKER on stdout.
    """
    compile_argv = ["pip", "compile", *requirement_files, "/tmp/airflow.in"]
    if constraints:
        compile_argv += ["--constraint", constraints]
    compile_argv += ["--python", "python3", "--python-version", python]
    compile_argv += ["--resolution", "highest", "--no-header", "--no-annotate"]
    compile_argv += ["--output-file", "/tmp/resolved.txt"]
    lines = [
        "set -e",
        f"UV=/root/.cache/breeze/uv-{UV_VERSION}-$(uname -m)/uv",
        'if ! "$UV" --version > /dev/null 2>&1; then',
        f"  echo {_sh_word(f'breeze: installing uv {UV_VERSION}')}",
        "  python3 -m venv /tmp/uv",
        f"  /tmp/uv/bin/pip install --quiet uv=={UV_VERSION}",
        '  mkdir -p "${UV%/uv}"',
        '  cp /tmp/uv/bin/uv "$UV.$HOSTNAME" && mv "$UV.$HOSTNAME" "$UV"',
        "fi",
        f"echo {_sh_word(airflow)} > /tmp/airflow.in",
        f"echo {_sh_word(f'breeze: resolving {airflow} for Python {python}')}",
        '"$UV" ' + " ".join(_sh_word(word) for word in compile_argv) + " > /dev/null",
    ]
    if print_result:
        lines += [f"echo {_sh_word(OUTPUT_MARKER)}", "cat /tmp/resolved.txt"]
    return "\n".join(lines) + "\n"


def _sh_word(word: str) -> str:
    """A shell word: bare or double-quoted when that is safe, else single-quoted."""
    if _SH_BARE_RE.match(word):
        return word
    if _SH_DOUBLE_RE.match(word):
        return f'"{word}"'
    return shlex.quote(word)


def uv_container(
    image: str,
    script: str,
    *,
    name: str,
    mounts: Mapping[str, str] | None = None,
    environ: Mapping[str, str] | None = None,
    docker_host: str | None = None,
    secrets: Mapping[str, str] | None = None,
    proxy_forward: bool = True,
) -> Command:
    """The `docker run --rm` command that runs a resolve script with the shared uv cache.

    secrets (id to host file, as the build's BuildKit secrets) are mounted read-only at
    /run/secrets/<id> with the variables that make pip and uv use them.
    """
    argv = ["docker", "run", "--rm", "--init", "--name", name]
    argv += ["--label", "breeze.purpose=constraints"]
    argv += ["--volume", f"{UV_CACHE_VOLUME}:/root/.cache"]
    for source, target in (mounts or {}).items():
        argv += ["--volume", f"{source}:{target}:ro"]
    for secret_id, source in (secrets or {}).items():
        argv += ["--volume", f"{source}:{SECRETS_DIR}/{secret_id}:ro"]
        for variable in SECRET_ENV.get(secret_id, ()):
            argv += ["--env", f"{variable}={SECRETS_DIR}/{secret_id}"]
    for variable in ("PIP_DISABLE_PIP_VERSION_CHECK=1", "PIP_ROOT_USER_ACTION=ignore"):
        argv += ["--env", variable]
    argv += ["--env", "UV_PYTHON_DOWNLOADS=never", "--env", "UV_HTTP_TIMEOUT=300"]
    for variable in FORWARDED_ENV:
        if not proxy_forward and variable.upper() in PROXY_KINDS:
            continue
        if environ and environ.get(variable):
            argv += ["--env", variable]
    argv += [image, "sh", "-c", script]
    return Command(tuple(argv), {"DOCKER_HOST": docker_host} if docker_host else {})


def split_pythons(values: Iterable[str]) -> tuple[str, ...]:
    """Python versions from repeated and comma- or space-separated values, without duplicates."""
    words = (word for value in values for word in re.split(r"[\s,]+", value) if word)
    return tuple(dict.fromkeys(words))


def validate_generate(params: GenerateParams) -> None:
    """Raise InvalidInput for a generate request that cannot be made."""
    if not params.pythons:
        raise InvalidInput("give at least one --python")
    if params.constraints_mode not in GENERATED_MODES:
        raise InvalidInput(
            f"--airflow-constraints-mode {params.constraints_mode} cannot be generated; use "
            f"{' or '.join(GENERATED_MODES)}"
        )
    base = params.python_base_image
    if base and len(params.pythons) > 1 and PYTHON_PLACEHOLDER not in base:
        raise InvalidInput(
            "one --python-base-image cannot serve several --python values; put {python} in it, "
            "e.g. 'python:{python}-slim-bookworm'"
        )
