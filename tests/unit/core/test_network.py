"""CA bundle, proxies and build secrets: params to build args, argv, compose env; masking."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from breeze.core import argv
from breeze.core.build_args import build_args, build_secrets, proxy_build_args
from breeze.core.build_log import BuildLog, tls_failure
from breeze.core.compose_env import compose_env
from breeze.core.devenv_params import DevEnvParams
from breeze.core.errors import InvalidInput
from breeze.core.image_params import BuildSettings, ImageSpec
from breeze.core.network import (
    BuildSecret,
    CaBundle,
    mask_credentials,
    mask_proxy,
    parse_build_secrets,
    proxy_env,
    resolve_ca_bundle,
    resolve_network_options,
    with_no_proxy,
)
from breeze.core.shell_format import format_command
from breeze.core.uv_resolve import uv_container
from tests.fakes import FakeSession

PEM = b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
ROOT = Path(__file__).resolve().parents[3]


class FakeFiles:
    """The one filesystem seam: paths to bytes, or to the OSError reading them raises."""

    def __init__(self, files: dict[str, bytes | OSError]) -> None:
        self.files = files

    def __call__(self, path: Path) -> bytes:
        found = self.files.get(str(path))
        if found is None:
            raise FileNotFoundError(2, "No such file or directory")
        if isinstance(found, OSError):
            raise found
        return found


# --- CA bundle ----------------------------------------------------------------------------


def test_no_option_no_bundle() -> None:
    assert resolve_ca_bundle(None, {}, read=FakeFiles({})) is None
    assert resolve_ca_bundle("", {}, read=FakeFiles({})) is None


def test_auto_prefers_ssl_cert_file_then_requests_ca_bundle() -> None:
    files = FakeFiles({"/a.pem": PEM, "/b.pem": PEM, "/etc/ssl/certs/ca-certificates.crt": PEM})
    env = {"SSL_CERT_FILE": "/a.pem", "REQUESTS_CA_BUNDLE": "/b.pem"}
    bundle = resolve_ca_bundle("auto", env, read=files)
    assert bundle is not None and bundle.path == Path("/a.pem").resolve()
    assert bundle.origin.startswith("$SSL_CERT_FILE")
    assert bundle.sha256 == hashlib.sha256(PEM).hexdigest()
    bundle = resolve_ca_bundle("auto", {"REQUESTS_CA_BUNDLE": "/b.pem"}, read=files)
    assert bundle is not None and bundle.path == Path("/b.pem").resolve()


def test_auto_falls_back_to_the_system_bundle() -> None:
    files = FakeFiles({"/etc/pki/tls/certs/ca-bundle.crt": PEM})
    bundle = resolve_ca_bundle("auto", {}, read=files)
    assert bundle is not None and str(bundle.path).endswith("ca-bundle.crt")
    assert "system bundle" in bundle.origin


@pytest.mark.parametrize(
    ("value", "env", "files", "message"),
    [
        ("auto", {}, {}, "--ca-bundle auto found no CA bundle"),
        ("auto", {"SSL_CERT_FILE": "/gone.pem"}, {}, "$SSL_CERT_FILE (/gone.pem): no such file"),
        ("/x.pem", {}, {}, "--ca-bundle /x.pem: no such file"),
        ("/x.pem", {}, {"/x.pem": PermissionError(13, "Permission denied")}, "cannot be read"),
        ("/x.pem", {}, {"/x.pem": IsADirectoryError(21, "Is a directory")}, "is a folder"),
        ("/x.pem", {}, {"/x.pem": b"not a certificate"}, "holds no PEM certificate"),
    ],
)
def test_ca_bundle_errors_are_one_line(
    value: str, env: dict[str, str], files: dict[str, bytes | OSError], message: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        resolve_ca_bundle(value, env, read=FakeFiles(files))
    assert message in raised.value.message
    assert "\n" not in raised.value.message


def test_ca_bundle_in_image_needs_a_bundle() -> None:
    with pytest.raises(InvalidInput, match="--ca-bundle-in-image needs --ca-bundle"):
        resolve_network_options(
            ca_bundle=None,
            ca_bundle_in_image=True,
            proxy_forward=True,
            build_secrets=[],
            environ={},
            read=FakeFiles({}),
        )


# --- build secrets ------------------------------------------------------------------------


def test_build_secrets_parse() -> None:
    files = FakeFiles({"/p/pip.conf": b"[global]\n", "/p/netrc": b"machine x\n"})
    secrets = parse_build_secrets(
        ["id=pip-conf,src=/p/pip.conf", "src=/p/netrc,id=netrc"], read=files
    )
    assert secrets == (
        BuildSecret("pip-conf", Path("/p/pip.conf").resolve()),
        BuildSecret("netrc", Path("/p/netrc").resolve()),
    )
    assert parse_build_secrets(["id=netrc,source=/p/netrc"], read=files)[0].id == "netrc"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["pip-conf"], "expected id=NAME,src=PATH"),
        (["id=pip-conf,src=/f,type=file"], "unknown key 'type'"),
        (["id=pip-conf"], "src is missing"),
        (["src=/f"], "id is missing"),
        (["id=pip-conf,id=netrc,src=/f"], "'id' is given twice"),
        (["id=npmrc,src=/f"], "is not a secret the Dockerfile mounts; use one of pip-conf"),
        (["id=ca-bundle,src=/f"], "reserved; use --ca-bundle"),
        (["id=netrc,src=/missing"], "/missing does not exist"),
        (["id=netrc,src=/locked"], "cannot be read (Permission denied)"),
        (["id=netrc,src=/dir"], "is a folder"),
        (["id=netrc,src=/f", "id=netrc,src=/f"], "id=netrc is given twice"),
    ],
)
def test_build_secret_errors_are_one_line(values: list[str], message: str) -> None:
    files = FakeFiles(
        {
            "/f": b"x",
            "/locked": PermissionError(13, "Permission denied"),
            "/dir": IsADirectoryError(21, "Is a directory"),
        }
    )
    with pytest.raises(InvalidInput) as raised:
        parse_build_secrets(values, read=files)
    assert message in raised.value.message
    assert "\n" not in raised.value.message


def test_build_secret_file_that_is_real_and_unreadable(tmp_path: Path) -> None:
    folder = tmp_path / "secret-folder"
    folder.mkdir()
    with pytest.raises(InvalidInput, match="is a folder"):
        parse_build_secrets([f"id=netrc,src={folder}"], read=FakeSession().read_bytes)


# --- proxies --------------------------------------------------------------------------------


def test_proxy_env_any_case_given_in_both_cases() -> None:
    env = {
        "HTTPS_PROXY": "http://p:3128",
        "no_proxy": "localhost,.corp",
        "Http_Proxy": "http://mixed:1",
        "all_proxy": "",
        "PATH": "/bin",
    }
    assert proxy_env(env) == {
        "HTTP_PROXY": "http://mixed:1",
        "http_proxy": "http://mixed:1",
        "HTTPS_PROXY": "http://p:3128",
        "https_proxy": "http://p:3128",
        "NO_PROXY": "localhost,.corp",
        "no_proxy": "localhost,.corp",
    }


def test_proxy_env_keeps_each_case_its_own_value() -> None:
    env = {"HTTPS_PROXY": "http://upper:1", "https_proxy": "http://lower:2"}
    assert proxy_env(env) == {"HTTPS_PROXY": "http://upper:1", "https_proxy": "http://lower:2"}


def test_no_proxy_gets_hosts_only_with_a_proxy() -> None:
    assert with_no_proxy({"NO_PROXY": "a"}, ("b",)) == {"NO_PROXY": "a"}
    result = with_no_proxy({"HTTP_PROXY": "http://p:1", "no_proxy": "a,b"}, ("b", "c"))
    assert result["no_proxy"] == "a,b,c" and result["NO_PROXY"] == "b,c"


def test_network_options_without_forwarding_have_no_proxies() -> None:
    env = {"HTTPS_PROXY": "http://p:1"}
    on = resolve_network_options(
        ca_bundle=None,
        ca_bundle_in_image=False,
        proxy_forward=True,
        build_secrets=[],
        environ=env,
        read=FakeFiles({}),
    )
    off = resolve_network_options(
        ca_bundle=None,
        ca_bundle_in_image=False,
        proxy_forward=False,
        build_secrets=[],
        environ=env,
        read=FakeFiles({}),
    )
    assert dict(on.proxy_env)["HTTPS_PROXY"] == "http://p:1"
    assert off.proxy_env == ()


# --- masking ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("http://user:pass@proxy:3128", "http://***@proxy:3128"),
        ("https://TOKEN@pypi.example.com/simple", "https://***@pypi.example.com/simple"),
        ("HTTPS_PROXY=http://u:p%40ss@h:1 x", "HTTPS_PROXY=http://***@h:1 x"),
        ("http://proxy:3128", "http://proxy:3128"),
        ("git+https://github.com/apache/airflow.git@v3-1-test", None),
        ("id=pip-conf,src=/home/me/pip.conf", None),
    ],
)
def test_mask_credentials(text: str, masked: str | None) -> None:
    assert mask_credentials(text) == (masked or text)


# --- build args, argv -----------------------------------------------------------------------

BUNDLE = CaBundle(Path("/etc/ssl/certs/ca-certificates.crt"), "auto", "ab" * 32)


def test_ca_bundle_in_image_is_a_build_arg_with_its_checksum() -> None:
    assert build_args(ImageSpec())["AIRFLOW_CA_BUNDLE_IN_IMAGE"] == "false"
    assert "AIRFLOW_CA_BUNDLE_CHECKSUM" not in build_args(ImageSpec())
    args = build_args(ImageSpec(ca_bundle_in_image="ab" * 32))
    assert args["AIRFLOW_CA_BUNDLE_IN_IMAGE"] == "true"
    assert args["AIRFLOW_CA_BUNDLE_CHECKSUM"] == "ab" * 32


def test_secrets_and_proxies_of_the_settings() -> None:
    settings = BuildSettings(
        ca_bundle=BUNDLE,
        build_secrets=(BuildSecret("netrc", Path("/home/me/.netrc")),),
        proxy_env=(("HTTPS_PROXY", "http://u:p@proxy:3128"),),
    )
    assert build_secrets(settings) == {
        "ca-bundle": "/etc/ssl/certs/ca-certificates.crt",
        "netrc": "/home/me/.netrc",
    }
    assert proxy_build_args(settings) == {"HTTPS_PROXY": "http://u:p@proxy:3128"}
    assert build_secrets(BuildSettings()) == {} and proxy_build_args(BuildSettings()) == {}


def _build_command(settings: BuildSettings, environ: dict[str, str]) -> argv.Command:
    return argv.buildx_build(
        dockerfile=Path("/src/Dockerfile"),
        context=Path("/src"),
        target="main",
        tag="t",
        settings=settings,
        build_args={"AIRFLOW_UID": "50000"},
        build_contexts={},
        secrets=build_secrets(settings),
        proxy_args=proxy_build_args(settings),
        environ=environ,
    )


def test_buildx_passes_proxies_by_name_and_secrets_by_path() -> None:
    proxy = "http://user:s3cret@proxy:3128"
    settings = BuildSettings(
        ca_bundle=BUNDLE,
        build_secrets=(BuildSecret("pip-conf", Path("/p/pip.conf")),),
        proxy_env=(("HTTPS_PROXY", proxy), ("https_proxy", proxy)),
    )
    command = _build_command(settings, {"HTTPS_PROXY": proxy})
    words = list(command.argv)
    assert words[words.index("--build-arg", 6) + 1 :].count("HTTPS_PROXY") == 1
    assert "--secret" in words
    assert "id=ca-bundle,src=/etc/ssl/certs/ca-certificates.crt" in words
    assert "id=pip-conf,src=/p/pip.conf" in words
    assert all("s3cret" not in word for word in words)
    # only what the environment lacks goes into the command's environment
    assert dict(command.env) == {"https_proxy": proxy}
    text = format_command(command)
    assert "s3cret" not in text and "user" not in text
    assert "https_proxy='http://***@proxy:3128'" in text
    assert "--build-arg HTTPS_PROXY \\" in text


def test_masking_covers_every_word_and_variable() -> None:
    command = argv.Command(
        ("docker", "run", "--env", "X=https://me:tok@h/x"), {"ALL_PROXY": "socks5://a:b@s:1"}
    )
    text = format_command(command, multiline=False)
    assert "tok" not in text and "a:b" not in text
    assert text == "ALL_PROXY='socks5://***@s:1' docker run --env 'X=https://***@h/x'"


# --- compose env ----------------------------------------------------------------------------


def _dev(**kwargs: object) -> DevEnvParams:
    return DevEnvParams(image="i", project_folder=Path("/p"), host_uid=1000, **kwargs)  # type: ignore[arg-type]


def test_compose_env_forwards_proxies_with_the_services_bypassed() -> None:
    params = _dev(proxy_env=(("HTTPS_PROXY", "http://p:3128"), ("NO_PROXY", ".corp")))
    env = compose_env(params, "proj")
    assert env["HTTPS_PROXY"] == "http://p:3128"
    no_proxy = env["NO_PROXY"].split(",")
    assert no_proxy[0] == ".corp"
    assert {"api-server", "postgres", "redis", "localhost"} <= set(no_proxy)


def test_compose_env_without_forwarding_blanks_the_users_proxies() -> None:
    params = _dev(proxy_env=(("HTTPS_PROXY", "http://p:3128"),), proxy_forward=False)
    env = compose_env(params, "proj")
    assert env["HTTPS_PROXY"] == ""
    assert "NO_PROXY" not in env


def test_compose_env_without_proxies_adds_nothing() -> None:
    env = compose_env(_dev(), "proj")
    assert not {name for name in env if name.upper().endswith("_PROXY")}


def test_compose_file_passes_every_proxy_variable() -> None:
    text = (ROOT / "breeze" / "compose" / "airflow-common.yaml").read_text()
    for kind in ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY"):
        assert f"- {kind}\n" in text and f"- {kind.lower()}\n" in text


# --- constraints containers -----------------------------------------------------------------


def test_constraints_container_mounts_the_secrets_read_only() -> None:
    (command,) = uv_container(
        "noca/python:3.13-slim-trixie",
        "true",
        name="c",
        secrets={"ca-bundle": "/etc/ssl/ca.pem", "uv-toml": "/p/uv.toml"},
        environ={"HTTPS_PROXY": "http://u:p@h:1"},
    )
    words = list(command.argv)
    assert "/etc/ssl/ca.pem:/run/secrets/ca-bundle:ro" in words
    assert "SSL_CERT_FILE=/run/secrets/ca-bundle" in words
    assert "PIP_CERT=/run/secrets/ca-bundle" in words
    assert "/p/uv.toml:/run/secrets/uv-toml:ro" in words
    assert "UV_CONFIG_FILE=/run/secrets/uv-toml" in words
    assert "HTTPS_PROXY" in words  # by name: the value stays out of the command
    assert all("u:p" not in word for word in words)
    (off,) = uv_container(
        "img", "true", name="c", environ={"HTTPS_PROXY": "x"}, proxy_forward=False
    )
    assert "HTTPS_PROXY" not in off.argv


# --- TLS diagnosis --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "#12 3.2 ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify "
        "failed: unable to get local issuer certificate (_ssl.c:1028)",
        "#12 9.1   Caused by: invalid peer certificate: UnknownIssuer",
        "#7 1.0 Err:1 https://deb.example.com/debian trixie InRelease Certificate verification "
        "failed: The certificate is NOT trusted. The certificate issuer is unknown.",
        "#9 0.5 curl: (60) SSL certificate problem: self-signed certificate in certificate chain",
    ],
)
def test_tls_failures_suggest_the_ca_bundle(line: str) -> None:
    log = BuildLog()
    for text in (
        "#12 [airflow-build 4/6] RUN install",
        line,
        "#12 ERROR: process did not complete",
    ):
        log.feed(text)
    assert tls_failure(line)
    cause = log.cause()
    assert "TLS certificate verification failed" in cause and "--ca-bundle auto" in cause


def test_tls_wins_over_the_missing_distribution_it_causes() -> None:
    log = BuildLog()
    for text in (
        "#12 1.0 Could not fetch URL https://pypi.org/simple/uv/: There was a problem confirming "
        "the ssl certificate: [SSL: CERTIFICATE_VERIFY_FAILED]",
        "#12 1.1 ERROR: No matching distribution found for uv==0.13.9",
    ):
        log.feed(text)
    assert "--ca-bundle auto" in log.cause()


# --- the CLI --------------------------------------------------------------------------------


def test_dry_run_shows_no_credential(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from breeze.main import main

    netrc = tmp_path / "netrc"
    netrc.write_text("machine pypi.example.com login bot password canary-s3cret\n")
    bundle = tmp_path / "ca.pem"
    bundle.write_bytes(PEM)
    monkeypatch.setenv("HTTPS_PROXY", "http://bot:canary-proxy-pw@proxy:3128")
    code = main(
        [
            "prod-image", "build", "--dry-run", "--ca-bundle", str(bundle),
            "--build-secret", f"id=netrc,src={netrc}",
            "--airflow-constraints-mode", "none",
        ]
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "canary" not in out + err
    assert f"--secret id=netrc,src={netrc}" in out
    assert f"--secret id=ca-bundle,src={bundle}" in out
    assert "--build-arg HTTPS_PROXY" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--ca-bundle", "/nonexistent/ca.pem"], "--ca-bundle /nonexistent/ca.pem: no such file"),
        (["--ca-bundle-in-image"], "--ca-bundle-in-image needs --ca-bundle"),
        (["--build-secret", "id=npmrc,src=/etc/hostname"], "use one of pip-conf, uv-toml, netrc"),
    ],
)
def test_bad_network_options_are_one_line(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    from breeze.main import main

    code = main(["prod-image", "build", "--dry-run", *args])
    _, err = capsys.readouterr()
    assert code == 2
    assert message in err
    assert len([line for line in err.splitlines() if line.strip()]) == 1, err


def test_shell_and_start_airflow_take_the_network_options(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from breeze.main import main

    for command in ("shell", "start-airflow"):
        code = main([command, "--dry-run", "--ca-bundle", "/nonexistent/ca.pem"])
        _, err = capsys.readouterr()
        assert code == 2 and "--ca-bundle /nonexistent/ca.pem" in err


def test_constraints_container_tls_failure_suggests_the_ca_bundle() -> None:
    from breeze.services.constraints_generate import ContainerOutput

    output = ContainerOutput(1, ["breeze: installing uv 0.13.9", "WARNING: Retrying ... "
        "SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] ...'))",
        "ERROR: No matching distribution found for uv==0.13.9"])  # fmt: skip
    assert "--ca-bundle auto" in output.cause()


def test_constraints_label_keeps_no_credential() -> None:
    from breeze.core.build_args import image_labels
    from breeze.core.constraint_files import PreparedConstraints

    prepared = PreparedConstraints(
        Path("/c"), "c.txt", "https://bot:tok3n@mirror.example.com/c.txt", "ab", kind="url"
    )
    labels = image_labels(prepared)
    assert labels["org.apache.airflow.constraints.source"] == "https://***@mirror.example.com/c.txt"


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("http://u:p@h:1", "http://***@h:1"),
        ("u:p@h:1", "***@h:1"),
        ("http://h:1", "http://h:1"),
        ("socks5h://user@h", "socks5h://***@h"),
        ("localhost,.corp", "localhost,.corp"),
    ],
)
def test_mask_proxy(value: str, masked: str) -> None:
    assert mask_proxy(value) == masked


def test_printed_env_masks_a_proxy_without_scheme() -> None:
    shown = format_command(
        argv.Command(("docker", "compose", "up"), {"https_proxy": "u:secret@h:3128"})
    )
    assert "secret" not in shown
    assert "https_proxy='***@h:3128'" in shown
