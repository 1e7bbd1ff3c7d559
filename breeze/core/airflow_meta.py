"""Offline facts about apache-airflow releases: supported Pythons, extras and their providers.

The data is ``breeze/data/airflow_releases.json``, generated from PyPI metadata by
``scripts/update_airflow_metadata.py``.  This module is standard library only and cheap to
import, because shell completion goes through it.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

ProviderMap = Mapping[str, tuple[str, ...] | None]

_DATA_PACKAGE = "breeze"
_DATA_PATH = "data/airflow_releases.json"
_EMPTY: Mapping = MappingProxyType({})
_NAME_RUNS_RE = re.compile(r"[-_.]+")
_PYTHON_RE = re.compile(r"^\s*(\d+)\.(\d+)(?:\.\d+)?\s*$")
_CLAUSE_RE = re.compile(r"^(~=|===|==|!=|<=|>=|<|>)\s*(\d+(?:\.\d+)*)(\.\*)?$")
# Pythons considered when a release has no classifiers and only Requires-Python to go by.
_KNOWN_PYTHONS = ("2.7", *(f"3.{minor}" for minor in range(16)))
# Well-known old or informal extra names and what they became, best first.  Only names the
# release really has are suggested.
_EXTRA_ALIASES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "aws": ("amazon",),
        "s3": ("amazon",),
        "amazon-web-services": ("amazon",),
        "boto": ("amazon",),
        "gcp": ("google",),
        "gcp-api": ("google",),
        "gcs": ("google",),
        "google-cloud": ("google",),
        "bigquery": ("google",),
        "azure": ("microsoft-azure",),
        "wasb": ("microsoft-azure",),
        "azure-blob-storage": ("microsoft-azure",),
        "azure-data-lake": ("microsoft-azure",),
        "azure-cosmos": ("microsoft-azure",),
        "mssql": ("microsoft-mssql",),
        "winrm": ("microsoft-winrm",),
        "psrp": ("microsoft-psrp",),
        "kubernetes": ("cncf-kubernetes",),
        "k8s": ("cncf-kubernetes",),
        "kube": ("cncf-kubernetes",),
        "jira": ("atlassian-jira",),
        "atlas": ("apache-atlas",),
        "beam": ("apache-beam",),
        "cassandra": ("apache-cassandra",),
        "druid": ("apache-druid",),
        "hdfs": ("apache-hdfs",),
        "webhdfs": ("apache-webhdfs",),
        "hive": ("apache-hive",),
        "kafka": ("apache-kafka",),
        "pinot": ("apache-pinot",),
        "spark": ("apache-spark",),
        "postgresql": ("postgres",),
        "postgre": ("postgres",),
        "psycopg2": ("postgres",),
        "pg": ("postgres",),
        "mariadb": ("mysql",),
        "mongodb": ("mongo",),
        "elastic": ("elasticsearch",),
        "opentelemetry": ("otel",),
        "dbt": ("dbt-cloud",),
        "dask": ("daskexecutor",),
    }
)


@dataclass(frozen=True)
class AirflowRelease:
    """What PyPI's metadata says about one apache-airflow release."""

    version: str
    requires_python: str | None
    python_versions: tuple[str, ...]
    yanked: bool
    # extra -> provider distribution -> Python minor versions it installs on (None: all).
    extras: Mapping[str, Mapping[str, tuple[str, ...] | None]] = field(hash=False, repr=False)
    # Providers installed without any extra, in the same form.
    base_providers: Mapping[str, tuple[str, ...] | None] = field(
        default_factory=lambda: _EMPTY, hash=False, repr=False
    )
    yanked_reason: str | None = None


class _ExtrasTable(Mapping[str, ProviderMap]):
    """One shared extras table of the data file; each extra is converted on first lookup."""

    __slots__ = ("_converted", "_prefix", "_raw")

    def __init__(self, raw: dict[str, dict[str, list[str] | None]], prefix: str) -> None:
        """Wrap RAW, whose provider names lack PREFIX."""
        self._raw = raw
        self._prefix = prefix
        self._converted: dict[str, ProviderMap] = {}

    def __getitem__(self, extra: str) -> ProviderMap:
        """The providers of one extra: full distribution name -> Pythons (None: any)."""
        converted = self._converted.get(extra)
        if converted is None:
            prefix = self._prefix
            converted = MappingProxyType(
                {
                    prefix + name: (None if pythons is None else tuple(pythons))
                    for name, pythons in self._raw[extra].items()
                }
            )
            self._converted[extra] = converted
        return converted

    def __contains__(self, extra: object) -> bool:
        """Whether the table has this extra (no conversion needed)."""
        return extra in self._raw

    def __iter__(self) -> Iterator[str]:
        """The extra names."""
        return iter(self._raw)

    def __len__(self) -> int:
        """The number of extras."""
        return len(self._raw)

    def __repr__(self) -> str:
        """A short description."""
        return f"<extras table: {len(self._raw)} extras>"


