"""breeze.core.airflow_meta against the shipped release data (no mocks)."""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest

from breeze.core import airflow_meta
from breeze.core.airflow_meta import (
    AirflowRelease,
    extras_of,
    get_release,
    known_versions,
    load_releases,
    normalize_extra,
    providers_for_extras,
    python_satisfies,
    python_support_error,
    suggest_extra,
    supported_pythons,
    unknown_extras,
    version_key,
)

PYTHON_RE = re.compile(r"^\d+\.\d+$")
VERSION_RE = re.compile(r"^\d+\.\d+\.\d+$")
PROVIDER_RE = re.compile(r"^apache-airflow-providers-[a-z0-9]+(?:-[a-z0-9]+)*$")
EXTRA_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def release(version: str) -> AirflowRelease:
    """A release that must be in the data."""
    found = get_release(version)
    assert found is not None, f"{version} missing from the shipped data"
    return found


# -- the data file ---------------------------------------------------------------------------


def test_data_file_is_valid_json_with_header_and_one_release_per_line():
    path = resources.files("breeze").joinpath("data/airflow_releases.json")
    text = path.read_text(encoding="utf-8")
    document = json.loads(text)
    assert document["header"]["generator"] == "scripts/update_airflow_metadata.py"
    assert document["header"]["source"].startswith("https://pypi.org/simple/apache-airflow")
    assert len(text.encode()) < 1_000_000
    release_lines = [line for line in text.splitlines() if line.startswith('"3.3.2"')]
    assert len(release_lines) == 1
    for record in document["releases"].values():
        assert record["extras"] in document["tables"]
        assert record["base_providers"] in document["tables"]


def test_every_release_is_well_formed():
    releases = load_releases()
    assert len(releases) > 80
    for version, item in releases.items():
        assert item.version == version
        assert VERSION_RE.match(version), version
        assert version.split(".")[0] in {"1", "2", "3"}
        assert item.requires_python is None or isinstance(item.requires_python, str)
        assert all(PYTHON_RE.match(python) for python in item.python_versions), version
        assert list(item.python_versions) == sorted(item.python_versions, key=version_key)
        assert isinstance(item.yanked, bool)
        assert item.yanked or item.yanked_reason is None
        assert item.extras, version
        for extra, providers in item.extras.items():
            assert EXTRA_RE.match(extra), (version, extra)
            assert normalize_extra(extra) == extra
            for provider, pythons in providers.items():
                assert PROVIDER_RE.match(provider), (version, extra, provider)
                assert pythons is None or (
                    isinstance(pythons, tuple) and all(PYTHON_RE.match(p) for p in pythons)
                ), (version, extra, provider, pythons)
        for provider, pythons in item.base_providers.items():
            assert PROVIDER_RE.match(provider)
            assert pythons is None or isinstance(pythons, tuple)
        if item.requires_python:
            # Every shipped Requires-Python must be readable by the evaluator.
            python_satisfies(item.requires_python, "3.12")


def test_covers_1_10_2_and_3_without_prereleases():
    versions = known_versions()
    assert {"1.10.15", "2.0.0", "2.10.5", "3.0.0", "3.3.2"} <= set(versions)
    assert all(VERSION_RE.match(version) for version in versions)
    assert not any(version.startswith(("1.8.", "1.9.")) for version in versions)


def test_load_is_cached():
    assert load_releases() is load_releases()


def test_releases_are_immutable():
    item = release("3.3.2")
    with pytest.raises(AttributeError):
        item.yanked = True  # type: ignore[misc]
    with pytest.raises(TypeError):
        item.extras["amazon"]["x"] = None  # type: ignore[index]


def test_yanked_releases_are_marked_with_their_reason():
    assert release("1.10.11").yanked
    assert "Kubernetes" in (release("1.10.11").yanked_reason or "")
    assert release("3.0.5").yanked
    assert not release("3.3.2").yanked
    assert not release("1.10.12").yanked


