"""SOURCE_DATE_EPOCH of a build: the one time a reproducible image records (docs/image.md)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from breeze.core.errors import InvalidInput

ENV_NAME = "SOURCE_DATE_EPOCH"
# "# This constraints file was automatically generated on 2025-06-12T06:35:36.445786" (Airflow's)
# and "# Generated 2026-12-02T10:00:00Z by breeze" (ours); read as UTC, whole seconds
_GENERATED = re.compile(
    r"^#.*\bgenerated (?:on )?(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)", re.IGNORECASE | re.MULTILINE
)
_HEADER_CHARS = 4000


@dataclass(frozen=True)
class SourceDate:
    """The build's source date and where it came from, for the build log."""

    epoch: int
    origin: str

    @property
    def iso(self) -> str:
        """The date as an OCI `created` label value."""
        return iso_date(self.epoch)


def iso_date(epoch: int) -> str:
    """Seconds since 1970 as `YYYY-MM-DDTHH:MM:SSZ`."""
    moment = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_epoch(value: str) -> int:
    """The value of SOURCE_DATE_EPOCH as a number; one line when it is not one."""
    if not re.fullmatch(r"\d{1,11}", value.strip()):
        raise InvalidInput(
            f"{ENV_NAME}={value!r} is not a time: give seconds since 1970 (e.g. "
            "$(git log -1 --format=%ct)), or unset it"
        )
    return int(value.strip())


def constraints_date(text: str) -> int | None:
    """When a constraints file says it was generated, as seconds since 1970; None if it does not."""
    found = _GENERATED.search(text[:_HEADER_CHARS])
    if found is None:
        return None
    moment = datetime.datetime.fromisoformat(f"{found.group(1)}T{found.group(2)}+00:00")
    return int(moment.timestamp())


def choose_source_date(
    environ_value: str | None,
    constraints_text: str | None,
    sources_commit: int | None,
) -> SourceDate | None:
    """The first known of: the variable, the constraints' date, the Airflow sources' last commit."""
    if environ_value:
        return SourceDate(parse_epoch(environ_value), f"${ENV_NAME}")
    if constraints_text is not None:
        epoch = constraints_date(constraints_text)
        if epoch is not None:
            return SourceDate(epoch, "the constraints' generation date")
    if sources_commit is not None:
        return SourceDate(sources_commit, "the last commit of the Airflow sources")
    return None
