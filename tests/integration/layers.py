"""Helpers of the proxy, CA and secrets tests: what an image's layers and history hold."""

from __future__ import annotations

import base64
import contextlib
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


class ConnectProxy:
    """A forward proxy for HTTPS (CONNECT only) that wants Basic credentials; counts tunnels."""

    def __init__(self, user: str, password: str) -> None:
        import socket
        import threading

        self.credentials = base64.b64encode(f"{user}:{password}".encode()).decode()
        self.tunnels: list[str] = []
        self.refused = 0
        self._server = socket.create_server(("0.0.0.0", 0))
        self.port = self._server.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop accepting connections."""
        self._server.close()

    def _serve(self) -> None:
        import threading

        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(client,), daemon=True).start()

    def _handle(self, client) -> None:  # type: ignore[no-untyped-def]
        import socket
        import threading

        with client:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = client.recv(4096)
                if not chunk:
                    return
                head += chunk
            lines = head.split(b"\r\n")
            method, target, _ = lines[0].decode().split(" ", 2)
            auth = next(
                (
                    line.split(b":", 1)[1].strip().decode()
                    for line in lines[1:]
                    if line.lower().startswith(b"proxy-authorization:")
                ),
                "",
            )
            if method != "CONNECT" or auth != f"Basic {self.credentials}":
                self.refused += 1
                client.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\n\r\n")
                return
            host, port = target.rsplit(":", 1)
            try:
                upstream = socket.create_connection((host, int(port)), timeout=30)
            except OSError:
                client.sendall(b"HTTP/1.1 502 Bad Gateway\r\n\r\n")
                return
            self.tunnels.append(target)
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            with upstream:
                upstream.settimeout(None)

                def pipe(source, sink) -> None:  # type: ignore[no-untyped-def]
                    try:
                        while data := source.recv(65536):
                            sink.sendall(data)
                    except OSError:
                        pass
                    finally:
                        with contextlib.suppress(OSError):
                            sink.shutdown(socket.SHUT_WR)

                other = threading.Thread(target=pipe, args=(upstream, client), daemon=True)
                other.start()
                pipe(client, upstream)
                other.join(timeout=300)


def bridge_gateway() -> str:
    """The host's address on the engine's default bridge, as build steps reach it."""
    done = subprocess.run(
        ["docker", "network", "inspect", "bridge", "--format",
         "{{range .IPAM.Config}}{{.Gateway}}{{end}}"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout.strip() or "172.17.0.1"
