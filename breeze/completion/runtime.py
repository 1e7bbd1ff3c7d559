"""The TAB fast path: read the shell's request, answer from the index, print candidates.

Imported by ``breeze.main.entry`` before anything else when ``_BREEZE_COMPLETE`` is set; it
must never import typer, rich, docker or questionary (a unit test checks ``sys.modules``).

Protocol (the scripts in ``breeze.completion.shell_scripts`` speak it):

- ``_BREEZE_COMPLETE=bash``: argv is ``LINE WORDBREAKS``, the line up to the cursor and
  ``$COMP_WORDBREAKS``;
- ``_BREEZE_COMPLETE=zsh`` or ``fish``: argv is the words after the program name, the last one
  being the word under the cursor (possibly empty);
- ``_BREEZE_COMPLETE=powershell``: ``_BREEZE_COMPLETE_LINE`` holds the line up to the cursor.

The output is one line with the kind (``values``, ``files`` or ``dirs``), then one candidate per
line; zsh, fish and PowerShell get ``value<TAB>description``.
"""

from __future__ import annotations

import os
import sys

from breeze.completion.candidates import Reply, bash_trim, complete, split_line

TYPE_CHECKING = False  # see breeze.completion.candidates: no typing import on the TAB path
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any, TextIO

ENV_VAR = "_BREEZE_COMPLETE"
LINE_VAR = "_BREEZE_COMPLETE_LINE"
SHELLS = ("bash", "zsh", "fish", "powershell")


def run(argv: Sequence[str], environ: Mapping[str, str], out: TextIO | None = None) -> int:
    """Answer one completion request; never fail loudly (a broken TAB must stay silent)."""
    out = out or sys.stdout
    shell = environ.get(ENV_VAR, "")
    if shell not in SHELLS:
        print(
            f"breeze: unknown {ENV_VAR}={shell!r}; use one of {', '.join(SHELLS)}", file=sys.stderr
        )
        return 1
    try:
        out.write(answer(shell, argv, environ, load_index(), LiveValues(environ)))
    except Exception as error:  # a bug must not print a traceback into the user's prompt
        if environ.get("BREEZE_COMPLETE_DEBUG"):
            raise
        print(f"breeze completion failed: {error}", file=sys.stderr)
        return 1
    return 0


def answer(
    shell: str,
    argv: Sequence[str],
    environ: Mapping[str, str],
    index: Mapping[str, Any],
    source: Any,
) -> str:
    """The text printed for one request."""
    if shell == "bash":
        line = argv[0] if argv else ""
        wordbreaks = argv[1] if len(argv) > 1 else " \t\n\"'><=;|&(:"
        words, current = split_line(line)
        reply = complete(index, words[1:], current, source)
        values = bash_trim(reply.values, current, line, wordbreaks)
        return "\n".join([reply.kind, *values]) + "\n"
    if shell == "powershell":
        words, current = split_line(environ.get(LINE_VAR, ""))
        words = words[1:]
    else:
        words, current = list(argv[:-1]), (argv[-1] if argv else "")
    return _described(complete(index, words, current, source))


def _described(reply: Reply) -> str:
    """The kind line, then value<TAB>description lines."""
    lines = [reply.kind]
    for value, text in reply.items:
        lines.append(f"{value}\t{text}" if text else value)
    return "\n".join(lines) + "\n"


def load_index() -> Mapping[str, Any]:
    """The index shipped in the package (a module: loaded from bytecode, no json import)."""
    from breeze.completion.index_data import INDEX

    return INDEX


def _package_data(*parts: str) -> bytes:
    """A data file of the breeze package, through its loader (works from zips too)."""
    import breeze

    path = os.path.join(os.path.dirname(breeze.__file__), *parts)
    loader = getattr(breeze.__spec__, "loader", None)
    if hasattr(loader, "get_data"):
        return loader.get_data(path)
    with open(path, "rb") as file:
        return file.read()


def version_key(version: str) -> tuple[int, ...]:
    """breeze.core.airflow_meta.version_key, without importing that module (dataclasses, re)."""
    return tuple(int(part) if part.isdigit() else -1 for part in version.strip().split("."))


class LiveValues:
    """Value sources read at TAB time: shipped Airflow data, BREEZE_*/breeze.toml, the engine.

    The release data is read straight from its JSON (format 1 of airflow_meta's data file, as its
    header describes; a unit test compares the result with airflow_meta): importing airflow_meta
    would double the time of an extras TAB.
    """

    def __init__(self, environ: Mapping[str, str], folder: str = "") -> None:
        self.environ = environ
        self.folder = folder
        self._releases: dict[str, Any] | None = None
        self._project: dict[str, Any] | None = None

    def _data(self) -> dict[str, Any]:
        """The shipped release data, read once."""
        if self._releases is None:
            import json

            self._releases = json.loads(_package_data("data", "airflow_releases.json"))
        return self._releases

    def extras(self, airflow_version: str) -> list[str]:
        """The extras of the version, sorted; none for an unknown version."""
        data = self._data()
        release = data["releases"].get(airflow_version.strip())
        if release is None:
            return []
        return sorted(data["tables"][release["extras"]])

    def airflow_versions(self) -> list[str]:
        """Known versions, newest first."""
        return sorted(self._data()["releases"], key=version_key, reverse=True)

    def images(self, docker_host: str | None) -> list[str]:
        """Local image tags, asking the engine with a short timeout."""
        from breeze.completion.local_images import local_image_tags

        return local_image_tags(docker_host or self.environ.get("BREEZE_DOCKER_HOST"))

    def setting(self, key: str) -> str | None:
        """The option's value from BREEZE_<KEY>, else from breeze.toml in this folder."""
        value = self.environ.get("BREEZE_" + key.replace("-", "_").upper())
        if value:
            return value
        found = self._project_settings().get(key)
        return None if found is None else str(found)

    def _project_settings(self) -> dict[str, Any]:
        """breeze.toml of the working folder; nothing when missing or unreadable."""
        if self._project is None:
            self._project = {}
            path = os.path.join(self.folder or os.getcwd(), "breeze.toml")
            if os.path.isfile(path):
                try:
                    with open(path, encoding="utf-8") as file:
                        self._project = _parse_toml(file.read())
                except (OSError, ValueError):
                    pass
        return self._project


def _parse_toml(text: str) -> dict[str, Any]:
    """tomllib where it exists, else breeze's reader of the subset breeze writes."""
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib.loads(text)
    from breeze.core.config import parse_simple_toml

    return parse_simple_toml(text)
