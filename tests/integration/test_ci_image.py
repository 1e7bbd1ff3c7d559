"""The CI image, built for real: its checks, its build commands and its staleness question."""

from __future__ import annotations

from pathlib import Path

from tests.integration.conftest import CI_IMAGE_ARGS, breeze, docker


def test_verify_passes_on_the_ci_image(ci_image: str) -> None:
    done = breeze("ci-image", "verify", ci_image)
    assert "All 6 checks passed" in done.stderr
    for check in ("pip check", "pytest and ipdb importable", "Developer tools on PATH"):
        assert check in done.stdout


def test_ci_image_carries_its_content_hash(ci_image: str) -> None:
    labels = docker("image", "inspect", "--format", "{{json .Config.Labels}}", ci_image).stdout
    assert '"org.apache.airflow.breeze.hash":"' in labels
    assert '"org.apache.airflow.image":"ci"' in labels


def test_classic_spelling_builds_the_ci_image(ci_image: str) -> None:
    classic = breeze("build-image", "--image-tag", ci_image, *CI_IMAGE_ARGS, "--dry-run").stdout
    modern = breeze(
        "ci-image", "build", "--image-tag", ci_image, *CI_IMAGE_ARGS, "--dry-run"
    ).stdout
    assert "--target ci" in modern
    without_dates = [line for line in classic.splitlines() if "DATE_CREATED" not in line]
    assert without_dates == [line for line in modern.splitlines() if "DATE_CREATED" not in line]


def test_changed_options_ask_before_rebuilding(ci_image: str, tmp_path: Path) -> None:
    done = breeze(
        "shell", "--project-folder", str(tmp_path), "--image-tag", ci_image,
        "--airflow-extras", "celery,postgres,redis,ssh", "--answer", "no", "-c", "true",
    )  # fmt: skip
    breeze("down", "--volumes", "--project-folder", str(tmp_path), "--answer", "yes")
    assert "rebuild with `breeze ci-image build`" in done.stderr
    assert "Building" not in done.stderr
