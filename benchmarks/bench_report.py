"""Pure computations of the benchmark harness: workloads, floor, ratios and issue 13's targets."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

AIRFLOW_VERSION = "3.3.2"
PYTHON_VERSION = "3.13"
BASE_IMAGE = "python:3.13-slim-trixie"

WORKLOADS: dict[str, tuple[str, ...]] = {
    "W": (
        "async",
        "amazon",
        "microsoft-azure",
        "celery",
        "elasticsearch",
        "google",
        "cncf-kubernetes",
        "mysql",
        "postgres",
        "redis",
        "slack",
        "ssh",
        "statsd",
        "virtualenv",
    ),
    "S": ("celery", "postgres"),
}

# Our image first, then the baselines of benchmarks/baselines/, in the order they are built.
BASELINES: tuple[str, ...] = ("naive-uv", "naive-uv-bytecode", "naive-pip")
IMAGES: tuple[str, ...] = ("ours", *BASELINES)

# The user fresh containers run as: an arbitrary UID of group 0, as OpenShift-like platforms do.
CONTAINER_USER = "1000123:0"

# The first extra of the workload found here chooses the heavy import a new container times.
HEAVY_IMPORTS: tuple[tuple[str, str], ...] = (
    ("google", "from airflow.providers.google.cloud.hooks.bigquery import BigQueryHook"),
    ("amazon", "from airflow.providers.amazon.aws.hooks.s3 import S3Hook"),
    ("microsoft-azure", "from airflow.providers.microsoft.azure.hooks.wasb import WasbHook"),
    (
        "cncf-kubernetes",
        "from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator",
    ),
    ("celery", "from airflow.providers.celery.executors.celery_executor import CeleryExecutor"),
    ("postgres", "from airflow.providers.postgres.hooks.postgres import PostgresHook"),
)

MET = "met"
MISSED = "missed"
NOT_MEASURED = "not measured"


def split_extras(extras: Iterable[str], known: Iterable[str]) -> tuple[list[str], list[str]]:
    """The extras the Airflow version has (in order) and the ones it does not."""
    known_set = set(known)
    kept = [extra for extra in extras if extra in known_set]
    dropped = [extra for extra in extras if extra not in known_set]
    return kept, dropped


def parse_known_extras(text: str) -> list[str]:
    """Extra names from `breeze prod-image extras` output (name, TAB, providers per line)."""
    names = []
    for line in text.splitlines():
        name = line.split("\t", 1)[0].strip()
        if name and "\t" in line:
            names.append(name)
    return names


def heavy_import(extras: Iterable[str]) -> str | None:
    """The import statement a new container times for these extras; None when none fits."""
    present = set(extras)
    return next((statement for extra, statement in HEAVY_IMPORTS if extra in present), None)


def median(values: Sequence[float]) -> float | None:
    """The median of the measurements, or None when there are none."""
    return statistics.median(values) if values else None


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator; None when either is missing or the denominator is not positive."""
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return numerator / denominator


def parse_dpkg_sizes(text: str) -> dict[str, int]:
    """Installed-Size (KiB) per package from dpkg-query lines `<package><TAB><size>`."""
    sizes = {}
    for line in text.splitlines():
        name, _, size = line.partition("\t")
        if name.strip():
            sizes[name.strip()] = int(size) if size.strip().isdigit() else 0
    return sizes


def added_apt_bytes(base: Mapping[str, int], ours: Mapping[str, int]) -> int:
    """Bytes of the packages installed in our image that the base image does not have."""
    return sum(size for name, size in ours.items() if name not in base) * 1024


def parse_counts(text: str) -> dict[str, int]:
    """`name number` lines (what a probe script in a container prints) as a dict."""
    counts = {}
    for line in text.splitlines():
        name, _, number = line.strip().partition(" ")
        if name and number.strip().isdigit():
            counts[name] = int(number.strip())
    return counts


def size_floor(
    base_image_bytes: int, site_packages_bytes: int, scripts_bytes: int, runtime_apt_bytes: int
) -> int:
    """The smallest image that could hold the install.

    Base image + what uv installs without bytecode (site-packages without __pycache__ and .pyc,
    and the scripts and binaries in the venv's bin/) + the runtime apt packages the base lacks.
    """
    return base_image_bytes + site_packages_bytes + scripts_bytes + runtime_apt_bytes


# Measured for every image: kind -> label; the metric is `<kind>.<image>`.
IMAGE_METRICS: dict[str, str] = {
    "build_s": "cold build",
    "size_bytes": "image on disk",
    "compressed_bytes": "compressed (`docker save \\| gzip`)",
    "bytecode_bytes": "bytecode (.pyc beyond the base image's)",
    "startup_version_s": "`airflow version`, new container",
    "startup_import_s": "heavy import, new container",
    "startup_health_s": "`docker run` to healthy `/api/v2/monitor/health`",
}

