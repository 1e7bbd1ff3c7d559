"""Matching installed packages against OSV advisories, and reading pip-audit's report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from breeze.core.advisories import (
    Package,
    advisory_from_osv,
    canonical_name,
    match,
    pip_audit_failure,
    report_from_pip_audit,
    requirements_text,
)
from breeze.core.errors import BreezeError, InvalidInput
from breeze.io.advisory_db import advisory_files, load_advisories


def osv(
    id_: str,
    name: str,
    *ranges: list[dict[str, str]],
    versions: tuple[str, ...] = (),
    **extra: Any,
) -> dict[str, Any]:
    """A small OSV advisory as the PyPA database's YAML parses."""
    return {
        "id": id_,
        "aliases": [f"CVE-{id_}"],
        "details": "Something  bad\n happens.",
        "affected": [
            {
                "package": {"name": name, "ecosystem": "PyPI", "purl": f"pkg:pypi/{name}"},
                "ranges": [{"type": "ECOSYSTEM", "events": events} for events in ranges],
                "versions": list(versions),
            }
        ],
        **extra,
    }


def ids(packages: list[Package], *advisories: dict[str, Any]) -> list[tuple[str, str]]:
    """(package, advisory id) of every finding."""
    findings = match(packages, [advisory_from_osv(a) for a in advisories])
    return [(f.package, f.advisory) for f in findings]


@pytest.mark.parametrize(
    ("version", "affected"),
    [("0.9", False), ("1.0", True), ("1.5.post1", True), ("2.0", False), ("2.1", False)],
)
def test_introduced_and_fixed(version: str, affected: bool) -> None:
    advisory = osv("A-1", "demo", [{"introduced": "1.0"}, {"fixed": "2.0"}])
    assert bool(ids([Package("demo", version)], advisory)) is affected


@pytest.mark.parametrize(
    ("version", "affected"), [("1.4", True), ("1.4.0", True), ("1.4.1", False)]
)
def test_last_affected_is_inclusive(version: str, affected: bool) -> None:
    advisory = osv("A-2", "demo", [{"introduced": "0"}, {"last_affected": "1.4"}])
    assert bool(ids([Package("demo", version)], advisory)) is affected


@pytest.mark.parametrize(
    ("version", "affected"),
    [("1.0", True), ("1.2", False), ("2.0", True), ("2.3", False), ("3.0", False), ("0.1", False)],
)
def test_multiple_ranges_and_events(version: str, affected: bool) -> None:
    advisory = osv(
        "A-3",
        "demo",
        [{"introduced": "1.0"}, {"fixed": "1.1"}],
        [{"introduced": "2.0"}, {"fixed": "2.3"}],
    )
    assert bool(ids([Package("demo", version)], advisory)) is affected


def test_one_range_with_several_introduced_events() -> None:
    advisory = osv("A-4", "demo", [{"introduced": "1.0"}, {"fixed": "1.1"}, {"introduced": "2.0"}])
    assert ids([Package("demo", "2.5")], advisory) == [("demo", "A-4")]
    assert ids([Package("demo", "1.5")], advisory) == []


def test_fixed_versions_are_the_next_fix_of_each_matching_range() -> None:
    advisory = osv(
        "A-5",
        "demo",
        [{"introduced": "1.0"}, {"fixed": "1.1"}],
        [{"introduced": "0"}, {"fixed": "1.0.5"}, {"introduced": "2.0"}, {"fixed": "2.3"}],
    )
    [finding] = match([Package("demo", "1.0.2")], [advisory_from_osv(advisory)])
    assert finding.fixed_versions == ("1.0.5", "1.1")
    assert finding.aliases == ("CVE-A-5",)
    assert finding.summary == "Something bad happens."


def test_versions_list_matches_without_ranges_and_as_versions() -> None:
    advisory = osv("A-6", "demo", versions=("1.0", "1.2rc1"))
    assert ids([Package("demo", "1.0.0")], advisory) == [("demo", "A-6")]
    assert ids([Package("demo", "1.2rc1")], advisory) == [("demo", "A-6")]
    assert ids([Package("demo", "1.1")], advisory) == []


