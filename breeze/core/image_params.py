"""Parameters of an image build: what goes into the image and how the build runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from breeze.core.defaults import (
    DEFAULT_AIRFLOW_EXTRAS,
    DEFAULT_AIRFLOW_HOME,
    DEFAULT_AIRFLOW_UID,
    DEFAULT_AIRFLOW_USER_HOME_DIR,
    DEFAULT_AIRFLOW_VERSION,
    DEFAULT_DEBIAN_VERSION,
    DEFAULT_IMAGE_REPOSITORY,
    DEFAULT_PYTHON,
    PROD_TARGET,
    PYPI_INSTALLATION_METHOD,
)
from breeze.core.network import BuildSecret, CaBundle, NetworkRequest


def installation_kind(method: str) -> str:
    """Classify an installation method as 'pypi', 'url' or 'local'."""
    if method in (PYPI_INSTALLATION_METHOD, "apache-airflow"):
        return "pypi"
    if "://" in method or method.startswith("git+"):
        return "url"
    return "local"


def build_arg(name: str, default: Any = None, value: Callable[[Any], str] | None = None) -> Any:
    """A field that is the build arg NAME: its value as a string, or VALUE(spec) for a derived one.

    breeze.core.build_args turns every such field into its build arg, in field order.
    """
    return field(default=default, metadata={"build_arg": name, "value": value})


# --bytecode -> AIRFLOW_COMPILE_BYTECODE (the Dockerfile keeps its true/false of before)
BYTECODE = {"all": "true", "imported": "imported", "none": "false"}


def _bool(value: bool) -> str:
    """A Dockerfile boolean."""
    return "true" if value else "false"


def _installation_method(spec: ImageSpec) -> str:
    """AIRFLOW_INSTALLATION_METHOD: the PyPI package, a pip URL, or '.' for local sources."""
    return {"pypi": "apache-airflow", "url": spec.installation_method, "local": "."}[
        spec.installation
    ]


@dataclass(frozen=True)
class ImageSpec:
    """What goes into the image: every field maps to one build arg or one named build context."""

    python: str = build_arg("PYTHON_VERSION", DEFAULT_PYTHON)
    debian_version: str = build_arg("DEBIAN_VERSION", DEFAULT_DEBIAN_VERSION)
    python_base_image: str | None = build_arg("PYTHON_BASE_IMAGE", value=lambda s: s.base_image)
    airflow_version: str = build_arg("AIRFLOW_VERSION", DEFAULT_AIRFLOW_VERSION)
    airflow_extras: tuple[str, ...] = build_arg("AIRFLOW_EXTRAS", DEFAULT_AIRFLOW_EXTRAS)
    additional_airflow_extras: tuple[str, ...] = build_arg("ADDITIONAL_AIRFLOW_EXTRAS", ())
    additional_python_deps: tuple[str, ...] = build_arg("ADDITIONAL_PYTHON_DEPS", ())
    additional_dev_apt_deps: tuple[str, ...] = build_arg("ADDITIONAL_DEV_APT_DEPS", ())
    additional_runtime_apt_deps: tuple[str, ...] = build_arg("ADDITIONAL_RUNTIME_APT_DEPS", ())
    airflow_uid: int = build_arg("AIRFLOW_UID", DEFAULT_AIRFLOW_UID)
    airflow_home: str = build_arg("AIRFLOW_HOME", DEFAULT_AIRFLOW_HOME)
    airflow_user_home_dir: str = build_arg("AIRFLOW_USER_HOME_DIR", DEFAULT_AIRFLOW_USER_HOME_DIR)
    embedded_dags: Path | None = None  # the named build context embedded-dags
    installation_method: str = build_arg(
        "AIRFLOW_INSTALLATION_METHOD", PYPI_INSTALLATION_METHOD, _installation_method
    )
    install_distributions_from_context: bool = build_arg(
        "INSTALL_DISTRIBUTIONS_FROM_CONTEXT", False
    )
    docker_context_files: Path | None = None  # the named build context docker-context-files
    use_uv: bool = build_arg("AIRFLOW_USE_UV", True)
    bytecode: str = build_arg("AIRFLOW_COMPILE_BYTECODE", "all", lambda s: BYTECODE[s.bytecode])
    constraints_mode: str = build_arg("AIRFLOW_CONSTRAINTS_MODE", "constraints")
    constraints_reference: str | None = build_arg(
        "AIRFLOW_CONSTRAINTS_REFERENCE",
        value=lambda s: s.constraints_reference or f"constraints-{s.airflow_version}",
    )
    # replaced by the file name of the constraints the host prepared (core.build_args)
    constraints_location: str | None = build_arg(
        "AIRFLOW_CONSTRAINTS_LOCATION", value=lambda s: s.constraints_location or ""
    )
    target: str = PROD_TARGET
    # sha256 of the CA bundle installed into the image's trust store (--ca-bundle-in-image)
    ca_bundle_in_image: str | None = build_arg(
        "AIRFLOW_CA_BUNDLE_IN_IMAGE", value=lambda s: _bool(s.ca_bundle_in_image is not None)
    )

    @property
    def base_image(self) -> str:
        """The Python base image: the explicit one, else the official slim image."""
        return self.python_base_image or f"python:{self.python}-slim-{self.debian_version}"

    @property
    def extras(self) -> tuple[str, ...]:
        """Requested and additional extras, in order, without duplicates."""
        return tuple(dict.fromkeys(self.airflow_extras + self.additional_airflow_extras))

    @property
    def installation(self) -> str:
        """How Airflow is installed: 'pypi', 'url' or 'local'."""
        return installation_kind(self.installation_method)


@dataclass(frozen=True)
class BuildSettings:
    """How a build runs: where the result goes; none of this changes the image's content."""

    image_tag: str | None = None
    platform: str | None = None
    push: bool = False
    builder: str | None = None
    docker_host: str | None = None
    build_progress: str = "auto"
    # local: the builder's own cache; registry: also from (and with --push to) cache_ref;
    # disabled: every step runs
    docker_cache: str = "local"
    cache_ref: str | None = None  # None: derived from the image tag (cache_reference)
    # the network options as given; the build service resolves them into the fields below
    network: NetworkRequest = field(default_factory=NetworkRequest)
    # a folder with the Dockerfile and its scripts (export-context); None: the packaged one
    context: Path | None = None
    # trusted by apt, pip and uv during the build (a BuildKit secret, in no layer)
    ca_bundle: CaBundle | None = None
    # forwarded proxy variables (BuildKit's predefined build args, kept out of `docker history`)
    proxy_forward: bool = True
    proxy_env: tuple[tuple[str, str], ...] = ()
    build_secrets: tuple[BuildSecret, ...] = ()


