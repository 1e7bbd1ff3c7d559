"""The CI image: its content hash, and making sure it exists and is current before it is used."""

from __future__ import annotations

from pathlib import Path

from breeze.core.build_args import build_args
from breeze.core.constraint_files import PreparedConstraints
from breeze.core.image_hash import CI_HASH_LABEL, ci_image_hash
from breeze.core.image_params import ImageBuildParams, ImageSpec
from breeze.core.run_options import RunOptions
from breeze.io.build_context import build_context
from breeze.io.engine import Engine
from breeze.ui import console
from breeze.ui.prompts import confirm


def hash_inputs(root: Path) -> dict[str, bytes]:
    """The files whose content the CI image depends on: the Dockerfile and scripts/docker/."""
    files = {"Dockerfile": (root / "Dockerfile").read_bytes()}
    for path in sorted((root / "scripts" / "docker").rglob("*")):
        if path.is_file():
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def expected_hash(
    spec: ImageSpec, constraints: PreparedConstraints | None, root: Path | None = None
) -> str:
    """The hash label a CI image built now from this spec and these constraints carries."""
    return ci_image_hash(
        hash_inputs(root or build_context()),
        build_args(spec, constraints=constraints),
        constraints.sha256 if constraints else None,
    )


def ensure_ci_image(params: ImageBuildParams, options: RunOptions) -> None:
    """Build the CI image when it is missing; offer a rebuild when its inputs changed."""
    from breeze.services.image_build import build_image, cached_constraints

    engine = Engine(params.settings.docker_host)
    attrs = engine.image_attrs(params.tag)
    if attrs is None:
        console.info(f"The CI image {params.tag} does not exist yet: building it")
        build_image(params, options)
        return
    labels = attrs["Config"].get("Labels") or {}
    root = build_context(params.settings.context)
    current = expected_hash(params.spec, cached_constraints(params.spec), root)
    if labels.get(CI_HASH_LABEL) == current:
        return
    if confirm(
        f"The CI image {params.tag} was built from another Dockerfile, constraints or options. "
        "Rebuild it now?",
        answer=options.answer,
        default=False,
    ):
        build_image(params, options)
    else:
        console.warning(f"using {params.tag} as it is; rebuild with `breeze ci-image build`")
