"""Params -> build args -> buildx argv, the pure pipeline."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from breeze.core import argv
from breeze.core.build_args import Provenance, build_args, build_contexts, image_labels
from breeze.core.constraint_files import PreparedConstraints
from breeze.core.defaults import DEFAULT_AIRFLOW_EXTRAS
from breeze.core.image_params import BuildSettings, ImageBuildParams, ImageSpec, default_image_tag
from breeze.core.shell_format import format_command
from tests.golden import assert_golden

ROOT = Path(__file__).resolve().parents[3]
PROVENANCE = Provenance(created="2026-01-02T03:04:05Z", revision="0123abcd")


def _command(params: ImageBuildParams) -> argv.Command:
    return argv.buildx_build(
        dockerfile=Path("/src/Dockerfile"),
        context=Path("/src"),
        target=params.spec.target,
        tag=params.tag,
        settings=params.settings,
        build_args=build_args(params.spec, PROVENANCE),
        build_contexts=build_contexts(params.spec),
    )


def test_default_build_args_name_every_dockerfile_arg() -> None:
    args = build_args(ImageSpec())
    dockerfile_args = set(re.findall(r"^ARG ([A-Z_]+)", (ROOT / "Dockerfile").read_text(), re.M))
    assert set(args) <= dockerfile_args, f"not in Dockerfile: {set(args) - dockerfile_args}"
    assert args["PYTHON_BASE_IMAGE"] == "python:3.13-slim-trixie"
    assert args["AIRFLOW_EXTRAS"] == ",".join(DEFAULT_AIRFLOW_EXTRAS)
    assert args["AIRFLOW_CONSTRAINTS_REFERENCE"] == "constraints-3.3.2"


def test_every_build_arg_is_documented_in_the_contract() -> None:
    documented = set(re.findall(r"^\| `([A-Z_]+)`", (ROOT / "docs" / "image.md").read_text(), re.M))
    missing = set(build_args(ImageSpec(), PROVENANCE)) - documented
    assert not missing, f"build args missing from docs/image.md: {missing}"


def test_default_command_golden() -> None:
    assert_golden("prod_build_default.txt", format_command(_command(ImageBuildParams())) + "\n")


def test_customised_command_golden() -> None:
    spec = ImageSpec(
        python="3.11",
        debian_version="bookworm",
        airflow_extras=("celery", "postgres"),
        additional_airflow_extras=("slack", "celery"),
        additional_python_deps=("numpy>=2,<3", "requests"),
        additional_dev_apt_deps=("libasound2-dev",),
        additional_runtime_apt_deps=("libasound2",),
        airflow_uid=1001,
        embedded_dags=Path("/home/me/dags"),
        use_uv=False,
    )
    settings = BuildSettings(
        image_tag="registry.example.com:5000/team/airflow:v1",
        platform="linux/arm64",
        push=True,
        builder="remote",
        docker_host="tcp://10.0.0.5:2376",
        build_progress="plain",
    )
    assert_golden(
        "prod_build_custom.txt", format_command(_command(ImageBuildParams(spec, settings))) + "\n"
    )


def test_extras_merge_in_order_without_duplicates() -> None:
    spec = ImageSpec(
        airflow_extras=("celery", "postgres"), additional_airflow_extras=("slack", "celery")
    )
    assert spec.extras == ("celery", "postgres", "slack")
    assert build_args(spec)["ADDITIONAL_AIRFLOW_EXTRAS"] == "slack,celery"


@pytest.mark.parametrize(
    ("method", "expected_arg", "context"),
    [
        ("pypi", "apache-airflow", None),
        (
            "git+https://github.com/apache/airflow.git@v3-1-test",
            "git+https://github.com/apache/airflow.git@v3-1-test",
            None,
        ),
        ("/src/airflow", ".", "/src/airflow"),
    ],
)
def test_installation_methods(method: str, expected_arg: str, context: str | None) -> None:
    spec = ImageSpec(installation_method=method)
    assert build_args(spec)["AIRFLOW_INSTALLATION_METHOD"] == expected_arg
    assert build_contexts(spec).get("airflow-sources") == context


def test_push_replaces_load_and_docker_host_goes_to_env() -> None:
    command = _command(
        ImageBuildParams(settings=BuildSettings(push=True, docker_host="ssh://me@box"))
    )
    assert "--push" in command.argv and "--load" not in command.argv
    assert command.env == {"DOCKER_HOST": "ssh://me@box"}


def test_default_tags_differ_per_python_and_debian() -> None:
    tags = {
        default_image_tag(ImageSpec(python=p, debian_version=d))
        for p in ("3.11", "3.13")
        for d in ("trixie", "bookworm")
    }
    assert len(tags) == 4
    assert default_image_tag(ImageSpec()) == "breeze/airflow:3.3.2-python3.13"


def test_provenance_only_when_known() -> None:
    assert "AIRFLOW_IMAGE_REVISION" not in build_args(ImageSpec())
    assert build_args(ImageSpec(), PROVENANCE)["AIRFLOW_IMAGE_REVISION"] == "0123abcd"


@pytest.mark.parametrize(
    ("kind", "source", "label"),
    [
        (
            "official",
            "https://raw.githubusercontent.com/a/c.txt",
            "https://raw.githubusercontent.com/a/c.txt",
        ),
        (
            "url",
            "https://bot:tok3n@mirror.example.com/c.txt",
            "https://***@mirror.example.com/c.txt",
        ),
        ("file", "/home/me/pins/c.txt", "file:c.txt"),
        ("generated", "/root/.cache/breeze/constraints/generated/3.3.2/ab12/c.txt", "generated"),
    ],
)
def test_constraints_labels_hold_no_host_path(kind: str, source: str, label: str) -> None:
    folder = Path("/root/.cache/breeze/constraints/file/c.txt/ab12")
    prepared = PreparedConstraints(folder, "c.txt", source, "f00d", kind=kind)
    assert image_labels(prepared) == {
        "org.apache.airflow.constraints.source": label,
        "org.apache.airflow.constraints.sha256": "f00d",
    }
    assert image_labels(None) == {"org.apache.airflow.constraints.source": "none"}
