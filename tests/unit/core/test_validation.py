"""Validation of build parameters: one-line messages saying what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from breeze.core.errors import InvalidInput
from breeze.core.image_params import BuildSettings, ImageBuildParams, ImageSpec
from breeze.core.validation import validate_build


def _error(spec: ImageSpec = ImageSpec(), settings: BuildSettings = BuildSettings()) -> str:
    with pytest.raises(InvalidInput) as info:
        validate_build(ImageBuildParams(spec, settings))
    message = info.value.message
    assert "\n" not in message
    return message


def test_defaults_are_valid() -> None:
    assert validate_build(ImageBuildParams()) == []


def test_unknown_extra_suggests_the_closest_name() -> None:
    message = _error(ImageSpec(airflow_extras=("celery", "jira")))
    assert "'jira'" in message and "atlassian-jira" in message


def test_python_not_supported_by_the_airflow_version() -> None:
    message = _error(ImageSpec(airflow_version="1.10.11", python="3.11", airflow_extras=()))
    assert "1.10.11" in message and "3.11" in message


@pytest.mark.parametrize("version", ["9.9.9", "4.1.0", "3.9.0"])
def test_an_airflow_version_far_beyond_the_data_is_refused(version: str) -> None:
    message = _error(ImageSpec(airflow_version=version))
    assert f"--install-airflow-version {version} is not an Airflow release" in message
    assert "choose one such as 3.3.2, 3.3.1, 3.3.0" in message
    assert f"upgrade breeze if Airflow {version} was released after 3.3.2" in message


def test_a_missing_version_within_the_data_is_refused_with_its_neighbours() -> None:
    message = _error(ImageSpec(airflow_version="3.2.9"))
    assert message.endswith("choose one such as 3.2.2, 3.2.1, 3.2.0")


@pytest.mark.parametrize("version", ["3.3.3", "3.4.0", "3.5.1", "4.0.0"])
def test_a_version_just_after_the_data_warns_instead_of_failing(version: str) -> None:
    warnings = validate_build(
        ImageBuildParams(ImageSpec(airflow_version=version, airflow_extras=("x",)))
    )
    assert len(warnings) == 1 and f"{version} is newer than breeze's release data" in warnings[0]


@pytest.mark.parametrize(
    "platform", ["linux/bogus", "windows/amd64", "linux/amd64,linux/bogus", "linux/amd64 "]
)
def test_unknown_platforms_are_refused(platform: str) -> None:
    message = _error(settings=BuildSettings(platform=platform, push=True))
    assert "is not a platform" in message and "use one of linux/amd64, linux/arm64" in message


@pytest.mark.parametrize("platform", ["linux/amd64", "linux/arm/v7", "linux/amd64,linux/arm64"])
def test_known_platforms_are_accepted(platform: str) -> None:
    assert (
        validate_build(ImageBuildParams(settings=BuildSettings(platform=platform, push=True))) == []
    )


@pytest.mark.parametrize(
    ("spec", "needle"),
    [
        (ImageSpec(airflow_version="3.3"), "release version"),
        (ImageSpec(airflow_uid=0), "--airflow-uid"),
        (ImageSpec(airflow_uid=-5), "--airflow-uid"),
        (ImageSpec(airflow_home="relative/path"), "--airflow-home"),
        (ImageSpec(airflow_user_home_dir="/home/a b"), "--airflow-user-home-dir"),
        (ImageSpec(additional_dev_apt_deps=("libfoo; rm -rf /",)), "--additional-dev-deps"),
        (ImageSpec(additional_runtime_apt_deps=("Bad_Name",)), "--additional-runtime-deps"),
        (ImageSpec(additional_python_deps=("numpy;echo",)), "--additional-python-deps"),
        (ImageSpec(python="3.9"), "--python"),
        (ImageSpec(debian_version="buster"), "--debian-version"),
        (ImageSpec(python_base_image="Not A Tag"), "--python-base-image"),
        (
            ImageSpec(
                installation_method="git+https://x/airflow.git@main",
                install_distributions_from_context=True,
            ),
            "--install-distributions-from-context",
        ),
    ],
)
def test_bad_image_content(spec: ImageSpec, needle: str) -> None:
    assert needle in _error(spec)


@pytest.mark.parametrize(
    ("settings", "needle"),
    [
        (BuildSettings(image_tag="UPPER/case:tag"), "image tag"),
        (BuildSettings(image_tag="name:bad tag"), "image tag"),
        (BuildSettings(platform="amd64"), "platform"),
        (BuildSettings(platform="linux/amd64,linux/arm64"), "--push"),
        (BuildSettings(build_progress="fancy"), "--build-progress"),
    ],
)
def test_bad_build_settings(settings: BuildSettings, needle: str) -> None:
    assert needle in _error(settings=settings)


@pytest.mark.parametrize(
    "tag",
    ["airflow", "my-airflow:3.3.2", "registry.example.com:5000/team/airflow:v1", "a/b/c:1.0-rc_1"],
)
def test_good_tags(tag: str) -> None:
    assert validate_build(ImageBuildParams(settings=BuildSettings(image_tag=tag))) == []


def test_local_sources_skip_pypi_checks() -> None:
    spec = ImageSpec(installation_method=str(Path("/src/airflow")), airflow_version="main")
    assert validate_build(ImageBuildParams(spec)) == []
