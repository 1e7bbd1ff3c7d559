"""The docker command lines breeze runs, built from values alone."""

from __future__ import annotations

from pathlib import Path

from breeze.core.argv import (
    buildx_version,
    compose_version,
    docker_compose,
    docker_run,
    engine_env,
)


def test_the_engine_is_chosen_by_one_variable_or_none() -> None:
    assert engine_env(None) == {} and engine_env("") == {}
    assert engine_env("tcp://127.0.0.1:2376") == {"DOCKER_HOST": "tcp://127.0.0.1:2376"}
    assert buildx_version("tcp://h:1").env == {"DOCKER_HOST": "tcp://h:1"}
    assert compose_version(None).argv == ("docker", "compose", "version", "--short")


def test_docker_run_puts_flags_user_and_environment_before_the_image() -> None:
    command = docker_run(
        "img:1", ("bash", "-c", "true"), user="1:0", environment={"A": "b"}, flags=("--read-only",)
    )
    assert command.argv == (
        "docker", "run", "--rm", "--read-only", "--user", "1:0", "--env", "A=b",
        "img:1", "bash", "-c", "true",
    )  # fmt: skip


def test_compose_takes_files_and_profiles_only_where_given() -> None:
    bare = docker_compose("p", "ps")
    assert bare.argv == ("docker", "compose", "--project-name", "p", "ps")
    full = docker_compose(
        "p", "up", files=(Path("/c/a.yaml"),), profiles=("flower",), env={"X": "1"},
        docker_host="tcp://h:1",
    )  # fmt: skip
    assert full.argv == (
        "docker", "compose", "--project-name", "p", "--file", "/c/a.yaml",
        "--profile", "flower", "up",
    )  # fmt: skip
    assert full.env == {"X": "1", "DOCKER_HOST": "tcp://h:1"}
