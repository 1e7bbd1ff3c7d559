"""Constraints for real: generate in containers, download from a local server, check conflicts."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from breeze.core.errors import BreezeError
from breeze.core.image_params import ImageSpec
from breeze.io.session import Session
from breeze.services.constraints import prepare_constraints
from tests.integration.conftest import ROOT, breeze, docker

# The stand-in base images differ in Debian release, so one placeholder tag names both.
BASE_IMAGES = {"3.11": "python:3.11-slim-bookworm", "3.13": "python:3.13-slim-trixie"}
BASE_IMAGE_TEMPLATE = "breeze-test/python:{python}"
EXTRAS = "celery,postgres"
GOOD = b"# test pins\napache-airflow==3.3.2\ncelery==5.6.3\nrequests==2.34.2\n"


@pytest.fixture(scope="session")
def base_images(engine: None) -> Iterator[str]:
    """breeze-test/python:<python> tags of the stand-in base images, removed afterwards."""
    for python, image in BASE_IMAGES.items():
        docker("tag", image, BASE_IMAGE_TEMPLATE.format(python=python))
    yield BASE_IMAGE_TEMPLATE
    for python in BASE_IMAGES:
        docker("rmi", BASE_IMAGE_TEMPLATE.format(python=python), check=False)


@pytest.fixture(scope="session")
def generated(base_images: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Constraints for Python 3.11 and 3.13 with a small extras set, made once in parallel."""
    folder = tmp_path_factory.mktemp("generated")
    started = time.monotonic()
    done = breeze(
        "constraints",
        "generate",
        "--python",
        "3.11,3.13",
        "--airflow-extras",
        EXTRAS,
        "--python-base-image",
        base_images,
        "--output-dir",
        str(folder),
    )
    print(f"generate for 3.11 and 3.13 took {time.monotonic() - started:.0f} s", file=sys.stderr)
    assert "[3.11]" in done.stderr and "[3.13]" in done.stderr  # plain progress lines
    return folder


