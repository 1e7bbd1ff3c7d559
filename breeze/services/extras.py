"""`prod-image extras`: the extras of an Airflow version and the providers each installs."""

from __future__ import annotations

from breeze.core import airflow_meta
from breeze.core.errors import InvalidInput
from breeze.io.session import Session


def list_extras(version: str, session: Session) -> None:
    """Print one line per extra: its name and its providers, tab-separated."""
    release = airflow_meta.get_release(version)
    if release is None:
        raise InvalidInput(
            f"Airflow {version} is not in breeze's release data; choose a known "
            f"version ({', '.join(airflow_meta.known_versions()[:5])}, ...) or upgrade breeze"
        )
    for name in airflow_meta.extras_of(release):
        providers = ", ".join(sorted(release.extras[name])) or "-"
        print(f"{name}\t{providers}")
