"""Constraints: sources, cache keys, parsing, mismatch checks, specifiers and scripts."""

from __future__ import annotations

import hashlib
import re
from importlib import resources
from pathlib import Path

import pytest

from breeze.core import constraint_files as c
from breeze.core import pins as pin_files
from breeze.core import uv_resolve
from breeze.core.errors import BreezeError, InvalidInput
from breeze.core.image_params import ImageSpec
from breeze.core.run_options import RunOptions
from breeze.io import files
from breeze.main import main
from breeze.services import constraints as service
from tests.fakes import FakeSession

OFFICIAL = "https://raw.githubusercontent.com/apache/airflow"
GOOD = b"# made by hand\napache-airflow==3.3.2\nCelery==5.6.3\nrequests==2.34.2\n"


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own, empty cache."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("BREEZE_CACHE_DIR", str(folder))
    return folder / "constraints"


def _session(cache_dir: Path, *, dry_run: bool = False) -> FakeSession:
    """A session whose world caches in the test's own folder (CACHE_DIR/constraints)."""
    return FakeSession(
        RunOptions(dry_run=dry_run), environ={"BREEZE_CACHE_DIR": str(cache_dir.parent)}
    )


# --- sources: URL, reference and mode ------------------------------------------------------


def test_default_source_is_the_official_url_of_the_airflow_version() -> None:
    source = c.constraints_source(ImageSpec())
    assert source is not None
    assert source.kind == "official"
    assert source.location == f"{OFFICIAL}/constraints-3.3.2/constraints-3.13.txt"
    assert source.file_name == "constraints-3.13.txt"


@pytest.mark.parametrize(
    ("spec", "url"),
    [
        (ImageSpec(python="3.11"), f"{OFFICIAL}/constraints-3.3.2/constraints-3.11.txt"),
        (
            ImageSpec(constraints_mode="constraints-no-providers"),
            f"{OFFICIAL}/constraints-3.3.2/constraints-no-providers-3.13.txt",
        ),
        (
            ImageSpec(constraints_reference="constraints-main"),
            f"{OFFICIAL}/constraints-main/constraints-3.13.txt",
        ),
        (
            ImageSpec(airflow_version="3.2.0", python="3.12"),
            f"{OFFICIAL}/constraints-3.2.0/constraints-3.12.txt",
        ),
        (
            ImageSpec(
                installation_method="git+https://github.com/apache/airflow.git@main",
                constraints_mode="constraints-source-providers",
                constraints_reference="constraints-main",
            ),
            f"{OFFICIAL}/constraints-main/constraints-source-providers-3.13.txt",
        ),
    ],
)
def test_official_url_from_mode_reference_and_python(spec: ImageSpec, url: str) -> None:
    assert c.validate_constraints(spec) == []
    source = c.constraints_source(spec)
    assert source is not None and source.location == url


def test_location_url_overrides_mode_and_reference() -> None:
    spec = ImageSpec(
        constraints_mode="constraints-no-providers",
        constraints_reference="constraints-main",
        constraints_location="http://127.0.0.1:8000/pins/my%20pins.txt?x=1",
    )
    assert c.validate_constraints(spec) == [
        "--airflow-constraints-reference is ignored: --airflow-constraints-location overrides it"
    ]
    source = c.constraints_source(spec)
    assert source is not None
    assert (source.kind, source.location) == ("url", spec.constraints_location)
    assert source.file_name == "my_20pins.txt"
    assert source.cache_key[:2] == ("url", "127.0.0.1")


@pytest.mark.parametrize(
    ("location", "path"),
    [("pins.txt", "pins.txt"), ("/abs/pins.txt", "/abs/pins.txt"), ("file:///a/b.txt", "/a/b.txt")],
)
def test_location_file(location: str, path: str) -> None:
    source = c.constraints_source(ImageSpec(constraints_location=location))
    assert source is not None
    assert (source.kind, source.location, source.file_name) == ("file", path, Path(path).name)


