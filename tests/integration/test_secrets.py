"""Build secrets (`--build-secret`, `--ca-bundle`) reach the install steps and nothing else."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.conftest import breeze, docker
from tests.integration.layers import NOCA_BASE, history, saved_image_contains

CANARY = f"canary-{uuid.uuid4().hex}"
TAG = "breeze-test/noca:secrets"


@pytest.fixture(scope="session")
def secret_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A pip.conf, uv.toml and netrc that each hold the canary and change nothing else."""
    folder = tmp_path_factory.mktemp("secrets")
    files = {
        "pip-conf": folder / "pip.conf",
        "uv-toml": folder / "uv.toml",
        "netrc": folder / "netrc",
    }
    files["pip-conf"].write_text(f"[global]\n# {CANARY}-pip\ntimeout = 60\n")
    files["uv-toml"].write_text(f"# {CANARY}-uv\n")
    files["netrc"].write_text(f"machine index.invalid login bot password {CANARY}-netrc\n")
    for path in files.values():
        path.chmod(0o600)
    return files


def _secret_args(files: dict[str, Path]) -> list[str]:
    """The --build-secret options of the files."""
    return [
        arg for key, path in files.items() for arg in ("--build-secret", f"id={key},src={path}")
    ]


@pytest.fixture(scope="session")
def secrets_build(engine: None, secret_files: dict[str, Path]) -> Iterator[tuple[str, str]]:
    """An image built with every secret and --verbose; yields its tag and the build's output."""
    if docker("image", "inspect", NOCA_BASE, check=False).returncode != 0:
        pytest.skip(f"the engine has no {NOCA_BASE}")
    started = time.monotonic()
    done = breeze(
        "prod-image", "build", "--image-tag", TAG, "--python-base-image", NOCA_BASE,
        "--airflow-extras", "celery", "--ca-bundle", "auto", "--answer", "yes",
        # a step of its own after the Airflow install, run with the secrets even when the
        # Airflow install comes from the cache; new in each session (a secret busts no cache)
        "--additional-python-deps", f"six!=0.0.{uuid.uuid4().int % 10**9}",
        "--build-progress", "plain", "--verbose", *_secret_args(secret_files),
    )  # fmt: skip
    print(f"\n{TAG}: built in {time.monotonic() - started:.0f} s")
    yield TAG, done.stdout + done.stderr
    docker("rmi", "--force", TAG, check=False)


def test_secrets_reach_the_install_steps(secrets_build: tuple[str, str]) -> None:
    _, output = secrets_build
    assert "Build secrets in use: ca-bundle pip-conf uv-toml netrc" in output, output[-3000:]


def test_no_secret_in_the_verbose_output(
    secrets_build: tuple[str, str], secret_files: dict[str, Path]
) -> None:
    _, output = secrets_build
    assert CANARY not in output
    for key, path in secret_files.items():
        assert f"--secret id={key},src={path}" in output  # the path, never the content


def test_no_secret_in_any_layer_or_the_history(
    secrets_build: tuple[str, str], tmp_path: Path
) -> None:
    tag, _ = secrets_build
    needles = {f"{CANARY}-{name}".encode() for name in ("pip", "uv", "netrc")}
    assert saved_image_contains(tag, needles | {CANARY.encode()}, tmp_path) == set()
    assert CANARY not in history(tag)
    inspect = docker("image", "inspect", tag).stdout
    assert CANARY not in inspect


def test_no_secret_in_the_dry_run(secret_files: dict[str, Path]) -> None:
    done = breeze(
        "prod-image", "build", "--dry-run", "--python-base-image", NOCA_BASE,
        "--airflow-constraints-mode", "none", *_secret_args(secret_files),
        env={"HTTPS_PROXY": f"http://bot:{CANARY}@proxy.invalid:3128"},
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert CANARY not in output
    assert "--secret id=netrc" in output and "--build-arg HTTPS_PROXY" in output