# -- versions --------------------------------------------------------------------------------


def test_known_versions_newest_first():
    versions = known_versions()
    assert versions[0] == max(versions, key=version_key)
    assert versions == sorted(versions, key=version_key, reverse=True)
    assert versions.index("2.10.0") < versions.index("2.9.3")
    assert versions.index("1.10.10") < versions.index("1.10.9")
    versions.clear()  # a copy: the cached order is unharmed
    assert known_versions()


@pytest.mark.parametrize(
    ("older", "newer"),
    [
        ("2.9.3", "2.10.0"),
        ("1.10.9", "1.10.10"),
        ("2.11.2", "3.0.0"),
        ("3.3.1", "3.3.2"),
        ("3.3", "3.3.0"),
    ],
)
def test_version_key_orders_numerically(older, newer):
    assert version_key(older) < version_key(newer)


def test_get_release_unknown_is_none():
    assert get_release("9.9.9") is None
    assert get_release(" 3.3.2 ") is release("3.3.2")


# -- Python support ----------------------------------------------------------------------------


def test_3_3_2_supports_3_10_to_3_14_only():
    item = release("3.3.2")
    assert item.requires_python == "!=3.15,>=3.10"
    assert supported_pythons(item) == ("3.10", "3.11", "3.12", "3.13", "3.14")
    for python in ("3.10", "3.11", "3.12", "3.13", "3.14", "3.12.4"):
        assert python_support_error(item, python) is None
    assert python_support_error(item, "3.9") == (
        "Airflow 3.3.2 does not support Python 3.9 (it supports 3.10, 3.11, 3.12, 3.13, 3.14)"
    )
    assert python_support_error(item, "3.15") is not None
    assert "3.15" in python_support_error(item, "3.15")


def test_1_10_rejects_3_11_listing_what_it_supports():
    item = release("1.10.11")
    expected = "Airflow 1.10.11 does not support Python 3.11 (it supports {})".format(
        ", ".join(item.python_versions)
    )
    assert python_support_error(item, "3.11") == expected
    assert "3.8" in item.python_versions and "2.7" in item.python_versions
    assert python_support_error(item, "3.8") is None
    for version in known_versions():
        if version.startswith("1.10."):
            assert python_support_error(release(version), "3.11") is not None


def test_classifiers_win_over_an_open_requires_python():
    # 1.10.11's Requires-Python alone admits 3.11; the classifiers stop at 3.8.
    item = release("1.10.11")
    assert python_satisfies(item.requires_python, "3.11")
    assert python_support_error(item, "3.11") is not None


def test_requires_python_wins_over_a_stale_classifier():
    # 2.11.1+ still lists a 3.9 classifier but requires >=3.10.
    item = release("2.11.2")
    assert "3.9" in item.python_versions
    assert "3.9" not in supported_pythons(item)
    assert python_support_error(item, "3.9") is not None


def test_invalid_python_string_is_an_error_message():
    assert "not a Python version" in python_support_error(release("3.3.2"), "three")