def test_withdrawn_advisories_are_ignored() -> None:
    advisory = osv("A-7", "demo", [{"introduced": "0"}], withdrawn="2024-01-01T00:00:00Z")
    assert ids([Package("demo", "1.0")], advisory) == []


@pytest.mark.parametrize("installed", ["Demo.Pkg", "demo_pkg", "DEMO--pkg", "demo-pkg"])
def test_names_are_normalised(installed: str) -> None:
    advisory = osv("A-8", "demo_Pkg", [{"introduced": "0"}, {"fixed": "9"}])
    assert ids([Package(installed, "1.0")], advisory) == [(installed, "A-8")]
    assert canonical_name("Foo.Bar__baz") == "foo-bar-baz"


def test_invalid_versions_match_nothing_but_their_exact_listing() -> None:
    # An installed version that is not PEP 440, and a range with a commit hash where a version
    # belongs (as GIT-derived entries sometimes have): neither raises, neither matches a range.
    ranged = osv("A-9", "demo", [{"introduced": "0"}, {"fixed": "5f06d724bc05"}])
    assert ids([Package("demo", "1.0")], ranged) == []
    listed = osv("A-10", "demo", [{"introduced": "0"}], versions=("not a version",))
    assert ids([Package("demo", "not a version")], listed) == [("demo", "A-10")]
    assert ids([Package("demo", "also invalid")], listed) == []


def test_other_ecosystems_and_git_ranges_are_ignored() -> None:
    advisory = osv("A-11", "demo", [{"introduced": "0"}])
    advisory["affected"][0]["package"]["ecosystem"] = "npm"
    assert ids([Package("demo", "1.0")], advisory) == []
    git = osv("A-12", "demo")
    git["affected"][0]["ranges"] = [{"type": "GIT", "events": [{"introduced": "0"}]}]
    assert ids([Package("demo", "1.0")], git) == []


def test_an_advisory_needs_an_id() -> None:
    with pytest.raises(ValueError):
        advisory_from_osv({"affected": []})


def test_requirements_pin_valid_versions_only() -> None:
    packages = [Package("Jinja2", "3.1.6"), Package("odd", "not a version"), Package("a_b", "1")]
    assert requirements_text(packages) == "a-b==1\njinja2==3.1.6\n"


# --- the advisory database on disk -------------------------------------------------------------


def write_yaml(path: Path, data: dict[str, Any]) -> None:
    """Write an advisory as YAML."""
    import yaml

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data))


def test_database_reads_only_the_folders_of_installed_packages(tmp_path: Path) -> None:
    write_yaml(tmp_path / "vulns/demo-pkg/A-1.yaml", osv("A-1", "demo-pkg", [{"introduced": "0"}]))
    write_yaml(tmp_path / "vulns/other/A-2.yaml", osv("A-2", "other", [{"introduced": "0"}]))
    (tmp_path / "vulns/broken").mkdir()
    (tmp_path / "vulns/broken/A-3.yaml").write_text(": : not yaml [")
    files = advisory_files(tmp_path, ["Demo_Pkg"])
    assert [f.name for f in files] == ["A-1.yaml"]
    [advisory] = load_advisories(tmp_path, ["Demo_Pkg"])
    assert advisory.id == "A-1"
    with pytest.raises(BreezeError, match=r"cannot read advisory .*A-3\.yaml"):
        load_advisories(tmp_path, ["broken"])


def test_a_flat_folder_of_json_advisories_is_read_whole(tmp_path: Path) -> None:
    (tmp_path / "A-1.json").write_text(json.dumps(osv("A-1", "demo", [{"introduced": "0"}])))
    [advisory] = load_advisories(tmp_path, [])
    assert advisory.affected[0].package == "demo"


