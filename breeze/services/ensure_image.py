"""An image breeze needs: built when missing, rebuilt on request when its inputs changed."""

from __future__ import annotations

from breeze.core.defaults import CI_TARGET
from breeze.core.image_hash import IMAGE_HASH_LABEL
from breeze.core.image_params import ImageBuildParams
from breeze.io.build_context import build_context
from breeze.io.session import Session
from breeze.services.image_build import build_image, cached_constraints, expected_hash
from breeze.ui import console


def ensure_image(params: ImageBuildParams, session: Session) -> None:
    """Build the image when it is missing; offer a rebuild when its inputs changed."""
    ci = params.spec.target == CI_TARGET
    what, command = ("CI image", "ci-image") if ci else ("image", "prod-image")
    attrs = session.engine.image_attrs(params.tag)
    if attrs is None:
        console.info(f"The {what} {params.tag} does not exist yet: building it")
        build_image(params, session)
        return
    labels = attrs["Config"].get("Labels") or {}
    root = build_context(params.settings.context)
    current = expected_hash(params.spec, cached_constraints(params.spec, session), root)
    if labels.get(IMAGE_HASH_LABEL) == current:
        return
    if session.confirm(
        f"The {what} {params.tag} was built from another Dockerfile, constraints or options. "
        "Rebuild it now?",
        default=False,
    ):
        build_image(params, session)
    else:
        console.warning(f"using {params.tag} as it is; rebuild with `breeze {command} build`")
