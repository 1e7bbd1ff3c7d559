"""The session: one runner and one engine, and one echo for processes and containers alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from breeze.core.argv import Command
from breeze.core.run_options import RunOptions
from breeze.io.session import Session, World


def _session(**options: object) -> Session:
    return Session(RunOptions(**options), World({}, Path("/w"), 1000, False, "x86_64"))  # type: ignore[arg-type]


def test_one_runner_and_one_engine_per_session() -> None:
    session = _session(docker_host="tcp://h:1")
    assert session.runner is session.runner and session.engine is session.engine
    assert session.engine.docker_host == "tcp://h:1"


def test_a_dry_run_prints_a_container_run_like_any_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    session = _session(dry_run=True, docker_host="tcp://h:1")
    assert session.run_container("img:1", ("true",), user="1:0", entrypoint="python") is None
    session.run(Command(("docker", "ps")))
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "DOCKER_HOST=tcp://h:1 docker run --rm --entrypoint python --user 1:0 img:1 true",
        "docker ps",
    ]


def test_verbose_echoes_to_stderr_and_a_dry_run_writes_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _session(dry_run=True).write_text(tmp_path / "f.txt", "x")
    assert not (tmp_path / "f.txt").exists()
    assert "would write" in capsys.readouterr().err
    _session().write_text(tmp_path / "sub" / "f.txt", "x")
    assert (tmp_path / "sub" / "f.txt").read_text() == "x"


def test_the_cache_folder_follows_the_world() -> None:
    world = World({"BREEZE_CACHE_DIR": "/c"}, Path("/w"))
    assert Session(world=world).cache_dir == Path("/c")
    xdg = World({"XDG_CACHE_HOME": "/x", "HOME": "/h"}, Path("/w"))
    assert Session(world=xdg).cache_dir == Path("/x/breeze")
