"""breeze installed from its wheel (as pipx and uv tool install it) works from an empty folder.

The image here is built FROM the official python image layout (Python in /usr/local, no Debian
python3): `../shared/bin/docker-up --official-python` provides it, and CI runs with that flag.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.conftest import CI_IMAGE_ARGS, ROOT, TEST_REPOSITORY, docker

OFFICIAL_BASE = "python-official:3.13-slim-trixie"
OFFICIAL_TAG = f"{TEST_REPOSITORY}:official-layout"
SMALL_EXTRAS = "postgres"


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of this checkout, built as any front end builds it."""
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", out, ROOT],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (path,) = out.glob("airflow_breeze-*.whl")
    return path


@pytest.fixture(scope="session")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `breeze` of a fresh venv outside the checkout with only the wheel installed."""
    venv = tmp_path_factory.mktemp("tool") / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    done = subprocess.run(
        [venv / "bin" / "pip", "install", "--quiet", wheel],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return venv / "bin" / "breeze"


def run_installed(
    breeze: Path, cwd: Path, *args: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run the installed breeze in a folder, as a user would."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run(
        [breeze, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**env, "COLUMNS": "200"},
        check=False,
    )
    if check and done.returncode != 0:
        pytest.fail(f"breeze {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return done


def test_the_wheel_carries_the_build_context_and_no_tests(wheel: Path) -> None:
    """The Dockerfile and scripts are the checkout's, byte for byte; tests and benchmarks stay."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert archive.read("breeze/_context/Dockerfile") == (ROOT / "Dockerfile").read_bytes()
        for script in (ROOT / "scripts" / "docker").iterdir():
            packaged = archive.read(f"breeze/_context/scripts/docker/{script.name}")
            assert packaged == script.read_bytes(), script.name
        assert "breeze/_context/.dockerignore" in names
        assert "breeze/compose/base.yaml" in names
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/", "scripts/"))]


@pytest.fixture(scope="session")
def user_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty folder outside the checkout: where the user runs the installed breeze."""
    return tmp_path_factory.mktemp("empty-user-folder")


@pytest.fixture(scope="session")
def official_layout_image(engine: None, installed: Path, user_folder: Path) -> str:
    """A small production image FROM the official python layout, built by the installed breeze."""
    if docker("image", "inspect", OFFICIAL_BASE, check=False).returncode != 0:
        pytest.skip(f"no {OFFICIAL_BASE}: run ../shared/bin/docker-up --official-python")
    run_installed(
        installed,
        user_folder,
        "prod-image", "build", "--python-base-image", OFFICIAL_BASE,
        "--airflow-extras", SMALL_EXTRAS, "--image-tag", OFFICIAL_TAG,
        "--build-progress", "plain", "--answer", "yes",
    )  # fmt: skip
    return OFFICIAL_TAG


def test_installed_breeze_builds_and_verifies_from_an_empty_folder(
    installed: Path, user_folder: Path, official_layout_image: str
) -> None:
    """Every verify check passes (entrypoint, arbitrary UID, hardened) on the official layout."""
    done = run_installed(
        installed,
        user_folder,
        "prod-image", "verify", official_layout_image, "--airflow-extras", SMALL_EXTRAS,
    )  # fmt: skip
    assert "checks passed" in done.stderr
    assert "Hardened" in done.stdout
    python = docker("run", "--rm", "--entrypoint", "bash", official_layout_image, "-c",
                    "readlink -f $(command -v python3.13 || command -v python)").stdout  # fmt: skip
    assert "/usr/local/bin/python3.13" in python
    assert list(user_folder.iterdir()) == [], "the build left files in the working folder"


def _free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def stack_folder(installed: Path, user_folder: Path) -> Iterator[Path]:
    """The empty user folder; whatever a test starts there is taken down afterwards."""
    yield user_folder
    run_installed(installed, user_folder, "down", "--volumes", check=False)


def test_installed_breeze_starts_airflow_and_takes_it_down(
    installed: Path, stack_folder: Path, ci_image: str
) -> None:
    """start-airflow from the packaged compose files; down removes the folders it created."""
    port = _free_port()
    started = run_installed(
        installed,
        stack_folder,
        "start-airflow", "--image-tag", ci_image, *CI_IMAGE_ARGS,
        "--api-port", str(port), "--answer", "no",
    )  # fmt: skip
    assert f"http://localhost:{port}" in started.stderr
    # the same Dockerfile and scripts, packaged: the session's CI image is current, not rebuilt
    assert "Building" not in started.stderr
    assert "was built from another Dockerfile" not in started.stderr
    published = docker("ps", "--filter", f"publish={port}", "--format", "{{.Ports}}").stdout
    assert f"127.0.0.1:{port}->8080/tcp" in published
    run_installed(installed, stack_folder, "down", "--volumes")
    assert list(stack_folder.iterdir()) == [], "dags/ and plugins/ made by breeze stay behind"
