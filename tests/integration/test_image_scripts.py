"""The Dockerfile's helper scripts, run in a container as a build step runs them."""

from __future__ import annotations

from tests.integration.conftest import ROOT, docker

BASE = "python:3.13-slim-trixie"
EPOCH = 1_700_000_000


def test_clamp_dates_only_what_the_step_wrote(engine: None) -> None:
    # A base image file newer than SOURCE_DATE_EPOCH but older than the step: touching it would
    # copy it into the step's layer, so it keeps its time; what the step wrote gets the epoch.
    script = (
        "touch -d @$(( $(date +%s) - 3600 )) /etc/from-the-base && sleep 1.1"
        " && mkdir /opt/written && echo x > /opt/written/file"
        f" && SOURCE_DATE_EPOCH={EPOCH} bash /scripts/clamp-mtimes.sh /etc /opt"
        " && stat -c '%Y %n' /etc/from-the-base /opt/written /opt/written/file"
        " && date +%s"
    )
    done = docker(
        "run", "--rm", "-v", f"{ROOT / 'scripts' / 'docker'}:/scripts:ro", "--entrypoint", "bash",
        BASE, "-c", script,
    )  # fmt: skip
    *stats, now = done.stdout.split("\n")[:-1]
    times = {path: int(seconds) for seconds, path in (line.split(" ", 1) for line in stats)}
    assert times["/opt/written"] == times["/opt/written/file"] == EPOCH, times
    assert EPOCH < times["/etc/from-the-base"] < int(now) - 3000, times
