"""Reading BuildKit plain progress: current step, failing step and cause."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from breeze.core.build_log import STEP_WORDS, BuildLog, step_words
from breeze.ui.progress import StatusLine, fit_line

APT_FAILURE = """\
#1 [internal] load build definition from Dockerfile
#1 DONE 0.0s
#7 [build 2/6] RUN apt-get install -y libnope-dev
#7 0.512 Reading package lists...
#7 1.020 E: Unable to locate package libnope-dev
#7 ERROR: process "/bin/sh -c apt-get install -y libnope-dev" did not complete successfully: exit code: 100
------
 > [build 2/6] RUN apt-get install -y libnope-dev:
------
ERROR: failed to solve: process "/bin/sh -c apt-get install -y libnope-dev" did not complete successfully: exit code: 100
"""

PIP_FAILURE = """\
#9 [build 4/6] RUN uv pip install apache-airflow==3.3.2 nosuchpackage-xyz
#9 3.1   × No solution found when resolving dependencies:
#9 3.1   ╰─▶ Because nosuchpackage-xyz was not found in the package registry and you require nosuchpackage-xyz, we can conclude that your requirements are unsatisfiable.
#9 ERROR: process "/bin/sh -c uv pip install" did not complete successfully: exit code: 1
"""


def _log(text: str) -> BuildLog:
    log = BuildLog()
    for line in text.splitlines():
        log.feed(line)
    return log


def test_current_step_skips_internal_steps() -> None:
    log = _log(APT_FAILURE)
    assert log.current == "[build 2/6] RUN apt-get install -y libnope-dev"


def test_apt_failure_names_the_package() -> None:
    log = _log(APT_FAILURE)
    assert log.failing_step() == "[build 2/6] RUN apt-get install -y libnope-dev"
    assert log.failing_step_log()[-1].startswith("ERROR: process")
    assert "E: Unable to locate package libnope-dev" in log.failing_step_log()
    assert log.cause().startswith("apt package 'libnope-dev' does not exist")


def test_missing_python_package() -> None:
    assert _log(PIP_FAILURE).cause().startswith("Python package 'nosuchpackage-xyz' was not found")


def test_unknown_failure_falls_back_to_the_last_error() -> None:
    log = _log('#3 [main 1/1] RUN false\n#3 ERROR: process "/bin/sh -c false" exit code: 1\n')
    assert log.cause() == 'process "/bin/sh -c false" exit code: 1'


# --- steps in words, with progress ---------------------------------------------------------

ROOT = Path(__file__).resolve().parents[3]
APT_MOUNTS = (
    "--mount=type=bind,source=scripts/docker/install-apt-deps.sh,target=/tmp/install-apt-deps.sh"
    "     --mount=type=bind,source=scripts/docker/build-env.sh,target=/tmp/build-env.sh     "
    "--mount=type=secret,id=ca-bundle     "
    "--mount=type=cache,id=apt-cache-trixie,target=/var/cache/apt,sharing=locked     "
)
# A production build's plain output (docker 28), without the steps' own log lines.
BUILD = f"""\
#1 [internal] load build definition from Dockerfile
#1 DONE 0.0s
#2 [context constraints] load .dockerignore
#2 DONE 0.0s
#5 [trust-false 1/1] FROM docker.io/library/python:3.13-slim-trixie
#5 DONE 0.0s
#8 [embedded-dags 1/1] COPY empty/ /
#8 DONE 0.0s
#9 [docker-context-files 1/1] COPY docker-context-files/ /
#9 DONE 0.0s
#10 [main 1/9] RUN {APT_MOUNTS}bash /tmp/install-apt-deps.sh runtime
#11 [airflow-build 2/4] RUN {APT_MOUNTS}bash /tmp/install-apt-deps.sh dev
#10 DONE 5.3s
#12 [main 2/9] RUN useradd --uid "50000" --gid 0 --home-dir "/home/airflow" --create-home
#12 DONE 0.4s
#11 [airflow-build 2/4] RUN {APT_MOUNTS}bash /tmp/install-apt-deps.sh dev
#11 0.811 Get:1 http://deb.debian.org/debian trixie InRelease [140 kB]
#11 DONE 24.5s
#13 [airflow-build 3/4] RUN --mount=type=bind,source=scripts/docker/install-airflow.sh,target=/tmp/install-airflow.sh     --mount=type=bind,from=constraints,target=/constraints     bash /tmp/install-airflow.sh airflow
#13 12.40 Installed 136 packages in 1.21s
#13 DONE 25.0s
#14 [airflow-build 4/4] RUN --mount=type=bind,source=scripts/docker/finalize-venv.sh,target=/tmp/finalize-venv.sh     bash /tmp/finalize-venv.sh
#14 DONE 1.5s
#15 [main 3/9] COPY --from=airflow-build --chown=50000:0 /opt/airflow-venv /opt/airflow-venv
#15 DONE 4.9s
#16 [airflow-additional 1/1] RUN --mount=type=bind,source=scripts/docker/install-airflow.sh,target=/tmp/install-airflow.sh     bash /tmp/venv-overlay.sh snapshot     && bash /tmp/install-airflow.sh additional     && VENV_CHANGED_SINCE=/opt/venv-overlay-state/marker bash /tmp/finalize-venv.sh     && bash /tmp/venv-overlay.sh collect
#16 CACHED
#17 [main 4/9] RUN --mount=type=bind,from=airflow-additional,source=/opt/venv-overlay-removed.txt,target=/tmp/removed     xargs --no-run-if-empty --delimiter='\\n' rm -rf -- < /tmp/removed
#17 DONE 0.3s
#18 [main 5/9] COPY --from=airflow-additional --chown=50000:0 /opt/venv-overlay/ /opt/airflow-venv/
#18 DONE 0.0s
#19 [main 6/9] COPY --chmod=755 scripts/docker/entrypoint.sh /entrypoint
#19 DONE 0.0s
#20 [main 7/9] COPY --chmod=755 scripts/docker/clean-logs.sh /clean-logs
#20 DONE 0.0s
#21 [main 8/9] WORKDIR /opt/airflow
#21 DONE 0.0s
#22 [main 9/9] COPY --from=embedded-dags --chown=50000:0 / /opt/airflow/dags/
#22 DONE 0.0s
#23 exporting to image
#23 naming to docker.io/breeze-wtc/airflow:manual done
#23 DONE 1.7s
"""


def _dockerfile_steps() -> list[tuple[str, str]]:
    """(stage, instruction) of each instruction of the Dockerfile, continuation lines joined."""
    steps, stage, pending = [], "", []
    for raw in (ROOT / "Dockerfile").read_text().splitlines():
        line = raw.strip()
        if line.startswith("#") or (not line and not pending):
            continue
        if line.endswith("\\"):
            pending.append(line[:-1].strip())
            continue
        instruction = " ".join(part for part in (*pending, line) if part)
        pending = []
        if match := re.match(r"FROM \S+ AS (\S+)$", instruction, re.IGNORECASE):
            stage = match.group(1)
        steps.append((stage, instruction))
    return steps


def test_every_run_step_of_the_dockerfile_has_words_of_its_own() -> None:
    runs = [(stage, i) for stage, i in _dockerfile_steps() if i.startswith("RUN ")]
    assert len(runs) >= 10
    words = {(stage, i[:60]): step_words(stage, i) for stage, i in runs}
    missing = [step for step, said in words.items() if said is None]
    assert not missing, f"add a row to breeze.core.build_log.STEP_WORDS for: {missing}"
    assert len(set(words.values())) == len(runs), f"two RUN steps share words: {words}"
    used = {said for said in words.values()}
    unused = [row for row in STEP_WORDS if row[1] == "RUN" and row[3] not in used]
    assert not unused, f"rows for RUN steps the Dockerfile no longer has: {unused}"


def test_every_other_step_of_the_dockerfile_has_words() -> None:
    for stage, instruction in _dockerfile_steps():
        if instruction.split()[0] in ("COPY", "ADD", "WORKDIR"):
            assert step_words(stage, instruction), instruction


@pytest.mark.parametrize(
    ("stage", "instruction", "words"),
    [
        ("airflow-build", "RUN --mount=x bash /tmp/install-airflow.sh airflow", "Installing Airflow and providers"),
        ("airflow-build", "RUN bash /tmp/finalize-venv.sh", "Trimming the venv"),
        ("airflow-additional", "RUN bash /tmp/venv-overlay.sh snapshot && bash /tmp/install-airflow.sh additional", "Installing additional Python packages"),
        ("main", "COPY --from=airflow-build --chown=50000:0 /opt/airflow-venv /opt/airflow-venv", "Copying the virtualenv"),
        ("main", "RUN --mount=type=bind,source=scripts/docker/install-airflow.sh,target=/x echo", None),
    ],
)  # fmt: skip
def test_step_words(stage: str, instruction: str, words: str | None) -> None:
    assert step_words(stage, instruction) == words


def test_status_names_the_step_and_the_progress() -> None:
    log, seen = BuildLog(), []
    for line in BUILD.splitlines():
        log.feed(line)
        if log.status() and log.status() not in seen:
            seen.append(log.status())
    assert seen == [
        "[1/1] Getting the base image",
        "[2/2] Loading the build contexts",
        "[3/3] Loading the build contexts",
        "[4/12] Installing runtime system packages",
        "[4/16] Installing system packages for the build",
        "[5/16] Installing system packages for the build",
        "[5/16] Creating the airflow user",
        "[6/16] Installing system packages for the build",
        "[7/16] Installing system packages for the build",
        "[8/16] Installing Airflow and providers",
        "[9/16] Trimming the venv",
        "[10/16] Copying the virtualenv",
        "[11/17] Installing additional Python packages",
        "[12/17] Removing files additional packages replaced",
        "[13/17] Copying the additional Python packages",
        "[14/17] Copying the entrypoint scripts",
        "[15/17] Copying the entrypoint scripts",
        "[16/17] Setting the working folder",
        "[17/17] Copying the DAGs",
        "[17/17] Exporting the image",
    ]


def test_a_finished_step_shown_again_stays_finished() -> None:
    log = _log("#6 [internal] load build context\n")
    assert log.status() == "Sending the build context"
    for line in (
        "#6 DONE 0.0s",
        "#10 [airflow-sources 1/1] COPY empty/ /",
        "#10 CACHED",
        "#13 [airflow-additional 1/1] RUN --mount=type=cache,target=/root/.cache "
        "bash /tmp/install-airflow.sh additional",
        "#10 [airflow-sources 1/1] COPY empty/ /",  # BuildKit repeats it
        "#10 CACHED",
    ):
        log.feed(line)
    assert log.status() == "[2/2] Installing additional Python packages"


def test_an_unknown_step_shows_its_instruction_without_mounts() -> None:
    log = BuildLog()
    log.feed("#7 [extra 1/2] RUN --mount=type=cache,target=/root/.cache pip install cowsay")
    assert log.status() == "[1/2] extra: RUN pip install cowsay"


# --- the live line fits the terminal; the time is never cut ---------------------------------

TITLE = "Building breeze-wtc/airflow:dry-run"
DETAIL = "[8/16] Installing Airflow and providers"


@pytest.mark.parametrize(
    ("width", "line"),
    [
        (120, f"{TITLE} 2:13 {DETAIL}"),
        (78, f"{TITLE} 2:13 [8/16] Installing Airflow and provid…"),
        (60, f"2:13 {DETAIL}"),
        (38, "2:13 [8/16] Installing Airflow and pr…"),
        (12, "2:13 [8/16]…"),
        (4, "2:13"),
        (2, "2:13"),
    ],
)
def test_fit_line_shortens_the_description_not_the_time(width: int, line: str) -> None:
    assert fit_line(TITLE, "2:13", DETAIL, width) == line
    assert len(line) <= max(width, 4)


@pytest.mark.parametrize(
    ("width", "line"),
    [(80, f"{TITLE} 0:02"), (38, "Building breeze-wtc/airflow:dry-… 0:02"), (12, "0:02")],
)
def test_fit_line_before_the_first_step(width: int, line: str) -> None:
    assert fit_line(TITLE, "0:02", "", width) == line


@pytest.mark.parametrize("columns", [40, 80])
def test_live_line_at_narrow_terminals(columns: int) -> None:
    from rich.console import Console
    from rich.status import Status

    status = StatusLine(TITLE, live=True)
    status._status = object()  # type: ignore[assignment]  # updates as when live
    status.update(DETAIL, 133.4)
    console = Console(file=io.StringIO(), width=columns, force_terminal=True, color_system=None)
    console.print(Status(status, console=console).renderable)
    (line,) = console.file.getvalue().rstrip("\n").splitlines()  # type: ignore[attr-defined]
    assert len(line.rstrip()) <= columns
    assert " 2:13 [8/16] Installing Airflow and pr" in line
    assert (TITLE in line) == (columns == 80)


@pytest.mark.parametrize("columns", [40, 80])
def test_generate_progress_keeps_the_time_whole(columns: int) -> None:
    from rich.console import Console

    from breeze.ui.resolve_progress import progress_display

    console = Console(file=io.StringIO(), width=columns, force_terminal=True, color_system=None)
    display = progress_display(console)
    status = "breeze: resolving apache-airflow[postgres]==3.3.2 for Python 3.13 " * 2
    display.add_task("3.13", total=1, label="3.13", status=status)
    console.print(display.get_renderable())
    (line,) = console.file.getvalue().rstrip("\n").splitlines()  # type: ignore[attr-defined]
    assert len(line) <= columns
    assert re.search(r"Python 3\.13 0:00:00 breeze: resolving", line), line
    assert line.rstrip().endswith("…")
