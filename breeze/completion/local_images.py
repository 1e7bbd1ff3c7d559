"""Local image tags straight from the engine's API: no docker SDK, a short deadline, no errors.

Completion asks only when an image is being completed; anything but a quick, plain answer
(no engine, TLS, ssh, a slow engine) offers nothing rather than delay the prompt.
"""

from __future__ import annotations

import json
import os
import socket
import time

DEFAULT_SOCKET = "/var/run/docker.sock"
DEFAULT_TIMEOUT = 0.5
_MAX_BYTES = 8_000_000


def local_image_tags(docker_host: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> list[str]:
    """The engine's image tags (name:tag), sorted; empty when it does not answer in time."""
    try:
        body = _get(docker_host or os.environ.get("DOCKER_HOST") or "", "/images/json", timeout)
        images = json.loads(body) if body else []
    except (OSError, ValueError):
        return []
    tags = {
        tag
        for image in images
        if isinstance(image, dict)
        for tag in image.get("RepoTags") or ()
        if isinstance(tag, str) and tag != "<none>:<none>"
    }
    return sorted(tags)


def _get(host: str, path: str, timeout: float) -> bytes:
    """The body of an HTTP/1.0 GET to the engine, or b'' for anything unexpected."""
    deadline = time.monotonic() + timeout
    if not host or host.startswith("unix://"):
        address: str | tuple[str, int] = host[len("unix://") :] if host else DEFAULT_SOCKET
        family = socket.AF_UNIX
    elif host.startswith("tcp://") and not os.environ.get("DOCKER_TLS_VERIFY"):
        name, _, port = host[len("tcp://") :].rstrip("/").rpartition(":")
        address, family = (name or "localhost", int(port or 2375)), socket.AF_INET
    else:
        return b""
    with socket.socket(family, socket.SOCK_STREAM) as connection:
        connection.settimeout(timeout)
        connection.connect(address)
        connection.sendall(f"GET {path} HTTP/1.0\r\nHost: docker\r\n\r\n".encode())
        chunks = []
        size = 0
        while size < _MAX_BYTES:
            connection.settimeout(max(deadline - time.monotonic(), 0.001))
            chunk = connection.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    status = head.split(b"\r\n", 1)[0].split()
    if len(status) < 2 or status[1] != b"200" or b"chunked" in head.lower():
        return b""
    return body
