"""Behind this machine's TLS-intercepting egress: a base image that does not trust its CA.

`noca/python:3.13-slim-trixie` lacks the egress CA, so pip and uv fail TLS in it unless the build
brings the CA (`--ca-bundle`). Each image is built once per session, with small extras.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.conftest import breeze, docker
from tests.integration.layers import (
    NOCA_BASE,
    ConnectProxy,
    bridge_gateway,
    error_lines,
    extra_ca_needles,
    history,
    saved_image_contains,
)

REPOSITORY = "breeze-test/noca"
NOCA_ARGS = (
    "--python-base-image", NOCA_BASE,
    "--airflow-extras", "celery",
    "--build-progress", "plain",
    # the official constraints are not reachable here: generate them (in a noca container too)
    "--answer", "yes",
)  # fmt: skip
PYPI = "https://pypi.org/simple/six/"
TIMINGS: dict[str, float] = {}


@pytest.fixture(scope="session")
def noca(engine: None) -> None:
    """Skip unless the engine has the noca base and the machine has an extra CA."""
    if docker("image", "inspect", NOCA_BASE, check=False).returncode != 0:
        pytest.skip(f"the engine has no {NOCA_BASE} (../shared/bin/docker-up makes it)")
    if not extra_ca_needles():
        pytest.skip("this machine trusts no extra CA: nothing for --ca-bundle to fix")


@pytest.fixture(scope="session")
def no_cache_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, ...]:
    """Build secrets that turn off the pip and uv caches: every index page is fetched over TLS."""
    folder = tmp_path_factory.mktemp("no-cache")
    (folder / "pip.conf").write_text("[global]\nno-cache-dir = true\n")
    (folder / "uv.toml").write_text("no-cache = true\n")
    return (
        "--build-secret", f"id=pip-conf,src={folder / 'pip.conf'}",
        "--build-secret", f"id=uv-toml,src={folder / 'uv.toml'}",
    )  # fmt: skip


def _built(tag: str, *args: str) -> str:
    """Build a noca image and record how long it took."""
    started = time.monotonic()
    done = breeze("prod-image", "build", "--image-tag", tag, *NOCA_ARGS, *args)
    TIMINGS[tag] = time.monotonic() - started
    print(f"\n{tag}: built in {TIMINGS[tag]:.0f} s")
    return done.stderr


@pytest.fixture(scope="session")
def ca_auto_image(noca: None) -> Iterator[str]:
    """The noca build with --ca-bundle auto."""
    tag = f"{REPOSITORY}:ca-auto"
    _built(tag, "--ca-bundle", "auto")
    yield tag
    docker("rmi", "--force", tag, check=False)


@pytest.fixture(scope="session")
def ca_in_image(ca_auto_image: str) -> Iterator[str]:
    """The same build with the CA bundle also in the image's trust store."""
    tag = f"{REPOSITORY}:ca-in-image"
    _built(tag, "--ca-bundle", "auto", "--ca-bundle-in-image")
    yield tag
    docker("rmi", "--force", tag, check=False)


def _trusts_pypi(image: str, client: str) -> tuple[bool, str]:
    """Whether python (urllib or requests) in the image reaches PyPI over TLS."""
    code = {
        "urllib": f"import urllib.request; urllib.request.urlopen({PYPI!r}, timeout=60)",
        "requests": f"import requests; requests.get({PYPI!r}, timeout=60).raise_for_status()",
    }[client]
    done = docker("run", "--rm", image, "python", "-c", code, check=False, timeout=180)
    return done.returncode == 0, done.stdout + done.stderr


def _env(image: str) -> str:
    """The image's environment variables, one a line."""
    return docker("image", "inspect", "--format", '{{join .Config.Env "\\n"}}', image).stdout


