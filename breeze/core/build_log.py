"""Reading BuildKit's plain progress output: current step, failing step's log, one-line cause."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field

_STEP_RE = re.compile(r"^#(\d+) \[(?P<name>[^\]]+)\] (?P<what>.*)$")
_NUMBERED_RE = re.compile(r"^(?P<stage>\S+) (?P<k>\d+)/(?P<n>\d+)$")
_STATE_RE = re.compile(r"^#(\d+) (?P<state>DONE|CACHED|ERROR|CANCELED)\b")
_EXPORT_RE = re.compile(r"^#(\d+) exporting to ")
_RUN_OPTION_RE = re.compile(r"--(?:mount|network|security)=\S+\s*")

# What each step of the Dockerfile does, in words: (stage, instruction, text in the instruction
# without its --mount options, words); the first match wins, "" matches any stage or text. Every
# RUN of the Dockerfile needs a row of its own (tests/unit/core/test_build_log.py checks that).
STEP_WORDS: tuple[tuple[str, str, str, str], ...] = (
    ("airflow-build", "RUN", "install-apt-deps.sh", "Installing system packages for the build"),
    ("airflow-build", "RUN", "install-airflow.sh", "Installing Airflow and providers"),
    ("airflow-build", "RUN", "finalize-venv.sh", "Trimming the venv"),
    ("airflow-build", "RUN", "compile-bytecode.sh", "Compiling bytecode"),
    ("airflow-additional", "RUN", "install-airflow.sh", "Installing additional Python packages"),
    ("trust-true", "RUN", "install-ca-bundle.sh", "Adding the CA bundle to the trust store"),
    ("main", "RUN", "install-apt-deps.sh", "Installing runtime system packages"),
    ("main", "RUN", "useradd", "Creating the airflow user"),
    ("main", "RUN", "compileall", "Compiling the standard library's bytecode"),
    ("main", "RUN", "rm -rf -- <", "Removing files additional packages replaced"),
    ("main", "RUN", "entrypoint.sh", "Installing the entrypoint scripts"),
    ("main", "RUN", "cp -R", "Copying the DAGs"),
    ("ci", "RUN", "install-apt-deps.sh", "Installing the CI system packages"),
    ("ci", "RUN", "ci-requirements.txt", "Installing the CI Python tools"),
    ("", "COPY", "--from=airflow-build ", "Copying the virtualenv"),
    ("", "COPY", "--from=airflow-additional ", "Copying the additional Python packages"),
    ("", "COPY", "--from=embedded-dags ", "Copying the DAGs"),  # exported contexts
    ("embedded-dags", "COPY", "", "Loading the build contexts"),
    ("airflow-sources", "COPY", "", "Loading the build contexts"),
    ("docker-context-files", "COPY", "", "Loading the build contexts"),
    ("constraints", "COPY", "", "Loading the build contexts"),
    ("", "COPY", "scripts/docker/", "Copying the entrypoint scripts"),  # exported contexts
    ("", "COPY", "", "Copying files"),
    ("", "FROM", "", "Getting the base image"),
    ("", "WORKDIR", "", "Setting the working folder"),
)
EXPORTING = "Exporting the image"
_LOG_RE = re.compile(r"^#(\d+) (?:\d+\.\d+ )?(?P<text>.*)$")
_ERROR_RE = re.compile(r"^(?:#\d+ )?ERROR: (?P<text>.*)$")

# TLS verification failures as Python (pip, requests), uv (rustls), curl/OpenSSL and apt (GnuTLS)
# word them.
_TLS_RE = re.compile(
    r"CERTIFICATE_VERIFY_FAILED|certificate verify failed|invalid peer certificate"
    r"|UnknownIssuer|unable to get local issuer certificate|self[- ]signed certificate in "
    r"certificate chain|SSL certificate problem|certificate signed by unknown authority"
    r"|Certificate verification failed|server certificate verification failed"
    r"|The certificate is NOT trusted"
)
TLS_FAILURE = (
    "TLS certificate verification failed (a proxy or private CA?); rerun with --ca-bundle auto "
    "(the host's CA bundle) or --ca-bundle PATH"
)

# (pattern in the failing step's log, message); the first match wins.
_CAUSES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"Unable to locate package (\S+)|Package '?(\S+?)'? has no installation"),
        "apt package '{0}' does not exist on this Debian release; check its name for "
        "--additional-dev-deps / --additional-runtime-deps",
    ),
    (_TLS_RE, TLS_FAILURE),
    (
        re.compile(
            r"No matching distribution found for (\S+)|Because (\S+) was not found in the package"
        ),
        "Python package '{0}' was not found in the package index",
    ),
    (
        re.compile(
            r"No solution found when resolving|ResolutionImpossible|conflicting dependencies"
        ),
        "the Python requirements conflict with each other or with the constraints",
    ),
    (
        re.compile(
            r"Temporary failure in name resolution|Could not resolve host|Network is unreachable"
        ),
        "the build could not reach the network (DNS or proxy); check the engine's network settings",
    ),
    (
        re.compile(r"no space left on device"),
        "the Docker engine ran out of disk space; free some with `docker system prune`",
    ),
    (
        re.compile(
            r"failed to read dockerfile|failed to compute cache key: failed to calculate checksum"
        ),
        "a file the Dockerfile needs is missing from the build context",
    ),
)


def step_words(stage: str, instruction: str) -> str | None:
    """A Dockerfile step in words, from its stage and instruction; None when no row knows it."""
    keyword, _, rest = instruction.partition(" ")
    text = _RUN_OPTION_RE.sub("", rest) if keyword == "RUN" else rest + " "
    for row_stage, row_keyword, marker, words in STEP_WORDS:
        if row_stage in ("", stage) and row_keyword == keyword and marker in text:
            return words
    return None


@dataclass
class BuildLog:
    """Follows a build's plain progress output line by line."""

    steps: dict[str, str] = field(default_factory=dict)
    current: str = ""
    errors: list[str] = field(default_factory=list)
    tail: deque[str] = field(default_factory=lambda: deque(maxlen=400))
    _failed_step: str | None = None
    # BuildKit numbers the steps of each stage ([stage k/n]); a stage's steps run in order
    _stage_sizes: dict[str, int] = field(default_factory=dict)
    _stage_done: dict[str, int] = field(default_factory=dict)
    _numbered: dict[str, tuple[str, int]] = field(default_factory=dict)  # id: stage and k
    _words_of: dict[str, str] = field(default_factory=dict)
    _running: list[str] = field(default_factory=list)  # ids, the latest active last
    _finished: set[str] = field(default_factory=set)
    _words: str = ""

    def feed(self, line: str) -> None:
        """Take one line of output."""
        self.tail.append(line)
        if match := _STEP_RE.match(line):
            step_id, name, what = match.group(1), match.group("name"), match.group("what")
            self.steps[step_id] = f"[{name}] {what}"
            if not what.startswith("load ") and "internal" not in name:
                self.current = self.steps[step_id]
            self._step_started(step_id, name, what)
        elif match := _EXPORT_RE.match(line):
            self._words = EXPORTING
        if match := _STATE_RE.match(line):
            self._step_ended(match.group(1))
        if match := _ERROR_RE.match(line):
            self.errors.append(match.group("text"))
            if line.startswith("#"):
                self._failed_step = line.split(" ", 1)[0][1:]

    def _step_started(self, step_id: str, name: str, what: str) -> None:
        """Count a numbered step and show it (BuildKit repeats the header when output resumes)."""
        if step_id in self._finished:
            return
        numbered = _NUMBERED_RE.match(name)
        if numbered is not None:
            stage = numbered.group("stage")
            words = step_words(stage, what) or _shorten(
                f"{stage}: {_RUN_OPTION_RE.sub('', what)}", 80
            )
            self._stage_sizes[stage] = int(numbered.group("n"))
            self._numbered[step_id] = (stage, int(numbered.group("k")))
        elif name == "internal" and what.startswith("load build context"):
            words = "Sending the build context"
        elif name.startswith("context ") and what == "load from client":
            words = f"Sending the {name.split(' ', 1)[1]} build context"
        else:
            return
        self._words_of[step_id] = words
        if step_id in self._running:
            self._running.remove(step_id)
        self._running.append(step_id)
        self._words = words

    def _step_ended(self, step_id: str) -> None:
        """Count a finished (or cached) step; show the latest other step still running."""
        self._finished.add(step_id)
        if step_id in self._numbered:
            stage, k = self._numbered[step_id]
            self._stage_done[stage] = max(self._stage_done.get(stage, 0), k)
        if step_id in self._running:
            self._running.remove(step_id)
            if self._running and self._words != EXPORTING:
                self._words = self._words_of[self._running[-1]]

    def status(self) -> str:
        """The build's state in words with its progress, e.g. '[7/17] Installing Airflow ...'."""
        total = sum(self._stage_sizes.values())
        if not self._words or not total:
            return self._words
        done = sum(self._stage_done.values())
        step = min(done + 1, total) if self._running and self._words != EXPORTING else done
        return f"[{step}/{total}] {self._words}"  # the step shown, or the steps done between two

    def failing_step(self) -> str | None:
        """The failing step's title, if a step failed."""
        return self.steps.get(self._failed_step or "")

    def failing_step_log(self, lines: int = 30) -> list[str]:
        """The last lines the failing step printed (or of the whole output)."""
        if self._failed_step is None:
            return list(self.tail)[-lines:]
        prefix = f"#{self._failed_step} "
        step_lines = [
            m.group("text")
            for line in self.tail
            if line.startswith(prefix) and (m := _LOG_RE.match(line))
        ]
        return step_lines[-lines:]

    def cause(self) -> str:
        """One line saying why the build failed."""
        text = "\n".join(self.tail)
        for pattern, message in _CAUSES:
            if match := pattern.search(text):
                value = next((g for g in match.groups() if g), "")
                return message.format(value.strip("'\"`,"))
        if self.errors:
            return _shorten(self.errors[-1])
        return "docker buildx build failed; see the output above"


def tls_failure(text: str) -> bool:
    """Whether a log says TLS certificate verification failed."""
    return _TLS_RE.search(text) is not None


def _shorten(text: str, limit: int = 200) -> str:
    """A single line, cut to a readable length."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
