"""Parameters of `prod-image sbom` and `prod-image scan`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SbomParams:
    """Which image to describe and where to write its SBOM (None: stdout)."""

    image: str
    output: Path | None = None


@dataclass(frozen=True)
class ScanParams:
    """Which image to audit, against what (None: pip-audit online), and how to report."""

    image: str
    advisory_db: Path | None = None
    fail_on_vulns: bool = False
    json: bool = False
