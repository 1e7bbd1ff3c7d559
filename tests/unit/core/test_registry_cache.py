"""--docker-cache: where the build cache lives, the buildx flags it becomes, what is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from breeze.core import argv
from breeze.core.errors import InvalidInput
from breeze.core.image_params import (
    BuildSettings,
    ImageBuildParams,
    ImageSpec,
    is_registry_image,
)
from breeze.core.validation import validate_build

TEAM = "registry.example.com:5000/team/airflow:3.3.2-1"


def _build(**settings: object) -> ImageBuildParams:
    return ImageBuildParams(ImageSpec(python="3.12"), BuildSettings(**settings))  # type: ignore[arg-type]


def _flags(params: ImageBuildParams) -> list[str]:
    command = argv.buildx_build(
        dockerfile=Path("Dockerfile"), context=Path("."), target="main", tag=params.tag,
        settings=params.settings, build_args={}, build_contexts={},
        cache_ref=params.cache_reference,
    )  # fmt: skip
    words, flags = list(command.argv), []
    for i, word in enumerate(words):
        if word == "--no-cache":
            flags.append(word)
        elif word in ("--cache-from", "--cache-to"):
            flags += [word, words[i + 1]]
    return flags


@pytest.mark.parametrize(
    ("name", "in_registry"),
    [
        ("ghcr.io/org/airflow:1", True),
        ("localhost/airflow:1", True),
        ("registry:5000/airflow", True),
        ("breeze/airflow:3.3.2-python3.13", False),
        ("airflow:1", False),
    ],
)
def test_a_registry_host_is_a_name_with_a_dot_a_port_or_localhost(
    name: str, in_registry: bool
) -> None:
    assert is_registry_image(name) is in_registry


def test_the_cache_lives_next_to_the_image_per_target_python_and_debian() -> None:
    params = _build(image_tag=TEAM, docker_cache="registry")
    assert params.cache_reference == (
        "registry.example.com:5000/team/airflow:buildcache-main-python3.12-trixie"
    )
    explicit = _build(image_tag=TEAM, docker_cache="registry", cache_ref="ghcr.io/o/c:x")
    assert explicit.cache_reference == "ghcr.io/o/c:x"
    assert _build(image_tag="my-airflow:1").cache_reference is None


def test_registry_mode_reads_the_cache_and_writes_it_only_when_pushing() -> None:
    ref = "registry.example.com:5000/team/airflow:buildcache-main-python3.12-trixie"
    assert _flags(_build(image_tag=TEAM, docker_cache="registry")) == [
        "--cache-from", f"type=registry,ref={ref}",
    ]  # fmt: skip
    assert _flags(_build(image_tag=TEAM, docker_cache="registry", push=True)) == [
        "--cache-from", f"type=registry,ref={ref}",
        "--cache-to", f"type=registry,ref={ref},mode=max",
    ]  # fmt: skip
    assert _flags(_build(docker_cache="disabled")) == ["--no-cache"]
    assert _flags(_build()) == []


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"docker_cache": "s3"}, "--docker-cache 's3'"),
        ({"docker_cache": "registry"}, "breeze/airflow:3.3.2-python3.12 is in no registry"),
        ({"cache_ref": "ghcr.io/o/c:x"}, "--cache-ref names the cache of --docker-cache registry"),
        (
            {"docker_cache": "registry", "cache_ref": "c:x"},
            "--cache-ref 'c:x' is not an image in a",
        ),
    ],
)
def test_an_unusable_cache_setting_is_one_line(settings: dict, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        validate_build(_build(**settings))