def is_registry_image(tag: str) -> bool:
    """Whether an image name starts with a registry host (`host.name/`, `host:port/`, localhost)."""
    first, slash, _ = tag.partition("/")
    return bool(slash) and ("." in first or ":" in first or first == "localhost")


@dataclass(frozen=True)
class ImageBuildParams:
    """One image build: the image's content and how to build it."""

    spec: ImageSpec = field(default_factory=ImageSpec)
    settings: BuildSettings = field(default_factory=BuildSettings)

    @property
    def cache_reference(self) -> str | None:
        """Where --docker-cache registry keeps the build cache: --cache-ref, else by the tag.

        One cache per target, Python and Debian release in the image's repository: builds of
        other Airflow versions or packages still share the layers before the install.
        """
        if self.settings.cache_ref:
            return self.settings.cache_ref
        if not is_registry_image(self.tag):
            return None
        repository = self.tag.rsplit(":", 1)[0] if ":" in self.tag.rsplit("/", 1)[-1] else self.tag
        spec = self.spec
        return f"{repository}:buildcache-{spec.target}-python{spec.python}-{spec.debian_version}"

    @property
    def tag(self) -> str:
        """The image tag: the explicit one, else one derived from version, Python and Debian."""
        return self.settings.image_tag or default_image_tag(self.spec)


def default_image_tag(spec: ImageSpec) -> str:
    """The tag of an image built without --image-tag, unique per version/Python/Debian/target."""
    suffix = "" if spec.target == PROD_TARGET else f"-{spec.target}"
    debian = f"-{spec.debian_version}" if spec.debian_version != DEFAULT_DEBIAN_VERSION else ""
    version = spec.airflow_version if spec.installation == "pypi" else "source"
    return f"{DEFAULT_IMAGE_REPOSITORY}{suffix}:{version}-python{spec.python}{debian}"


@dataclass(frozen=True)
class VerifyParams:
    """Which image to check; the spec gives expectations the image's labels do not."""

    image: str | None = None  # None: the image the spec builds
    spec: ImageSpec = field(default_factory=ImageSpec)
    platform: str | None = None  # one variant of a multi-platform image (emulated if foreign)

    @property
    def tag(self) -> str:
        """The image to check."""
        return self.image or default_image_tag(self.spec)


@dataclass(frozen=True)
class ExportContextParams:
    """Where `prod-image export-context` writes the build context, and whether it may overwrite."""

    folder: Path
    force: bool = False
