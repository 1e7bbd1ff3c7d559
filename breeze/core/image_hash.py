"""An image's input hash: what it was built from, to tell when it needs a rebuild."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

IMAGE_HASH_LABEL = "org.apache.airflow.breeze.hash"
# Build args that change with every build without changing the image's content
_VOLATILE_ARGS = ("AIRFLOW_IMAGE_DATE_CREATED", "AIRFLOW_IMAGE_REVISION")


def image_hash(
    files: Mapping[str, bytes], build_args: Mapping[str, str], constraints_sha256: str | None
) -> str:
    """sha256 over the Dockerfile and scripts, the build args and the constraints' checksum."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(f"file {name} {hashlib.sha256(files[name]).hexdigest()}\n".encode())
    for name in sorted(build_args):
        if name not in _VOLATILE_ARGS:
            digest.update(f"arg {name}={build_args[name]}\n".encode())
    digest.update(f"constraints {constraints_sha256 or 'none'}\n".encode())
    return digest.hexdigest()
