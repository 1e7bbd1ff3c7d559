"""`prod-image sbom` and `prod-image scan` against a real image with a known-vulnerable package.

Airflow 3.3.2 requires jinja2>=3.1.5, so an old jinja2 cannot be installed next to it; the image
gets mistune 0.7.4 instead (pure Python, no Airflow dependency, so no constraint pins it), which
the PyPA advisory database flags twice: PYSEC-2017-18 (CVE-2017-16876, fixed in 0.8.1) and
PYSEC-2017-80 (CVE-2017-15612, fixed in 0.8).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.integration.conftest import TEST_REPOSITORY, breeze, docker

VULNERABLE_TAG = f"{TEST_REPOSITORY}:vulnerable"
VULNERABLE_DEP = "mistune==0.7.4"
EXPECTED_ADVISORIES = {"PYSEC-2017-18": "CVE-2017-16876", "PYSEC-2017-80": "CVE-2017-15612"}
ADVISORY_DB = Path(__file__).resolve().parents[3] / "shared/data/pypa-advisory-database"
MISSING_IMAGE = f"{TEST_REPOSITORY}:no-such-image"


@pytest.fixture(scope="session")
def vulnerable_image(engine: None) -> str:
    """A small image (celery extra) with an old, vulnerable mistune added."""
    breeze(
        "prod-image", "build", "--image-tag", VULNERABLE_TAG, "--airflow-extras", "celery",
        "--additional-python-deps", VULNERABLE_DEP, "--answer", "yes", "--build-progress", "plain",
    )  # fmt: skip
    return VULNERABLE_TAG


@pytest.fixture(scope="module")
def sbom_file(vulnerable_image: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The image's SBOM, written with --output."""
    target = tmp_path_factory.mktemp("sbom") / "airflow.cdx.json"
    breeze("prod-image", "sbom", vulnerable_image, "--output", str(target))
    return target


@pytest.fixture
def advisory_db() -> Path:
    """The 2024 snapshot of the PyPA advisory database."""
    if not ADVISORY_DB.is_dir():
        pytest.skip(f"no advisory database snapshot at {ADVISORY_DB}")
    return ADVISORY_DB


def test_sbom_is_valid_cyclonedx_with_python_and_debian_packages(sbom_file: Path) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    text = sbom_file.read_text()
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    bom = json.loads(text)
    purls = [c["purl"] for c in bom["components"]]
    assert "pkg:pypi/mistune@0.7.4" in purls
    airflow = [c for c in bom["components"] if c["name"] == "apache-airflow"]
    assert [c["purl"] for c in airflow] == ["pkg:pypi/apache-airflow@3.3.2"]
    assert airflow[0]["licenses"] == [{"license": {"id": "Apache-2.0"}}]
    debs = [p for p in purls if p.startswith("pkg:deb/debian/")]
    assert any(p.startswith("pkg:deb/debian/bash@") and "arch=" in p for p in debs)
    assert len(debs) > 50 and len(purls) - len(debs) > 50
    root = bom["metadata"]["component"]
    assert root["type"] == "container" and root["name"] == TEST_REPOSITORY
    properties = {p["name"]: p["value"] for p in root["properties"]}
    assert properties["org.apache.airflow.version"] == "3.3.2"
    assert properties["breeze:image:id"].startswith("sha256:")


def test_sbom_goes_to_stdout_without_output(vulnerable_image: str) -> None:
    done = breeze("prod-image", "sbom", vulnerable_image)
    assert json.loads(done.stdout)["bomFormat"] == "CycloneDX"


def test_offline_scan_shows_the_advisories(vulnerable_image: str, advisory_db: Path) -> None:
    done = breeze("prod-image", "scan", vulnerable_image, "--advisory-db", str(advisory_db))
    rows = [line for line in done.stdout.splitlines() if "mistune" in line]
    for advisory, cve in EXPECTED_ADVISORIES.items():
        assert any(advisory in row and cve in row and "0.7.4" in row for row in rows), done.stdout
    assert "known vulnerabilities" in done.stderr


def test_fail_on_vulns_exits_1(vulnerable_image: str, advisory_db: Path) -> None:
    done = breeze(
        "prod-image", "scan", vulnerable_image, "--advisory-db", str(advisory_db),
        "--fail-on-vulns", check=False,
    )  # fmt: skip
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "--fail-on-vulns" in errors[0]


def test_json_report(vulnerable_image: str, advisory_db: Path) -> None:
    done = breeze(
        "prod-image", "scan", vulnerable_image, "--advisory-db", str(advisory_db), "--json"
    )
    report = json.loads(done.stdout)
    assert report["image"] == vulnerable_image and report["audited"] > 50
    mistune = {v["id"]: v for v in report["vulnerabilities"] if v["package"] == "mistune"}
    assert set(mistune) == set(EXPECTED_ADVISORIES)
    assert mistune["PYSEC-2017-18"]["fixed_versions"] == ["0.8.1"]
    assert "CVE-2017-15612" in mistune["PYSEC-2017-80"]["aliases"]


def test_online_scan_fails_in_one_line_when_the_service_does_not_answer(
    vulnerable_image: str,
) -> None:
    done = breeze("prod-image", "scan", vulnerable_image, check=False)
    if done.returncode == 0:  # a machine where PyPI answers: then it must find mistune's issues
        assert "mistune" in done.stdout
        return
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "--advisory-db" in errors[0], done.stderr


def _containers_of(image: str) -> list[str]:
    """Containers (any state) created from an image reference."""
    listed = docker("ps", "--all", "--format", "{{.ID}} {{.Image}}").stdout.splitlines()
    return [line for line in listed if line.split(" ", 1)[-1] == image]


@pytest.mark.parametrize("command", ["sbom", "scan"])
def test_missing_image_is_one_line_and_leaves_nothing(
    engine: None, tmp_path: Path, command: str
) -> None:
    target = tmp_path / "out.json"
    args = ["--output", str(target)] if command == "sbom" else ["--json"]
    done = breeze("prod-image", command, MISSING_IMAGE, *args, check=False)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and "does not exist" in done.stderr
    assert done.stdout == ""
    assert not target.exists() and list(tmp_path.iterdir()) == []
    assert _containers_of(MISSING_IMAGE) == []
    assert docker("image", "inspect", MISSING_IMAGE, check=False).returncode != 0  # not pulled
