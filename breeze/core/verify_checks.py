"""The checks `prod-image verify` runs, as data, and how each run's result is judged."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

ARBITRARY_USER = "1000123:0"
WRONG_GROUP_USER = "1000123:1000"
UNREACHABLE_DB_HOST = "breeze-verify-no-such-host.invalid"
MAX_STOP_SECONDS = 3.0
# Kubernetes' "restricted" pod settings, as `docker run` flags: read-only root, only /tmp
# writable, no capabilities, no privilege escalation (docs/image.md, "Hardened runtime")
HARDENED_RUN_FLAGS = (
    "--read-only",
    "--tmpfs",
    "/tmp",
    "--cap-drop",
    "ALL",
    "--security-opt",
    "no-new-privileges",
)
# what a run under those settings must not print: an unnamed UID, a write to the read-only root
HARDENED_NOISE = r"(?i:passwd|no username|read-only file system|permission denied)"
# the same settings as docker SDK arguments (containers.create)
HARDENED_SDK_ARGS: Mapping[str, object] = {
    "read_only": True,
    "tmpfs": {"/tmp": ""},
    "cap_drop": ["ALL"],
    "security_opt": ["no-new-privileges"],
}
DB_TRIES = 2


@dataclass(frozen=True)
class Expected:
    """What the image should contain: from its labels, or from the build options."""

    airflow_version: str
    python: str
    providers: tuple[str, ...]
    uid: int = 50000


@dataclass(frozen=True)
class Check:
    """One container run and what its result must look like."""

    name: str
    command: tuple[str, ...]
    user: str | None = None
    environment: Mapping[str, str] = field(default_factory=dict)
    exit_zero: bool = True
    output: str | None = None  # a regular expression the output must match (search)
    stop_within: float | None = None  # seconds: time `docker stop` instead of waiting
    hardened: bool = False  # run with HARDENED_RUN_FLAGS
    # a check that wants a failure (exit_zero False): what passing it shows, e.g. "refuses ..."
    passes_as: str = ""


@dataclass(frozen=True)
class Outcome:
    """The judgement on one check."""

    name: str
    ok: bool
    detail: str
    expected: str = ""  # the error a check that wants a failure got, shown as expected


def image_checks(expected: Expected) -> list[Check]:
    """All the checks of a production image."""
    version = re.escape(expected.airflow_version)
    missing = (
        "import sys, importlib.metadata as m; "
        "have = {(d.metadata['Name'] or '').lower().replace('_', '-') for d in m.distributions()}; "
        "gone = [d for d in sys.argv[1:] if d not in have]; "
        "print('missing: ' + (', '.join(gone) or 'none'))"
    )
    pins = (
        "import importlib.metadata as m, re; "
        "lines = open('/opt/airflow-venv/airflow-constraints.txt').read().splitlines(); "
        "reqs = [l.split('#')[0].split(';')[0].strip() for l in lines]; "
        "pins = dict(re.split(r'\\s*==\\s*', r, maxsplit=1) "
        "for r in reqs if '==' in r and not r.startswith('-')); "
        "found = [((d.metadata['Name'] or '').lower().replace('_', '-'), d.version) "
        "for d in m.distributions()]; "
        "have = dict(reversed(found)); "  # the first on sys.path wins, as for imports
        "off = [f'{n}=={have[k]} (pinned {v})' for n, v in pins.items() "
        "if (k := n.strip().lower().replace('_', '-')) in have and have[k] != v.strip()]; "
        "print(f'{len(pins)} pins; differ: ' + (', '.join(off) or 'none'))"
    )
    compilers = "for c in gcc cc g++ c++ clang; do command -v $c && exit 1; done; echo none"
    return [
        Check("Airflow version", ("airflow", "version"), output=rf"(?m)^{version}\s*$"),
        Check(
            "Python version",
            ("python", "-c", "import sys; print('%d.%d' % sys.version_info[:2])"),
            output=rf"(?m)^{re.escape(expected.python)}\s*$",
        ),
        Check(
            "Providers of the extras",
            ("python", "-c", missing, *expected.providers),
            output=r"missing: none",
        ),
        Check("pip check", ("python", "-m", "pip", "check")),
        Check(
            "Installed versions equal the constraints",
            ("python", "-c", pins),
            output=r"differ: none",
        ),
        Check(
            "Default user",
            ("bash", "-c", 'echo "uid=$(id -u) gid=$(id -g)"'),
            output=rf"uid={expected.uid} gid=0",
        ),
        Check(
            f"Arbitrary UID ({ARBITRARY_USER})",
            ("bash", "-c", "whoami && airflow version"),
            user=ARBITRARY_USER,
            output=rf"(?m)^{version}\s*$",
        ),
        Check(
            f"Hardened: read-only root, no capabilities, UID {ARBITRARY_USER}",
            ("bash", "-c", "airflow db migrate && airflow version"),
            user=ARBITRARY_USER,
            hardened=True,
            # migrated and working, without a word about the user or a read-only file on the way
            output=rf"(?m)\A(?![\s\S]*{HARDENED_NOISE})[\s\S]*^{version}\s*$",
        ),
        Check("No compiler", ("bash", "-c", compilers), output=r"^none\s*$"),
        Check(
            "Entrypoint: sqlite by default",
            ("airflow", "config", "get-value", "database", "sql_alchemy_conn"),
            output=r"^sqlite:////\S*airflow\.db\s*$",
        ),
        Check("Entrypoint: bash runs directly", ("bash", "-c", "echo bash-ok"), output=r"bash-ok"),
        Check(
            "Entrypoint: python runs directly",
            ("python", "-c", "print('python-ok')"),
            output=r"python-ok",
        ),
        Check("Entrypoint: other commands go to airflow", ("version",), output=rf"(?m)^{version}"),
        Check(
            "Entrypoint: refuses a non-zero group",
            ("bash", "-c", "echo should-not-run"),
            user=WRONG_GROUP_USER,
            exit_zero=False,
            output=r"(?i)group",
            passes_as=f"refuses --user {WRONG_GROUP_USER}",
        ),
        Check(
            "Entrypoint: bounded wait for the database",
            ("db", "check"),
            environment={
                "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"postgresql://u:p@{UNREACHABLE_DB_HOST}:5432/a",
                "CONNECTION_CHECK_MAX_COUNT": str(DB_TRIES),
                "CONNECTION_CHECK_SLEEP_TIME": "1",
            },
            exit_zero=False,
            output=re.escape(UNREACHABLE_DB_HOST),
            passes_as=f"gives up on an unreachable database after {DB_TRIES} tries",
        ),
        Check(
            "clean-logs helper",
            ("bash", "-c", "test -x /clean-logs && echo present"),
            output="present",
        ),
        Check(
            f"docker stop within {MAX_STOP_SECONDS:.0f} s",
            ("bash", "-c", "sleep 1000"),
            stop_within=MAX_STOP_SECONDS,
        ),
    ]


def ci_image_checks(expected: Expected) -> list[Check]:
    """The checks of a CI image: Airflow and Python, pip check, and the developer tools."""
    by_name = {check.name: check for check in image_checks(expected)}
    tools = (
        "m=''; for t in git vim.tiny psql mysql sqlite3 ps; do command -v $t >/dev/null "
        '|| m="$m $t"; done; echo "missing:${m:- none}"'
    )
    return [
        by_name["Airflow version"],
        by_name["Python version"],
        by_name["pip check"],
        Check(
            "pytest and ipdb importable",
            (
                "python",
                "-c",
                "import ipdb, pytest, pytest_mock; print('pytest', pytest.__version__)",
            ),
            output=r"pytest \d",
        ),
        Check("Developer tools on PATH", ("bash", "-c", tools), output=r"missing: none"),
        by_name[f"Arbitrary UID ({ARBITRARY_USER})"],
    ]


def judge(check: Check, exit_code: int, output: str, seconds: float) -> Outcome:
    """Whether one run meets its check, with a short detail for the table."""
    if check.stop_within is not None:
        ok = exit_code != -1 and seconds <= check.stop_within
        return Outcome(check.name, ok, f"stopped in {seconds:.1f} s" if exit_code != -1 else output)
    problems = []
    if check.exit_zero and exit_code != 0:
        problems.append(f"exit code {exit_code}")
    if not check.exit_zero and exit_code == 0:
        problems.append("succeeded but should have failed")
    if check.output is not None and not re.search(check.output, output):
        problems.append("unexpected output")
    if problems:
        return Outcome(check.name, False, f"{'; '.join(problems)}: {_last_line(output)}")
    if not check.exit_zero:  # the failure it wanted: say so, and quote it as expected
        detail = check.passes_as or f"fails as it should (exit code {exit_code})"
        return Outcome(check.name, True, detail, expected=_last_line(output))
    return Outcome(check.name, True, _last_line(output) or f"exit code {exit_code}")


def _last_line(output: str, limit: int = 90) -> str:
    """The last non-empty output line, shortened."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    text = lines[-1] if lines else ""
    return text if len(text) <= limit else text[: limit - 1] + "…"