def _read_data() -> bytes:
    """The data file's bytes, through the package's loader, else importlib.resources."""
    # The loader's get_data works for directories and zip imports alike, and skips the ~5 ms
    # importlib.resources spends importing its readers (and zipfile) on first use.
    loader = getattr(__spec__, "loader", None)
    if hasattr(loader, "get_data"):
        package = os.path.dirname(os.path.dirname(__file__))  # breeze/, above core/
        path = os.path.join(package, *_DATA_PATH.split("/"))
        try:
            return loader.get_data(path)
        except OSError:
            pass
    from importlib import resources

    return resources.files(_DATA_PACKAGE).joinpath(_DATA_PATH).read_bytes()


@functools.cache
def load_releases() -> Mapping[str, AirflowRelease]:
    """All releases in the shipped data, keyed by version string (read once, then cached)."""
    document = json.loads(_read_data())
    prefix = document["header"]["provider_prefix"]
    raw_tables = document["tables"]
    tables: dict[str, _ExtrasTable] = {}
    releases = {}
    for version, record in document["releases"].items():
        for ident in (record["extras"], record["base_providers"]):
            if ident not in tables:
                tables[ident] = _ExtrasTable(raw_tables[ident], prefix)
        base_table = tables[record["base_providers"]]
        releases[version] = AirflowRelease(
            version=version,
            requires_python=record["requires_python"],
            python_versions=tuple(record["python_versions"]),
            yanked=bool(record["yanked"]),
            extras=tables[record["extras"]],
            base_providers=base_table.get("", _EMPTY),
            yanked_reason=record.get("yanked_reason"),
        )
    return MappingProxyType(releases)


def get_release(version: str) -> AirflowRelease | None:
    """The release with this exact version string, or None when the data does not know it."""
    return load_releases().get(version.strip())


def version_key(version: str) -> tuple[int, ...]:
    """A sort key for X.Y.Z release strings: numeric, so 3.10.0 sorts after 3.9.0."""
    return tuple(int(part) if part.isdigit() else -1 for part in version.strip().split("."))


@functools.cache
def _sorted_versions() -> tuple[str, ...]:
    """Known versions, newest first (cached)."""
    return tuple(sorted(load_releases(), key=version_key, reverse=True))


def known_versions() -> list[str]:
    """All versions in the data, newest first."""
    return list(_sorted_versions())


def _minor(python: str) -> tuple[int, int]:
    """The (major, minor) of a Python version written X.Y or X.Y.Z."""
    match = _PYTHON_RE.match(python)
    if not match:
        raise ValueError(f"'{python}' is not a Python version such as 3.12")
    return int(match.group(1)), int(match.group(2))


def _pad(parts: tuple[int, ...], length: int) -> tuple[int, ...]:
    """PARTS extended with zeros to LENGTH."""
    return parts + (0,) * (length - len(parts))


def python_satisfies(specifier: str, python: str) -> bool:
    """Whether the Python minor series X.Y can satisfy a Requires-Python specifier set.

    Each clause is asked whether some X.Y.z release passes it (so ``>=3.8.1`` admits 3.8 and
    ``<3.13`` rejects 3.13), except that ``!=X.Y`` excludes the whole X.Y series, as projects
    mean it (``!=3.15``).  Supports ==, !=, <=, >=, <, >, ~=, === and trailing ``.*``; raises
    ValueError for a clause it cannot read.
    """
    series = _minor(python)
    for raw_clause in specifier.split(","):
        clause = raw_clause.strip()
        if not clause:
            continue
        match = _CLAUSE_RE.match(clause.replace(" ", ""))
        if not match:
            raise ValueError(f"cannot read the version specifier '{clause}'")
        operator, text, wildcard = match.group(1), match.group(2), bool(match.group(3))
        parts = tuple(int(part) for part in text.split("."))
        if not _clause_allows(operator, parts, wildcard, series):
            return False
    return True


