"""Where breeze finds the Dockerfile and the build context it ships."""

from __future__ import annotations

from pathlib import Path

from breeze.core.errors import BreezeError, InvalidInput

# The wheel carries the checkout's Dockerfile, .dockerignore and scripts here (pyproject.toml);
# an editable install has no such folder and uses the checkout itself.
PACKAGED_CONTEXT = Path(__file__).resolve().parents[1] / "_context"
CHECKOUT = Path(__file__).resolve().parents[2]
# What a build context holds, relative to its root: the files the wheel and export-context carry.
CONTEXT_FILES = (
    "Dockerfile",
    ".dockerignore",
    "scripts/docker",
    "empty/.gitkeep",
    "docker-context-files/README.md",
)


def packaged_context() -> Path:
    """The build context installed with breeze: the wheel's copy, else the source checkout."""
    for root in (PACKAGED_CONTEXT, CHECKOUT):
        if (root / "Dockerfile").is_file():
            return root
    raise BreezeError(
        f"breeze's build context is missing from {PACKAGED_CONTEXT}; reinstall breeze, or pass "
        "--context with a folder written by `breeze prod-image export-context`"
    )


def build_context(folder: Path | None = None) -> Path:
    """The folder a build uses: the one given with --context, else the packaged one."""
    if folder is None:
        return packaged_context()
    if not (folder / "Dockerfile").is_file():
        raise InvalidInput(
            f"--context {folder} has no Dockerfile; write one there with "
            f"`breeze prod-image export-context {folder}`"
        )
    return folder


def context_files(root: Path) -> list[Path]:
    """Every file of a build context, relative to its root, in a stable order."""
    files: list[Path] = []
    for name in CONTEXT_FILES:
        path = root / name
        if path.is_dir():
            files += sorted(p.relative_to(root) for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            files.append(Path(name))
    return files


def default_context_files(context: Path, cwd: Path) -> Path:
    """The default --docker-context-files: the context's own, or the working folder's when the
    context is the one installed with breeze (site-packages is no place for a user's wheels)."""
    if context == PACKAGED_CONTEXT:
        return cwd / "docker-context-files"
    return context / "docker-context-files"


def hash_inputs(root: Path) -> dict[str, bytes]:
    """The files whose content the CI image depends on: the Dockerfile and scripts/docker/."""
    files = {"Dockerfile": (root / "Dockerfile").read_bytes()}
    for path in sorted((root / "scripts" / "docker").rglob("*")):
        if path.is_file():
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files
