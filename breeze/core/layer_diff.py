"""`breeze prod-image compare`: two images layer by layer, and why a layer differs."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

# the inspect fields whose difference changes what a container of the image does or says
CONFIG_FIELDS = ("Env", "Entrypoint", "Cmd", "User", "WorkingDir", "ExposedPorts")
EXAMPLES = 5
# a folder's time alone: the containerd store's layers leave such a change out, the classic keep it
FOLDER_TIME = "folder modification time"


@dataclass(frozen=True)
class CompareParams:
    """The two images, and the engine of the second when it is another one."""

    image: str
    other: str
    other_docker_host: str | None = None
    json: bool = False


@dataclass(frozen=True)
class EntryFacts:
    """What a layer's tar archive says of one path."""

    kind: str  # file, dir, symlink, hardlink, whiteout or other
    mode: int
    owner: str  # "uid:gid"
    mtime: int
    content: str  # sha256 of a file, the target of a link, "" otherwise


@dataclass(frozen=True)
class Difference:
    """One way one path differs between the two layers."""

    path: str
    aspect: str  # content, modification time, mode, owner, kind, only in the first/second


@dataclass(frozen=True)
class LayerComparison:
    """The layers at one position of both images."""

    index: int
    step: str
    first: str  # diff ID (digest of the uncompressed layer), "" when the image has fewer layers
    second: str
    # for a differing layer: whether the file systems after it are the same, and what differs
    same_files: bool = False
    differences: tuple[Difference, ...] = ()

    @property
    def same(self) -> bool:
        """Whether both images have this very layer."""
        return bool(self.first) and self.first == self.second


@dataclass(frozen=True)
class ImageComparison:
    """Both images' layers side by side, and how their configurations differ."""

    first: str
    second: str
    layers: tuple[LayerComparison, ...]
    config: tuple[tuple[str, str, str], ...]  # (field, first value, second value)

    @property
    def differing(self) -> tuple[LayerComparison, ...]:
        """The layers whose digests are not the same."""
        return tuple(layer for layer in self.layers if not layer.same)

    @property
    def same_files(self) -> bool:
        """Whether every layer leaves the same files and the configurations match."""
        return not self.config and all(layer.same or layer.same_files for layer in self.layers)

    def summary(self) -> str:
        """One line: identical layers, layers with the same files, and the configuration."""
        same = len(self.layers) - len(self.differing)
        archives = sum(1 for layer in self.differing if layer.same_files)
        text = f"{same} of {len(self.layers)} layers identical"
        if archives:
            text += f", {archives} more with the same files (written as other archives)"
        config = f"{len(self.config)} config fields differ" if self.config else "same config"
        return f"{text}, {config}"


def layer_steps(history: Sequence[Mapping[str, Any]], count: int) -> tuple[str, ...]:
    """The Dockerfile step that made each layer, from the engine's history (newest first).

    The history also lists steps without a layer (ENV, LABEL); a step that wrote files is
    counted as a layer. When that does not add up to the image's layers, the steps are unnamed.
    """
    candidates = [
        _step_text(entry)
        for entry in reversed(history)
        if entry.get("Size") or re.match(r"(RUN|COPY|ADD|WORKDIR) ", _step_text(entry))
    ]
    if len(candidates) != count:
        return tuple(f"layer {i + 1}" for i in range(count))
    return tuple(candidates)


def _step_text(entry: Mapping[str, Any]) -> str:
    """A history entry's command without the shell prefix and BuildKit's suffix."""
    text = str(entry.get("CreatedBy") or "")
    text = re.sub(r"^/bin/sh -c #\(nop\)\s*", "", text)
    text = re.sub(r"\s*# buildkit$", "", text)
    text = re.sub(r"--mount=\S+\s*", "", text)
    # "RUN |3 A=1 B=2 /bin/bash -o pipefail -c cmd": the build args it saw, then its shell
    text = re.sub(r"^RUN \|\d+ .*?/bin/(?:ba)?sh (?:-\S+ (?:\S+ )?)*?-c ", "RUN ", text)
    return re.sub(r"\s+", " ", text).strip()[:100] or "(a layer of the base image)"


def compare_images(
    first: str,
    first_attrs: Mapping[str, Any],
    first_history: Sequence[Mapping[str, Any]],
    second: str,
    second_attrs: Mapping[str, Any],
) -> ImageComparison:
    """Layer digests side by side (named by the first image's history), and the configuration
    fields and labels that differ."""
    a_layers = _diff_ids(first_attrs)
    b_layers = _diff_ids(second_attrs)
    steps = layer_steps(first_history, len(a_layers))
    layers = tuple(
        LayerComparison(
            i,
            steps[i] if i < len(steps) else f"layer {i + 1}",
            a_layers[i] if i < len(a_layers) else "",
            b_layers[i] if i < len(b_layers) else "",
        )
        for i in range(max(len(a_layers), len(b_layers)))
    )
    return ImageComparison(first, second, layers, config_differences(first_attrs, second_attrs))


def _diff_ids(attrs: Mapping[str, Any]) -> list[str]:
    return list((attrs.get("RootFS") or {}).get("Layers") or [])


