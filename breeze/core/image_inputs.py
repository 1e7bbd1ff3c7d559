"""`breeze prod-image inputs`: an image's identity and what determined it, from its labels."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from breeze.core.build_args import LABEL_PREFIX
from breeze.core.image_hash import IMAGE_HASH_LABEL

OCI = "org.opencontainers.image."
# label -> what it says, in the order printed
INPUT_LABELS = (
    (IMAGE_HASH_LABEL, "hash of the Dockerfile, scripts, build args and constraints"),
    (f"{LABEL_PREFIX}version", "Airflow"),
    (f"{LABEL_PREFIX}python-version", "Python"),
    (f"{LABEL_PREFIX}debian-version", "Debian"),
    (f"{LABEL_PREFIX}extras", "extras"),
    (f"{LABEL_PREFIX}constraints.source", "constraints"),
    (f"{LABEL_PREFIX}constraints.sha256", "constraints sha256"),
    (f"{LABEL_PREFIX}uid", "UID"),
    (f"{OCI}revision", "breeze revision"),
    (f"{OCI}created", "created"),
)


@dataclass(frozen=True)
class ImageInputs:
    """What identifies an image, and what it was built from."""

    image: str
    id: str
    digests: tuple[str, ...]  # name@sha256:... in registries it was pushed to or pulled from
    inputs: tuple[tuple[str, str, str], ...]  # (label, meaning, value); value "" when absent


def image_inputs(image: str, attrs: Mapping[str, Any]) -> ImageInputs:
    """The identity and inputs of an image from `docker image inspect` data."""
    labels = (attrs.get("Config") or {}).get("Labels") or {}
    inputs = tuple((label, meaning, labels.get(label, "")) for label, meaning in INPUT_LABELS)
    return ImageInputs(
        image, str(attrs.get("Id", "")), tuple(attrs.get("RepoDigests") or ()), inputs
    )


def to_json(found: ImageInputs) -> str:
    """The identity and inputs as one JSON document."""
    data = asdict(found)
    data["inputs"] = {label: value for label, _, value in found.inputs}
    return json.dumps(data, indent=2)