def test_mode_none_and_air_gapped_installs_have_no_source() -> None:
    assert c.constraints_source(ImageSpec(constraints_mode="none")) is None
    assert c.constraints_source(ImageSpec(install_distributions_from_context=True)) is None
    with_file = ImageSpec(install_distributions_from_context=True, constraints_location="c.txt")
    assert c.constraints_source(with_file) is not None


@pytest.mark.parametrize(
    ("spec", "needle"),
    [
        (ImageSpec(constraints_mode="pinned"), "is not one of constraints, "),
        (ImageSpec(constraints_mode="none", constraints_location="c.txt"), "drop one of the two"),
        (ImageSpec(constraints_mode="none", constraints_reference="constraints-main"), "none"),
        (
            ImageSpec(constraints_mode="constraints-source-providers"),
            "use constraints or constraints-no-providers for a PyPI install",
        ),
        (
            ImageSpec(constraints_reference="constraints-3.2.0"),
            "is for Airflow 3.2.0, not 3.3.2; drop the option or use constraints-3.3.2",
        ),
        (ImageSpec(constraints_reference="../../etc"), "is not a git ref"),
        (ImageSpec(constraints_reference="a b"), "is not a git ref"),
        (ImageSpec(constraints_location="ftp://host/c.txt"), "only http(s) URLs and files"),
    ],
)
def test_combinations_that_make_no_sense(spec: ImageSpec, needle: str) -> None:
    with pytest.raises(InvalidInput) as error:
        c.validate_constraints(spec)
    assert needle in error.value.message
    assert "\n" not in error.value.message


def test_release_reference_of_another_version_is_fine_for_sources() -> None:
    spec = ImageSpec(installation_method="/src/airflow", constraints_reference="constraints-3.2.0")
    assert c.validate_constraints(spec) == []


# --- cache keys ----------------------------------------------------------------------------


def test_official_cache_key_is_reference_mode_and_python() -> None:
    keys = {
        c.constraints_source(spec).cache_key  # type: ignore[union-attr]
        for spec in (
            ImageSpec(),
            ImageSpec(python="3.11"),
            ImageSpec(constraints_mode="constraints-no-providers"),
            ImageSpec(constraints_reference="constraints-3-3"),
        )
    }
    assert len(keys) == 4
    assert ("official", "constraints-3.3.2", "constraints-3.13") in keys
    branch = ImageSpec(installation_method="/src", constraints_reference="feature/x")
    assert c.constraints_source(branch).cache_key[1] == "feature%2Fx"  # type: ignore[union-attr]


def test_url_cache_key_is_the_url_and_file_key_the_content() -> None:
    one = c.constraints_source(ImageSpec(constraints_location="http://h/a/c.txt"))
    two = c.constraints_source(ImageSpec(constraints_location="http://h/b/c.txt"))
    assert one is not None and two is not None and one.cache_key != two.cache_key
    assert c.file_cache_key("c.txt", b"a==1\n") == c.file_cache_key("c.txt", b"a==1\n")
    assert c.file_cache_key("c.txt", b"a==1\n") != c.file_cache_key("c.txt", b"a==2\n")
    assert c.file_cache_key("c.txt", b"x")[2] == hashlib.sha256(b"x").hexdigest()[:16]


def test_cache_root_honours_breeze_then_xdg_then_home(tmp_path: Path) -> None:
    environ = {
        "BREEZE_CACHE_DIR": str(tmp_path / "b"),
        "XDG_CACHE_HOME": str(tmp_path / "x"),
        "HOME": str(tmp_path / "h"),
    }
    assert service.cache_root(FakeSession(environ=environ)) == tmp_path / "b" / "constraints"
    del environ["BREEZE_CACHE_DIR"]
    expected = tmp_path / "x" / "breeze" / "constraints"
    assert service.cache_root(FakeSession(environ=environ)) == expected
    del environ["XDG_CACHE_HOME"]
    expected = tmp_path / "h" / ".cache" / "breeze" / "constraints"
    assert service.cache_root(FakeSession(environ=environ)) == expected


