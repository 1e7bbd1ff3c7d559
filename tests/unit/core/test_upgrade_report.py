"""upgrade-check's pure core: validation, the dependency diff, DAGs side by side, ruff, reports."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from breeze.core.dag_report import FileResult
from breeze.core.errors import BreezeError, InvalidInput
from breeze.core.image_params import BuildSettings, ImageBuildParams, ImageSpec
from breeze.core.upgrade_markdown import to_markdown
from breeze.core.upgrade_params import (
    PACKAGES_MARKER,
    UpgradeCheckParams,
    parse_packages,
    validate_upgrade,
)
from breeze.core.upgrade_report import (
    Change,
    ImageSide,
    UpgradeReport,
    compare_dags,
    dependency_diff,
    parse_ruff,
    to_json,
)

CURRENT = ImageBuildParams(ImageSpec(airflow_version="3.2.2", python="3.12"))


def _params(**kwargs: object) -> UpgradeCheckParams:
    return UpgradeCheckParams(**{"current": CURRENT, "to_version": "3.3.2", **kwargs})  # type: ignore[arg-type]


def test_the_target_is_the_same_build_with_the_newer_airflow_and_python() -> None:
    target = _params(to_python="3.13").target
    assert (target.spec.airflow_version, target.spec.python) == ("3.3.2", "3.13")
    assert replace(target.spec, airflow_version="3.2.2", python="3.12") == CURRENT.spec
    assert target.tag == "breeze/airflow:3.3.2-python3.13"
    assert _params().target.spec.python == "3.12"
    tagged = _params(
        current=replace(CURRENT, settings=BuildSettings(image_tag="me/airflow:now")),
        to_image_tag="me/airflow:next",
    )
    assert (tagged.current.tag, tagged.target.tag) == ("me/airflow:now", "me/airflow:next")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"to_version": "3.9.9"}, "--to-version 3.9.9: not an Airflow release breeze knows"),
        ({"to_version": "3.2.2"}, "is not newer than the current Airflow 3.2.2"),
        ({"to_version": "3.1.0"}, "is not newer than the current Airflow 3.2.2"),
        ({"to_python": "3.9"}, "--to-python 3.9"),
        (
            {
                "current": replace(CURRENT, settings=BuildSettings(image_tag="me/airflow:x")),
                "to_image_tag": "me/airflow:x",
            },
            "--image-tag and --to-image-tag are both me/airflow:x; give two tags",
        ),
        (
            {
                "current": replace(
                    CURRENT,
                    spec=replace(CURRENT.spec, installation_method="git+https://h/airflow@main"),
                )
            },
            "compares two Airflow releases from PyPI",
        ),
    ],
)
def test_a_target_that_cannot_be_checked_is_one_line(kwargs: dict, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        validate_upgrade(_params(**kwargs))


def test_installed_distributions_are_read_after_the_marker_and_normalized() -> None:
    output = f"some warning\n{PACKAGES_MARKER}\n" + json.dumps(
        {"Apache_Airflow": "3.3.2", "zope.interface": "7.0"}
    )
    assert parse_packages(output) == {"apache-airflow": "3.3.2", "zope-interface": "7.0"}
    with pytest.raises(BreezeError, match=r"could not list .*: exec failed"):
        parse_packages("exec failed\n")


def test_the_dependency_diff_names_each_kind_of_change() -> None:
    before = {"a": "1.0", "gone": "2.0", "same": "1", "old": "2.0.1", "back": "10.0"}
    after = {"a": "1.1", "new": "0.1", "same": "1", "old": "2.0.10", "back": "9.9"}
    kinds = {c.name: c.kind for c in dependency_diff(before, after)}
    assert kinds == {
        "a": "upgraded",
        "gone": "removed",
        "new": "added",
        "old": "upgraded",  # versions compare as versions, not as text
        "back": "downgraded",
    }
    severities = {c.name: c.severity for c in dependency_diff(before, after)}
    assert severities["gone"] == severities["back"] == "warning" and severities["a"] == "info"


def test_dag_files_side_by_side_tell_new_old_and_fixed_failures() -> None:
    ok = FileResult("ok.py", ("a",), 0.1)
    broken = FileResult("x.py", error="ImportError: boom", line=3)
    before = [ok, broken, FileResult("new_fail.py", ("b",)), FileResult("lost.py", ("c", "d"))]
    after = [
        ok,
        replace(broken, file="x.py"),
        FileResult("new_fail.py", error="AttributeError: gone", line=7),
        FileResult("lost.py", ("c",)),
    ]
    status = {d.file: (d.status, d.severity) for d in compare_dags(before, after)}
    assert status == {
        "lost.py": ("lost DAGs", "breaking"),
        "new_fail.py": ("newly fails", "breaking"),
        "ok.py": ("passes", "info"),
        "x.py": ("still fails", "breaking"),
    }
    fixed = compare_dags([broken], [FileResult("x.py", ("a",))])[0]
    assert (fixed.status, fixed.severity) == ("fixed", "info")


def test_ruff_findings_are_relative_to_the_folder_with_their_severity() -> None:
    folder = Path("/work/dags")
    output = json.dumps(
        [
            {
                "code": "AIR311",
                "filename": "/work/dags/sub/b.py",
                "location": {"row": 4, "column": 1},
                "message": "`airflow.Dataset` is removed in Airflow 3.0",
            },
            {
                "code": "AIR301",
                "filename": "/work/dags/a.py",
                "location": {"row": 2, "column": 6},
                "message": "`airflow.utils.dates.days_ago` is removed in Airflow 3.0",
            },
        ]
    )
    findings = parse_ruff(output, folder)
    assert [(f.file, f.line, f.code, f.severity) for f in findings] == [
        ("a.py", 2, "AIR301", "breaking"),
        ("sub/b.py", 4, "AIR311", "warning"),
    ]


def _report(**kwargs: object) -> UpgradeReport:
    values = {
        "current": ImageSide("breeze/airflow:3.2.2-python3.12", "3.2.2", "3.12", "generated"),
        "target": ImageSide("breeze/airflow:3.3.2-python3.12", "3.3.2", "3.12", "generated"),
        "changes": (Change("apache-airflow", "3.2.2", "3.3.2"),),
        "dags": compare_dags([FileResult("ok.py", ("a",))], [FileResult("ok.py", ("a",))]),
        "findings": (),
        **kwargs,
    }
    return UpgradeReport(**values)  # type: ignore[arg-type]


def test_the_worst_item_decides_the_severity_and_the_summary() -> None:
    assert _report().severity == "info"
    assert _report().summary().endswith("nothing breaks (0 breaking, 0 warnings)")
    warned = _report(changes=(Change("lib", "2", None),))
    assert warned.severity == "warning" and "1 warnings" in warned.summary()
    broken = _report(dags=compare_dags([FileResult("x.py", ("a",))], [FileResult("x.py")]))
    assert broken.severity == "breaking"


def test_markdown_and_json_hold_every_section() -> None:
    findings = parse_ruff(
        json.dumps(
            [{"code": "AIR302", "filename": "/d/a.py", "location": {"row": 1, "column": 1},
              "message": "`x|y` moved"}]
        ),
        Path("/d"),
    )  # fmt: skip
    report = _report(findings=findings, changes=(Change("gone", "1.0", None),))
    text = to_markdown(report)
    assert text.startswith("# Upgrade check: Airflow 3.2.2 → 3.3.2\n")
    for needle in (
        "## DAG files",
        "| `ok.py` | a | a | passes |",
        "| `a.py:1` | AIR302 | breaking | `x\\|y` moved |",
        "| gone | 1.0 | - | **removed** |",
        "1 removed.",
    ):
        assert needle in text
    data = json.loads(to_json(report))
    assert data["severity"] == "breaking" and data["dags"][0]["status"] == "passes"
    assert data["dependencies"] == [
        {"name": "gone", "before": "1.0", "after": None, "kind": "removed"}
    ]
    assert data["lint"][0]["file"] == "a.py"
