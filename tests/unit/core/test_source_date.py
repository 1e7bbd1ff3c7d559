"""SOURCE_DATE_EPOCH of a build: the variable, the constraints' date, the sources' commit."""

from __future__ import annotations

import pytest

from breeze.core.build_args import Provenance, build_args
from breeze.core.errors import InvalidInput
from breeze.core.image_params import ImageSpec
from breeze.core.source_date import SourceDate, choose_source_date, constraints_date, iso_date

AIRFLOW_HEADER = (
    "#\n# This constraints file was automatically generated on 2025-06-12T06:35:36.445786\n"
    '# via "eager-upgrade" mechanism of PIP. For the "v3-0-test" branch of Airflow.\n'
    "apache-airflow==3.0.2\n"
)
BREEZE_HEADER = (
    "# constraints for Apache Airflow 3.3.2 on Python 3.13\n"
    "# Generated 2026-12-02T10:00:00Z by breeze 0.1.0: `breeze constraints generate`\n"
    "apache-airflow==3.3.2\n"
)


def test_the_official_and_the_generated_headers_give_their_date_in_utc() -> None:
    assert iso_date(constraints_date(AIRFLOW_HEADER) or 0) == "2025-06-12T06:35:36Z"
    assert iso_date(constraints_date(BREEZE_HEADER) or 0) == "2026-12-02T10:00:00Z"
    assert constraints_date("apache-airflow==3.3.2\n# not generated here\n") is None


def test_the_variable_wins_then_the_constraints_then_the_sources_commit() -> None:
    assert choose_source_date("1700000000", BREEZE_HEADER, 5) == SourceDate(
        1700000000, "$SOURCE_DATE_EPOCH"
    )
    by_constraints = choose_source_date(None, BREEZE_HEADER, 5)
    assert by_constraints is not None and by_constraints.iso == "2026-12-02T10:00:00Z"
    assert choose_source_date("", "pins only\n", 1700000001) == SourceDate(
        1700000001, "the last commit of the Airflow sources"
    )
    assert choose_source_date(None, None, None) is None


@pytest.mark.parametrize("value", ["yesterday", "-1", "1.5", "2026-12-02"])
def test_a_variable_that_is_not_seconds_is_one_line(value: str) -> None:
    with pytest.raises(InvalidInput, match=r"SOURCE_DATE_EPOCH=.* is not a time: give seconds"):
        choose_source_date(value, None, None)


def test_a_source_date_sets_the_arg_and_dates_the_created_label_with_it() -> None:
    dated = Provenance(
        created="2026-12-02T12:00:00Z", source_date=SourceDate(1700000000, "$SOURCE_DATE_EPOCH")
    )
    args = build_args(ImageSpec(), dated)
    assert args["SOURCE_DATE_EPOCH"] == "1700000000"
    assert args["AIRFLOW_IMAGE_DATE_CREATED"] == "2023-11-14T22:13:20Z"  # not the build's now
    undated = build_args(ImageSpec(), Provenance(created="2026-12-02T12:00:00Z"))
    assert "SOURCE_DATE_EPOCH" not in undated
    assert undated["AIRFLOW_IMAGE_DATE_CREATED"] == "2026-12-02T12:00:00Z"
