"""`prod-image export-context`: write the Dockerfile and its scripts into a folder of the user's."""

from __future__ import annotations

from pathlib import Path

from breeze.core.errors import InvalidInput
from breeze.core.image_params import ExportContextParams
from breeze.io.build_context import context_files, packaged_context
from breeze.io.session import Session
from breeze.ui import console


def write_context(params: ExportContextParams, session: Session) -> list[Path]:
    """Copy breeze's build context into FOLDER; return the files written, relative to it."""
    folder, force = params.folder, params.force
    source = packaged_context()
    files = context_files(source)
    _check_target(folder, files, force)
    if session.dry_run:
        for name in files:
            console.info(f"Dry run: would write {folder / name}")
        return files
    session.copy_files(source, files, folder)
    console.success(f"Wrote the build context ({len(files)} files) to {folder}")
    console.info(
        f"Build from it with `breeze prod-image build --context {folder}`, or without breeze: "
        f"`docker buildx build --load --tag my-airflow:local {folder}` (its ARG lines are the "
        "build args)"
    )
    return files


def _check_target(folder: Path, files: list[Path], force: bool) -> None:
    """Refuse a file where the folder should be, and a folder with other content unless forced."""
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(f"{folder} is a file; give a new or empty folder")
    if not folder.is_dir() or force:
        return
    if any(folder.iterdir()):
        raise InvalidInput(
            f"{folder} is not empty; give a new or empty folder, or add --force to overwrite the "
            f"{len(files)} files breeze writes there (other files stay)"
        )
