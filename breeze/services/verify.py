"""The verify service: run the image checks in containers and print a table."""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from breeze.core import airflow_meta, defaults
from breeze.core.errors import BreezeError, InvalidInput
from breeze.core.image_params import VerifyParams
from breeze.core.verify_checks import (
    HARDENED_RUN_FLAGS,
    Check,
    Expected,
    Outcome,
    ci_image_checks,
    image_checks,
    judge,
)
from breeze.io.session import Session
from breeze.services.preflight import preflight
from breeze.ui import console
from breeze.ui.tables import outcome_table

LABEL = "org.apache.airflow."


def verify_image(params: VerifyParams, session: Session) -> None:
    """Check an image (its target says which checks); raise BreezeError naming any failures."""
    if params.platform is not None and params.platform not in defaults.KNOWN_PLATFORMS:
        raise InvalidInput(
            f"--platform {params.platform}: give one of {', '.join(defaults.KNOWN_PLATFORMS)}"
        )
    ci = params.spec.target == defaults.CI_TARGET
    checks_of = ci_image_checks if ci else image_checks
    image = params.tag
    if session.dry_run:
        for check in checks_of(expected_from({}, params)):
            _run(session, image, check, params.platform)
        return
    preflight(session)
    attrs = session.engine.require_image(
        image, "breeze ci-image build" if ci else "breeze prod-image build"
    )
    expected = expected_from(attrs["Config"].get("Labels") or {}, params)
    console.info(
        f"Verifying {image}: Airflow {expected.airflow_version}, Python {expected.python}, "
        f"{len(expected.providers)} providers"
    )
    outcomes = [] if ci else [_image_user(attrs, expected)]
    if params.platform:
        outcomes.append(_platform(session, image, params.platform))
    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes += pool.map(
            lambda check: _run(session, image, check, params.platform), checks_of(expected)
        )
    out = console.stdout_console()
    out.print(outcome_table(image, [o for o in outcomes if o is not None], out.width))
    failed = [outcome.name for outcome in outcomes if outcome is not None and not outcome.ok]
    if failed:
        raise BreezeError(f"{len(failed)} of {len(outcomes)} checks failed: {', '.join(failed)}")
    console.success(f"All {len(outcomes)} checks passed for {image}")


def expected_from(labels: Mapping[str, str], params: VerifyParams) -> Expected:
    """Expectations from the image's labels, falling back to the requested spec."""
    spec = params.spec
    version = labels.get(f"{LABEL}version", spec.airflow_version)
    python = labels.get(f"{LABEL}python-version", spec.python)
    extras = [e for e in labels.get(f"{LABEL}extras", ",".join(spec.extras)).split(",") if e]
    release = airflow_meta.get_release(version)
    providers = airflow_meta.providers_for_extras(release, extras, python) if release else ()
    uid = int(labels.get(f"{LABEL}uid", spec.airflow_uid))
    return Expected(airflow_version=version, python=python, providers=tuple(providers), uid=uid)


# what Python's platform.machine() says in a container of each platform
MACHINES = {"linux/amd64": "x86_64", "linux/arm64": "aarch64"}


def _platform(session: Session, image: str, platform: str) -> Outcome:
    """The containers run the asked platform's variant (emulated when it is not the host's)."""
    script = "import platform; print(platform.machine())"
    run = session.run_container(image, ("python", "-c", script), platform=platform)
    machine = run.output.strip().splitlines()[-1] if run and run.output.strip() else "?"
    ok = run is not None and run.exit_code == 0 and machine == MACHINES.get(platform, machine)
    return Outcome("Platform", ok, f"{platform}: the container's machine is {machine}")


def _image_user(attrs: Mapping[str, Any], expected: Expected) -> Outcome:
    """The image's configured USER is the airflow UID."""
    user = str(attrs["Config"].get("User") or "root")
    return Outcome("Image USER", user in (str(expected.uid), f"{expected.uid}:0"), f"USER {user}")


def _run(session: Session, image: str, check: Check, platform: str | None = None) -> Outcome | None:
    """Run one check's container and judge it (None in a dry run, which only prints it)."""
    if check.stop_within is not None:
        run = session.time_stop(image, check.command, platform)
    else:
        run = session.run_container(
            image,
            check.command,
            user=check.user,
            environment=check.environment,
            flags=HARDENED_RUN_FLAGS if check.hardened else (),
            hardened=check.hardened,
            platform=platform,
        )
    return None if run is None else judge(check, run.exit_code, run.output, run.seconds)
