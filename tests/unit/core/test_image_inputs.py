"""`prod-image inputs`: the identity and inputs of an image from its inspect data."""

from __future__ import annotations

import json

from breeze.core.image_inputs import image_inputs, to_json

ATTRS = {
    "Id": "sha256:533c",
    "RepoDigests": ["registry.example.com/team/airflow@sha256:8120"],
    "Config": {
        "Labels": {
            "org.apache.airflow.breeze.hash": "5117",
            "org.apache.airflow.version": "3.3.2",
            "org.apache.airflow.constraints.source": "generated",
            "org.opencontainers.image.revision": "90bc4fc",
        }
    },
}


def test_the_labels_that_determine_an_image_are_listed_in_order() -> None:
    found = image_inputs("team/airflow:1", ATTRS)
    assert (found.id, found.digests) == (
        "sha256:533c",
        ("registry.example.com/team/airflow@sha256:8120",),
    )
    values = {meaning: value for _, meaning, value in found.inputs}
    assert values["Airflow"] == "3.3.2" and values["constraints"] == "generated"
    assert values["Python"] == ""  # a label the image lacks is empty, not invented
    assert found.inputs[0][0] == "org.apache.airflow.breeze.hash"


def test_json_keys_the_inputs_by_label() -> None:
    data = json.loads(to_json(image_inputs("team/airflow:1", ATTRS)))
    assert data["inputs"]["org.opencontainers.image.revision"] == "90bc4fc"
    assert data["digests"] == ["registry.example.com/team/airflow@sha256:8120"]
