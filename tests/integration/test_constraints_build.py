"""Builds with constraints: unreachable official file, a URL on 127.0.0.1, pins in the image."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.integration.conftest import CUSTOM_ARGS, TEST_REPOSITORY, breeze, docker


@pytest.fixture
def served(custom_image: str) -> Iterator[tuple[str, Path]]:
    """The constraints the custom image was built with, served on 127.0.0.1."""
    cache = Path(os.environ["BREEZE_CACHE_DIR"]) / "constraints" / "generated"
    files = sorted(cache.glob("3.3.2/*/constraints-3.11.txt"))
    assert files, f"no generated constraints for 3.11 under {cache}"
    handler = partial(SimpleHTTPRequestHandler, directory=str(files[0].parent))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/constraints-3.11.txt", files[0]
    finally:
        server.shutdown()


def test_unreachable_official_constraints_fail_in_one_line(engine: None) -> None:
    dead_proxy = "http://127.0.0.1:9"
    env = {"HTTPS_PROXY": dead_proxy, "https_proxy": dead_proxy, "NO_PROXY": "", "no_proxy": ""}
    # a base image the engine has (python:3.11-slim-bookworm): the constraints are what fails
    args = ("--python", "3.11", "--debian-version", "bookworm")
    done = breeze("prod-image", "build", *args, check=False, env=env)
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    message = lines[0]
    assert (
        "https://raw.githubusercontent.com/apache/airflow/constraints-3.3.2/constraints-3.11.txt"
        in message
    )
    assert "breeze constraints generate" in message and "--airflow-constraints-location" in message
    assert "--answer yes" in message


def test_build_with_a_constraints_url_pins_the_image(served: tuple[str, Path]) -> None:
    url, file = served
    tag = f"{TEST_REPOSITORY}:from-url"
    args = [a for a in CUSTOM_ARGS if a not in ("--answer", "yes")]
    breeze("prod-image", "build", "--image-tag", tag, "--airflow-constraints-location", url, *args)
    try:
        labels = json.loads(
            docker("image", "inspect", "--format", "{{json .Config.Labels}}", tag).stdout
        )
        assert labels["org.apache.airflow.constraints.source"] == url
        import hashlib

        assert (
            labels["org.apache.airflow.constraints.sha256"]
            == hashlib.sha256(file.read_bytes()).hexdigest()
        )
        inside = docker(
            "run", "--rm", tag, "bash", "-c", "cat /opt/airflow-venv/airflow-constraints.txt"
        ).stdout
        assert inside == file.read_text()
        done = breeze("prod-image", "verify", tag)
        assert (
            "Installed versions equal the constraints" in done.stdout
            and "FAILED" not in done.stdout
        )
    finally:
        docker("image", "rm", tag, check=False)
