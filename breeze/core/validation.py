"""Checks of build parameters that need no I/O: each failure is one line saying what to do."""

from __future__ import annotations

import re

from breeze.core import airflow_meta
from breeze.core.defaults import (
    ALLOWED_BUILD_PROGRESS,
    ALLOWED_DEBIAN_VERSIONS,
    ALLOWED_DOCKER_CACHE,
    ALLOWED_PYTHON_VERSIONS,
    KNOWN_PLATFORMS,
    MAX_AIRFLOW_UID,
)
from breeze.core.errors import InvalidInput
from breeze.core.image_params import ImageBuildParams, ImageSpec, is_registry_image

# docker/distribution's reference grammar, simplified: [registry[:port]/]path[:tag][@digest]
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_TAG_RE = re.compile(
    r"^(?:(?:localhost|[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)+)(?::[0-9]+)?/|[a-zA-Z0-9-]+:[0-9]+/)?"
    rf"{_COMPONENT}(?:/{_COMPONENT})*"
    r"(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$"
)
_APT_PACKAGE_RE = re.compile(r"^[a-z0-9][a-z0-9+.-]*(?::[a-z0-9-]+)?(?:=[A-Za-z0-9.+~:-]+)?$")
_PLATFORM_RE = re.compile(r"^[a-z0-9]+/[a-z0-9_]+(?:/[a-z0-9]+)?$")
_VERSION_RE = re.compile(r"^\d+\.\d+\.\d+$")
_SHELL_UNSAFE_RE = re.compile(r"[\s`$;|&\\'\"(){}]")


def validate_build(params: ImageBuildParams) -> list[str]:
    """Raise InvalidInput for the first unusable value; return warnings for doubtful ones."""
    warnings = validate_spec(params.spec)
    settings = params.settings
    if settings.image_tag == "":
        raise InvalidInput(
            "--image-tag is empty; give NAME[:TAG], e.g. my-airflow:3.3.2, or leave the option out"
        )
    if settings.image_tag is not None and not _TAG_RE.match(settings.image_tag):
        raise InvalidInput(
            f"'{settings.image_tag}' is not a valid image tag; use NAME[:TAG] with lowercase "
            "letters, digits and separators, e.g. my-airflow:3.3.2"
        )
    if settings.platform is not None:
        for platform in settings.platform.split(","):
            if platform not in KNOWN_PLATFORMS:
                kind = "a platform breeze builds" if _PLATFORM_RE.match(platform) else "a platform"
                raise InvalidInput(
                    f"'{platform}' is not {kind}; use one of {', '.join(KNOWN_PLATFORMS)} "
                    "(several: comma-separated, with --push)"
                )
        if "," in settings.platform and not settings.push:
            raise InvalidInput(
                "a multi-platform image cannot be loaded into the local engine; add --push"
            )
    _validate_cache(params)
    if settings.build_progress not in ALLOWED_BUILD_PROGRESS:
        raise InvalidInput(
            _not_one_of("--build-progress", settings.build_progress, ALLOWED_BUILD_PROGRESS)
        )
    return warnings


def _validate_cache(params: ImageBuildParams) -> None:
    """A known cache mode; a registry cache needs a reference in a registry."""
    settings = params.settings
    if settings.docker_cache not in ALLOWED_DOCKER_CACHE:
        raise InvalidInput(
            _not_one_of("--docker-cache", settings.docker_cache, ALLOWED_DOCKER_CACHE)
        )
    if settings.cache_ref is not None:
        if settings.docker_cache != "registry":
            raise InvalidInput(
                "--cache-ref names the cache of --docker-cache registry; add that option"
            )
        if not _TAG_RE.match(settings.cache_ref) or not is_registry_image(settings.cache_ref):
            raise InvalidInput(
                f"--cache-ref '{settings.cache_ref}' is not an image in a registry; use "
                "REGISTRY/NAME[:TAG], e.g. ghcr.io/my-org/airflow:buildcache"
            )
    if settings.docker_cache == "registry" and params.cache_reference is None:
        raise InvalidInput(
            f"--docker-cache registry keeps the cache next to the image, but {params.tag} is in "
            "no registry; give --image-tag REGISTRY/NAME:TAG or --cache-ref REGISTRY/NAME:TAG"
        )


