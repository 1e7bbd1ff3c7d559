"""`breeze prod-image compare`: are two builds the same image, and if not, what differs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from breeze.core.errors import BreezeError
from breeze.core.layer_diff import (
    CompareParams,
    EntryFacts,
    ImageComparison,
    apply_layer,
    compare_images,
    explain,
    same_files,
    state_differences,
    to_json,
)
from breeze.io.engine import Engine
from breeze.io.image_archive import layer_entries, layer_files
from breeze.io.session import Session
from breeze.services.preflight import preflight
from breeze.ui import console


def compare(params: CompareParams, session: Session) -> ImageComparison:
    """Compare the layers and configuration; for differing layers, name the files and why."""
    preflight(session)
    first_engine = session.engine
    second_engine = (
        session.other_engine(params.other_docker_host, "--other-docker-host")
        if params.other_docker_host
        else first_engine
    )
    first_attrs = first_engine.require_image(params.image)
    second_attrs = second_engine.require_image(params.other)
    history = first_engine.history(params.image)
    comparison = compare_images(params.image, first_attrs, history, params.other, second_attrs)
    if comparison.differing:
        comparison = _with_file_differences(comparison, first_engine, second_engine, session)
    _report(comparison, params)
    if not comparison.same_files:
        raise BreezeError(f"{params.image} and {params.other}: {comparison.summary()}")
    return comparison


def _with_file_differences(
    comparison: ImageComparison, first: Engine, second: Engine, session: Session
) -> ImageComparison:
    """Export both images, rebuild their file systems layer by layer, and for each differing
    layer say whether the files after it are the same and, if not, which differ and how."""
    count = len(comparison.differing)
    console.info(f"Exporting both images to compare the files of {count} layers")
    with session.temporary_folder("breeze-compare-") as folder:
        archives = (folder / "first.tar", folder / "second.tar")
        first.save(comparison.first, archives[0])
        second.save(comparison.second, archives[1])
        members = (layer_files(archives[0]), layer_files(archives[1]))
        states: tuple[dict[str, EntryFacts], dict[str, EntryFacts]] = ({}, {})
        layers = []
        for layer in comparison.layers:
            a = _entries(archives[0], members[0], layer.index)
            b = a if layer.same else _entries(archives[1], members[1], layer.index)
            apply_layer(states[0], a)
            apply_layer(states[1], b)
            if layer.same:
                layers.append(layer)
                continue
            written = ({_written_path(path) for path in a}, {_written_path(path) for path in b})
            differences = state_differences(states[0], states[1], written)
            layers.append(
                replace(layer, same_files=same_files(differences), differences=differences)
            )
    return replace(comparison, layers=tuple(layers))


def _entries(archive: Path, members: list[str], index: int) -> dict[str, EntryFacts]:
    """The entries of the layer at INDEX; none when the image has fewer layers."""
    return layer_entries(archive, members[index]) if index < len(members) else {}


def _written_path(path: str) -> str:
    """The path a layer entry changes: a whiteout's removed path, an opaque marker's folder."""
    folder, name = path.rsplit("/", 1)
    if name == ".wh..wh..opq":
        return folder or "/"
    return f"{folder}/{name[len('.wh.') :]}" if name.startswith(".wh.") else path


def _report(comparison: ImageComparison, params: CompareParams) -> None:
    """Print the layers side by side and the causes of each difference, or JSON."""
    if params.json:
        print(to_json(comparison))
        return
    out = console.stdout_console()
    out.print(f"{comparison.first}  vs  {comparison.second}", markup=False)
    for layer in comparison.layers:
        mark = "same    " if layer.same else "archive " if layer.same_files else "DIFFERS "
        digest = (layer.first or "(none)")[7:19]
        out.print(f"  {layer.index + 1:>2} {mark} {digest}  {layer.step}", markup=False)
        if layer.same_files:
            out.print(
                "       the same files; the engines' image stores write them as different "
                "archives (the classic store also lists unchanged parent folders)",
                soft_wrap=True,
            )
        if not layer.same:
            for line in explain(layer.differences):
                out.print(f"       {line}", markup=False, soft_wrap=True)
    for field, first, second in comparison.config:
        out.print(f"  config {field}: {first!r} vs {second!r}", markup=False, soft_wrap=True)
    out.print(comparison.summary())
