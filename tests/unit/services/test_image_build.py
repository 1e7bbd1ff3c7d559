"""Which constraints a build uses: the build, its dry run and `constraints show` agree."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from breeze.core.build_args import build_contexts, image_labels
from breeze.core.errors import BreezeError, ConstraintsUnavailable
from breeze.core.image_params import ImageBuildParams, ImageSpec
from breeze.core.run_options import RunOptions
from breeze.core.uv_resolve import GenerateParams
from breeze.io import download as constraints_download
from breeze.io.session import Session
from breeze.main import main
from breeze.services import constraints as service
from breeze.services import image_build
from tests.fakes import FakeSession

OFFICIAL = "https://raw.githubusercontent.com/apache/airflow/constraints-3.3.2/constraints-3.13.txt"
GOOD = b"# made by hand\napache-airflow==3.3.2\ncelery==5.6.3\n"
GENERATED = b"# generated\napache-airflow==3.3.2\npsycopg2-binary==2.9.11\n"
UNREACHABLE = "Name or service not known"


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache, and no network: every download fails as without access to GitHub."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("BREEZE_CACHE_DIR", str(folder))

    def unreachable(url: str, timeout: float, *, verbose: bool = False) -> bytes:
        raise constraints_download._unavailable(url, UNREACHABLE, "generate them")

    monkeypatch.setattr(FakeSession, "fetch", staticmethod(unreachable))
    # commands run through breeze.main build a real session: the network is not there either
    monkeypatch.setattr(Session, "download", lambda self, url, timeout: unreachable(url, timeout))
    return folder / "constraints"


@pytest.fixture
def generator(monkeypatch: pytest.MonkeyPatch) -> list[GenerateParams]:
    """A stand-in for the resolve containers: writes GENERATED where generate would."""
    calls: list[GenerateParams] = []

    def generate(params: GenerateParams, session: Session) -> list[Path]:
        calls.append(params)
        if session.dry_run:
            print("docker run --rm ... (the generate command)")
            return []
        target = params.output_dir / params.file_name(params.pythons[0])
        target.write_bytes(GENERATED)
        return [target]

    monkeypatch.setattr(image_build, "generate_constraints", generate)
    return calls


def _session(cache_dir: Path, *, terminal: bool = False, **options: object) -> FakeSession:
    """A session of RunOptions(**OPTIONS) whose world caches in the test's cache folder.

    With a terminal, a person answers each question y; without, nobody answers: no.
    """
    return FakeSession(
        RunOptions(**options),  # type: ignore[arg-type]
        environ={"BREEZE_CACHE_DIR": str(cache_dir.parent)},
        interactive=terminal,
        confirm=terminal,
    )


def _official_cached(cache_dir: Path) -> None:
    folder = cache_dir / "official" / "constraints-3.3.2" / "constraints-3.13"
    folder.mkdir(parents=True)
    (folder / "constraints-3.13.txt").write_bytes(GOOD)


def _generated_earlier(spec: ImageSpec, cache_dir: Path) -> Path:
    path = service.generated_file(spec, _session(cache_dir))
    path.parent.mkdir(parents=True)
    path.write_bytes(GENERATED)
    return path


def _resolve(
    spec: ImageSpec,
    cache_dir: Path,
    *,
    dry_run: bool,
    answer: str | None = None,
    terminal: bool = False,
) -> tuple:
    """What the build command gets from the constraints: context folder, arg and labels."""
    session = _session(cache_dir, terminal=terminal, dry_run=dry_run, answer=answer)
    prepared = image_build.resolve_constraints(ImageBuildParams(spec), session)
    assert prepared is not None
    return build_contexts(spec, prepared), prepared.file_name, image_labels(prepared)


def _breeze(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# --- the build and its dry run ------------------------------------------------------------


@pytest.mark.parametrize("on_disk", ["official", "generated", "both", "file"])
def test_dry_run_resolves_like_the_build(
    cache_dir: Path, tmp_path: Path, on_disk: str, generator: list[GenerateParams]
) -> None:
    spec = ImageSpec(airflow_extras=("postgres",))
    if on_disk in ("official", "both"):
        _official_cached(cache_dir)
    if on_disk in ("generated", "both"):
        _generated_earlier(spec, cache_dir)
    if on_disk == "file":
        (tmp_path / "mine.txt").write_bytes(GOOD)
        spec = ImageSpec(
            airflow_extras=("postgres",), constraints_location=str(tmp_path / "mine.txt")
        )
    dry = _resolve(spec, cache_dir, dry_run=True)
    assert _resolve(spec, cache_dir, dry_run=False) == dry
    # the build's copy in the cache changes nothing
    assert _resolve(spec, cache_dir, dry_run=True) == dry
    assert not generator
    expected = {"official": OFFICIAL, "generated": "generated", "both": OFFICIAL}
    assert dry[2]["org.apache.airflow.constraints.source"] == expected.get(on_disk, "file:mine.txt")


def test_generated_constraints_are_preferred_to_a_download(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = ImageSpec(airflow_extras=("postgres",))
    path = _generated_earlier(spec, cache_dir)
    monkeypatch.setattr(FakeSession, "fetch", None)
    contexts, _, labels = _resolve(spec, cache_dir, dry_run=False)
    assert Path(contexts["constraints"]).parent.parent == cache_dir / "file"
    assert labels["org.apache.airflow.constraints.sha256"] == hashlib.sha256(GENERATED).hexdigest()
    assert f"Using constraints generated earlier: {path}" in capsys.readouterr().err


def test_dry_run_of_a_first_build_prints_the_generate_command(
    capsys: pytest.CaptureFixture[str], generator: list[GenerateParams]
) -> None:
    args = ("prod-image", "build", "--dry-run", "--airflow-extras", "postgres")
    code, out, err = _breeze(capsys, *args, "--answer", "yes")
    assert code == 0, err
    assert f"Dry run: would download {OFFICIAL}" in err
    assert (
        "if it cannot be downloaded, constraints are generated locally first (with --answer " in err
    )
    assert out.index("docker run --rm") < out.index("docker buildx build")
    assert generator[0].airflow_extras == ("postgres",) and generator[0].pythons == ("3.13",)
    assert not Path(str(generator[0].output_dir)).exists()  # a dry run writes nothing
    code, out, err = _breeze(capsys, *args)  # no terminal to ask: the build would stop
    assert code == 0, err
    assert "if it cannot be downloaded, the build stops; with --answer yes" in err
    assert out.startswith("docker buildx build") and "docker run" not in out


def test_dry_run_after_a_generating_build_uses_the_generated_file(
    capsys: pytest.CaptureFixture[str], cache_dir: Path, generator: list[GenerateParams]
) -> None:
    args = ("prod-image", "build", "--airflow-extras", "postgres", "--answer", "yes")
    image_build.resolve_constraints(  # the part of the build that generates
        ImageBuildParams(ImageSpec(airflow_extras=("postgres",))),
        _session(cache_dir, answer="yes"),
    )
    capsys.readouterr()
    code, out, err = _breeze(capsys, *args, "--dry-run")
    assert code == 0, err
    assert "would download" not in err and "Using constraints generated earlier" in err
    key = hashlib.sha256(GENERATED).hexdigest()
    assert f"--build-context constraints={cache_dir}/file/constraints-3.13.txt/{key[:16]}" in out
    assert "--label org.apache.airflow.constraints.source=generated" in out
    assert f"--label org.apache.airflow.constraints.sha256={key}" in out
    assert str(cache_dir) not in "".join(line for line in out.splitlines() if "--label" in line)


# --- why constraints are generated ----------------------------------------------------------


@pytest.mark.parametrize("answer", ["yes", None])
def test_generating_says_why_first(
    answer: str | None,
    cache_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    generator: list[GenerateParams],
) -> None:
    said_before: list[str] = []
    real_generate = image_build.generate_constraints

    def generate(params: GenerateParams, session: Session) -> list[Path]:
        said_before.append(capsys.readouterr().err)
        return real_generate(params, session)

    monkeypatch.setattr(image_build, "generate_constraints", generate)
    spec = ImageSpec(airflow_extras=("postgres",))
    terminal = answer is None  # the question on a terminal, answered y
    labels = _resolve(spec, cache_dir, dry_run=False, answer=answer, terminal=terminal)[2]
    line = (
        f"The official constraints at {OFFICIAL} could not be downloaded ({UNREACHABLE}); "
        "generating them locally (about a minute)"
    )
    assert said_before and said_before[0].endswith(f"{line}\n")  # the last line before
    assert labels["org.apache.airflow.constraints.source"] == "generated"


def test_no_generating_without_yes(cache_dir: Path, generator: list[GenerateParams]) -> None:
    with pytest.raises(BreezeError, match=f"cannot download {re.escape(OFFICIAL)}: {UNREACHABLE};"):
        _resolve(ImageSpec(), cache_dir, dry_run=False, answer="no")
    assert not generator


def test_unavailable_keeps_url_and_reason_apart() -> None:
    error = constraints_download._unavailable("https://h/c.txt", "HTTP 404 Not Found", "hint")
    assert isinstance(error, ConstraintsUnavailable)
    assert (error.url, error.reason) == ("https://h/c.txt", "HTTP 404 Not Found")
    assert error.message == "cannot download https://h/c.txt: HTTP 404 Not Found; hint"


# --- constraints show: what the next build uses ---------------------------------------------


def test_show_after_a_generating_build_names_the_generated_file(
    capsys: pytest.CaptureFixture[str], cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _generated_earlier(ImageSpec(airflow_extras=("postgres",)), cache_dir)
    monkeypatch.setattr(FakeSession, "fetch", None)
    code, out, err = _breeze(capsys, "constraints", "show", "--airflow-extras", "postgres")
    assert code == 0, err
    assert out.startswith(f"Source:  generated by breeze, {path}\n         used instead of the")
    assert f"SHA-256: {hashlib.sha256(GENERATED).hexdigest()}" in out
    assert re.search(r"apache-airflow-providers-postgres +not pinned", out)
    assert re.search(r"^  apache-airflow +3\.3\.2$", out, re.M)


def test_show_finds_constraints_generated_for_another_debian(
    capsys: pytest.CaptureFixture[str], cache_dir: Path
) -> None:
    spec = ImageSpec(debian_version="bookworm", airflow_extras=("postgres",))
    path = _generated_earlier(spec, cache_dir)
    args = ("constraints", "show", "--airflow-extras", "postgres")
    assert str(path) in _breeze(capsys, *args, "--debian-version", "bookworm")[1]
    assert "None available yet" in _breeze(capsys, *args)[1]


def test_show_without_any_constraints_says_how_to_get_them(
    capsys: pytest.CaptureFixture[str], cache_dir: Path
) -> None:
    code, out, err = _breeze(capsys, "constraints", "show")
    assert code == 0, err
    assert out.splitlines() == [
        f"Source:  {OFFICIAL} (official file)",
        f"Cached:  no, and it cannot be downloaded now ({UNREACHABLE})",
        "None available yet: a build with --answer yes generates them locally (about a minute), "
        "or `breeze constraints generate` makes a file to pass with --airflow-constraints-location",
    ]
    assert not cache_dir.exists()
    args = ("constraints", "show", "--airflow-constraints-location", "https://u:p@h/c.txt")
    code, out, err = _breeze(capsys, *args)  # the user's URL: the build would stop too
    assert code == 1 and not out
    assert err.startswith("Error: cannot download https://u:p@h/c.txt: Name or service not known;")


def test_show_prefers_the_cached_official_file(
    capsys: pytest.CaptureFixture[str], cache_dir: Path
) -> None:
    _official_cached(cache_dir)
    _generated_earlier(ImageSpec(), cache_dir)
    out = _breeze(capsys, "constraints", "show")[1]
    assert out.startswith(f"Source:  {OFFICIAL} (official file)\nCached:  yes,")


def test_ci_image_check_sees_the_same_constraints_as_the_build(cache_dir: Path) -> None:
    spec = ImageSpec(airflow_extras=("postgres",))
    session = _session(cache_dir)
    assert image_build.cached_constraints(spec, session) is None
    _generated_earlier(spec, cache_dir)
    cached = image_build.cached_constraints(spec, session)
    assert cached is not None and cached.kind == "generated"
    assert cached == image_build.resolve_constraints(ImageBuildParams(spec), session)