def validate_spec(spec: ImageSpec) -> list[str]:
    """Raise InvalidInput for the first unusable image content; return warnings."""
    warnings: list[str] = []
    if spec.constraints_reference == "":
        raise InvalidInput(
            "--airflow-constraints-reference is empty; give a git ref such as constraints-3.3.2, "
            "or leave the option out"
        )
    if spec.python not in ALLOWED_PYTHON_VERSIONS:
        raise InvalidInput(_not_one_of("--python", spec.python, ALLOWED_PYTHON_VERSIONS))
    if spec.debian_version not in ALLOWED_DEBIAN_VERSIONS:
        raise InvalidInput(
            _not_one_of("--debian-version", spec.debian_version, ALLOWED_DEBIAN_VERSIONS)
        )
    if spec.python_base_image is not None and not _TAG_RE.match(spec.python_base_image):
        raise InvalidInput(
            f"'{spec.python_base_image}' is not a valid image for --python-base-image; use "
            "NAME[:TAG] such as python:3.13-slim-trixie"
        )
    warnings += _validate_airflow(spec)
    if not 0 < spec.airflow_uid <= MAX_AIRFLOW_UID:
        raise InvalidInput(
            f"--airflow-uid {spec.airflow_uid} is not allowed; use a non-root UID "
            f"from 1 to {MAX_AIRFLOW_UID}"
        )
    for option, path in (
        ("--airflow-home", spec.airflow_home),
        ("--airflow-user-home-dir", spec.airflow_user_home_dir),
    ):
        if not path.startswith("/") or _SHELL_UNSAFE_RE.search(path):
            raise InvalidInput(f"{option} must be an absolute path without spaces, got '{path}'")
    for option, packages in (
        ("--additional-dev-deps", spec.additional_dev_apt_deps),
        ("--additional-runtime-deps", spec.additional_runtime_apt_deps),
    ):
        for package in packages:
            if not _APT_PACKAGE_RE.match(package):
                raise InvalidInput(f"{option}: '{package}' is not a Debian package name")
    for requirement in spec.additional_python_deps:
        if not requirement or _SHELL_UNSAFE_RE.search(requirement):
            raise InvalidInput(
                f"--additional-python-deps: '{requirement}' is not a requirement; give "
                "space-separated specifiers such as 'numpy==2.3.0 requests>=2'"
            )
    if spec.install_distributions_from_context and spec.installation == "url":
        raise InvalidInput(
            "--install-distributions-from-context installs without an index; it cannot be "
            f"combined with --installation-method {spec.installation_method}"
        )
    return warnings


def _validate_airflow(spec: ImageSpec) -> list[str]:
    """Check the Airflow version, its Python support and the extras; return warnings."""
    if spec.installation != "pypi":
        return []
    if not _VERSION_RE.match(spec.airflow_version):
        raise InvalidInput(
            f"--install-airflow-version '{spec.airflow_version}' is not a release version such "
            f"as {airflow_meta.known_versions()[0]}"
        )
    release = airflow_meta.get_release(spec.airflow_version)
    if release is None:
        newest = airflow_meta.known_versions()[0]
        if not _maybe_released_since(spec.airflow_version, newest):
            raise InvalidInput(_unknown_version(spec.airflow_version, newest))
        return [
            f"Airflow {spec.airflow_version} is newer than breeze's release data (newest known: "
            f"{newest}); Python and extras are not checked before the build (upgrade breeze to "
            "check them)"
        ]
    problem = airflow_meta.python_support_error(release, spec.python)
    if problem:
        raise InvalidInput(f"{problem}; choose another --python or --install-airflow-version")
    for extra, suggestion in airflow_meta.unknown_extras(release, spec.extras):
        hint = f"did you mean '{suggestion}'?" if suggestion else "see `breeze prod-image extras`"
        raise InvalidInput(f"Airflow {release.version} has no extra '{extra}'; {hint}")
    warnings = []
    if release.yanked:
        warnings.append(f"Airflow {release.version} was yanked from PyPI")
    return warnings


def _maybe_released_since(version: str, newest: str) -> bool:
    """Whether VERSION could be a release after the shipped data: a next patch, minor or major.

    The data ships with breeze, so a breeze older than the newest Airflow must still build it;
    a version far beyond the next releases (9.9.9) is a typo, refused before anything runs.
    """
    major, minor, _ = airflow_meta.version_key(version)
    known_major, known_minor, _ = airflow_meta.version_key(newest)
    if airflow_meta.version_key(version) <= airflow_meta.version_key(newest):
        return False  # the data lists every release up to its newest
    if major == known_major:
        return minor <= known_minor + 2
    return major == known_major + 1 and minor == 0


def _unknown_version(version: str, newest: str) -> str:
    """The refusal of an Airflow version that is no release, with the nearest known ones."""
    known = airflow_meta.known_versions()
    series = version.rsplit(".", 1)[0] + "."
    near = [v for v in known if v.startswith(series)][:3] or known[:3]
    later = (
        f", or upgrade breeze if Airflow {version} was released after {newest}"
        if airflow_meta.version_key(version) > airflow_meta.version_key(newest)
        else ""
    )
    return (
        f"--install-airflow-version {version} is not an Airflow release (breeze knows "
        f"{known[-1]} to {newest}); choose one such as {', '.join(near)}{later}"
    )


def _not_one_of(option: str, value: str, allowed: tuple[str, ...]) -> str:
    """The message for a value outside a fixed set."""
    return f"{option} '{value}' is not one of {', '.join(allowed)}"
