"""The verify service through the fake session: which containers it runs and how it judges them."""

from __future__ import annotations

import pytest

from breeze.core.errors import BreezeError
from breeze.core.image_params import ImageSpec, VerifyParams
from breeze.core.run_options import RunOptions
from breeze.core.verify_checks import HARDENED_RUN_FLAGS, Expected, image_checks
from breeze.io.engine import ContainerRun
from breeze.services.verify import verify_image
from tests.fakes import FakeEngine, FakeSession

IMAGE = "my/airflow:1"
LABELS = {
    "org.apache.airflow.version": "3.3.2",
    "org.apache.airflow.python-version": "3.13",
    "org.apache.airflow.extras": "",
    "org.apache.airflow.uid": "50000",
}


def test_a_dry_run_prints_each_check_as_docker_run_and_runs_none(
    capsys: pytest.CaptureFixture[str],
) -> None:
    session = FakeSession(RunOptions(dry_run=True))
    verify_image(VerifyParams(IMAGE, ImageSpec()), session)
    out = capsys.readouterr().out.splitlines()
    checks = image_checks(Expected("3.3.2", "3.13", ()))
    assert len(out) == len(checks)
    assert all(line.startswith("docker run --rm") and IMAGE in line for line in out)
    hardened = next(line for line in out if "--read-only" in line)
    assert " ".join(HARDENED_RUN_FLAGS) in hardened and "--user 1000123:0" in hardened
    assert session.fake_engine.runs == []  # nothing ran


def test_every_check_runs_in_a_container_of_the_engine() -> None:
    engine = FakeEngine(images={IMAGE: {"Config": {"Labels": LABELS, "User": "50000"}}})
    session = FakeSession(engine=engine)
    with pytest.raises(BreezeError, match="checks failed"):  # the fake's output matches nothing
        verify_image(VerifyParams(IMAGE, ImageSpec()), session)
    hardened = [run for run in engine.runs if run.get("hardened")]
    assert len(hardened) == 1 and hardened[0]["user"] == "1000123:0"
    assert {run["image"] for run in engine.runs} == {IMAGE}


def test_a_passing_image_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    engine = FakeEngine(images={IMAGE: {"Config": {"Labels": LABELS, "User": "50000"}}})
    checks = image_checks(Expected("3.3.2", "3.13", (), 50000))
    outputs = {
        "Airflow version": "3.3.2", "Python version": "3.13", "Providers": "missing: none",
        "pip check": "", "Installed": "10 pins; differ: none", "Default user": "uid=50000 gid=0",
        "Arbitrary UID": "default\n3.3.2", "Hardened": "3.3.2", "No compiler": "none",
        "Entrypoint: sqlite": "sqlite:////opt/airflow/airflow.db", "Entrypoint: bash": "bash-ok",
        "Entrypoint: python": "python-ok", "Entrypoint: other": "3.3.2",
        "Entrypoint: refuses": "ERROR: run it with group 0", "Entrypoint: bounded":
        "breeze-verify-no-such-host.invalid did not answer", "clean-logs": "present",
    }  # fmt: skip
    for check in checks:
        if check.stop_within is not None:
            continue
        output = next(v for k, v in outputs.items() if check.name.startswith(k))
        engine.containers.append(ContainerRun(0 if check.exit_zero else 1, output, 0.5))
    session = FakeSession(engine=engine)
    # the checks run four at a time: hand each the output of its own check
    by_command = {
        tuple(c.command): run
        for c, run in zip(
            [c for c in checks if c.stop_within is None], engine.containers, strict=True
        )
    }
    engine.containers.clear()
    engine.run = lambda image, command, **kw: by_command[tuple(command)]  # type: ignore[method-assign]
    verify_image(VerifyParams(IMAGE, ImageSpec()), session)
    assert f"checks passed for {IMAGE}" in capsys.readouterr().err


def test_a_missing_image_is_one_line() -> None:
    with pytest.raises(BreezeError, match=f"image {IMAGE} does not exist"):
        verify_image(VerifyParams(IMAGE, ImageSpec()), FakeSession())


def test_a_platform_variant_runs_every_check_on_that_platform_and_checks_the_machine() -> None:
    engine = FakeEngine(
        images={IMAGE: {"Config": {"Labels": LABELS, "User": "50000"}}},
        containers=[ContainerRun(0, "aarch64\n", 3.0)],  # the first run: the platform check
    )
    session = FakeSession(engine=engine)
    with pytest.raises(BreezeError) as raised:  # the fake's other outputs match nothing
        verify_image(VerifyParams(IMAGE, ImageSpec(), "linux/arm64"), session)
    assert "Platform" not in raised.value.message  # aarch64 is linux/arm64
    assert {run.get("platform") for run in engine.runs} == {"linux/arm64"}
    wrong = FakeEngine(
        images={IMAGE: {"Config": {"Labels": LABELS, "User": "50000"}}},
        containers=[ContainerRun(0, "x86_64\n", 1.0)],
    )
    with pytest.raises(BreezeError, match="Platform"):
        verify_image(VerifyParams(IMAGE, ImageSpec(), "linux/arm64"), FakeSession(engine=wrong))