def _clause_allows(
    operator: str, parts: tuple[int, ...], wildcard: bool, series: tuple[int, int]
) -> bool:
    """Whether one specifier clause admits some release of the Python series."""
    if wildcard and operator not in ("==", "!="):
        raise ValueError(f"'{operator}' cannot take a .* wildcard")
    if operator == "~=":
        if len(parts) < 2:
            raise ValueError("'~=' needs at least two version components")
        return _clause_allows(">=", parts, False, series) and _clause_allows(
            "==", parts[:-1], True, series
        )
    if operator in ("==", "==="):
        if wildcard and len(parts) < 2:
            return series[: len(parts)] == parts
        return series == _pad(parts, 2)[:2]
    if operator == "!=":
        if wildcard:
            return not (len(parts) <= 2 and series[: len(parts)] == parts)
        trimmed = parts
        while len(trimmed) > 2 and trimmed[-1] == 0:
            trimmed = trimmed[:-1]
        return not (len(trimmed) <= 2 and series == _pad(trimmed, 2))
    bound = _pad(parts, 2)[:2]
    if operator in (">=", ">"):
        return series >= bound
    if operator == "<=":
        return series <= bound
    length = max(3, len(parts))  # '<': the series' first release X.Y.0 must be below
    return _pad(series, length) < _pad(parts, length)


def supported_pythons(release: AirflowRelease) -> tuple[str, ...]:
    """The Python minor versions the release supports: its classifiers, else Requires-Python."""
    candidates = release.python_versions or _KNOWN_PYTHONS
    if not release.requires_python:
        return tuple(release.python_versions)
    try:
        allowed = [p for p in candidates if python_satisfies(release.requires_python, p)]
    except ValueError:
        return tuple(release.python_versions)
    return tuple(sorted(allowed, key=_minor))


def python_support_error(release: AirflowRelease, python: str) -> str | None:
    """None when the release supports this Python, else a one-line reason."""
    try:
        series = "{}.{}".format(*_minor(python))
    except ValueError as error:
        return str(error)
    supported = supported_pythons(release)
    allowed = True
    if release.requires_python:
        try:
            allowed = python_satisfies(release.requires_python, series)
        except ValueError:
            allowed = True  # an unreadable Requires-Python: let the classifiers decide
    if release.python_versions and series not in release.python_versions:
        allowed = False
    if allowed:
        return None
    if supported:
        detail = f"it supports {', '.join(supported)}"
    else:
        detail = f"it requires Python {release.requires_python}"
    return f"Airflow {release.version} does not support Python {series} ({detail})"


def normalize_extra(name: str) -> str:
    """The PEP 685 form of an extra name: lowercase, runs of '-', '_' and '.' made one '-'."""
    return _NAME_RUNS_RE.sub("-", name.strip()).lower()


def extras_of(release: AirflowRelease) -> tuple[str, ...]:
    """The release's extras, sorted."""
    return tuple(sorted(release.extras))


def _names(extras: Iterable[str] | str) -> list[str]:
    """Extra names from an iterable or a comma-separated string, stripped, empties dropped."""
    items = extras.split(",") if isinstance(extras, str) else extras
    return [item.strip() for item in items if item and item.strip()]


def suggest_extra(release: AirflowRelease, name: str) -> str | None:
    """The extra of this release the user most likely meant by NAME, or None."""
    wanted = normalize_extra(name)
    available = release.extras
    if not wanted:
        return None
    if wanted in available:
        return wanted
    for candidate in _EXTRA_ALIASES.get(wanted, ()):
        if candidate in available:
            return candidate
    wanted_parts = wanted.split("-")
    width = len(wanted_parts)
    containing = [
        extra
        for extra in available
        if any(
            extra.split("-")[i : i + width] == wanted_parts
            for i in range(len(extra.split("-")) - width + 1)
        )
    ]
    if containing:
        return min(containing, key=lambda extra: (len(extra), extra))
    import difflib  # only needed on this error path

    close = difflib.get_close_matches(wanted, sorted(available), n=1, cutoff=0.75)
    return close[0] if close else None


def unknown_extras(
    release: AirflowRelease, extras: Iterable[str] | str
) -> list[tuple[str, str | None]]:
    """Each requested extra the release lacks, as given, with a suggestion or None."""
    unknown: list[tuple[str, str | None]] = []
    seen: set[str] = set()
    for name in _names(extras):
        normalized = normalize_extra(name)
        if normalized in release.extras or normalized in seen:
            continue
        seen.add(normalized)
        unknown.append((name, suggest_extra(release, name)))
    return unknown


def providers_for_extras(
    release: AirflowRelease, extras: Iterable[str] | str, python: str | None
) -> tuple[str, ...]:
    """Sorted provider distributions the (known) extras install on this Python (None: any)."""
    series = None if python is None else "{}.{}".format(*_minor(python))
    providers: set[str] = set()
    for name in _names(extras):
        for provider, pythons in release.extras.get(normalize_extra(name), _EMPTY).items():
            if pythons is None or series is None or series in pythons:
                providers.add(provider)
    return tuple(sorted(providers))
