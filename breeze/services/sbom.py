"""The sbom service: list an image's packages in a throw-away container, write a CycloneDX SBOM."""

from __future__ import annotations

import sys

from breeze.core.image_facts import FACTS_SCRIPT, ImageFacts, ImageMeta, image_meta, parse_facts
from breeze.core.scan_params import SbomParams
from breeze.io.session import Session
from breeze.services.output_file import check_output_file
from breeze.services.preflight import preflight
from breeze.ui import console

FACTS_TIMEOUT = 120


def collect_facts(image: str, session: Session) -> tuple[ImageMeta, ImageFacts] | None:
    """Inspect an existing image (never pulled) and list its packages from a removed container.

    A dry run prints the container's `docker run` and returns None.
    """
    if not session.dry_run:
        preflight(session)
    attrs = {} if session.dry_run else session.engine.require_image(image)
    run = session.run_container(
        image,
        ("-c", FACTS_SCRIPT.strip()),
        entrypoint="python",
        timeout=FACTS_TIMEOUT,
        purpose="sbom",
        multiline=session.dry_run,
    )
    if run is None:
        return None
    return image_meta(image, attrs), parse_facts(run.output, image)


def write_sbom(params: SbomParams, session: Session) -> None:
    """Write the image's CycloneDX JSON SBOM to the output file (atomically) or stdout."""
    from breeze.services.bom import bom_json, make_bom, require_scan_extra

    require_scan_extra("breeze prod-image sbom", ("cyclonedx", "packageurl"))
    if params.output is not None:
        check_output_file(params.output, "--output")
    collected = collect_facts(params.image, session)
    if collected is None:
        return
    meta, facts = collected
    text = bom_json(make_bom(meta, facts))
    summary = f"{len(facts.python)} Python and {len(facts.deb)} Debian packages of {params.image}"
    if params.output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        console.info(f"SBOM (CycloneDX 1.6): {summary}")
        return
    session.write_text(params.output, text)
    console.success(f"Wrote {params.output}: CycloneDX 1.6 SBOM with {summary}")
