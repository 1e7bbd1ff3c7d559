"""Seconds per build phase from BuildKit's plain progress output (`--progress=plain`)."""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

_HEADER_RE = re.compile(r"^#(?P<id>\d+) (?P<name>\[[^\]]+\] .*|exporting .*|importing .*)$")
_DONE_RE = re.compile(r"^#(?P<id>\d+) DONE (?P<seconds>\d+(?:\.\d+)?)s\s*$")
_CACHED_RE = re.compile(r"^#(?P<id>\d+) CACHED\s*$")
_LOG_RE = re.compile(r"^#(?P<id>\d+) \d+(?:\.\d+)? (?P<text>.*)$")
_MOUNT_RE = re.compile(r"--(?:mount|network|security)=\S+\s*")

# uv's summary lines ("Resolved 156 packages in 1.25s") and the phase each one's time belongs to.
_UV_RE = re.compile(
    r"^\s*(?P<verb>Resolved|Prepared|Downloaded|Uninstalled|Installed|Bytecode compiled)"
    r" \d+ (?:packages?|files?) in (?P<duration>.+?)\s*$"
)
UV_PHASES: dict[str, str] = {
    "Resolved": "resolve",
    "Prepared": "download",
    "Downloaded": "download",
    "Uninstalled": "install",
    "Installed": "install",
    "Bytecode compiled": "bytecode",
}

# (pattern searched in the step header without its --mount options, phase, split by uv's lines):
# the first match wins. The header is `[stage k/n] INSTRUCTION arguments`, as the Dockerfile's
# RUN lines read (benchmarks/baselines/*.Dockerfile and the project's Dockerfile).
STEP_RULES: tuple[tuple[str, str, bool], ...] = (
    (r"^\[internal\]|^\[context |^\[auth\]", "context", False),
    (r"^\[(?:embedded-dags|airflow-sources|docker-context-files|constraints) ", "context", False),
    (r"^exporting |^importing ", "export", False),
    (r"\] FROM ", "base image", False),
    (r"^\[airflow-additional |--from=airflow-additional|rm -rf -- <", "added packages", False),
    (r"install-apt-deps\.sh dev", "apt (build stage)", False),
    (r"install-apt-deps\.sh runtime", "apt (runtime)", False),
    (r"install-apt-deps\.sh|apt-get ", "apt", False),
    (r"install-airflow\.sh airflow", "uv and venv setup", True),
    (r"finalize-venv\.sh", "trim", False),
    (r"pip install [^|&;]*\buv==", "uv setup", False),
    (r"\buv pip install\b", "install (uv other)", True),
    (r"\bpip install\b", "install (pip: resolve, download, install, bytecode)", False),
    (r"compileall|compile-bytecode|compile_bytecode", "bytecode", False),
    (r"COPY --from=airflow-build\b.*/opt/airflow-venv", "venv copy", False),
    (r"\buseradd\b", "user", False),
    (r"\] (?:COPY|ADD|WORKDIR|ENV|LABEL|USER) ", "files and metadata", False),
    (r"install -m 755 /mnt/|cp -R --preserve=mode /media", "files and metadata", False),
)

# The order phases are shown in: the build's flow, unknown phases last.
PHASE_ORDER: tuple[str, ...] = (
    "context",
    "base image",
    "apt (build stage)",
    "apt",
    "uv setup",
    "uv and venv setup",
    "resolve",
    "download",
    "install",
    "bytecode",
    "install (uv other)",
    "install (pip: resolve, download, install, bytecode)",
    "trim",
    "added packages",
    "apt (runtime)",
    "user",
    "venv copy",
    "files and metadata",
    "export",
    "other",
)