# Measured for our image (or breeze) only: metric -> label.
OURS_METRICS: dict[str, str] = {
    "noop_rebuild_s": "no-op rebuild",
    "dag_rebuild_s": "DAG-only rebuild",
    "package_rebuild_s": "one-added-package rebuild (cowsay)",
    "floor_bytes": "size floor (base + uv's install without bytecode + runtime apt)",
    "floor.base_bytes": "  base image",
    "floor.site_packages_bytes": "  site-packages without `__pycache__`/.pyc",
    "floor.scripts_bytes": "  venv `bin/` (scripts and binaries the packages install)",
    "floor.runtime_apt_bytes": "  runtime apt packages the base lacks",
    "ci_build_s": "CI image build (after ours, cache kept)",
    "start_airflow_first_s": "`breeze start-airflow` to healthy, first start",
    "start_airflow_s": "`breeze start-airflow` to healthy, second start",
    "breeze_help_s": "`breeze --help`",
    "subcommand_help_s": "slowest `breeze <subcommand> --help`",
    "hello_help_s": "typer hello-world `--help`",
    "breeze_tab_s": "breeze TAB",
    "hello_tab_s": "typer hello-world TAB",
}


def metric_keys() -> list[str]:
    """Every metric a run can report, per-image ones first."""
    per_image = [f"{kind}.{image}" for kind in IMAGE_METRICS for image in IMAGES]
    return per_image + list(OURS_METRICS)


# Ratios are compared with a target at the precision the table shows them.
RATIO_DIGITS = 3


@dataclass(frozen=True)
class Target:
    """metric <= limit x reference (<= limit seconds without one), and every `also` target."""

    name: str
    metric: str
    reference: str | None
    limit: float
    also: tuple[Target, ...] = ()


TARGETS: tuple[Target, ...] = (
    Target("cold build <= 1.0 x naive-uv", "build_s.ours", "build_s.naive-uv", 1.0),
    Target(
        "cold build <= 0.8 x naive-uv-bytecode", "build_s.ours", "build_s.naive-uv-bytecode", 0.8
    ),
    Target(
        "image <= 0.75 x naive-uv while startup <= 0.6 x naive-uv's",
        "size_bytes.ours",
        "size_bytes.naive-uv",
        0.75,
        also=(
            Target("airflow version", "startup_version_s.ours", "startup_version_s.naive-uv", 0.6),
            Target("heavy import", "startup_import_s.ours", "startup_import_s.naive-uv", 0.6),
        ),
    ),
    Target("DAG-only rebuild <= 1.5 s", "dag_rebuild_s", None, 1.5),
    Target("one added package <= 0.1 x cold", "package_rebuild_s", "build_s.ours", 0.1),
    Target("start-airflow to healthy, second start <= 20 s", "start_airflow_s", None, 20.0),
    Target("breeze --help <= 0.5 x hello-world --help", "breeze_help_s", "hello_help_s", 0.5),
    Target(
        "every subcommand --help <= 1.0 x hello-world --help",
        "subcommand_help_s",
        "hello_help_s",
        1.0,
    ),
    Target("TAB <= 0.3 x hello-world TAB", "breeze_tab_s", "hello_tab_s", 0.3),
)

# Pairwise ratios reported within one run: name -> (numerator metric, denominator metric).
RATIOS: dict[str, tuple[str, str]] = {
    "build ours / naive-uv": ("build_s.ours", "build_s.naive-uv"),
    "build ours / naive-uv-bytecode": ("build_s.ours", "build_s.naive-uv-bytecode"),
    "build ours / naive-pip": ("build_s.ours", "build_s.naive-pip"),
    "build naive-uv-bytecode / naive-uv": ("build_s.naive-uv-bytecode", "build_s.naive-uv"),
    "size ours / naive-uv": ("size_bytes.ours", "size_bytes.naive-uv"),
    "size ours / naive-uv-bytecode": ("size_bytes.ours", "size_bytes.naive-uv-bytecode"),
    "size ours / naive-pip": ("size_bytes.ours", "size_bytes.naive-pip"),
    "size ours / floor": ("size_bytes.ours", "floor_bytes"),
    "compressed ours / naive-uv": ("compressed_bytes.ours", "compressed_bytes.naive-uv"),
    "compressed ours / naive-uv-bytecode": (
        "compressed_bytes.ours",
        "compressed_bytes.naive-uv-bytecode",
    ),
    "airflow version ours / naive-uv": ("startup_version_s.ours", "startup_version_s.naive-uv"),
    "airflow version ours / naive-uv-bytecode": (
        "startup_version_s.ours",
        "startup_version_s.naive-uv-bytecode",
    ),
    "heavy import ours / naive-uv": ("startup_import_s.ours", "startup_import_s.naive-uv"),
    "heavy import ours / naive-uv-bytecode": (
        "startup_import_s.ours",
        "startup_import_s.naive-uv-bytecode",
    ),
    "to healthy API ours / naive-uv": ("startup_health_s.ours", "startup_health_s.naive-uv"),
    "package rebuild / cold build": ("package_rebuild_s", "build_s.ours"),
    "breeze --help / hello-world --help": ("breeze_help_s", "hello_help_s"),
    "slowest subcommand --help / hello-world --help": ("subcommand_help_s", "hello_help_s"),
    "breeze TAB / hello-world TAB": ("breeze_tab_s", "hello_tab_s"),
}

