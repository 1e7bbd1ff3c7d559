"""Reads the layers of an image saved with `docker save`, for `breeze prod-image compare`."""

from __future__ import annotations

import hashlib
import json
import tarfile
from pathlib import Path

from breeze.core.errors import BreezeError
from breeze.core.layer_diff import EntryFacts

_KINDS = {
    tarfile.REGTYPE: "file",
    tarfile.AREGTYPE: "file",
    tarfile.DIRTYPE: "dir",
    tarfile.SYMTYPE: "symlink",
    tarfile.LNKTYPE: "hardlink",
}


def layer_files(archive: Path) -> list[str]:
    """The archive members holding the image's layers, bottom first (`manifest.json`)."""
    with tarfile.open(archive) as outer:
        member = outer.extractfile("manifest.json")
        if member is None:
            raise BreezeError(f"{archive} has no manifest.json: not a `docker save` archive")
        manifest = json.load(member)
    return list(manifest[0]["Layers"])


def layer_entries(archive: Path, member: str) -> dict[str, EntryFacts]:
    """Each path of one layer (compressed or not) with its kind, mode, owner, time and digest."""
    entries: dict[str, EntryFacts] = {}
    with tarfile.open(archive) as outer:
        stream = outer.extractfile(member)
        if stream is None:
            raise BreezeError(f"{archive} has no layer {member}")
        with tarfile.open(fileobj=stream, mode="r|*") as layer:
            for info in layer:
                path = "/" + info.name.lstrip("./").rstrip("/")
                kind = "whiteout" if Path(path).name.startswith(".wh.") else _kind(info)
                content = info.linkname if info.issym() or info.islnk() else ""
                if info.isfile():
                    digest = hashlib.sha256()
                    data = layer.extractfile(info)
                    while data is not None and (chunk := data.read(1 << 20)):
                        digest.update(chunk)
                    content = digest.hexdigest()
                entries[path] = EntryFacts(
                    kind, info.mode, f"{info.uid}:{info.gid}", int(info.mtime), content
                )
    return entries


def _kind(info: tarfile.TarInfo) -> str:
    return _KINDS.get(info.type, "other")