# --- parsing and mismatch checks -----------------------------------------------------------


def test_parse_constraints() -> None:
    text = (
        "# header\n\n--index-url https://example.org\n"
        "Foo_Bar.baz==1.0  # comment\n"
        "pkg[extra] == 2.0 ; python_version < '3.12'\n"
        "pkg==3.0\n"
        "loose>=1\n"
        "wild==1.*\n"
    )
    pins = pin_files.parse_constraints(text)
    assert {name: pin.version for name, pin in pins.items()} == {"foo-bar-baz": "1.0", "pkg": "2.0"}
    assert pins["foo-bar-baz"].line == 4
    assert pins["foo-bar-baz"].text == "Foo_Bar.baz==1.0"


@pytest.mark.parametrize(
    "data",
    [
        b"<html><body>Not Found</body></html>",
        b"",
        b"requests>=2\n",
        b"\x00\x01\x02==1",
        b"\xff\xfe",
    ],
)
def test_not_a_constraints_file(data: bytes) -> None:
    with pytest.raises(BreezeError, match="is not a constraints file"):
        pin_files.read_constraints(data, "x.txt", "3.3.2")


def test_airflow_pin_must_match_the_version() -> None:
    assert pin_files.read_constraints(GOOD, "x.txt", "3.3.2")["celery"].version == "5.6.3"
    with pytest.raises(InvalidInput) as error:
        pin_files.read_constraints(GOOD, "x.txt", "3.2.0")
    assert error.value.message == (
        "x.txt pins apache-airflow==3.3.2 but --install-airflow-version is 3.2.0; use "
        "--install-airflow-version 3.3.2 or constraints made for 3.2.0"
    )
    assert pin_files.read_constraints(GOOD, "x.txt", None)  # sources: not checked
    assert pin_files.read_constraints(b"celery==5.6.3\n", "official.txt", "3.2.0")  # no airflow pin


# --- specifiers ----------------------------------------------------------------------------

SPECIFIER_CASES = [
    (">=2", "2.34.2", True),
    (">=3", "2.34.2", False),
    ("<3,>=2", "2.34.2", True),
    ("<2.34.2", "2.34.2", False),
    ("<=2.34.2", "2.34.2", True),
    (">2.34.2", "2.34.2", False),
    ("==2.34.2", "2.34.2", True),
    ("==2.34", "2.34.0", True),
    ("!=2.34.2", "2.34.2", False),
    ("==2.*", "2.34.2", True),
    ("==2.33.*", "2.34.2", False),
    ("!=2.34.*", "2.34.2", False),
    ("!=2.33.*", "2.34.2", True),
    ("~=2.30", "2.34.2", True),
    ("~=2.30.0", "2.34.2", False),
    ("~=4.4", "5.6.3", False),
    ("~=5.6.1", "5.6.3", True),
    ("===5.6.3", "5.6.3", True),
    ("<2.0", "2.0rc1", False),
    ("<2.0rc2", "2.0rc1", True),
    (">1.0", "1.0.post1", False),
    (">1.0", "1.1", True),
    (">=1.0", "1.0.dev1", False),
    (">=1.0a1", "1.0.dev1", False),
    ("<1.0", "1.0.dev1", False),
    ("<=1.0", "1.0.post1", False),
    (">=2024.1", "2025.10.1", True),
    (">=1.0", "1!0.5", True),
    (">= 1.0 , < 2", "1.5", True),
]


@pytest.mark.parametrize(("specifier", "version", "allowed"), SPECIFIER_CASES)
def test_specifier_allows(specifier: str, version: str, allowed: bool) -> None:
    assert pin_files.specifier_allows(specifier, version) is allowed


