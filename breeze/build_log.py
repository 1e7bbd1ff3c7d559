"""Reading BuildKit's plain progress output: current step, failing step's log, one-line cause."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field

_STEP_RE = re.compile(r"^#(\d+) \[(?P<name>[^\]]+)\] (?P<what>.*)$")
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


@dataclass
class BuildLog:
    """Follows a build's plain progress output line by line."""

    steps: dict[str, str] = field(default_factory=dict)
    current: str = ""
    errors: list[str] = field(default_factory=list)
    tail: deque[str] = field(default_factory=lambda: deque(maxlen=400))
    _failed_step: str | None = None

    def feed(self, line: str) -> None:
        """Take one line of output."""
        self.tail.append(line)
        if match := _STEP_RE.match(line):
            step_id, name, what = match.group(1), match.group("name"), match.group("what")
            self.steps[step_id] = f"[{name}] {what}"
            if not what.startswith("load ") and "internal" not in name:
                self.current = self.steps[step_id]
        if match := _ERROR_RE.match(line):
            self.errors.append(match.group("text"))
            if line.startswith("#"):
                self._failed_step = line.split(" ", 1)[0][1:]

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