@pytest.mark.parametrize(
    ("specifier", "python", "expected"),
    [
        (">=3.10", "3.10", True),
        (">=3.10", "3.9", False),
        (">=3.8.1", "3.8", True),  # 3.8.1+ exists
        (">=3.8.1", "3.7", False),
        ("<3.13", "3.12", True),
        ("<3.13", "3.13", False),
        ("<3.8.1", "3.8", True),  # 3.8.0 qualifies
        ("<=3.12", "3.12", True),
        ("<=3.12", "3.13", False),
        (">3.8", "3.8", True),  # 3.8.1 > 3.8
        (">3.8", "3.7", False),
        ("==3.11", "3.11", True),
        ("==3.11", "3.12", False),
        ("==3.*", "3.14", True),
        ("==3.*", "2.7", False),
        ("==3.9.*", "3.9", True),
        ("==3.9.*", "3.10", False),
        ("!=3.15", "3.15", False),
        ("!=3.15", "3.14", True),
        ("!=3.15.0", "3.15", False),
        ("!=3.15.2", "3.15", True),  # only one patch release excluded
        ("!=3.0.*", "3.0", False),
        ("!=3.0.*", "3.10", True),
        ("!=3.*", "3.12", False),
        ("!=3.*", "2.7", True),
        ("~=3.8", "3.8", True),
        ("~=3.8", "3.12", True),
        ("~=3.8", "3.7", False),
        ("~=3.8", "4.0", False),
        ("~=3.8.1", "3.8", True),
        ("~=3.8.1", "3.9", False),
        ("!=3.15,>=3.10", "3.15", False),
        ("!=3.15,>=3.10", "3.14", True),
        ("<3.13,~=3.9", "3.12", True),
        ("<3.13,~=3.9", "3.13", False),
        ("<3.13,~=3.9", "3.8", False),
        (">=2.7,!=3.0.*,!=3.1.*,!=3.2.*,!=3.3.*,!=3.4.*", "3.4", False),
        (">=2.7,!=3.0.*,!=3.1.*,!=3.2.*,!=3.3.*,!=3.4.*", "3.5", True),
        (">=2.7,!=3.0.*,!=3.1.*,!=3.2.*,!=3.3.*,!=3.4.*", "2.7", True),
        (" >= 3.10 , != 3.15 ", "3.12", True),
        ("", "3.12", True),
    ],
)
def test_python_satisfies(specifier, python, expected):
    assert python_satisfies(specifier, python) is expected


@pytest.mark.parametrize("specifier", ["~=3", ">=3.*", "abc", ">=3.x", "=>3.8"])
def test_python_satisfies_rejects_unreadable_specifiers(specifier):
    with pytest.raises(ValueError):
        python_satisfies(specifier, "3.12")


# -- extras ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "normalized"),
    [("Apache.Hive", "apache-hive"), ("google_auth", "google-auth"), ("a__b--c", "a-b-c")],
)
def test_normalize_extra(name, normalized):
    assert normalize_extra(name) == normalized


def test_extras_of_is_sorted_and_complete():
    item = release("3.3.2")
    extras = extras_of(item)
    assert list(extras) == sorted(extras)
    assert {"amazon", "celery", "postgres", "atlassian-jira", "cncf-kubernetes"} <= set(extras)
    assert "jira" not in extras and "kubernetes" not in extras


def test_extras_without_providers_are_listed_empty():
    item = release("3.3.2")
    # 3.x: these refer to apache-airflow-core[...] or plain libraries, not to providers.
    for extra in ("async", "statsd", "graphviz", "kerberos", "otel", "ldap", "sentry"):
        assert extra in item.extras
        assert dict(item.extras[extra]) == {}


def test_suggestions_on_3_3_2():
    item = release("3.3.2")
    assert suggest_extra(item, "jira") == "atlassian-jira"
    assert suggest_extra(item, "kubernetes") == "cncf-kubernetes"
    assert suggest_extra(item, "aws") == "amazon"
    assert suggest_extra(item, "s3") == "amazon"
    assert suggest_extra(item, "gcp") == "google"
    assert suggest_extra(item, "azure") == "microsoft-azure"
    assert suggest_extra(item, "hive") == "apache-hive"
    assert suggest_extra(item, "postgresql") == "postgres"
    assert suggest_extra(item, "Google_Auth") == "google-auth"
    assert suggest_extra(item, "xqzzyv-blorp") is None


def test_suggestions_only_name_extras_the_release_has():
    item = release("2.10.5")  # still has the old alias extras
    assert suggest_extra(item, "kubernetes") == "kubernetes"
    for name in ("jira", "k8s", "mongodb", "elastic", "postgresql", "nothing-like-it-qq"):
        suggestion = suggest_extra(item, name)
        assert suggestion is None or suggestion in item.extras