@pytest.mark.parametrize(("specifier", "version", "allowed"), SPECIFIER_CASES)
def test_specifier_agrees_with_packaging(specifier: str, version: str, allowed: bool) -> None:
    packaging = pytest.importorskip("packaging.specifiers")
    expected = packaging.SpecifierSet(specifier).contains(version, prereleases=True)
    assert allowed is expected


@pytest.mark.parametrize(
    ("specifier", "version"), [("=>1", "1.0"), (">=1", "banana"), ("~=1", "1")]
)
def test_unreadable_specifier_is_none(specifier: str, version: str) -> None:
    assert pin_files.specifier_allows(specifier, version) is None


# --- requirements and conflicts ------------------------------------------------------------


def test_parse_requirements() -> None:
    text = (
        "-r other.txt\n--index-url https://x\n# comment\n"
        "requests>=3  # new\n"
        "celery[redis] ~= 4.4 ; python_version >= '3.8'\n"
        "numpy \\\n  <2\n"
        "mypkg @ https://example.org/mypkg.whl\n"
        "./local/path\n"
        "plain\n"
    )
    requirements = pin_files.parse_requirements(text)
    assert [(r.name, r.specifier, r.line) for r in requirements] == [
        ("requests", ">=3", 4),
        ("celery", "~=4.4", 5),
        ("numpy", "<2", 6),
        ("plain", "", 10),
    ]
    assert requirements[1].marker == "python_version >= '3.8'"


def test_conflicts_are_explained_in_one_line_each() -> None:
    pins = pin_files.parse_constraints(GOOD.decode())
    requirements = pin_files.parse_requirements("requests>=3\ncelery>=5\nCelery<5\nunpinned<1\n")
    conflicts = pin_files.find_conflicts(requirements, pins, "constraints-3.13.txt")
    assert [conflict.requirement.line for conflict in conflicts] == [1, 3]
    assert pin_files.explain(conflicts[0], "requirements.txt") == (
        "requests: you ask for 'requests>=3' (requirements.txt line 1), the constraints pin "
        "requests==2.34.2 (constraints-3.13.txt line 4)"
    )


def test_uv_conflict_lines() -> None:
    output = (
        "breeze: resolving\n"
        "error: No solution found when resolving dependencies\n"
        "  cause: Because databases==0.5.5 depends on sqlalchemy<1.5 and sqlalchemy==2.1.9, ...\n"
        "  And because you require databases==0.5.5, ... unsatisfiable.\n"
    )
    lines = pin_files.uv_conflict_lines(output)
    assert lines[0] == "error: No solution found when resolving dependencies"
    assert len(lines) == 3


# --- generate: params, header, scripts -----------------------------------------------------


def test_airflow_requirement_per_mode() -> None:
    extras = ("celery", "postgres")
    assert uv_resolve.airflow_requirement("3.3.2", extras, "constraints") == (
        "apache-airflow[celery,postgres]==3.3.2"
    )
    assert uv_resolve.airflow_requirement("3.3.2", extras, "constraints-no-providers") == (
        "apache-airflow==3.3.2"
    )
    assert uv_resolve.airflow_requirement("3.3.2", (), "constraints") == "apache-airflow==3.3.2"