def parse_uv_duration(text: str) -> float | None:
    """Seconds of a duration as uv prints it: '345ms', '2.34s', '1m 05s'; None if unreadable."""
    text = text.strip()
    if match := re.fullmatch(r"(\d+(?:\.\d+)?)ms", text):
        return float(match[1]) / 1000
    if match := re.fullmatch(r"(?:(\d+)h\s*)?(?:(\d+)m\s*)?(?:(\d+(?:\.\d+)?)s)?", text):
        if not any(match.groups()):
            return None
        hours, minutes, seconds = (float(group) if group else 0.0 for group in match.groups())
        return hours * 3600 + minutes * 60 + seconds
    return None


def uv_summary(text: str) -> tuple[str, float] | None:
    """(phase, seconds) of one of uv's summary lines ("Resolved 156 packages in 1.25s")."""
    match = _UV_RE.match(text)
    if match is None:
        return None
    seconds = parse_uv_duration(match["duration"])
    return None if seconds is None else (UV_PHASES[match["verb"]], seconds)


@dataclass
class Step:
    """One BuildKit vertex: its header, its seconds (None until done), uv's summary lines."""

    name: str
    seconds: float | None = None
    cached: bool = False
    uv: dict[str, float] = field(default_factory=dict)


def parse_steps(text: str | Iterable[str]) -> dict[int, Step]:
    """The vertices of a plain progress log by number, in the order they first appear."""
    lines = text.splitlines() if isinstance(text, str) else text
    steps: dict[int, Step] = {}
    for line in lines:
        line = line.rstrip("\r\n")
        if match := _HEADER_RE.match(line):
            steps.setdefault(int(match["id"]), Step(name=match["name"].strip()))
        elif match := _DONE_RE.match(line):
            if (step := steps.get(int(match["id"]))) is not None:
                step.seconds = float(match["seconds"])
        elif match := _CACHED_RE.match(line):
            if (step := steps.get(int(match["id"]))) is not None:
                step.cached, step.seconds = True, 0.0
        elif (
            (match := _LOG_RE.match(line))
            and (step := steps.get(int(match["id"])))
            and (found := uv_summary(match["text"]))
        ):
            phase, seconds = found
            step.uv[phase] = step.uv.get(phase, 0.0) + seconds
    return steps


def classify(name: str) -> tuple[str, bool]:
    """The phase of a step header and whether uv's summary lines split it."""
    header = _MOUNT_RE.sub("", name)
    for pattern, phase, split in STEP_RULES:
        if re.search(pattern, header):
            return phase, split
    return "other", False


@dataclass(frozen=True)
class Breakdown:
    """Seconds per phase, the steps no rule names, and the sum of all step times."""

    phases: dict[str, float]
    unmapped: list[str]
    total: float


def breakdown(text: str | Iterable[str]) -> Breakdown:
    """Seconds per named phase of one build (steps that ran in parallel are all counted)."""
    phases: dict[str, float] = {}
    unmapped: list[str] = []
    for step in parse_steps(text).values():
        if not step.seconds:
            continue
        phase, split = classify(step.name)
        rest = step.seconds
        if split and step.uv:
            for uv_phase, seconds in step.uv.items():
                phases[uv_phase] = phases.get(uv_phase, 0.0) + seconds
            rest = max(step.seconds - sum(step.uv.values()), 0.0)
        phases[phase] = phases.get(phase, 0.0) + rest
        if phase == "other":
            unmapped.append(_MOUNT_RE.sub("", step.name)[:120])
    ordered = {name: round(phases[name], 3) for name in ordered_phases(phases)}
    return Breakdown(ordered, unmapped, round(sum(phases.values()), 3))


def ordered_phases(names: Iterable[str]) -> list[str]:
    """Phase names in build order; names outside PHASE_ORDER keep their order at the end."""
    names = list(dict.fromkeys(names))
    known = [name for name in PHASE_ORDER if name in names]
    return known + [name for name in names if name not in PHASE_ORDER]


def median_phases(runs: list[Mapping[str, float]]) -> dict[str, float]:
    """Per phase the median over several builds (a phase missing from a build counts as 0)."""
    names = ordered_phases(name for run in runs for name in run)
    return {name: statistics.median([run.get(name, 0.0) for run in runs]) for name in names}
