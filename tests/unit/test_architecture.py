"""The layers hold (docs/architecture.md): measured over every module of the package."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "breeze"
GENERATED = {"breeze.completion.index_data"}
# What each layer may import of breeze (besides itself); main may import anything.
ALLOWED = {
    "core": {"core"},
    "io": {"core", "io", "ui"},
    "ui": {"core", "ui"},
    "services": {"core", "io", "ui", "services"},
    "cli": {"core", "io", "ui", "services", "cli", "completion"},
    # the TAB path reads core's config only; index.py (the generator) walks the cli
    "completion": {"core", "io", "ui", "completion", "cli"},
}
MAX_LINES = 400
MAX_COMMAND_BODY = 20


def modules() -> Iterator[tuple[str, Path]]:
    """Every module of the package, by dotted name."""
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if name not in GENERATED:
            yield name, path


def imports_of(name: str, path: Path) -> set[str]:
    """The breeze modules a module imports, at its top or inside functions."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("breeze")}
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module if node.level == 0 else f"{package}.{node.module}"
            if not base.startswith("breeze"):
                continue
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if _is_module(candidate) else base)
    return {module for module in found if module != name}


def _is_module(dotted: str) -> bool:
    """Whether a dotted name is a module or package of breeze."""
    path = PACKAGE.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


GRAPH = {name: imports_of(name, path) for name, path in modules()}


def test_no_import_cycles() -> None:
    """No module reaches itself through imports, lazy ones included."""
    cycles = []
    for start in GRAPH:
        seen, stack = set(), [(start, [start])]
        while stack:
            node, trail = stack.pop()
            for nxt in GRAPH.get(node, ()):
                if nxt == start:
                    cycles.append(" -> ".join([*trail, nxt]))
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*trail, nxt]))
    assert not cycles, "\n".join(sorted(set(cycles))[:10])


def _layer(name: str) -> str:
    """The layer of a module: the package below breeze, or the module itself at the root."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else ""


@pytest.mark.parametrize("name", sorted(GRAPH))
def test_layers_import_only_what_they_may(name: str) -> None:
    layer = _layer(name)
    if layer not in ALLOWED:
        assert name in {"breeze", "breeze.main", "breeze.__main__"}, f"{name}: a loose module"
        return
    wrong = {m for m in GRAPH[name] if _layer(m) and _layer(m) not in ALLOWED[layer]}
    assert not wrong, f"{name} ({layer}) imports {sorted(wrong)}"


def test_the_core_imports_only_the_standard_library_and_packaging() -> None:
    """The pure tier: no typer, rich, docker, questionary, subprocess, nor I/O libraries."""
    import sys

    allowed = set(sys.stdlib_module_names) | {"breeze", "packaging"}
    forbidden = ("subprocess", "socket", "shutil", "tempfile", "urllib.request", "http")
    for name, imported in _absolute_imports("core"):
        assert imported.split(".")[0] in allowed, f"{name} imports {imported}"
        io = [f for f in forbidden if imported == f or imported.startswith(f"{f}.")]
        assert not io, f"{name} imports {imported}: I/O in the core"


def _absolute_imports(layer: str) -> Iterator[tuple[str, str]]:
    """(module, imported module) for every absolute import of a layer's modules."""
    for name, path in modules():
        if _layer(name) != layer:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                yield from ((name, alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                yield name, node.module


def _calls(path: Path) -> Iterator[tuple[str, int]]:
    """The dotted names of the calls in a module, with their line numbers."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call):
            yield ast.unparse(node.func), node.lineno


def test_processes_and_containers_only_through_the_runner_and_the_engine() -> None:
    """No subprocess call outside io/runner.py, no SDK container call outside io/engine.py."""
    found = [
        f"{name}:{line} {call}"
        for name, path in modules()
        for call, line in _calls(path)
        if (call.startswith("subprocess.") and name != "breeze.io.runner")
        or (".containers." in f".{call}" and name != "breeze.io.engine")
    ]
    assert not found, found


def test_runner_and_engine_are_made_only_by_the_session() -> None:
    made = [
        f"{name}:{line} {call}"
        for name, path in modules()
        for call, line in _calls(path)
        if call.split(".")[-1] in ("Runner", "Engine") and name != "breeze.io.session"
    ]
    assert not made, made


@pytest.mark.parametrize(("name", "path"), list(modules()))
def test_no_module_is_over_the_limit(name: str, path: Path) -> None:
    lines = len(path.read_text().splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines (at most {MAX_LINES})"


def test_no_two_modules_share_a_name() -> None:
    names = [path.stem for _, path in modules() if path.stem != "__init__"]
    assert sorted({n for n in names if names.count(n) > 1}) == []


def test_command_bodies_are_short() -> None:
    """A command builds its params from groups and calls one service: a few lines."""
    long = []
    for name, path in modules():
        if not name.startswith("breeze.cli.") or not name.endswith(("_commands", "_command")):
            continue
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and node.decorator_list:
                body = node.body[1:] if ast.get_docstring(node) else node.body
                lines = body[-1].end_lineno - body[0].lineno + 1 if body else 0
                if lines > MAX_COMMAND_BODY:
                    long.append(f"{name}.{node.name}: {lines} lines")
    assert not long, long


@pytest.mark.parametrize("name", sorted(set(GRAPH) - {"breeze.__main__"}))  # it runs breeze
def test_every_module_imports(name: str) -> None:
    """Every name a module imports exists (lazy imports are only run by some commands)."""
    import importlib

    module = importlib.import_module(name)
    path = Path(module.__file__ or "")
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("breeze"):
            source = importlib.import_module(node.module)
            for alias in node.names:
                assert hasattr(source, alias.name) or _is_module(f"{node.module}.{alias.name}"), (
                    f"{name} imports {alias.name} from {node.module}, which has no such name"
                )


def test_services_reach_files_processes_and_the_network_through_the_session() -> None:
    io_modules = ("subprocess", "socket", "shutil", "tempfile", "urllib", "http", "docker")
    found = [
        f"{name}: {imported}"
        for name, imported in _absolute_imports("services")
        if imported.split(".")[0] in io_modules
    ]
    assert not found, found
