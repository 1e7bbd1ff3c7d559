"""Where breeze finds its build context, and export-context writing it out."""

from __future__ import annotations

from pathlib import Path

import pytest

from breeze.core.errors import InvalidInput
from breeze.core.image_params import ExportContextParams
from breeze.core.run_options import RunOptions
from breeze.io.build_context import (
    CHECKOUT,
    CONTEXT_FILES,
    PACKAGED_CONTEXT,
    build_context,
    context_files,
    default_context_files,
    packaged_context,
)
from breeze.services.export_context import write_context
from tests.fakes import FakeSession


def test_an_editable_install_uses_the_checkout() -> None:
    # the wheel's breeze/_context exists only in an installed wheel (tests/integration/test_installed.py)
    assert not PACKAGED_CONTEXT.exists()
    assert packaged_context() == CHECKOUT
    assert build_context() == CHECKOUT


def test_a_context_folder_needs_a_dockerfile(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"has no Dockerfile; write one there with `breeze prod"):
        build_context(tmp_path)
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    assert build_context(tmp_path) == tmp_path


def test_context_files_are_what_the_dockerfile_uses() -> None:
    names = {path.as_posix() for path in context_files(CHECKOUT)}
    assert {"Dockerfile", ".dockerignore", "scripts/docker/entrypoint.sh"} <= names
    assert not [name for name in names if name.startswith(("tests/", "breeze/", "benchmarks/"))]
    # every file the Dockerfile copies or mounts from the context is among them
    dockerfile = (CHECKOUT / "Dockerfile").read_text()
    for script in (CHECKOUT / "scripts" / "docker").iterdir():
        if script.name in dockerfile:
            assert f"scripts/docker/{script.name}" in names


def test_docker_context_files_default_to_the_working_folder_only_when_installed(
    tmp_path: Path,
) -> None:
    assert default_context_files(PACKAGED_CONTEXT, tmp_path) == tmp_path / "docker-context-files"
    assert default_context_files(CHECKOUT, tmp_path) == CHECKOUT / "docker-context-files"


def test_export_writes_the_context_and_builds_from_it(tmp_path: Path) -> None:
    target = tmp_path / "ctx"
    written = write_context(ExportContextParams(target, force=False), FakeSession())
    assert written == context_files(target)
    assert (target / "Dockerfile").read_bytes() == (CHECKOUT / "Dockerfile").read_bytes()
    assert build_context(target) == target
    assert not [p for p in tmp_path.iterdir() if p.name != "ctx"], "no staging folder left"


def test_export_refuses_a_non_empty_folder_and_changes_nothing(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep")
    with pytest.raises(
        InvalidInput, match="is not empty; give a new or empty folder, or add --force"
    ):
        write_context(ExportContextParams(tmp_path, force=False), FakeSession())
    assert [p.name for p in tmp_path.iterdir()] == ["mine.txt"]
    write_context(ExportContextParams(tmp_path, force=True), FakeSession())
    assert (tmp_path / "mine.txt").read_text() == "keep"
    assert (tmp_path / "Dockerfile").is_file()


def test_export_refuses_a_file_and_a_dry_run_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("")
    with pytest.raises(InvalidInput, match="is a file"):
        write_context(ExportContextParams(tmp_path / "f", force=False), FakeSession())
    write_context(
        ExportContextParams(tmp_path / "new", force=False), FakeSession(RunOptions(dry_run=True))
    )
    assert not (tmp_path / "new").exists()


def test_the_wheel_carries_exactly_the_context_files() -> None:
    tomllib = pytest.importorskip("tomllib")
    config = tomllib.loads((CHECKOUT / "pyproject.toml").read_text())
    included = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert set(included) == set(CONTEXT_FILES)
    assert all(target == f"breeze/_context/{source}" for source, target in included.items())


def test_an_installed_breeze_builds_with_the_working_folders_context_files(
    tmp_path: Path,
) -> None:
    from breeze.core.image_params import ImageBuildParams
    from breeze.services.image_build import _with_context_files

    params = ImageBuildParams()
    assert _with_context_files(params, PACKAGED_CONTEXT, tmp_path) == params  # no such folder here
    (tmp_path / "docker-context-files").mkdir()
    chosen = _with_context_files(params, PACKAGED_CONTEXT, tmp_path).spec.docker_context_files
    assert chosen == tmp_path / "docker-context-files"
    assert _with_context_files(params, CHECKOUT, tmp_path) == params  # a checkout keeps its own
