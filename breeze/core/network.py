"""Network settings of a build: the CA bundle to trust, forwarded proxies, BuildKit secrets."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from breeze.core.errors import InvalidInput

AUTO = "auto"
CA_BUNDLE_SECRET = "ca-bundle"
# The secret ids the Dockerfile mounts, and what each becomes in the install steps.
BUILD_SECRET_IDS: Mapping[str, str] = {
    "pip-conf": "a pip.conf, read by pip as PIP_CONFIG_FILE",
    "uv-toml": "a uv.toml, read by uv as UV_CONFIG_FILE",
    "netrc": "a .netrc with index credentials, read by pip and uv as NETRC",
}
# The variables that point pip, uv, requests, curl at each secret once mounted at
# /run/secrets/<id> (scripts/docker/build-env.sh does the same inside the build).
SECRET_ENV: Mapping[str, tuple[str, ...]] = {
    CA_BUNDLE_SECRET: ("SSL_CERT_FILE", "PIP_CERT", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"),
    "pip-conf": ("PIP_CONFIG_FILE",),
    "uv-toml": ("UV_CONFIG_FILE",),
    "netrc": ("NETRC",),
}
SECRETS_DIR = "/run/secrets"
# Where Linux distributions, macOS and Homebrew keep the system's CA bundle, most common first.
SYSTEM_CA_BUNDLES = (
    "/etc/ssl/certs/ca-certificates.crt",  # Debian, Ubuntu, Alpine, Arch
    "/etc/pki/tls/certs/ca-bundle.crt",  # Fedora, RHEL, CentOS
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  # RHEL 7+
    "/etc/ssl/ca-bundle.pem",  # openSUSE
    "/etc/ssl/cert.pem",  # macOS, BSD
    "/opt/homebrew/etc/ca-certificates/cert.pem",
    "/usr/local/etc/ca-certificates/cert.pem",
)
# The proxy variables BuildKit predefines as build args (kept out of `docker history`).
PROXY_KINDS = ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY")
_PEM_MARK = b"-----BEGIN CERTIFICATE-----"
_SECRET_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# a proxy variable may omit the scheme: `user:password@proxy:3128`
_BARE_USERINFO_RE = re.compile(r"^[^/@\s]+@")
_USERINFO_RE = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)(?P<userinfo>[^/@\s'\"]+)@")


@dataclass(frozen=True)
class CaBundle:
    """A CA bundle the build trusts: where it is, where it was found, and its checksum."""

    path: Path
    origin: str  # e.g. "--ca-bundle", "$SSL_CERT_FILE", "the system bundle"
    sha256: str


@dataclass(frozen=True)
class BuildSecret:
    """One `--build-secret id=NAME,src=PATH`: a file BuildKit mounts into the install steps."""

    id: str
    src: Path


def resolve_ca_bundle(
    value: str | None,
    environ: Mapping[str, str],
    *,
    read: Callable[[Path], bytes],
) -> CaBundle | None:
    """The CA bundle `--ca-bundle PATH|auto` names; None without the option.

    `auto` is the host's trust store: $SSL_CERT_FILE or $REQUESTS_CA_BUNDLE when set, else the
    first system bundle that exists.
    """
    if value is None or value == "":
        return None
    if value != AUTO:
        path = Path(value).expanduser()
        return _ca_bundle(path, f"--ca-bundle {value}", read, required=True)  # type: ignore[return-value]
    for variable in ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE"):
        if environ.get(variable):
            path = Path(environ[variable]).expanduser()
            return _ca_bundle(path, f"${variable} ({path})", read, required=True)  # type: ignore[return-value]
    for candidate in SYSTEM_CA_BUNDLES:
        found = _ca_bundle(Path(candidate), f"the system bundle {candidate}", read, required=False)
        if found is not None:
            return found
    raise InvalidInput(
        "--ca-bundle auto found no CA bundle: SSL_CERT_FILE and REQUESTS_CA_BUNDLE are not set "
        f"and none of {', '.join(SYSTEM_CA_BUNDLES[:3])}, ... exists; give --ca-bundle PATH"
    )


def _ca_bundle(
    path: Path, origin: str, read: Callable[[Path], bytes], *, required: bool
) -> CaBundle | None:
    """A readable PEM bundle at path; InvalidInput (or None when not required) otherwise."""
    try:
        data = read(path)
    except FileNotFoundError:
        if not required:
            return None
        raise InvalidInput(f"{origin}: no such file; give a PEM CA bundle") from None
    except IsADirectoryError:
        raise InvalidInput(f"{origin} is a folder; give a PEM CA bundle file") from None
    except OSError as e:
        raise InvalidInput(
            f"{origin} cannot be read ({e.strerror or e}); check its permissions"
        ) from None
    if _PEM_MARK not in data:
        raise InvalidInput(
            f"{origin} holds no PEM certificate (-----BEGIN CERTIFICATE-----); give a PEM CA bundle"
        )
    import hashlib  # loads OpenSSL: not on the path of --help and TAB

    return CaBundle(path.resolve(), origin, hashlib.sha256(data).hexdigest())


def parse_build_secret(text: str, *, read: Callable[[Path], bytes]) -> BuildSecret:
    """One `--build-secret id=NAME,src=PATH` (or `source=`), checked; InvalidInput if not."""
    fields: dict[str, str] = {}
    for part in text.split(","):
        key, sep, value = part.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InvalidInput(
                f"--build-secret '{text}': expected id=NAME,src=PATH, e.g. id=pip-conf,src=pip.conf"
            )
        key = "src" if key == "source" else key
        if key not in ("id", "src"):
            raise InvalidInput(
                f"--build-secret '{text}': unknown key '{key}'; only id and src are allowed"
            )
        if key in fields:
            raise InvalidInput(f"--build-secret '{text}': '{key}' is given twice")
        fields[key] = value.strip()
    secret_id, src = fields.get("id", ""), fields.get("src", "")
    if not secret_id or not src:
        missing = "id" if not secret_id else "src"
        raise InvalidInput(
            f"--build-secret '{text}': {missing} is missing; expected id=NAME,src=PATH"
        )
    if secret_id == CA_BUNDLE_SECRET:
        raise InvalidInput(
            f"--build-secret id={CA_BUNDLE_SECRET} is reserved; use --ca-bundle PATH instead"
        )
    if not _SECRET_ID_RE.match(secret_id) or secret_id not in BUILD_SECRET_IDS:
        raise InvalidInput(
            f"--build-secret id={secret_id} is not a secret the Dockerfile mounts; use one of "
            f"{', '.join(BUILD_SECRET_IDS)}"
        )
    path = Path(src).expanduser()
    try:
        read(path)
    except FileNotFoundError:
        raise InvalidInput(f"--build-secret id={secret_id}: {src} does not exist") from None
    except IsADirectoryError:
        raise InvalidInput(
            f"--build-secret id={secret_id}: {src} is a folder, not a file"
        ) from None
    except OSError as e:
        raise InvalidInput(
            f"--build-secret id={secret_id}: {src} cannot be read ({e.strerror or e})"
        ) from None
    return BuildSecret(secret_id, path.resolve())


def parse_build_secrets(
    values: list[str] | tuple[str, ...], *, read: Callable[[Path], bytes]
) -> tuple[BuildSecret, ...]:
    """Every `--build-secret`, each checked, with no id given twice."""
    secrets: dict[str, BuildSecret] = {}
    for text in values:
        secret = parse_build_secret(text, read=read)
        if secret.id in secrets:
            raise InvalidInput(f"--build-secret id={secret.id} is given twice; give each id once")
        secrets[secret.id] = secret
    return tuple(secrets.values())


def proxy_env(environ: Mapping[str, str]) -> dict[str, str]:
    """The proxy variables of the environment, in any case, as both UPPER and lower names.

    Tools disagree on the case they read (apt and curl read lower case, Go programs upper), so
    each set variable is given in both; a name the user set keeps its own value.
    """
    by_upper: dict[str, list[tuple[str, str]]] = {}
    for name, value in environ.items():
        if name.upper() in PROXY_KINDS and value:
            by_upper.setdefault(name.upper(), []).append((name, value))
    result: dict[str, str] = {}
    for kind in PROXY_KINDS:
        found = dict(by_upper.get(kind, ()))
        if not found:
            continue
        fallback = found.get(kind) or found.get(kind.lower()) or next(iter(found.values()))
        result[kind] = found.get(kind, fallback)
        result[kind.lower()] = found.get(kind.lower(), fallback)
    return result


def with_no_proxy(proxies: Mapping[str, str], hosts: tuple[str, ...]) -> dict[str, str]:
    """The proxy variables with hosts added to NO_PROXY/no_proxy, when any proxy is set."""
    if not any(proxies.get(kind) for kind in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")):
        return dict(proxies)
    result = dict(proxies)
    for name in ("NO_PROXY", "no_proxy"):
        entries = [e.strip() for e in result.get(name, "").split(",") if e.strip()]
        result[name] = ",".join(dict.fromkeys([*entries, *hosts]))
    return result


def mask_credentials(text: str) -> str:
    """The text with the user information of every URL in it (`user:password@`) masked."""
    return _USERINFO_RE.sub(lambda m: f"{m.group('scheme')}***@", text)


def mask_proxy(value: str) -> str:
    """A proxy setting with its user information masked, also when it has no scheme."""
    if "://" in value:
        return mask_credentials(value)
    return _BARE_USERINFO_RE.sub("***@", value)


@dataclass(frozen=True)
class NetworkRequest:
    """The network options as given: resolved by the session (files, environment) before use."""

    ca_bundle: str | None = None  # PATH, 'auto' or None
    ca_bundle_in_image: bool = False
    proxy_forward: bool = True
    build_secrets: tuple[str, ...] = ()  # 'id=NAME,src=PATH' each


@dataclass(frozen=True)
class NetworkOptions:
    """What the network options of a build resolve to."""

    ca_bundle: CaBundle | None
    proxy_env: tuple[tuple[str, str], ...]
    build_secrets: tuple[BuildSecret, ...]


def resolve_network_options(
    *,
    ca_bundle: str | None,
    ca_bundle_in_image: bool,
    proxy_forward: bool,
    build_secrets: list[str] | tuple[str, ...],
    environ: Mapping[str, str],
    read: Callable[[Path], bytes],
) -> NetworkOptions:
    """The CA bundle, proxy variables and secrets a build uses, checked; InvalidInput if not."""
    bundle = resolve_ca_bundle(ca_bundle, environ, read=read)
    if ca_bundle_in_image and bundle is None:
        raise InvalidInput("--ca-bundle-in-image needs --ca-bundle PATH or --ca-bundle auto")
    proxies = tuple(proxy_env(environ).items()) if proxy_forward else ()
    return NetworkOptions(bundle, proxies, parse_build_secrets(build_secrets, read=read))