@pytest.fixture
def cache_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A private cache for this test, in-process and for the CLI."""
    env = {"BREEZE_CACHE_DIR": str(tmp_path / "cache")}
    monkeypatch.setenv("BREEZE_CACHE_DIR", env["BREEZE_CACHE_DIR"])
    for name in ("HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    return env


# --- generate ------------------------------------------------------------------------------


@pytest.mark.parametrize("python", ["3.11", "3.13"])
def test_generate_writes_a_constraints_file_per_python(generated: Path, python: str) -> None:
    assert sorted(p.name for p in generated.iterdir()) == [
        "constraints-3.11.txt",
        "constraints-3.13.txt",
    ]
    text = (generated / f"constraints-{python}.txt").read_text()
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert f"# constraints for Apache Airflow 3.3.2 on Python {python}" in header
    assert any(f"breeze-test/python:{python}" in line for line in header)
    assert any("apache-airflow[celery,postgres]==3.3.2" in line for line in header)
    pins = dict(line.split("==") for line in text.splitlines() if "==" in line and line[0] != "#")
    assert pins["apache-airflow"] == "3.3.2"
    for name in (
        "apache-airflow-core",
        "apache-airflow-providers-celery",
        "apache-airflow-providers-postgres",
        "celery",
        "sqlalchemy",
    ):
        assert name in pins, name
    assert len(pins) > 100  # every transitive dependency


def test_show_reads_a_generated_file(generated: Path, cache_env: dict[str, str]) -> None:
    done = breeze(
        "constraints",
        "show",
        "--python",
        "3.11",
        "--airflow-extras",
        EXTRAS,
        "--airflow-constraints-location",
        str(generated / "constraints-3.11.txt"),
        env=cache_env,
    )
    assert "(local file)" in done.stdout
    assert "Cached:  no, stored now in" in done.stdout
    for name in (
        "apache-airflow",
        "apache-airflow-providers-celery",
        "apache-airflow-providers-postgres",
    ):
        line = next(line for line in done.stdout.splitlines() if line.split()[:1] == [name])
        assert "not pinned" not in line


def test_generated_file_disagreeing_with_the_version_is_refused(
    generated: Path, cache_env: dict[str, str]
) -> None:
    done = breeze(
        "constraints",
        "show",
        "--install-airflow-version",
        "3.2.0",
        "--airflow-constraints-location",
        str(generated / "constraints-3.13.txt"),
        check=False,
        env=cache_env,
    )
    assert done.returncode == 2
    assert "pins apache-airflow==3.3.2 but --install-airflow-version is 3.2.0" in done.stderr
    assert not Path(cache_env["BREEZE_CACHE_DIR"], "constraints", "file").exists()


def test_ctrl_c_removes_the_containers_and_writes_nothing(base_images: str, tmp_path: Path) -> None:
    before = set(_constraint_containers())
    process = subprocess.Popen(
        [
            *(
                sys.executable,
                "-m",
                "breeze",
                "constraints",
                "generate",
                "-p",
                "3.11",
                "-p",
                "3.13",
            ),
            *("--python-base-image", base_images, "--output-dir", str(tmp_path)),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a process group to send Ctrl-C's SIGINT to, like a terminal
    )
    try:
        deadline = time.monotonic() + 60
        started: set[str] = set()
        while len(started) < 2 and time.monotonic() < deadline and process.poll() is None:
            new = set(_constraint_containers()) - before
            # another breeze on the same engine may be resolving too: keep this run's pair
            runs = {name.rsplit("-", 1)[0] for name in new}
            started = max(
                ({n for n in new if n.startswith(f"{r}-")} for r in runs), key=len, default=set()
            )
            time.sleep(0.3)
        assert len(started) == 2, "the two resolve containers did not start"
        os.killpg(process.pid, signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130, err
    assert "removing the resolve containers" in err
    assert not started & set(_constraint_containers(all_states=True))
    assert list(tmp_path.iterdir()) == []


def _constraint_containers(*, all_states: bool = False) -> list[str]:
    """Names of the containers breeze runs to resolve constraints."""
    flags = ["-a"] if all_states else []
    done = docker(
        "ps", *flags, "--filter", "label=breeze.purpose=constraints", "--format", "{{.Names}}"
    )
    return done.stdout.split()


# --- check ---------------------------------------------------------------------------------


def _check(
    generated: Path, requirements: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """`breeze constraints check` against the generated 3.13 file."""
    return breeze(
        "constraints",
        "check",
        "-r",
        str(requirements),
        "--python-base-image",
        "python:3.13-slim-trixie",
        "--airflow-extras",
        EXTRAS,
        "--airflow-constraints-location",
        str(generated / "constraints-3.13.txt"),
        check=False,
        env=env,
    )


def test_check_compatible_requirements(
    generated: Path, tmp_path: Path, cache_env: dict[str, str]
) -> None:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("requests>=2\nsix\n")
    done = _check(generated, requirements, cache_env)
    assert done.returncode == 0, done.stderr
    assert "compatible: requirements.txt resolves with Airflow 3.3.2" in done.stderr


def test_check_explains_each_conflict(
    generated: Path, tmp_path: Path, cache_env: dict[str, str]
) -> None:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("# ours\nrequests>=3\ncelery~=4.4\nsqlalchemy==2.*\n")
    pins = generated.joinpath("constraints-3.13.txt").read_text().splitlines()
    line_of = {line.split("==")[0]: number for number, line in enumerate(pins, 1) if "==" in line}
    done = _check(generated, requirements, cache_env)
    assert done.returncode == 1
    explanations = done.stdout.splitlines()
    assert len(explanations) == 2
    requests_pin = pins[line_of["requests"] - 1]
    assert explanations[0] == (
        f"requests: you ask for 'requests>=3' (requirements.txt line 2), the constraints pin "
        f"{requests_pin} (constraints-3.13.txt line {line_of['requests']})"
    )
    assert explanations[1].startswith("celery: you ask for 'celery~=4.4' (requirements.txt line 3)")
    error = done.stderr.strip().splitlines()[-1]
    assert error.startswith(
        "Error: requirements.txt is not compatible with the constraints (2 conflicts)"
    )


def test_check_shows_uv_lines_for_a_transitive_conflict(
    generated: Path, tmp_path: Path, cache_env: dict[str, str]
) -> None:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("databases==0.5.5\n")  # wants sqlalchemy<1.5
    done = _check(generated, requirements, cache_env)
    assert done.returncode == 1
    assert done.stdout.startswith("uv reports a conflict:")
    assert "sqlalchemy" in done.stdout


# --- prepare_constraints against a local HTTP server ---------------------------------------


class _Server:
    """A constraints server on 127.0.0.1: path -> (status, body, delay in seconds)."""

    def __init__(self, routes: dict[str, tuple[int, bytes, float]]) -> None:
        self.requests: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.requests.append(self.path)
                path = self.path.split("://", 1)[-1].split("/", 1)[-1]
                status, body, delay = routes.get("/" + path, (404, b"not found", 0.0))
                time.sleep(delay)
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Stop serving and close the port."""
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[_Server]:
    """A local server with good, HTML, missing and slow constraints."""
    served = _Server(
        {
            "/pins/constraints-3.13.txt": (200, GOOD, 0.0),
            "/pins/page.html": (200, b"<html><body>Sign in</body></html>", 0.0),
            "/pins/slow.txt": (200, GOOD, 5.0),
        }
    )
    yield served
    served.stop()