def test_base_image_placeholder_and_file_names() -> None:
    params = uv_resolve.GenerateParams(
        pythons=("3.11", "3.13"), airflow_version="3.3.2", python_base_image="me/py:{python}"
    )
    assert params.spec_for("3.11").base_image == "me/py:3.11"
    assert uv_resolve.GenerateParams(("3.11",), "3.3.2").spec_for("3.11").base_image == (
        "python:3.11-slim-trixie"
    )
    assert params.file_name("3.13") == "constraints-3.13.txt"
    assert uv_resolve.split_pythons(["3.11,3.13", "3.13", "3.12 3.10"]) == (
        "3.11",
        "3.13",
        "3.12",
        "3.10",
    )


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        (uv_resolve.GenerateParams((), "3.3.2"), "at least one --python"),
        (
            uv_resolve.GenerateParams(("3.13",), "3.3.2", constraints_mode="none"),
            "cannot be generated",
        ),
        (
            uv_resolve.GenerateParams(
                ("3.13",), "3.3.2", constraints_mode="constraints-source-providers"
            ),
            "cannot be generated",
        ),
        (
            uv_resolve.GenerateParams(("3.11", "3.13"), "3.3.2", python_base_image="me/py:3"),
            "put {python} in it",
        ),
    ],
)
def test_generate_requests_that_cannot_be_made(
    params: uv_resolve.GenerateParams, needle: str
) -> None:
    with pytest.raises(InvalidInput, match=re.escape(needle)):
        uv_resolve.validate_generate(params)


def test_header_says_how_and_when() -> None:
    params = uv_resolve.GenerateParams(("3.13",), "3.3.2", airflow_extras=("celery",))
    header = uv_resolve.generated_header(
        params, "3.13", created="2026-01-01T00:00:00Z", breeze_version="9"
    )
    assert all(line.startswith("# ") for line in header.splitlines())
    for needle in (
        "Apache Airflow 3.3.2 on Python 3.13",
        "2026-01-01T00:00:00Z",
        "breeze 9",
        f"uv {uv_resolve.UV_VERSION}",
        "python:3.13-slim-trixie",
        "apache-airflow[celery]==3.3.2",
        "only the requested extras'",
    ):
        assert needle in header


def test_resolve_script_and_container() -> None:
    script = uv_resolve.resolve_script(
        ["/breeze/requirements/r.txt"], "apache-airflow[celery]==3.3.2", "3.11", constraints="/k"
    )
    assert f"uv=={uv_resolve.UV_VERSION}" in script
    assert "--python-version 3.11 --resolution highest" in script
    assert "--constraint /k" in script
    assert script.rstrip().endswith("cat /tmp/resolved.txt")
    assert "'" not in script  # prints readably inside sh -c '...'
    (command,) = uv_resolve.uv_container(
        "python:3.11-slim-bookworm",
        script,
        name="n",
        mounts={"/host/req": "/breeze/requirements"},
        environ={"HTTPS_PROXY": "http://user:secret@proxy:3128", "PIP_CERT": "/host/ca.pem"},
        docker_host="tcp://h:2375",
    )
    argv = " ".join(command.argv)
    assert argv.startswith("docker run --rm --init --name n")
    assert f"--volume {uv_resolve.UV_CACHE_VOLUME}:/root/.cache" in argv
    assert "--volume /host/req:/breeze/requirements:ro" in argv
    assert "--env HTTPS_PROXY " in argv and "secret" not in argv and "PIP_CERT" not in argv
    assert command.env == {"DOCKER_HOST": "tcp://h:2375"}


def test_pure_module_is_standard_library_only() -> None:
    source = (
        resources.files("breeze.core").joinpath("constraint_files.py").read_text(encoding="utf-8")
    )
    imported = set(re.findall(r"^\s*(?:from|import)\s+([a-zA-Z_][\w.]*)", source, re.MULTILINE))
    breeze_modules = {name for name in imported if name.startswith("breeze")}
    pure = {
        "breeze.core.argv",
        "breeze.core.errors",
        "breeze.core.defaults",
        "breeze.core.image_params",
        "breeze.core.network",
    }
    assert breeze_modules <= pure
    assert not {"typer", "rich", "docker", "subprocess", "urllib.request"} & imported


# --- prepare_constraints without network ---------------------------------------------------


