"""Pure computations of the benchmark harness: workloads, ratios, size floor, targets, tables."""

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


def size_floor(
    base_image_bytes: int, site_packages_bytes: int, scripts_bytes: int, runtime_apt_bytes: int
) -> int:
    """The smallest image that could hold the install.

    Base image + what the installers wrote (site-packages and the scripts and binaries in the
    venv's bin/) + the runtime apt packages the base image lacks.
    """
    return base_image_bytes + site_packages_bytes + scripts_bytes + runtime_apt_bytes


# Ratios are compared with a target at the precision the table shows them.
RATIO_DIGITS = 3


@dataclass(frozen=True)
class Target:
    """One target of issue 6: metric <= limit x reference (<= limit seconds without one)."""

    name: str
    metric: str
    reference: str | None
    limit: float


TARGETS: tuple[Target, ...] = (
    Target("cold build <= 1.0 x naive-uv", "build_s.ours", "build_s.naive-uv", 1.0),
    Target("cold build <= 0.15 x naive-pip", "build_s.ours", "build_s.naive-pip", 0.15),
    Target("image <= 0.7 x naive-uv", "size_bytes.ours", "size_bytes.naive-uv", 0.7),
    Target("image <= 1.0 x floor", "size_bytes.ours", "floor_bytes", 1.0),
    Target("DAG-only rebuild <= 3 s", "dag_rebuild_s", None, 3.0),
    Target("one-added-package rebuild <= 0.25 x cold", "package_rebuild_s", "build_s.ours", 0.25),
    Target("breeze --help <= 1.2 x hello-world", "breeze_help_s", "hello_help_s", 1.2),
    Target("TAB <= 0.3 x hello-world TAB", "breeze_tab_s", "hello_tab_s", 0.3),
)

# Pairwise ratios reported within one run: name -> (numerator metric, denominator metric).
RATIOS: dict[str, tuple[str, str]] = {
    "build ours / naive-uv": ("build_s.ours", "build_s.naive-uv"),
    "build ours / naive-pip": ("build_s.ours", "build_s.naive-pip"),
    "build naive-uv / naive-pip": ("build_s.naive-uv", "build_s.naive-pip"),
    "size ours / naive-uv": ("size_bytes.ours", "size_bytes.naive-uv"),
    "size ours / naive-pip": ("size_bytes.ours", "size_bytes.naive-pip"),
    "size naive-uv / naive-pip": ("size_bytes.naive-uv", "size_bytes.naive-pip"),
    "compressed ours / naive-uv": ("compressed_bytes.ours", "compressed_bytes.naive-uv"),
    "compressed ours / naive-pip": ("compressed_bytes.ours", "compressed_bytes.naive-pip"),
    "size ours / floor": ("size_bytes.ours", "floor_bytes"),
    "package rebuild / cold build": ("package_rebuild_s", "build_s.ours"),
    "breeze --help / hello-world --help": ("breeze_help_s", "hello_help_s"),
    "breeze TAB / hello-world TAB": ("breeze_tab_s", "hello_tab_s"),
}


def ratios(metrics: Mapping[str, float | None], cold: bool) -> dict[str, float | None]:
    """Every pairwise ratio the run can compute; build-time ratios only from cold builds."""
    found = {}
    for name, (numerator, denominator) in RATIOS.items():
        uses_build = "build_s.ours" in (numerator, denominator)
        found[name] = (
            None
            if uses_build and not cold
            else ratio(metrics.get(numerator), metrics.get(denominator))
        )
    return found


