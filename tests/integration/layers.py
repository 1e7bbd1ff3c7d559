"""Helpers of the proxy, CA and secrets tests: what an image's layers and history hold."""

from __future__ import annotations

import base64
import re
import subprocess
import tarfile
from collections.abc import Iterable
from pathlib import Path

# docker-up leaves these CAs out of noca/python:3.13-slim-trixie (the egress CA of this machine)
EXTRA_CA_DIR = Path("/usr/local/share/ca-certificates")
NOCA_BASE = "noca/python:3.13-slim-trixie"
_PEM_RE = re.compile(rb"-----BEGIN CERTIFICATE-----\s+(.+?)\s+-----END CERTIFICATE-----", re.S)


def extra_ca_needles() -> list[bytes]:
    """Byte strings only a copy of the machine's extra CAs holds: a PEM line and the DER."""
    needles: list[bytes] = []
    for path in sorted(EXTRA_CA_DIR.glob("*.crt")):
        for body in _PEM_RE.findall(path.read_bytes()):
            lines = body.split()
            needles.append(lines[len(lines) // 2])  # a 64-character base64 line
            needles.append(base64.b64decode(b"".join(lines))[-64:])  # the DER's signature end
    return needles


def saved_image_contains(image: str, needles: Iterable[bytes], folder: Path) -> set[bytes]:
    """The needles found anywhere in `docker save IMAGE` (every layer, config and manifest)."""
    archive = folder / f"{re.sub(r'[^A-Za-z0-9]+', '-', image)}.tar"
    subprocess.run(["docker", "save", "--output", str(archive), image], check=True, timeout=600)
    wanted = set(needles)
    found: set[bytes] = set()
    try:
        with tarfile.open(archive) as outer:
            for member in outer:
                handle = outer.extractfile(member) if member.isfile() else None
                if handle is not None:
                    found |= _search(handle, wanted - found)
    finally:
        archive.unlink(missing_ok=True)
    return found


def _search(handle, wanted: set[bytes]) -> set[bytes]:  # type: ignore[no-untyped-def]
    """The wanted byte strings in a stream, read in overlapping chunks."""
    if not wanted:
        return set()
    overlap = max(len(needle) for needle in wanted)
    found: set[bytes] = set()
    tail = b""
    while chunk := handle.read(8 << 20):
        data = tail + chunk
        found |= {needle for needle in wanted if needle in data}
        tail = data[-overlap:]
    return found


def history(image: str) -> str:
    """`docker history --no-trunc` of an image: every layer's command."""
    done = subprocess.run(
        ["docker", "history", "--no-trunc", "--format", "{{.CreatedBy}}", image],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def error_lines(stderr: str) -> list[str]:
    """The lines breeze printed as its error."""
    return [line for line in stderr.splitlines() if line.startswith("Error:")]
