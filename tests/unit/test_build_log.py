"""Reading BuildKit plain progress: current step, failing step and cause."""

from __future__ import annotations

from breeze.build_log import BuildLog

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