def _url_entries(cache_env: dict[str, str]) -> list[Path]:
    """Everything the cache holds."""
    root = Path(cache_env["BREEZE_CACHE_DIR"])
    return sorted(root.rglob("*")) if root.exists() else []


def test_download_is_cached_and_reused_without_the_server(
    server: _Server, cache_env: dict[str, str]
) -> None:
    spec = ImageSpec(constraints_location=f"{server.url}/pins/constraints-3.13.txt")
    prepared = prepare_constraints(spec, Session())
    assert prepared is not None
    assert [p.name for p in prepared.folder.iterdir()] == ["constraints-3.13.txt"]
    assert prepared.file_name == "constraints-3.13.txt"
    assert prepared.sha256 == hashlib.sha256(GOOD).hexdigest()
    assert prepared.source == spec.constraints_location
    assert prepared.pins["celery"] == "5.6.3"
    assert len(server.requests) == 1
    server.stop()
    again = prepare_constraints(spec, Session())
    assert again == prepared


def test_cli_show_says_whether_the_download_is_cached(
    server: _Server, cache_env: dict[str, str]
) -> None:
    args = ("constraints", "show", "--airflow-constraints-location")
    first = breeze(*args, f"{server.url}/pins/constraints-3.13.txt", env=cache_env)
    assert "(URL)" in first.stdout and "Cached:  no, stored now in" in first.stdout
    second = breeze(*args, f"{server.url}/pins/constraints-3.13.txt", env=cache_env)
    assert "Cached:  yes" in second.stdout
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    ("path", "error"),
    [
        ("/pins/missing.txt", "HTTP 404"),
        ("/pins/page.html", "is not a constraints file"),
        ("/pins/slow.txt", "no answer in 1 s"),
    ],
)
def test_bad_downloads_are_one_line_and_leave_nothing(
    server: _Server, cache_env: dict[str, str], path: str, error: str
) -> None:
    url = f"{server.url}{path}"
    started = time.monotonic()
    with pytest.raises(BreezeError) as raised:
        prepare_constraints(ImageSpec(constraints_location=url), Session(), timeout=1)
    assert time.monotonic() - started < 4
    message = raised.value.message
    assert url in message and error in message and "\n" not in message
    if "HTTP" in error:
        assert "`breeze constraints generate`" in message
        assert "--airflow-constraints-location" in message
    assert _url_entries(cache_env) in ([], [Path(cache_env["BREEZE_CACHE_DIR"]) / "constraints"])


def test_cli_timeout_from_the_environment(server: _Server, cache_env: dict[str, str]) -> None:
    done = breeze(
        "constraints",
        "show",
        "--airflow-constraints-location",
        f"{server.url}/pins/slow.txt",
        check=False,
        env={**cache_env, "BREEZE_CONSTRAINTS_TIMEOUT": "1"},
    )
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"Error: cannot download {server.url}/pins/slow.txt: no answer in 1 s; generate "
        "constraints with `breeze constraints generate` or pass --airflow-constraints-location "
        "URL-or-FILE"
    )


def test_proxy_variables_are_honoured(
    server: _Server, cache_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy = _Server({"/pins/constraints-3.13.txt": (200, GOOD, 0.0)})
    try:
        url = "http://constraints.example.invalid/pins/constraints-3.13.txt"
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        prepared = prepare_constraints(ImageSpec(constraints_location=url), Session())
        assert prepared is not None and prepared.pins["requests"] == "2.34.2"
        assert proxy.requests == [url]  # an absolute URL: the request went through the proxy
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        direct = f"{server.url}/pins/constraints-3.13.txt"
        assert prepare_constraints(ImageSpec(constraints_location=direct), Session())
        assert len(proxy.requests) == 1 and len(server.requests) == 1
    finally:
        proxy.stop()