def test_unknown_extras():
    item = release("3.3.2")
    assert unknown_extras(item, ["amazon", "celery", "postgres"]) == []
    assert unknown_extras(item, ["amazon", "jira", "xqzzyv-blorp"]) == [
        ("jira", "atlassian-jira"),
        ("xqzzyv-blorp", None),
    ]
    assert unknown_extras(item, "Amazon, cncf_kubernetes,,jira") == [("jira", "atlassian-jira")]
    # the same unknown extra twice is reported once
    assert unknown_extras(item, ["jira", "JIRA"]) == [("jira", "atlassian-jira")]
    assert unknown_extras(release("2.4.3"), ["jira"]) == []  # renamed in 2.5.0


# -- providers -------------------------------------------------------------------------------


def test_providers_for_amazon_celery_postgres_on_3_3_2():
    assert providers_for_extras(release("3.3.2"), ["amazon", "celery", "postgres"], "3.12") == (
        "apache-airflow-providers-amazon",
        "apache-airflow-providers-celery",
        "apache-airflow-providers-postgres",
    )


def test_providers_for_extras_accepts_a_string_and_ignores_unknown_extras():
    item = release("3.3.2")
    assert providers_for_extras(item, "amazon,nope-qq", "3.12") == (
        "apache-airflow-providers-amazon",
    )
    assert providers_for_extras(item, [], "3.12") == ()
    assert providers_for_extras(item, ["async", "statsd"], "3.12") == ()


def test_provider_with_python_marker_is_excluded_on_that_python():
    # Requires-Dist: apache-airflow-providers-apache-cassandra; python_version != '3.14' ...
    item = release("3.3.2")
    pythons = item.extras["apache-cassandra"]["apache-airflow-providers-apache-cassandra"]
    assert pythons is not None and "3.14" not in pythons and "3.13" in pythons
    cassandra = "apache-airflow-providers-apache-cassandra"
    assert providers_for_extras(item, ["apache-cassandra"], "3.13") == (cassandra,)
    assert providers_for_extras(item, ["apache-cassandra"], "3.14") == ()
    assert cassandra in providers_for_extras(item, ["all"], "3.13")
    assert cassandra not in providers_for_extras(item, ["all"], "3.14")
    assert cassandra in providers_for_extras(item, ["all"], None)


def test_old_alias_extras_resolve_through_apache_airflow_references():
    item = release("2.10.5")  # kubernetes = apache-airflow[cncf-kubernetes], etc.
    assert providers_for_extras(item, ["kubernetes"], "3.11") == (
        "apache-airflow-providers-cncf-kubernetes",
    )
    assert providers_for_extras(item, ["aws", "gcp"], "3.11") == (
        "apache-airflow-providers-amazon",
        "apache-airflow-providers-google",
    )
    all_dbs = providers_for_extras(item, ["all-dbs"], "3.11")
    assert "apache-airflow-providers-postgres" in all_dbs
    assert "apache-airflow-providers-mysql" in all_dbs


def test_extras_with_provider_extras_install_that_provider():
    item = release("3.3.2")  # pandas = apache-airflow-providers-common-sql[pandas]
    assert providers_for_extras(item, ["pandas"], "3.12") == (
        "apache-airflow-providers-common-sql",
    )


def test_base_providers_of_2_x():
    assert "apache-airflow-providers-http" in release("2.10.5").base_providers
    assert dict(release("3.3.2").base_providers) == {}


def test_module_is_standard_library_only():
    source = resources.files("breeze.core").joinpath("airflow_meta.py").read_text(encoding="utf-8")
    imported = set(re.findall(r"^\s*(?:from|import)\s+([a-zA-Z_][\w.]*)", source, re.MULTILINE))
    allowed = {
        "__future__",
        "collections.abc",
        "dataclasses",
        "difflib",
        "functools",
        "importlib",
        "json",
        "os",
        "re",
        "types",
    }
    assert imported <= allowed, imported - allowed
    assert airflow_meta.__name__ == "breeze.core.airflow_meta"