def config_differences(
    first: Mapping[str, Any], second: Mapping[str, Any]
) -> tuple[tuple[str, str, str], ...]:
    """The creation date, platform, run settings and labels that are not the same."""
    found: list[tuple[str, str, str]] = []
    for name in ("Created", "Architecture", "Os"):
        if first.get(name) != second.get(name):
            found.append((name, str(first.get(name, "")), str(second.get(name, ""))))
    a_config, b_config = first.get("Config") or {}, second.get("Config") or {}
    for name in CONFIG_FIELDS:
        if (a_config.get(name) or None) != (b_config.get(name) or None):
            found.append((name, str(a_config.get(name) or ""), str(b_config.get(name) or "")))
    a_labels, b_labels = a_config.get("Labels") or {}, b_config.get("Labels") or {}
    for label in sorted(set(a_labels) | set(b_labels)):
        if a_labels.get(label) != b_labels.get(label):
            found.append((f"label {label}", a_labels.get(label, ""), b_labels.get(label, "")))
    return tuple(found)


def entry_differences(
    first: Mapping[str, EntryFacts], second: Mapping[str, EntryFacts]
) -> tuple[Difference, ...]:
    """Every path of two layer archives that is missing from one or differs, and how."""
    found: list[Difference] = []
    for path in sorted(set(first) | set(second)):
        a, b = first.get(path), second.get(path)
        if a is None:
            found.append(Difference(path, "only in the second"))
        elif b is None:
            found.append(Difference(path, "only in the first"))
        elif a.kind != b.kind:
            found.append(Difference(path, "kind"))
        else:
            if a.content != b.content:
                found.append(Difference(path, "content"))
            if a.mode != b.mode:
                found.append(Difference(path, "mode"))
            if a.owner != b.owner:
                found.append(Difference(path, "owner"))
            if a.mtime != b.mtime:
                aspect = FOLDER_TIME if a.kind == "dir" else "modification time"
                found.append(Difference(path, aspect))
    return tuple(found)


def apply_layer(state: dict[str, EntryFacts], layer: Mapping[str, EntryFacts]) -> None:
    """The file system after a layer: opaque folders emptied, whiteouts removed, entries set."""
    for path, facts in layer.items():
        if facts.kind == "whiteout" and path.endswith("/.wh..wh..opq"):
            _remove_below(state, path.rsplit("/", 1)[0], keep_root=True)
    for path, facts in layer.items():
        if facts.kind == "whiteout" and not path.endswith("/.wh..wh..opq"):
            folder, name = path.rsplit("/", 1)
            _remove_below(state, f"{folder}/{name[len('.wh.') :]}", keep_root=False)
    for path, facts in layer.items():
        if facts.kind != "whiteout":
            state[path] = facts


def _remove_below(state: dict[str, EntryFacts], root: str, *, keep_root: bool) -> None:
    prefix = root.rstrip("/") + "/"
    for path in [p for p in state if p.startswith(prefix) or (p == root and not keep_root)]:
        del state[path]


def same_files(differences: Iterable[Difference]) -> bool:
    """Whether the differences are only folder times, which image stores record differently."""
    return all(difference.aspect == FOLDER_TIME for difference in differences)


def state_differences(
    first: Mapping[str, EntryFacts],
    second: Mapping[str, EntryFacts],
    written: tuple[Collection[str], Collection[str]],
) -> tuple[Difference, ...]:
    """How the two file systems differ at the paths the layers wrote (WRITTEN: each layer's).

    A folder's time counts as the stores' way of writing only where one layer left the folder
    out; where both wrote it, a different time is a real difference.
    """
    wanted = set(written[0]) | set(written[1])
    found = entry_differences(
        {p: f for p, f in first.items() if p in wanted},
        {p: f for p, f in second.items() if p in wanted},
    )
    return tuple(
        Difference(d.path, "modification time")
        if d.aspect == FOLDER_TIME and d.path in written[0] and d.path in written[1]
        else d
        for d in found
    )


def explain(differences: Sequence[Difference]) -> list[str]:
    """Differences grouped by cause, one line each: count, why, and a few of the paths."""
    groups: dict[str, list[str]] = {}
    for difference in differences:
        groups.setdefault(_cause(difference), []).append(difference.path)
    lines = []
    for cause, paths in sorted(groups.items(), key=lambda item: -len(item[1])):
        shown = ", ".join(paths[:EXAMPLES]) + (", ..." if len(paths) > EXAMPLES else "")
        lines.append(f"{len(paths)} x {cause}: {shown}")
    return lines


def _cause(difference: Difference) -> str:
    """Why such a difference happens, as far as the path and aspect tell."""
    path, aspect = difference.path, difference.aspect
    if aspect == FOLDER_TIME:
        return (
            "folder modification time (the containerd image store leaves a folder whose only "
            "change is its time out of the layer, the classic store keeps it)"
        )
    if aspect == "modification time":
        return (
            "modification time (written when the step ran: built without SOURCE_DATE_EPOCH, "
            "or by a step that does not clamp to it)"
        )
    if aspect == "content" and path.endswith(".pyc"):
        return (
            "bytecode content (the compiler's output also depends on how often it met each "
            "constant, not only on the source)"
        )
    if aspect == "content":
        return "content (the step wrote other bytes: a download or a tool's output changed)"
    if aspect.startswith("only in"):
        return f"{aspect} (one build wrote it, the other did not)"
    return f"{aspect} (permissions set differently)"


def to_json(comparison: ImageComparison) -> str:
    """The comparison as one JSON document."""
    data = asdict(comparison)
    data["identical_layers"] = not comparison.differing
    data["same_files"] = comparison.same_files
    for layer, out in zip(comparison.layers, data["layers"], strict=True):
        out["same"] = layer.same
        out["causes"] = explain(layer.differences)
    data["config"] = [{"field": f, "first": a, "second": b} for f, a, b in comparison.config]
    return json.dumps(data, indent=2)