def evaluate(
    target: Target,
    metrics: Mapping[str, float | None],
    cold: bool,
    timeouts: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """The target's measured ratio (or seconds) and met / missed / not measured.

    A baseline that did not finish within its time limit (in ``timeouts``) meets the target, as
    issue 6 states ("or naive-pip did not finish"); the value is then an upper bound of the ratio.
    """
    row: dict[str, Any] = {"target": target.name, "limit": target.limit, "value": None}
    uses_cold = "build_s.ours" in (target.metric, target.reference)
    value = metrics.get(target.metric)
    if value is None or (uses_cold and not cold):
        return {**row, "status": NOT_MEASURED}
    if target.reference is None:
        return {**row, "value": value, "status": MET if value <= target.limit else MISSED}
    reference = metrics.get(target.reference)
    if reference is None:
        bound = ratio(value, (timeouts or {}).get(target.reference))
        if bound is None:
            return {**row, "status": NOT_MEASURED}
        return {**row, "value": bound, "bound": True, "status": MET}
    measured = ratio(value, reference)
    if measured is None:
        return {**row, "status": NOT_MEASURED}
    met = round(measured, RATIO_DIGITS) <= target.limit
    return {**row, "value": measured, "status": MET if met else MISSED}


def evaluate_all(
    metrics: Mapping[str, float | None],
    cold: bool,
    timeouts: Mapping[str, float] | None = None,
) -> list[dict[str, Any]]:
    """Every target of issue 6, evaluated."""
    return [evaluate(target, metrics, cold, timeouts) for target in TARGETS]


def format_value(key: str, value: float | None) -> str:
    """A metric for the table: seconds, MB or a plain number; '-' when not measured."""
    if value is None:
        return "-"
    if key.endswith("_s") or "_s." in key:
        return f"{value:.3f} s" if value < 1 else f"{value:.1f} s"
    if "bytes" in key:
        return f"{value / 1e6:.0f} MB"
    return f"{value:g}"


def format_target(row: Mapping[str, Any]) -> str:
    """The measured value of a target row: a ratio, seconds, or an upper bound."""
    value = row.get("value")
    if value is None:
        return "-"
    if row["target"].endswith(" s"):
        return f"{value:.2f} s"
    if row.get("bound"):
        return f"< {value:.{RATIO_DIGITS}f} x (baseline did not finish)"
    return f"{value:.{RATIO_DIGITS}f} x"


METRIC_LABELS: dict[str, str] = {
    "build_s.ours": "build, ours",
    "build_s.naive-uv": "cold build, naive-uv",
    "build_s.naive-pip": "cold build, naive-pip",
    "size_bytes.ours": "image size, ours",
    "size_bytes.naive-uv": "image size, naive-uv",
    "size_bytes.naive-pip": "image size, naive-pip",
    "compressed_bytes.ours": "compressed (docker save \\| gzip), ours",
    "compressed_bytes.naive-uv": "compressed, naive-uv",
    "compressed_bytes.naive-pip": "compressed, naive-pip",
    "floor_bytes": "size floor (base + installed venv + runtime apt)",
    "floor.base_bytes": "  base image",
    "floor.site_packages_bytes": "  site-packages",
    "floor.scripts_bytes": "  venv bin/ (scripts and binaries the packages install)",
    "floor.runtime_apt_bytes": "  runtime apt packages",
    "noop_rebuild_s": "no-op rebuild",
    "dag_rebuild_s": "DAG-only rebuild",
    "package_rebuild_s": "one-added-package rebuild (cowsay)",
    "breeze_help_s": "breeze --help (median of 20)",
    "hello_help_s": "typer hello-world --help (median of 20)",
    "breeze_tab_s": "breeze TAB (median of 20)",
    "hello_tab_s": "typer hello-world TAB (median of 20)",
}


def render_markdown(result: Mapping[str, Any]) -> str:
    """The run as Markdown: environment, measurements, ratios and targets."""
    env = result["environment"]
    metrics = result["metrics"]
    status = result.get("status", {})
    lines = [
        f"Workload {result['workload']['name']}: Airflow {result['workload']['airflow_version']}, "
        f"Python {result['workload']['python']}, extras "
        f"`{','.join(result['workload']['extras'])}`"
        + (
            f" (dropped: `{','.join(result['workload']['dropped_extras'])}`)"
            if result["workload"].get("dropped_extras")
            else ""
        )
        + ("; smoke mode (build cache kept, baselines skipped)" if result.get("smoke") else ""),
        "",
        f"{env['date']}, {env['cpus']} CPUs, {env['memory_bytes'] / 2**30:.1f} GiB memory, "
        f"Docker {env['docker_version']}, repeat {result['repeat']}.",
        "",
        "| measurement | value |",
        "|---|---|",
    ]
    build_label = "cold build, ours" if result.get("cold") else "build, ours (cache kept)"
    for key, label in METRIC_LABELS.items():
        shown = build_label if key == "build_s.ours" else label
        note = status.get(key.split(".", 1)[1]) if key.startswith("build_s.") else None
        cell = note if metrics.get(key) is None and note else format_value(key, metrics.get(key))
        lines.append(f"| {shown} | {cell} |")
    lines += ["", "| ratio | value |", "|---|---|"]
    for name, value in result["ratios"].items():
        lines.append(f"| {name} | {'-' if value is None else f'{value:.3f}'} |")
    lines += ["", "| target | measured | status |", "|---|---|---|"]
    for row in result["targets"]:
        lines.append(f"| {row['target']} | {format_target(row)} | {row['status']} |")
    notes = result.get("notes") or []
    if notes:
        lines += ["", *[f"- {note}" for note in notes]]
    return "\n".join(lines) + "\n"