COLD_METRIC = "build_s.ours"


def ratios(metrics: Mapping[str, float | None], cold: bool) -> dict[str, float | None]:
    """Every pairwise ratio the run can compute; ratios with our build time only when cold."""
    found = {}
    for name, (numerator, denominator) in RATIOS.items():
        warm = not cold and COLD_METRIC in (numerator, denominator)
        found[name] = None if warm else ratio(metrics.get(numerator), metrics.get(denominator))
    return found


def _uses_cold(target: Target) -> bool:
    """Whether the target reads our build time, which only a cold build measures."""
    return COLD_METRIC in (target.metric, target.reference)


def _check(
    target: Target,
    metrics: Mapping[str, float | None],
    unfinished: Mapping[str, float],
) -> tuple[str, float | None, str | None]:
    """(status, value, bound) of one comparison; bound '<' or '>' when a side did not finish.

    A side that did not finish within T seconds is only known to exceed T: the ratio is then
    bounded, and the status is met or missed only when the bound settles it.
    """
    value = metrics.get(target.metric)
    over = unfinished.get(target.metric) if value is None else None
    if value is None and over is None:
        return NOT_MEASURED, None, None
    if target.reference is None:
        if value is not None:
            return (MET if value <= target.limit else MISSED), value, None
        assert over is not None
        return (MISSED if over > target.limit else NOT_MEASURED), over, ">"
    reference = metrics.get(target.reference)
    ref_over = unfinished.get(target.reference) if reference is None else None
    if value is not None and reference is not None:
        measured = ratio(value, reference)
        if measured is None:
            return NOT_MEASURED, None, None
        met = round(measured, RATIO_DIGITS) <= target.limit
        return (MET if met else MISSED), measured, None
    if value is not None and ref_over is not None:
        bound = ratio(value, ref_over)
        if bound is None:
            return NOT_MEASURED, None, None
        return (MET if bound < target.limit else NOT_MEASURED), bound, "<"
    if over is not None and reference is not None:
        bound = ratio(over, reference)
        if bound is None:
            return NOT_MEASURED, None, None
        return (MISSED if bound > target.limit else NOT_MEASURED), bound, ">"
    return NOT_MEASURED, None, None


def _reason(
    target: Target, cold: bool, reasons: Mapping[str, str], unfinished: Mapping[str, float]
) -> str | None:
    """Why a target could not be settled: not cold, a recorded reason, or an unsettled bound."""
    if _uses_cold(target) and not cold:
        return "not a cold build"
    for key in (target.metric, target.reference):
        if key is not None and key in reasons:
            return reasons[key]
    for key in (target.metric, target.reference):
        if key is not None and key in unfinished:
            return f"{key.split('.')[-1]} did not finish in {unfinished[key]:.0f} s"
    return None


def evaluate(
    target: Target,
    metrics: Mapping[str, float | None],
    cold: bool,
    unfinished: Mapping[str, float] | None = None,
    reasons: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The target's measured ratio (or seconds), its status and, when not measured, why.

    ``unfinished`` maps a metric that did not finish to its time limit; ``reasons`` says why a
    metric was not measured. A target with ``also`` parts is met when all are, missed when one is.
    """
    unfinished, reasons = unfinished or {}, reasons or {}
    row: dict[str, Any] = {"target": target.name, "limit": target.limit, "value": None}
    if _uses_cold(target) and not cold:
        status, value, bound = NOT_MEASURED, None, None
    else:
        status, value, bound = _check(target, metrics, unfinished)
    row.update(value=value, status=status)
    if bound:
        row["bound"] = bound
    if target.also:
        parts = [evaluate(part, metrics, cold, unfinished, reasons) for part in target.also]
        row["parts"] = parts
        statuses = [status, *(part["status"] for part in parts)]
        row["status"] = (
            MISSED
            if MISSED in statuses
            else MET
            if all(found == MET for found in statuses)
            else NOT_MEASURED
        )
    if row["status"] == NOT_MEASURED:
        why = _reason(target, cold, reasons, unfinished)
        why = why or next(
            (part.get("reason") for part in row.get("parts", ()) if part.get("reason")), None
        )
        if why:
            row["reason"] = why
    return row


def evaluate_all(
    metrics: Mapping[str, float | None],
    cold: bool,
    unfinished: Mapping[str, float] | None = None,
    reasons: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Every target of issue 13, evaluated."""
    return [evaluate(target, metrics, cold, unfinished, reasons) for target in TARGETS]
