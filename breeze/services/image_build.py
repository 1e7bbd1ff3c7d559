"""The image build service: check the input, run `docker buildx build`, report the result."""

from __future__ import annotations

import datetime
from dataclasses import replace
from pathlib import Path

from breeze.core import argv
from breeze.core.build_args import (
    Provenance,
    build_args,
    build_contexts,
    build_secrets,
    image_labels,
    proxy_build_args,
)
from breeze.core.constraint_files import PreparedConstraints, validate_constraints
from breeze.core.errors import (
    BreezeError,
    ConstraintsUnavailable,
    InvalidInput,
    engine_gone_message,
)
from breeze.core.image_hash import IMAGE_HASH_LABEL, image_hash
from breeze.core.image_params import ImageBuildParams, ImageSpec
from breeze.core.source_date import ENV_NAME as SOURCE_DATE_ENV
from breeze.core.source_date import SourceDate, choose_source_date, parse_epoch
from breeze.core.uv_resolve import GenerateParams
from breeze.core.validation import validate_build
from breeze.io.build_context import (
    PACKAGED_CONTEXT,
    build_context,
    default_context_files,
    hash_inputs,
)
from breeze.io.session import Session
from breeze.services.build_network import with_network
from breeze.services.constraints import describe_constraints, generated_file, prepare_constraints
from breeze.services.constraints_generate import generate_constraints
from breeze.services.preflight import preflight, require_base_image, require_builder_for
from breeze.ui import console
from breeze.ui.progress import BuildProgress


def build_image(params: ImageBuildParams, session: Session) -> None:
    """Build one image as the params say; raise BreezeError with one line when it fails."""
    params = with_network(params, session)
    if session.world.environ.get(SOURCE_DATE_ENV):  # a bad value stops the build before it starts
        parse_epoch(session.world.environ[SOURCE_DATE_ENV])
    warnings = validate_build(params)
    validate_constraints(params.spec)  # its errors before any output; it warns when resolving
    for message in warnings:
        console.warning(message)
    root = build_context(params.settings.context)
    params = _with_context_files(params, root, session.world.cwd)
    check_local_paths(params.spec, root, session.world.cwd)
    if not session.dry_run:
        preflight(session, buildx=True)
        require_builder_for(params.settings, session)
        require_base_image(params.spec, session)
    constraints = resolve_constraints(params, session)
    labels = image_labels(constraints)
    # what the image was built from: `ensure_image` reuses it while this stays the same
    labels[IMAGE_HASH_LABEL] = expected_hash(params.spec, constraints, root)
    command = argv.buildx_build(
        dockerfile=root / "Dockerfile",
        context=root,
        target=params.spec.target,
        tag=params.tag,
        settings=params.settings,
        build_args=build_args(
            params.spec, _provenance(session, root, params.spec, constraints), constraints
        ),
        build_contexts=build_contexts(params.spec, constraints),
        labels=labels,
        secrets=build_secrets(params.settings),
        proxy_args=proxy_build_args(params.settings),
        environ=session.world.environ,
        cache_ref=params.cache_reference,
    )
    if session.dry_run:
        session.run(command)
        return
    console.info(
        f"Building {params.tag} (Airflow {params.spec.airflow_version}, "
        f"Python {params.spec.python}, {params.spec.base_image})"
    )
    progress_mode = params.settings.build_progress
    with BuildProgress(
        f"Building {params.tag}", live=None if progress_mode == "auto" else False
    ) as progress:
        on_line = None if progress_mode == "tty" else progress.feed
        result = session.run(command, on_line=on_line)
    if result.returncode != 0:
        try:
            session.engine.ping()
        except BreezeError as e:
            raise BreezeError(engine_gone_message()) from e
        _report_failure(progress)
    attrs = None if params.settings.push else session.engine.image_attrs(params.tag)
    size = f", {attrs['Size'] / 1e6:,.0f} MB" if attrs else ""
    console.success(f"Built {params.tag} in {progress.elapsed:.0f} s{size}")


def expected_hash(spec: ImageSpec, constraints: PreparedConstraints | None, root: Path) -> str:
    """The hash label a CI image built now from this spec and these constraints carries."""
    return image_hash(
        hash_inputs(root),
        build_args(spec, constraints=constraints),
        constraints.sha256 if constraints else None,
    )


def resolve_constraints(params: ImageBuildParams, session: Session) -> PreparedConstraints | None:
    """The build's constraints file; offer to generate it when the official one is unreachable.

    A dry run resolves like the build (cached file, else constraints generated earlier) and says
    what would be downloaded or generated, printing the generate command.
    """
    spec = params.spec
    try:
        prepared = prepare_constraints(spec, session)
    except ConstraintsUnavailable as e:
        if spec.constraints_location is not None or not session.confirm(
            f"{e.message.split(';')[0]}. Generate constraints locally now (about a minute)?"
        ):
            raise BreezeError(f"{e.message}, or rerun with --answer yes to generate them") from e
        console.info(
            f"The official constraints at {e.url} could not be downloaded ({e.reason}); "
            "generating them locally (about a minute)"
        )
        _generate(params, generated_file(spec, session), session)
        prepared = prepare_constraints(spec, session)
    else:
        if prepared is not None and prepared.kind == "generated":
            console.info(
                f"Using constraints generated earlier: {generated_file(spec, session)} (the "
                "official file "
                "is not cached; delete the generated file to download it)"
            )
        elif session.dry_run and prepared is not None and not prepared.sha256:
            _dry_run_fallback(params, session)
    if prepared is None:
        console.warning(
            "installing without constraints: dependencies get whatever versions resolve today"
        )
    return prepared


