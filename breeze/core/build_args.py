"""The one place that maps image parameters to Dockerfile build args and named build contexts."""

from __future__ import annotations

from dataclasses import dataclass, fields

from breeze.core.constraint_files import PreparedConstraints
from breeze.core.image_params import BuildSettings, ImageSpec
from breeze.core.network import CA_BUNDLE_SECRET, mask_credentials
from breeze.core.source_date import ENV_NAME as SOURCE_DATE_ARG
from breeze.core.source_date import SourceDate

LABEL_PREFIX = "org.apache.airflow."


@dataclass(frozen=True)
class Provenance:
    """When and from which commit an image was built, for its labels and timestamps."""

    created: str = ""
    revision: str = ""
    source_date: SourceDate | None = None  # set: timestamps clamped to it, `created` is it


def build_args(
    spec: ImageSpec,
    provenance: Provenance = Provenance(),
    constraints: PreparedConstraints | None = None,
) -> dict[str, str]:
    """Every build arg of the Dockerfile; constraints resolved on the host replace the location."""
    args = {}
    for item in fields(spec):
        name, derive = item.metadata.get("build_arg"), item.metadata.get("value")
        if name is not None:
            args[name] = derive(spec) if derive else _text(getattr(spec, item.name), name)
    if constraints is not None:
        args["AIRFLOW_CONSTRAINTS_LOCATION"] = constraints.file_name
    if spec.ca_bundle_in_image:
        # the content of the installed bundle: a changed bundle re-runs the step installing it
        args["AIRFLOW_CA_BUNDLE_CHECKSUM"] = spec.ca_bundle_in_image
    if provenance.source_date is not None:
        args[SOURCE_DATE_ARG] = str(provenance.source_date.epoch)
        args["AIRFLOW_IMAGE_DATE_CREATED"] = provenance.source_date.iso
    elif provenance.created:
        args["AIRFLOW_IMAGE_DATE_CREATED"] = provenance.created
    if provenance.revision:
        args["AIRFLOW_IMAGE_REVISION"] = provenance.revision
    return args


def build_contexts(
    spec: ImageSpec, constraints: PreparedConstraints | None = None
) -> dict[str, str]:
    """Named build contexts that replace the Dockerfile's placeholder stages."""
    contexts = {}
    if constraints is not None:
        contexts["constraints"] = str(constraints.folder)
    if spec.embedded_dags is not None:
        contexts["embedded-dags"] = str(spec.embedded_dags)
    if spec.installation == "local":
        contexts["airflow-sources"] = spec.installation_method
    if spec.docker_context_files is not None:
        contexts["docker-context-files"] = str(spec.docker_context_files)
    return contexts


def build_secrets(settings: BuildSettings) -> dict[str, str]:
    """BuildKit secrets of the build, id to file: the CA bundle and every --build-secret."""
    secrets = {CA_BUNDLE_SECRET: str(settings.ca_bundle.path)} if settings.ca_bundle else {}
    for secret in settings.build_secrets:
        secrets[secret.id] = str(secret.src)
    return secrets


def proxy_build_args(settings: BuildSettings) -> dict[str, str]:
    """The forwarded proxy variables: BuildKit's predefined build args, out of `docker history`."""
    return dict(settings.proxy_env)


def image_labels(constraints: PreparedConstraints | None) -> dict[str, str]:
    """Labels only the tool knows: where the constraints came from and their checksum."""
    labels = {f"{LABEL_PREFIX}constraints.source": constraints_label(constraints)}
    if constraints is not None and constraints.sha256:  # a dry run may not have downloaded
        labels[f"{LABEL_PREFIX}constraints.sha256"] = constraints.sha256
    return labels


def constraints_label(constraints: PreparedConstraints | None) -> str:
    """Where the constraints came from, without host paths: the URL, `generated` or `file:NAME`."""
    if constraints is None:
        return "none"
    if constraints.kind in ("official", "url"):
        return mask_credentials(constraints.source)  # a URL's credentials stay out of the image
    if constraints.kind == "generated":
        return "generated"
    return f"file:{constraints.file_name}"


# build args whose list items are separated by commas (the others by spaces)
_COMMA_LISTS = ("AIRFLOW_EXTRAS", "ADDITIONAL_AIRFLOW_EXTRAS")


def _text(value: object, name: str) -> str:
    """A field's value as its build arg: lists joined, booleans true/false."""
    if isinstance(value, tuple):
        return ("," if name in _COMMA_LISTS else " ").join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