def test_local_file_is_copied_into_a_content_keyed_folder(tmp_path: Path, cache_dir: Path) -> None:
    path = tmp_path / "my-pins.txt"
    path.write_bytes(GOOD)
    prepared = service.prepare_constraints(
        ImageSpec(constraints_location=str(path)), _session(cache_dir)
    )
    assert prepared is not None
    assert prepared.folder.parent.parent == cache_dir / "file"
    assert [p.name for p in prepared.folder.iterdir()] == ["my-pins.txt"]
    assert prepared.file_name == "my-pins.txt"
    assert prepared.source == str(path)
    assert prepared.sha256 == hashlib.sha256(GOOD).hexdigest()
    assert prepared.pins["apache-airflow"] == "3.3.2"
    assert not (cache_dir / ".staging").exists()
    path.write_bytes(GOOD + b"six==1.17.0\n")
    again = service.prepare_constraints(
        ImageSpec(constraints_location=str(path)), _session(cache_dir)
    )
    assert again is not None and again.folder != prepared.folder


def test_file_name_in_docker_context_files(tmp_path: Path, cache_dir: Path) -> None:
    (tmp_path / "c.txt").write_bytes(GOOD)
    spec = ImageSpec(constraints_location="c.txt", docker_context_files=tmp_path)
    prepared = service.prepare_constraints(spec, _session(cache_dir))
    assert prepared is not None and prepared.source == str(tmp_path / "c.txt")


def test_missing_file_is_one_line(tmp_path: Path, cache_dir: Path) -> None:
    spec = ImageSpec(constraints_location="nope.txt", docker_context_files=tmp_path)
    with pytest.raises(InvalidInput, match="is neither a URL nor a file"):
        service.prepare_constraints(spec, _session(cache_dir))


def test_cached_official_entry_is_used_without_network(cache_dir: Path) -> None:
    folder = cache_dir / "official" / "constraints-3.3.2" / "constraints-3.13"
    folder.mkdir(parents=True)
    (folder / "constraints-3.13.txt").write_bytes(GOOD)
    prepared = service.prepare_constraints(ImageSpec(), _session(cache_dir))
    assert prepared is not None
    assert prepared.folder == folder
    assert prepared.source == f"{OFFICIAL}/constraints-3.3.2/constraints-3.13.txt"


def test_cached_entry_still_checks_the_airflow_pin(cache_dir: Path) -> None:
    folder = cache_dir / "official" / "constraints-main" / "constraints-3.13"
    folder.mkdir(parents=True)
    (folder / "constraints-3.13.txt").write_bytes(GOOD)
    spec = ImageSpec(airflow_version="3.2.0", constraints_reference="constraints-main")
    with pytest.raises(
        InvalidInput, match=re.escape("pins apache-airflow==3.3.2 but --install-airflow")
    ):
        service.prepare_constraints(spec, _session(cache_dir))


