"""SBOM facts, the CycloneDX document, and the sbom/scan commands without an engine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from breeze.core.errors import BreezeError
from breeze.core.image_facts import (
    FACTS_MARKER,
    FACTS_SCRIPT,
    DebPackage,
    ImageFacts,
    PythonPackage,
    image_meta,
    license_names,
    parse_facts,
)
from breeze.main import main
from breeze.services.bom import bom_json, make_bom, validation_error

ATTRS = {
    "Id": "sha256:" + "ab" * 32,
    "RepoDigests": [],
    "Os": "linux",
    "Architecture": "amd64",
    "Config": {
        "Labels": {"org.apache.airflow.version": "3.3.2", "org.apache.airflow.uid": "50000"}
    },
}
FACTS = ImageFacts(
    python_version="3.13.5",
    python=(
        PythonPackage("apache-airflow", "3.3.2", license_expression="Apache-2.0"),
        PythonPackage("Jinja2", "3.1.6", license="BSD License"),
        PythonPackage("odd_name", "1.0", classifiers=("License :: OSI Approved :: MIT License",)),
        PythonPackage("mystery", "0.1", license="UNKNOWN"),
    ),
    deb=(DebPackage("bsdutils", "1:2.41.5-0+deb13u1", "amd64", "util-linux"),),
    os_id="debian",
    os_version="13",
    os_codename="trixie",
)


def test_facts_script_runs_here_and_parses() -> None:
    # The script needs only the standard library: run it with this Python as the image would.
    done = subprocess.run(
        [sys.executable, "-c", FACTS_SCRIPT], capture_output=True, text=True, check=True
    )
    facts = parse_facts("some entrypoint noise\n" + done.stdout, "img")
    names = {p.name.lower() for p in facts.python}
    assert "pytest" in names
    assert facts.python_version == ".".join(map(str, sys.version_info[:3]))


def test_missing_facts_line_is_one_line_error() -> None:
    with pytest.raises(BreezeError, match="printed no package list \\(python: not found\\)"):
        parse_facts("\npython: not found\n", "img")
    facts = parse_facts(FACTS_MARKER + json.dumps({"python": [], "deb": []}), "img")
    assert facts.python == () and facts.deb == ()


def test_licenses_prefer_expression_then_short_license_then_classifiers() -> None:
    assert license_names(FACTS.python[0]) == ("Apache-2.0",)
    assert license_names(FACTS.python[1]) == ("BSD License",)
    assert license_names(FACTS.python[2]) == ("MIT License",)
    assert license_names(FACTS.python[3]) == ()
    long_text = PythonPackage("x", "1", license="Copyright ...\n\nPermission is granted")
    assert license_names(long_text) == ()


@pytest.mark.parametrize(
    ("reference", "repository", "tag"),
    [
        ("breeze-test/airflow:default", "breeze-test/airflow", "default"),
        ("localhost:5000/airflow", "localhost:5000/airflow", ""),
        ("localhost:5000/airflow:1.0", "localhost:5000/airflow", "1.0"),
        ("airflow@sha256:abc", "airflow", ""),
    ],
)
def test_image_reference_parts(reference: str, repository: str, tag: str) -> None:
    meta = image_meta(reference, ATTRS)
    assert (meta.repository, meta.tag) == (repository, tag)


def test_bom_is_valid_cyclonedx_with_pypi_and_deb_components() -> None:
    text = bom_json(make_bom(image_meta("breeze-test/airflow:default", ATTRS), FACTS))
    assert validation_error(text) is None
    bom = json.loads(text)
    assert bom["bomFormat"] == "CycloneDX" and bom["specVersion"] == "1.6"
    root = bom["metadata"]["component"]
    assert root["type"] == "container" and root["name"] == "breeze-test/airflow"
    assert root["hashes"] == [{"alg": "SHA-256", "content": "ab" * 32}]
    props = {p["name"]: p["value"] for p in root["properties"]}
    assert props["org.apache.airflow.version"] == "3.3.2"
    purls = {c["name"]: c["purl"] for c in bom["components"]}
    assert purls["apache-airflow"] == "pkg:pypi/apache-airflow@3.3.2"
    assert purls["odd_name"] == "pkg:pypi/odd-name@1.0"
    assert purls["bsdutils"] == (
        "pkg:deb/debian/bsdutils@1:2.41.5-0%2Bdeb13u1?arch=amd64&distro=trixie"
    )
    licenses = {c["name"]: c.get("licenses") for c in bom["components"]}
    assert licenses["apache-airflow"] == [{"license": {"id": "Apache-2.0"}}]
    assert licenses["Jinja2"] == [{"license": {"name": "BSD License"}}]
    [dependency] = [d for d in bom["dependencies"] if d["ref"] == root["bom-ref"]]
    assert len(dependency["dependsOn"]) == 5


def test_validator_catches_a_broken_document() -> None:
    assert validation_error('{"bomFormat": "CycloneDX", "specVersion": "1.6", "x": 1}')


# --- the commands, without an engine ------------------------------------------------------------


def _breeze(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_sbom_dry_run_prints_the_container(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _breeze(capsys, "prod-image", "sbom", "me/airflow:1", "--dry-run")
    assert code == 0
    assert out.startswith("docker run --rm \\\n    --entrypoint python \\\n    me/airflow:1")


def test_scan_dry_run_prints_container_and_pip_audit(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _breeze(capsys, "prod-image", "scan", "me/airflow:1", "--dry-run")
    assert code == 0
    assert "--entrypoint python" in out
    assert "-m pip_audit" in out and "--no-deps" in out and "--disable-pip" in out


def test_sbom_refuses_an_output_in_a_missing_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "missing" / "sbom.json"
    code, _, err = _breeze(capsys, "prod-image", "sbom", "me/airflow:1", "--output", str(target))
    assert code == 2
    assert err.count("\n") == 1 and "does not exist" in err
    assert not target.parent.exists()


def test_scan_refuses_a_missing_advisory_db(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _breeze(
        capsys, "prod-image", "scan", "me/airflow:1", "--advisory-db", "/nonexistent/db"
    )
    assert code == 2 and err.count("\n") == 1 and "/nonexistent/db" in err


def test_image_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _breeze(capsys, "prod-image", "scan")
    assert code == 2 and "Missing argument" in err


def test_missing_extra_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from breeze.services.bom import require_scan_extra

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name: None if name == "pip_audit" else real(name)
    )
    with pytest.raises(BreezeError, match=r"needs pip_audit, .*pip install 'breeze\[scan\]'"):
        require_scan_extra("breeze prod-image scan", ("pip_audit", "packaging"))


SCAN_LIBRARIES = ("cyclonedx", "packageurl", "jsonschema", "yaml", "pip_audit", "packaging")


def test_help_and_tab_import_no_scan_library() -> None:
    probe = (
        "import sys\nfrom breeze.main import main\nmain(['prod-image', 'scan', '--help'])\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {SCAN_LIBRARIES!r}))\n"
    )
    env = {**os.environ, "COLUMNS": "120"}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.splitlines()[-1] == "[]", done.stdout[-500:]
    tab = subprocess.run(
        [sys.executable, "-m", "breeze", "breeze prod-image sc", " \t\n\"'><=;|&(:"],
        capture_output=True,
        text=True,
        env={**env, "_BREEZE_COMPLETE": "bash"},
        check=True,
    )
    assert "scan" in tab.stdout.splitlines()


@pytest.mark.parametrize("command", ["sbom", "scan"])
def test_help_golden(command: str) -> None:
    from tests.golden import assert_golden

    env = {k: v for k, v in os.environ.items() if not k.startswith("BREEZE_")}
    env.update(COLUMNS="120", NO_COLOR="1", TERM="dumb")
    env["BREEZE_CACHE_DIR"] = os.environ["BREEZE_CACHE_DIR"]
    done = subprocess.run(
        [sys.executable, "-m", "breeze", "prod-image", command, "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=Path.cwd(),
    )
    assert_golden(f"help_prod_image_{command}.txt", done.stdout)
