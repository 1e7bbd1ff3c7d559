"""The verify service: run the image checks in containers and print a table."""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from breeze.core import airflow_meta, argv
from breeze.core.errors import BreezeError
from breeze.core.image_params import VerifyParams
from breeze.core.run_options import RunOptions
from breeze.core.shell_format import format_command
from breeze.core.verify_checks import (
    HARDENED_RUN_FLAGS,
    Check,
    Expected,
    Outcome,
    ci_image_checks,
    image_checks,
    judge,
)
from breeze.io.engine import Engine
from breeze.services.preflight import preflight
from breeze.ui import console
from breeze.ui.tables import outcome_table

LABEL = "org.apache.airflow."


def verify_image(params: VerifyParams, options: RunOptions, *, ci: bool = False) -> None:
    """Check an image (ci: a CI image); raise BreezeError naming the failures when any fails."""
    checks_of = ci_image_checks if ci else image_checks
    if options.dry_run:
        expected = expected_from({}, params)
        for check in checks_of(expected):
            command = argv.docker_run(
                params.image,
                check.command,
                user=check.user,
                environment=check.environment,
                flags=HARDENED_RUN_FLAGS if check.hardened else (),
            )
            console.print_command(format_command(command, multiline=False), to_stdout=True)
        return
    preflight(params.docker_host)
    engine = Engine(params.docker_host)
    attrs = engine.require_image(
        params.image, "breeze ci-image build" if ci else "breeze prod-image build"
    )
    expected = expected_from(attrs["Config"].get("Labels") or {}, params)
    console.info(
        f"Verifying {params.image}: Airflow {expected.airflow_version}, Python {expected.python}, "
        f"{len(expected.providers)} providers"
    )
    outcomes = [] if ci else [_image_user(attrs, expected)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes += pool.map(
            lambda check: _run(engine, params.image, check, options), checks_of(expected)
        )
    out = console.stdout_console()
    out.print(outcome_table(params.image, outcomes, out.width))
    failed = [outcome.name for outcome in outcomes if not outcome.ok]
    if failed:
        raise BreezeError(f"{len(failed)} of {len(outcomes)} checks failed: {', '.join(failed)}")
    console.success(f"All {len(outcomes)} checks passed for {params.image}")


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


def _image_user(attrs: Mapping[str, Any], expected: Expected) -> Outcome:
    """The image's configured USER is the airflow UID."""
    user = str(attrs["Config"].get("User") or "root")
    return Outcome("Image USER", user in (str(expected.uid), f"{expected.uid}:0"), f"USER {user}")


def _run(engine: Engine, image: str, check: Check, options: RunOptions) -> Outcome:
    """Run one check's container and judge it."""
    if options.verbose:
        command = argv.docker_run(
            image,
            check.command,
            user=check.user,
            environment=check.environment,
            flags=HARDENED_RUN_FLAGS if check.hardened else (),
        )
        console.print_command(format_command(command, multiline=False), to_stdout=False)
    if check.stop_within is not None:
        run = engine.stop_time(image, list(check.command))
    else:
        run = engine.run(
            image,
            list(check.command),
            user=check.user,
            environment=check.environment,
            hardened=check.hardened,
        )
    return judge(check, run.exit_code, run.output, run.seconds)