def test_dry_run_neither_downloads_nor_writes(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(FakeSession, "fetch", None)
    prepared = service.prepare_constraints(ImageSpec(), _session(cache_dir, dry_run=True))
    assert prepared is not None
    assert prepared.sha256 == "" and dict(prepared.pins) == {}
    assert prepared.folder == cache_dir / "official" / "constraints-3.3.2" / "constraints-3.13"
    path = tmp_path / "c.txt"
    path.write_bytes(GOOD)
    local = service.prepare_constraints(
        ImageSpec(constraints_location=str(path)), _session(cache_dir, dry_run=True)
    )
    assert local is not None and local.pins["celery"] == "5.6.3"
    assert not cache_dir.exists()


def test_mode_none_is_none(cache_dir: Path) -> None:
    spec = ImageSpec(constraints_mode="none")
    assert service.prepare_constraints(spec, _session(cache_dir)) is None


def test_a_failed_write_leaves_nothing(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_replace(source: str, target: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(OSError):
        _session(cache_dir).store_entry(cache_dir, cache_dir / "url" / "h" / "k", "c.txt", GOOD)
    assert not (cache_dir / "url" / "h" / "k").exists()
    assert not (cache_dir / ".staging").exists()


def test_write_atomically_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = FakeSession()  # writes for real under a real folder
    session.write_text(tmp_path / "c.txt", "a==1\n")
    assert (tmp_path / "c.txt").read_text() == "a==1\n"

    def interrupted(source: str, target: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        session.write_text(tmp_path / "d.txt", "b==1\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.txt"]


# --- CLI -----------------------------------------------------------------------------------


def _breeze(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_show_dry_run_names_the_source(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _breeze(capsys, "constraints", "show", "--dry-run", "--python", "3.12")
    assert code == 0
    assert f"Source:  {OFFICIAL}/constraints-3.3.2/constraints-3.12.txt (official file)" in out
    assert "Cached:  no; it would be downloaded into" in out


def test_show_lists_airflow_and_the_extras_providers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "c.txt"
    path.write_bytes(GOOD + b"apache-airflow-providers-celery==3.26.0\n")
    args = ("constraints", "show", "--airflow-extras", "celery,postgres")
    code, out, _ = _breeze(capsys, *args, "--airflow-constraints-location", str(path))
    assert code == 0, out
    assert "Cached:  no, stored now in" in out
    assert re.search(r"apache-airflow +3\.3\.2", out)
    assert re.search(r"apache-airflow-providers-celery +3\.26\.0", out)
    assert re.search(r"apache-airflow-providers-postgres +not pinned", out)
    code, out, _ = _breeze(capsys, *args, "--airflow-constraints-location", str(path))
    assert "Cached:  yes" in out


def test_generate_dry_run_prints_one_container_per_python(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = _breeze(
        capsys,
        "constraints",
        "generate",
        "--dry-run",
        "-p",
        "3.11",
        "--python",
        "3.13",
        "--python-base-image",
        "me/python:{python}",
    )
    assert code == 0
    assert out.count("docker run --rm") == 2
    assert "me/python:3.11" in out and "me/python:3.13" in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("show", "--airflow-constraints-mode", "constraints-source-providers"), "PyPI install"),
        (("show", "--airflow-constraints-reference", "constraints-3.2.0"), "is for Airflow 3.2.0"),
        (("generate", "--dry-run", "-p", "3.9"), "--python '3.9' is not one of"),
        (("generate", "--dry-run", "--airflow-constraints-mode", "none"), "cannot be generated"),
        (("generate", "--dry-run", "--airflow-extras", "celeri"), "did you mean 'celery'?"),
    ],
)
def test_bad_input_is_one_line(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], needle: str
) -> None:
    code, _, err = _breeze(capsys, "constraints", *args)
    assert code == 2
    assert needle in err
    assert len(err.strip().splitlines()) == 1


def test_an_engine_on_another_machine_gets_the_files_copied_in_not_mounted() -> None:
    """It cannot see this machine's files: create, copy each file into /tmp, start, remove."""
    mounts = {"/host/req.txt": "/tmp/breeze-requirements-req.txt"}
    secrets = {"netrc": "/host/.netrc"}
    commands = uv_resolve.uv_container(
        "python:3.13-slim-trixie", "true", name="n", mounts=mounts, secrets=secrets,
        docker_host="tcp://remote:2375", copy_in=True,
    )  # fmt: skip
    create = commands[0]
    assert "--volume /host" not in " ".join(create.argv)  # only the uv cache volume
    assert "NETRC=/tmp/breeze-secret-netrc" in create.argv
    assert [c.argv[:3] for c in commands] == [
        ("docker", "create", "--init"),
        ("docker", "cp", "/host/req.txt"),
        ("docker", "cp", "/host/.netrc"),
        ("docker", "start", "--attach"),
        ("docker", "rm", "--force"),
    ]
    assert commands[1].argv[3] == "n:/tmp/breeze-requirements-req.txt"
    assert commands[2].argv[3] == "n:/tmp/breeze-secret-netrc"
    assert all(c.env == {"DOCKER_HOST": "tcp://remote:2375"} for c in commands)