def test_a_folder_without_advisories_is_refused(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/readme.txt").write_text("nothing here")
    with pytest.raises(InvalidInput, match="has no advisories"):
        advisory_files(tmp_path, ["demo"])
    with pytest.raises(InvalidInput, match="not a folder"):
        advisory_files(tmp_path / "missing", ["demo"])


SNAPSHOT = Path(__file__).resolve().parents[4] / "shared/data/pypa-advisory-database"


@pytest.mark.skipif(not SNAPSHOT.is_dir(), reason="no PyPA advisory database snapshot here")
def test_the_pypa_snapshot_finds_old_jinja2_and_mistune() -> None:
    packages = [Package("Jinja2", "2.10"), Package("mistune", "0.7.4"), Package("jinja2x", "1")]
    findings = match(packages, load_advisories(SNAPSHOT, [p.name for p in packages]))
    assert {(f.package, f.advisory) for f in findings} == {
        ("Jinja2", "PYSEC-2019-217"),
        ("Jinja2", "PYSEC-2021-66"),
        ("mistune", "PYSEC-2017-18"),
        ("mistune", "PYSEC-2017-80"),
    }
    mistune = {f.advisory: f for f in findings if f.package == "mistune"}
    assert "CVE-2017-16876" in mistune["PYSEC-2017-18"].aliases
    assert mistune["PYSEC-2017-18"].fixed_versions == ("0.8.1",)


# --- pip-audit ----------------------------------------------------------------------------------


def test_pip_audit_report() -> None:
    report = report_from_pip_audit(
        json.dumps(
            {
                "dependencies": [
                    {
                        "name": "jinja2",
                        "version": "2.10",
                        "vulns": [
                            {
                                "id": "PYSEC-2019-217",
                                "fix_versions": ["2.10.1"],
                                "aliases": ["CVE-2019-10906"],
                                "description": "sandbox escape",
                            }
                        ],
                    },
                    {"name": "six", "version": "1.17.0", "vulns": []},
                    {"name": "private", "skip_reason": "Dependency not found on PyPI"},
                ],
                "fixes": [],
            }
        )
    )
    assert report.audited == 2
    assert report.skipped == (("private", "Dependency not found on PyPI"),)
    [finding] = report.findings
    assert finding.as_json() == {
        "package": "jinja2",
        "version": "2.10",
        "id": "PYSEC-2019-217",
        "aliases": ["CVE-2019-10906"],
        "fixed_versions": ["2.10.1"],
        "summary": "sandbox escape",
    }
    assert pip_audit_failure(0, "", report) is None


def test_pip_audit_skipping_everything_is_a_failure_not_a_clean_bill() -> None:
    # What pip-audit does here: the index answers 404 for per-version JSON, every package is
    # skipped, and it exits 0 saying "No known vulnerabilities found".
    text = json.dumps(
        {
            "dependencies": [
                {
                    "name": "a",
                    "skip_reason": "Dependency not found on PyPI and could not be audited: a (1)",
                }
            ],
            "fixes": [],
        }
    )
    reason = pip_audit_failure(0, "No known vulnerabilities found", report_from_pip_audit(text))
    assert reason is not None and "could not audit any of the 1 packages" in reason
    assert "--advisory-db" in reason and "\n" not in reason


def test_pip_audit_network_errors_are_one_line() -> None:
    output = (
        "Traceback (most recent call last):\n  ...\nrequests.exceptions.ConnectionError: "
        "HTTPSConnectionPool(host='api.osv.dev', port=443): Max retries exceeded with url: "
        "/v1/query (Caused by NameResolutionError(...))\n"
    )
    reason = pip_audit_failure(1, output, None)
    assert reason is not None and "(api.osv.dev) cannot be reached" in reason
    assert "\n" not in reason
    assert pip_audit_failure(2, "usage: pip-audit\nerror: bad flag\n", None) == (
        "pip-audit failed (exit 2): error: bad flag"
    )
