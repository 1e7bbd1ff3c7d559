"""`breeze upgrade-check` as data: the two images, the checks' inputs, what the images report."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

from breeze.core import airflow_meta
from breeze.core.dag_report import DEFAULT_IMPORT_TIMEOUT
from breeze.core.errors import BreezeError, InvalidInput
from breeze.core.image_params import ImageBuildParams

BREAKING, WARNING, INFO = "breaking", "warning", "info"
SEVERITIES = (INFO, WARNING, BREAKING)  # in rising order
FAIL_ON = (BREAKING, WARNING, "never")

PACKAGES_MARKER = "==== breeze: installed distributions follow ===="
# Run with the image's python: every installed distribution and its version, as one JSON object.
PACKAGES_SCRIPT = f"""
import json, importlib.metadata as metadata
found = {{d.metadata["Name"]: d.version for d in metadata.distributions() if d.metadata["Name"]}}
print({PACKAGES_MARKER!r})
print(json.dumps(found))
"""


@dataclass(frozen=True)
class UpgradeCheckParams:
    """The current image (as the options build it), the target version, and how to report."""

    current: ImageBuildParams
    to_version: str
    to_python: str | None = None  # None: the current image's Python
    dags_folder: Path | None = None  # None: dags/ of the working folder
    report: Path | None = None  # the Markdown report's file
    json: bool = False
    fail_on: str = BREAKING
    import_timeout: float = DEFAULT_IMPORT_TIMEOUT
    to_image_tag: str | None = None  # None: breeze/airflow:<to-version>-python<python>

    @property
    def target(self) -> ImageBuildParams:
        """The target image: the same options with the newer Airflow (and Python)."""
        spec = self.current.spec
        spec = replace(
            spec, airflow_version=self.to_version.strip(), python=self.to_python or spec.python
        )
        settings = replace(self.current.settings, image_tag=self.to_image_tag)
        return replace(self.current, spec=spec, settings=settings)


def validate_upgrade(params: UpgradeCheckParams) -> None:
    """Refuse a target that is unknown, not newer, or not on the chosen Python, in one line."""
    spec, version = params.current.spec, params.to_version.strip()
    if spec.installation != "pypi" or spec.install_distributions_from_context:
        raise InvalidInput(
            "upgrade-check compares two Airflow releases from PyPI; drop --installation-method "
            "and --install-distributions-from-context"
        )
    release = airflow_meta.get_release(version)
    if release is None:
        newest = airflow_meta.known_versions()[0]
        raise InvalidInput(
            f"--to-version {version}: not an Airflow release breeze knows (newest: {newest})"
        )
    if airflow_meta.version_key(version) <= airflow_meta.version_key(spec.airflow_version):
        raise InvalidInput(
            f"--to-version {version} is not newer than the current Airflow {spec.airflow_version}; "
            "give the current one with --install-airflow-version"
        )
    python = params.to_python or spec.python
    problem = airflow_meta.python_support_error(release, python)
    if problem:
        raise InvalidInput(f"--to-python {python}: {problem}")
    if params.current.tag == params.target.tag:
        raise InvalidInput(
            f"--image-tag and --to-image-tag are both {params.current.tag}; give two tags"
        )
    if params.fail_on not in FAIL_ON:
        raise InvalidInput(f"--fail-on {params.fail_on}: choose one of {', '.join(FAIL_ON)}")


def parse_packages(output: str) -> dict[str, str]:
    """The distributions the image reported, by normalized name (PEP 503)."""
    if PACKAGES_MARKER not in output:
        last = [line for line in output.splitlines() if line.strip()][-1:] or ["no output"]
        raise BreezeError(f"could not list the image's Python distributions: {last[0]}")
    data = json.loads(output.split(PACKAGES_MARKER, 1)[1].strip().splitlines()[0])
    return {normalize(name): str(version) for name, version in data.items()}


def normalize(name: str) -> str:
    """A distribution name as PEP 503 compares it."""
    return re.sub(r"[-_.]+", "-", name).lower()
