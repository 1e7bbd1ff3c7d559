"""What TAB offers: candidates for the word being typed, from the index and a few value sources.

Pure: the index is plain data (``breeze/completion/index_data.py``) and dynamic values (extras,
Airflow versions, local images) come through a ``ValueSource`` the caller provides.  It is on the
TAB path, so it imports nothing at run time: not even typing, re or shlex (ADR 0006).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~20 ms here)
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any, Protocol

    Index = Mapping[str, Any]
    Option = Mapping[str, Any]

    class ValueSource(Protocol):
        """Values that are not in the index: looked up only when that value is completed."""

        def extras(self, airflow_version: str) -> Sequence[str]:
            """The extras of an Airflow version (empty when unknown)."""

        def airflow_versions(self) -> Sequence[str]:
            """Known Airflow versions, newest first."""

        def images(self, docker_host: str | None) -> Sequence[str]:
            """Local image tags (empty when no engine answers in time)."""

        def setting(self, key: str) -> str | None:
            """A value from BREEZE_* or breeze.toml for an option not on the command line."""


# Reply kinds: candidates to offer, or let the shell complete file or directory names.
VALUES = "values"
FILES = "files"
DIRS = "dirs"


class Reply:
    """The candidates (value, description) for the current word, or a file/dir hint."""

    __slots__ = ("items", "kind")

    def __init__(self, kind: str = VALUES, items: Sequence[tuple[str, str]] = ()) -> None:
        self.kind = kind
        self.items = tuple(items)

    def __eq__(self, other: object) -> bool:
        """Replies are equal when kind and items are."""
        return isinstance(other, Reply) and (self.kind, self.items) == (other.kind, other.items)

    def __repr__(self) -> str:
        """For test failures."""
        return f"Reply({self.kind!r}, {self.items!r})"

    @property
    def values(self) -> list[str]:
        """The candidate values without descriptions."""
        return [value for value, _ in self.items]


class _State:
    """Where the words before the current one left the parser."""

    def __init__(self) -> None:
        self.path = ""
        self.positional = 0
        self.pending: Option | None = None
        self.used: set[str] = set()
        self.given: dict[str, str] = {}
        self.options_ended = False


def complete(index: Index, words: Sequence[str], current: str, source: ValueSource) -> Reply:
    """The reply for CURRENT after WORDS (the words typed after the program name)."""
    state = _walk(index, words)
    node = index["commands"][state.path]
    if state.pending is not None:
        return _values(index, state.pending, current, "", state, source)
    if current.startswith("--") and "=" in current and not state.options_ended:
        name, _, value = current.partition("=")
        option = _find_option(node, name)
        if option is None or option.get("value") is None:
            return Reply()
        return _values(index, option, value, name + "=", state, source)
    if current.startswith("-") and not state.options_ended:
        return Reply(items=tuple(_option_names(node, current, state.used)))
    subcommands = node.get("commands", {})
    if subcommands:
        return Reply(
            items=tuple(
                (name, text) for name, text in subcommands.items() if name.startswith(current)
            )
        )
    arguments = node.get("arguments", [])
    if state.positional < len(arguments):
        return _values(index, arguments[state.positional], current, "", state, source)
    if not current and not state.options_ended:
        return Reply(items=tuple(_option_names(node, "--", state.used)))
    return Reply()


def split_line(line: str) -> tuple[list[str], str]:
    """Split a command line (up to the cursor) into the complete words and the current one.

    POSIX shell quoting as ``shlex.split`` reads it (which needs ``re``); an unclosed quote just
    ends the current word.
    """
    words: list[str] = []
    word: list[str] = []
    in_word = False
    quote = ""
    position = 0
    while position < len(line):
        char = line[position]
        position += 1
        if quote == "'":
            if char == "'":
                quote = ""
            else:
                word.append(char)
        elif quote == '"':
            if char == '"':
                quote = ""
            elif char == "\\" and position < len(line) and line[position] in '\\"$`\n':
                word.append(line[position])
                position += 1
            else:
                word.append(char)
        elif char in " \t\n":
            if in_word:
                words.append("".join(word))
                word, in_word = [], False
        else:
            in_word = True
            if char in "'\"":
                quote = char
            elif char == "\\":
                if position < len(line):
                    word.append(line[position])
                    position += 1
            else:
                word.append(char)
    if in_word or quote:
        return words, "".join(word)
    return words, ""


def bash_trim(candidates: Sequence[str], current: str, line: str, wordbreaks: str) -> list[str]:
    """Candidates as bash replaces them: only the part after the last COMP_WORDBREAKS char."""
    cut = max((line.rfind(char) for char in wordbreaks), default=-1)
    replaced = line[cut + 1 :]
    if not current.endswith(replaced):
        return list(candidates)
    prefix = current[: len(current) - len(replaced)]
    return [c[len(prefix) :] if c.startswith(prefix) else c for c in candidates]


def _walk(index: Index, words: Sequence[str]) -> _State:
    """Follow the words through subcommands and options."""
    commands = index["commands"]
    state = _State()
    for word in words:
        node = commands[state.path]
        if state.pending is not None:
            state.given[state.pending["names"][0]] = word
            state.pending = None
        elif word == "--" and not state.options_ended:
            state.options_ended = True
        elif word.startswith("-") and len(word) > 1 and not state.options_ended:
            name, equals, value = word.partition("=")
            option = _find_option(node, name if name.startswith("--") else word)
            if option is None:
                continue
            state.used.add(option["names"][0])
            if option.get("value") is not None:
                if equals:
                    state.given[option["names"][0]] = value
                else:
                    state.pending = option
        elif word in node.get("commands", {}):
            state.path = f"{state.path} {word}".strip()
            state.positional = 0
        else:
            state.positional += 1
    return state


def _find_option(node: Mapping[str, Any], name: str) -> Option | None:
    """The node's option with this name."""
    for option in node.get("options", []):
        if name in option["names"]:
            return option
    return None


