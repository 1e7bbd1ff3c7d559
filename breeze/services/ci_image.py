"""The CI image of a dev environment: built when missing, rebuilt on request when stale."""

from __future__ import annotations

from breeze.core.image_hash import CI_HASH_LABEL
from breeze.core.image_params import ImageBuildParams
from breeze.io.build_context import build_context
from breeze.io.session import Session
from breeze.services.image_build import build_image, cached_constraints, expected_hash
from breeze.ui import console


def ensure_ci_image(params: ImageBuildParams, session: Session) -> None:
    """Build the CI image when it is missing; offer a rebuild when its inputs changed."""
    attrs = session.engine.image_attrs(params.tag)
    if attrs is None:
        console.info(f"The CI image {params.tag} does not exist yet: building it")
        build_image(params, session)
        return
    labels = attrs["Config"].get("Labels") or {}
    root = build_context(params.settings.context)
    current = expected_hash(params.spec, cached_constraints(params.spec, session), root)
    if labels.get(CI_HASH_LABEL) == current:
        return
    if session.confirm(
        f"The CI image {params.tag} was built from another Dockerfile, constraints or options. "
        "Rebuild it now?",
        default=False,
    ):
        build_image(params, session)
    else:
        console.warning(f"using {params.tag} as it is; rebuild with `breeze ci-image build`")