def test_build_without_ca_bundle_fails_with_the_tls_diagnosis(
    noca: None, no_cache_files: tuple[str, ...]
) -> None:
    tag = f"{REPOSITORY}:no-ca"
    # no constraints: the first step that needs TLS (pip installing uv) fails fast
    done = breeze(
        "prod-image", "build", "--image-tag", tag, *NOCA_ARGS[:-2],
        "--airflow-constraints-mode", "none", *no_cache_files,
        check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr[-3000:]
    [message] = error_lines(done.stderr)
    assert "TLS certificate verification failed" in message, message
    assert "--ca-bundle auto" in message
    assert "Traceback" not in done.stderr
    assert docker("image", "inspect", tag, check=False).returncode != 0


def test_constraints_generation_without_ca_bundle_fails_with_the_tls_diagnosis(
    noca: None, no_cache_files: tuple[str, ...], tmp_path: Path
) -> None:
    done = breeze(
        "constraints", "generate", "--python-base-image", NOCA_BASE, "--airflow-extras", "celery",
        "--output-dir", str(tmp_path), *no_cache_files,
        check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr[-3000:]
    [message] = error_lines(done.stderr)
    assert "--ca-bundle auto" in message, message
    assert list(tmp_path.iterdir()) == []


def test_ca_auto_build_passes_verify(ca_auto_image: str) -> None:
    done = breeze("prod-image", "verify", ca_auto_image, check=False)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]


def test_ca_bundle_is_in_no_layer(ca_auto_image: str, tmp_path: Path) -> None:
    needles = extra_ca_needles()
    assert saved_image_contains(ca_auto_image, needles, tmp_path) == set()
    # and the image does not trust the egress: the CA was only lent to the build
    trusted, output = _trusts_pypi(ca_auto_image, "urllib")
    assert not trusted and "CERTIFICATE_VERIFY_FAILED" in output, output
    assert "SSL_CERT_FILE" not in _env(ca_auto_image)


def test_another_ca_bundle_and_proxy_rebuild_nothing(ca_auto_image: str, tmp_path: Path) -> None:
    """A secret's content and the proxy variables are not part of the cache key."""
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(Path("/etc/ssl/certs/ca-certificates.crt").read_bytes() + b"\n")
    proxy = "http://canary-user:canary-password@127.0.0.1:9"
    done = breeze(
        "prod-image", "build", "--image-tag", ca_auto_image, *NOCA_ARGS, "--verbose",
        "--ca-bundle", str(bundle),
        env={"HTTPS_PROXY": proxy, "https_proxy": proxy, "NO_PROXY": "", "no_proxy": ""},
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert "canary-password" not in output and "canary-user" not in output
    assert "--build-arg HTTPS_PROXY" in output
    steps = dict(re.findall(r"^#(\d+) \[[^\]]+\] (RUN .*)$", output, re.M))
    assert steps, output[-3000:]
    rerun = [what for step, what in steps.items() if f"#{step} CACHED" not in output]
    assert rerun == [], f"steps re-ran: {rerun}"
    assert "canary" not in history(ca_auto_image)


def test_ca_bundle_in_image_is_trusted_at_run_time(ca_in_image: str, tmp_path: Path) -> None:
    found = saved_image_contains(ca_in_image, extra_ca_needles(), tmp_path)
    assert found, "the CA bundle should be in the image"
    assert "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt" in _env(ca_in_image)
    for client in ("urllib", "requests"):
        trusted, output = _trusts_pypi(ca_in_image, client)
        assert trusted, f"{client}: {output}"


def test_ci_image_builds_on_the_noca_base(ca_auto_image: str, tmp_path: Path) -> None:
    """The CI stage installs its tools as the airflow user: the secret is mounted for that UID.

    Then `breeze shell` on it: the dev containers get the user's proxy, with the service names
    in NO_PROXY, and nothing with --no-proxy-forward.
    """
    tag = f"{REPOSITORY}:ci"
    folder = tmp_path / "project"
    folder.mkdir()
    password = f"canary-{uuid.uuid4().hex}"
    proxy = f"http://bot:{password}@proxy.invalid:3128"
    shell = (
        "shell", "--project-folder", str(folder), "--image-tag", tag, "--airflow-extras", "celery",
        "--answer", "no", "--verbose",  # the image's options differ: no rebuild
    )  # fmt: skip
    check = f'test "$HTTPS_PROXY" = "{proxy}" && echo "forwarded, NO_PROXY=$NO_PROXY"'
    try:
        breeze(
            "ci-image", "build", "--image-tag", tag, *NOCA_ARGS, "--ca-bundle", "auto",
        )  # fmt: skip
        done = docker("run", "--rm", tag, "python", "-m", "pytest", "--version", check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        env = {"HTTPS_PROXY": proxy, "NO_PROXY": ".corp.example"}
        done = breeze(*shell, "-c", check, env=env)
        assert "forwarded, NO_PROXY=.corp.example,localhost,127.0.0.1,api-server" in done.stdout
        assert password not in done.stderr
        done = breeze(*shell, "--no-proxy-forward", "-c", 'echo "[${HTTPS_PROXY:-}]"', env=env)
        assert "[]" in done.stdout
    finally:
        breeze("down", "--volumes", "--project-folder", str(folder), check=False)
        docker("rmi", "--force", tag, check=False)


def test_build_goes_through_the_users_proxy(
    ca_auto_image: str, no_cache_files: tuple[str, ...]
) -> None:
    """HTTPS_PROXY with credentials reaches the install steps; the password shows nowhere."""
    password = f"canary-{uuid.uuid4().hex}"
    proxy = ConnectProxy("breeze-user", password)
    url = f"http://breeze-user:{password}@{bridge_gateway()}:{proxy.port}"
    tag = f"{REPOSITORY}:proxied"
    try:
        done = breeze(
            "prod-image", "build", "--image-tag", tag, *NOCA_ARGS, "--ca-bundle", "auto",
            "--verbose", *no_cache_files,
            # a new step in each session, whose uv fetches the index through the proxy
            "--additional-python-deps", f"cowsay!=0.0.{uuid.uuid4().int % 10**9}",
            env={"HTTPS_PROXY": url, "https_proxy": url, "NO_PROXY": "", "no_proxy": ""},
        )  # fmt: skip
        output = done.stdout + done.stderr
        assert any(t.startswith(("pypi.org", "files.pythonhosted.org")) for t in proxy.tunnels), (
            proxy.tunnels,
            proxy.refused,
        )
        assert proxy.refused == 0
        assert password not in output
        assert "--build-arg HTTPS_PROXY" in output
        assert password not in history(tag)
        assert password not in docker("image", "inspect", tag).stdout
    finally:
        proxy.close()
        docker("rmi", "--force", tag, check=False)