def _dry_run_fallback(params: ImageBuildParams, session: Session) -> None:
    """Say what the build does when the download it would try fails, with the generate command."""
    if params.spec.constraints_location is not None:
        return  # a URL the user gave: the build stops when it cannot be downloaded
    # as confirm() decides: without an answer and a terminal to ask, the answer is no
    answer = session.options.answer
    if answer in ("no", "quit") or (answer is None and not session.world.interactive):
        console.info(
            "Dry run: if it cannot be downloaded, the build stops; with --answer yes it would "
            "generate constraints locally first"
        )
        return
    when = "with --answer yes" if answer == "yes" else "when you confirm"
    console.info(
        f"Dry run: if it cannot be downloaded, constraints are generated locally first ({when}) "
        f"into {generated_file(params.spec, session)}, and the build uses them instead, with:"
    )
    _generate(params, generated_file(params.spec, session), session)


def cached_constraints(spec: ImageSpec, session: Session) -> PreparedConstraints | None:
    """The constraints a build would use now, from the cache or disk only: no download."""
    return describe_constraints(spec, session, allow_download=False).prepared


def _generate(params: ImageBuildParams, target: Path, session: Session) -> None:
    """Generate constraints for the build into the cache (a dry run prints the command)."""
    spec = params.spec
    if not session.dry_run:
        target.parent.mkdir(parents=True, exist_ok=True)
    generate_constraints(
        GenerateParams(
            pythons=(spec.python,),
            airflow_version=spec.airflow_version,
            airflow_extras=spec.extras,
            constraints_mode=spec.constraints_mode,
            debian_version=spec.debian_version,
            python_base_image=spec.python_base_image,
            output_dir=target.parent,
            secrets=build_secrets(params.settings),
            proxy_forward=params.settings.proxy_forward,
        ),
        session,
    )


def _with_context_files(params: ImageBuildParams, root: Path, cwd: Path) -> ImageBuildParams:
    """An installed breeze takes the working folder's docker-context-files/ when it has one."""
    spec = params.spec
    folder = default_context_files(root, cwd)
    if spec.docker_context_files is None and root == PACKAGED_CONTEXT and folder.is_dir():
        return replace(params, spec=replace(spec, docker_context_files=folder))
    return params


def check_local_paths(spec: ImageSpec, root: Path, cwd: Path) -> None:
    """Fail before any build when a folder the build needs is missing."""
    if spec.embedded_dags is not None and not spec.embedded_dags.is_dir():
        raise InvalidInput(f"--embedded-dags {spec.embedded_dags} is not a folder")
    if spec.installation == "local":
        sources = Path(spec.installation_method)
        if not any((sources / name).is_file() for name in ("pyproject.toml", "setup.py")):
            raise InvalidInput(
                f"--installation-method {sources} is not a Python project folder "
                "(no pyproject.toml or setup.py)"
            )
    if spec.install_distributions_from_context:
        folder = spec.docker_context_files or default_context_files(root, cwd)
        if not any(folder.glob("*.whl")) and not any(folder.glob("*.tar.gz")):
            raise InvalidInput(
                f"--install-distributions-from-context: no *.whl or *.tar.gz in {folder}; "
                "put the distributions there (e.g. with `pip download -d`)"
            )


def _provenance(
    session: Session, root: Path, spec: ImageSpec, constraints: PreparedConstraints | None
) -> Provenance:
    """The commit of breeze's sources and the build's source date (or, without one, now)."""
    created = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    source_date = _source_date(session, spec, constraints)
    if source_date is not None and not session.dry_run:
        console.info(f"Timestamps: {source_date.iso}, {source_date.origin} (SOURCE_DATE_EPOCH)")
    return Provenance(
        created=created, revision=_git(session, root, "rev-parse", "HEAD"), source_date=source_date
    )


def _source_date(
    session: Session, spec: ImageSpec, constraints: PreparedConstraints | None
) -> SourceDate | None:
    """SOURCE_DATE_EPOCH if set, else the constraints' date, else the local sources' commit."""
    text = None
    if constraints is not None and constraints.sha256:
        try:
            text = session.read_bytes(constraints.folder / constraints.file_name).decode(
                "utf-8", "replace"
            )
        except OSError:
            text = None
    commit = None
    if spec.installation == "local":
        found = _git(session, Path(spec.installation_method), "log", "-1", "--format=%ct")
        commit = int(found) if found.isdigit() else None
    return choose_source_date(session.world.environ.get(SOURCE_DATE_ENV), text, commit)


def _git(session: Session, folder: Path, *args: str) -> str:
    """What a git query in FOLDER prints, or empty when there is no git or no repository."""
    try:
        result = session.run(
            argv.Command(("git", "-C", str(folder), *args)), capture=True, query=True
        )
    except BreezeError:
        return ""
    return result.output.strip() if result.returncode == 0 else ""


def _report_failure(progress: BuildProgress) -> None:
    """Show the failing step's log tail, then raise the one-line cause."""
    log = progress.log
    step = log.failing_step()
    if progress.live:
        console.info(f"Failed step: {step}" if step else "The build failed:")
        for line in log.failing_step_log():
            console.info(f"  {line}")
    raise BreezeError(f"build failed after {progress.elapsed:.0f} s: {log.cause()}")