def _option_names(node: Mapping[str, Any], current: str, used: set[str]) -> list[tuple[str, str]]:
    """Options whose name starts with CURRENT (long names, or short ones for '-x'), once each."""
    long_only = current.startswith("--") or current == "-"
    items = []
    for option in node.get("options", []):
        if option["names"][0] in used and not option.get("multiple"):
            continue
        matching = [
            name
            for name in option["names"]
            if name.startswith(current) and name.startswith("--") == long_only
        ]
        if matching:  # aliases: only the first name that fits
            items.append((matching[0], option.get("help", "")))
    return items


def _values(
    index: Index,
    param: Mapping[str, Any],
    current: str,
    prefix: str,
    state: _State,
    source: ValueSource,
) -> Reply:
    """The values of one option or argument matching CURRENT."""
    kind = param.get("value")
    if kind == "dir":
        return Reply(DIRS)
    if kind in ("file", "path"):
        return Reply(FILES)
    if kind == "choice":
        values: Sequence[str] = param.get("choices", [])
    elif kind == "extras":
        values = source.extras(_given(index, state, "--install-airflow-version", source))
    elif kind == "airflow-version":
        values = source.airflow_versions()
    elif kind == "image":
        values = source.images(_given(index, state, "--docker-host", source) or None)
    else:
        values = index.get("values", {}).get(param.get("names", [""])[0], [])
    head = ""
    if param.get("csv"):
        head, _, current = current.rpartition(",")
        head = head + "," if head else ""
        taken = set(head.split(","))
        values = [value for value in values if value not in taken]
    return Reply(
        items=tuple((prefix + head + value, "") for value in values if value.startswith(current))
    )


def _given(index: Index, state: _State, name: str, source: ValueSource) -> str:
    """An option's value: the command line's, else BREEZE_* or breeze.toml's, else its default."""
    if name in state.given:
        return state.given[name]
    configured = source.setting(name.lstrip("-"))
    if configured:
        return configured
    node = index["commands"][state.path]
    option = _find_option(node, name)
    default = option.get("default") if option else None
    return str(default) if default is not None else ""
