"""The sbom service: list an image's packages in a throw-away container, write a CycloneDX SBOM."""

from __future__ import annotations

import sys
from pathlib import Path

from breeze.core.argv import Command
from breeze.core.errors import InvalidInput
from breeze.core.image_facts import FACTS_SCRIPT, ImageFacts, ImageMeta, image_meta, parse_facts
from breeze.core.run_options import RunOptions
from breeze.core.scan_params import SbomParams
from breeze.core.shell_format import format_command
from breeze.io.engine import Engine
from breeze.services.preflight import preflight
from breeze.ui import console

FACTS_TIMEOUT = 120


def facts_command(image: str, docker_host: str | None) -> Command:
    """The `docker run` equivalent of the facts container (for --dry-run and --verbose)."""
    argv = ("docker", "run", "--rm", "--entrypoint", "python", image, "-c", FACTS_SCRIPT.strip())
    return Command(argv, {"DOCKER_HOST": docker_host} if docker_host else {})


def collect_facts(
    image: str, docker_host: str | None, options: RunOptions
) -> tuple[ImageMeta, ImageFacts]:
    """Inspect an existing image (never pulled) and list its packages from a removed container."""
    preflight(docker_host)
    engine = Engine(docker_host)
    attrs = engine.require_image(image)
    if options.verbose:
        console.print_command(
            format_command(facts_command(image, docker_host), multiline=False), to_stdout=False
        )
    run = engine.run(
        image,
        ["-c", FACTS_SCRIPT],
        entrypoint=["python"],
        user=None,
        timeout=FACTS_TIMEOUT,
        purpose="sbom",
    )
    facts = parse_facts(run.output, image)
    return image_meta(image, attrs), facts


def check_output_file(path: Path) -> None:
    """Refuse, before any container runs, an output path whose folder is missing or a folder."""
    if path.is_dir():
        raise InvalidInput(f"--output {path} is a folder; give a file name")
    if not path.parent.is_dir():
        raise InvalidInput(f"--output {path}: folder {path.parent} does not exist; create it first")


def write_sbom(params: SbomParams, options: RunOptions) -> None:
    """Write the image's CycloneDX JSON SBOM to the output file (atomically) or stdout."""
    from breeze.services.bom import bom_json, make_bom, require_scan_extra

    require_scan_extra("breeze prod-image sbom", ("cyclonedx", "packageurl"))
    if params.output is not None:
        check_output_file(params.output)
    if options.dry_run:
        command = facts_command(params.image, params.docker_host)
        console.print_command(format_command(command), to_stdout=True)
        return
    meta, facts = collect_facts(params.image, params.docker_host, options)
    text = bom_json(make_bom(meta, facts))
    summary = f"{len(facts.python)} Python and {len(facts.deb)} Debian packages of {params.image}"
    if params.output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        console.info(f"SBOM (CycloneDX 1.6): {summary}")
        return
    from breeze.services.constraints import write_atomically

    write_atomically(params.output, text)
    console.success(f"Wrote {params.output}: CycloneDX 1.6 SBOM with {summary}")
