"""Where option values come from: flag > BREEZE_* > breeze.toml > remembered > built-in default.

Pure: reading and writing the small TOML that ``breeze.toml`` holds, checking it against the
app's options, and the precedence rule.  Files are read and written by ``breeze.io.files``.

``breeze.toml`` sets options by their long name without dashes.  Top-level keys apply to every
command that has the option; a table named after a command applies to it and its subcommands,
the most specific one winning::

    python = "3.12"                  # every command with --python
    airflow-extras = "celery,postgres"

    [prod-image]                     # prod-image build and prod-image verify
    image-tag = "my-airflow:1.0"
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from breeze.core.errors import InvalidInput

CONFIG_FILE = "breeze.toml"
# Options whose last explicit choice on a terminal is remembered in the user's cache.
REMEMBERED_KEYS = ("python", "backend", "postgres-version", "mysql-version")

FLAG = "command line"
FILE = CONFIG_FILE
REMEMBERED = "remembered"
DEFAULT = "built-in default"

Scalar = str | int | bool
CommandPath = tuple[str, ...]  # e.g. ("prod-image", "build")
_BARE_KEY_RE = re.compile(r"^[A-Za-z0-9_-]+$")
_LINE_RE = re.compile(r"^([A-Za-z0-9_-]+|\"[^\"\\]*\")\s*=\s*(.+?)\s*$")
_TABLE_RE = re.compile(r"^\[\s*([A-Za-z0-9_-]+(?:\s*\.\s*[A-Za-z0-9_-]+)*)\s*\]\s*(?:#.*)?$")
_INT_RE = re.compile(r"^[+-]?\d+$")


@dataclass(frozen=True)
class OptionFacts:
    """What the config needs to know about one option of one command."""

    key: str
    envvar: str | None = None
    default: Any = None
    choices: tuple[str, ...] = ()
    multiple: bool = False
    flag: bool = False


@dataclass(frozen=True)
class Setting:
    """An option's current value when the command line does not give it, and its source."""

    key: str
    value: Any
    source: str
    table: str = ""  # the breeze.toml table it was found in ("" for the top level)

    @property
    def where(self) -> str:
        """The source as shown to the user, e.g. 'breeze.toml [prod-image]'."""
        return f"{self.source} [{self.table}]" if self.table else self.source


def option_key(names: list[str] | tuple[str, ...]) -> str:
    """The config key of an option: its first long name without the dashes."""
    long_names = [name for name in names if name.startswith("--")]
    return (long_names or list(names))[0].lstrip("-")


def file_value(values: Mapping[str, Any], path: CommandPath, key: str) -> tuple[Any, str] | None:
    """The most specific (value, table) breeze.toml gives KEY for the command at PATH."""
    found = None
    node: Mapping[str, Any] | None = values
    for depth in range(len(path) + 1):
        if node is None:
            break
        if key in node and not isinstance(node[key], Mapping):
            found = (node[key], ".".join(path[:depth]))
        if depth < len(path):
            child = node.get(path[depth])
            node = child if isinstance(child, Mapping) else None
    return found


def resolve(
    facts: OptionFacts,
    path: CommandPath,
    environ: Mapping[str, str],
    file_values: Mapping[str, Any],
    remembered: Mapping[str, Any],
) -> Setting:
    """The value an option of the command at PATH gets when the command line does not give it."""
    if facts.envvar and environ.get(facts.envvar):
        return Setting(facts.key, environ[facts.envvar], f"${facts.envvar}")
    found = file_value(file_values, path, facts.key)
    if found is not None:
        return Setting(facts.key, found[0], FILE, found[1])
    if facts.key in REMEMBERED_KEYS and facts.key in remembered:
        return Setting(facts.key, remembered[facts.key], REMEMBERED)
    return Setting(facts.key, facts.default, DEFAULT)


def check_file_values(
    values: Mapping[str, Any], commands: Mapping[CommandPath, Mapping[str, OptionFacts]], where: str
) -> dict[str, Any]:
    """VALUES when each key is an option (or a command's table) and each value fits its option."""
    _check_table(values, (), commands, where)
    return dict(values)


def _check_table(
    values: Mapping[str, Any],
    prefix: CommandPath,
    commands: Mapping[CommandPath, Mapping[str, OptionFacts]],
    where: str,
) -> None:
    """Check one table of breeze.toml: keys of the commands under PREFIX, or their tables."""
    below = {path: options for path, options in commands.items() if path[: len(prefix)] == prefix}
    for key, value in values.items():
        if isinstance(value, Mapping):
            table = (*prefix, key)
            if table not in commands:
                raise InvalidInput(
                    f"{where}: [{'.'.join(table)}] is not a breeze command; name tables after "
                    "commands, e.g. [prod-image] or [prod-image.build]"
                )
            _check_table(value, table, commands, where)
            continue
        known = [options[key] for options in below.values() if key in options]
        if not known:
            scope = f"a command under '{' '.join(prefix)}'" if prefix else "any breeze command"
            all_keys = sorted({k for options in below.values() for k in options})
            raise InvalidInput(
                f"{where}: '{key}' is not an option of {scope}{_hint(key, all_keys)}"
            )
        _check_value(key, value, known[0], where)


def _hint(key: str, keys: list[str]) -> str:
    """'; did you mean ...?' for a misspelt key, else a reminder of the format."""
    import difflib

    close = difflib.get_close_matches(key, keys, n=1)
    return f"; did you mean '{close[0]}'?" if close else "; keys are long option names"


def _check_value(key: str, value: Any, facts: OptionFacts, where: str) -> None:
    """One value of breeze.toml against its option."""
    if isinstance(value, list):
        raise InvalidInput(f'{where}: {key} must be one value such as "a,b", not a list')
    if facts.flag and not isinstance(value, bool):
        raise InvalidInput(f"{where}: {key} is a flag; use true or false")
    if not facts.flag and isinstance(value, bool):
        raise InvalidInput(f"{where}: {key} takes a value, not {str(value).lower()}")
    if facts.choices and str(value) not in facts.choices:
        raise InvalidInput(f"{where}: {key} = {value!r} is not one of {', '.join(facts.choices)}")


def check_remembered(
    values: Mapping[str, Any], commands: Mapping[CommandPath, Mapping[str, OptionFacts]]
) -> dict[str, str]:
    """Remembered values that still fit their option (a stale cache is ignored, not an error)."""
    kept = {}
    for key, value in values.items():
        known = [options[key] for options in commands.values() if key in options]
        if key not in REMEMBERED_KEYS or not known or not isinstance(value, str):
            continue
        if known[0].choices and value not in known[0].choices:
            continue
        kept[key] = value
    return kept


def parse_toml(text: str) -> dict[str, Any]:
    """Parse TOML (tomllib on 3.11+, else the subset dump_toml writes); ValueError if invalid."""
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib.loads(text)
    return parse_simple_toml(text)


def parse_simple_toml(text: str) -> dict[str, Any]:
    """Parse `key = value` lines and `[a.b]` tables: strings, integers, booleans, comments."""
    values: dict[str, Any] = {}
    table = values
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        header = _TABLE_RE.match(line)
        if header:
            table = values
            for part in (part.strip() for part in header.group(1).split(".")):
                child = table.setdefault(part, {})
                if not isinstance(child, dict):
                    raise ValueError(f"[{header.group(1)}] redefines a key (line {number})")
                table = child
            continue
        match = _LINE_RE.match(line)
        if not match:
            raise ValueError(f"cannot read line {number}: {line!r}")
        key = match.group(1).strip('"')
        if key in table:
            raise ValueError(f"'{key}' is given twice (line {number})")
        table[key] = _simple_value(match.group(2), number)
    return values


def _simple_value(text: str, number: int) -> Scalar:
    """One value of the simple subset; a trailing comment is allowed."""
    if text.startswith('"'):
        try:
            value, end = json.JSONDecoder().raw_decode(text)
        except ValueError as error:
            raise ValueError(f"cannot read the string on line {number}") from error
        rest = text[end:].strip()
        if not isinstance(value, str) or (rest and not rest.startswith("#")):
            raise ValueError(f"cannot read the value on line {number}")
        return value
    bare = text.split("#", 1)[0].strip()
    if bare in ("true", "false"):
        return bare == "true"
    if _INT_RE.match(bare):
        return int(bare)
    raise ValueError(f'line {number}: use a "string", an integer, true or false')


def dump_toml(values: Mapping[str, Any], comments: tuple[str, ...] = ()) -> str:
    """TOML for values and command tables after comment lines (parse_simple_toml reads it)."""
    lines = [f"# {comment}".rstrip() for comment in comments]
    scalars = {k: v for k, v in values.items() if not isinstance(v, Mapping)}
    if lines and scalars:
        lines.append("")
    lines += [f"{_key(key)} = {_value(value)}" for key, value in scalars.items()]
    for name, table in values.items():
        if isinstance(table, Mapping):
            lines += _table((name,), table)
    return "\n".join(lines) + "\n"


def _table(path: CommandPath, table: Mapping[str, Any]) -> list[str]:
    """The lines of one table and its subtables."""
    lines = ["", f"[{'.'.join(_key(part) for part in path)}]"]
    lines += [f"{_key(k)} = {_value(v)}" for k, v in table.items() if not isinstance(v, Mapping)]
    for name, sub in table.items():
        if isinstance(sub, Mapping):
            lines += _table((*path, name), sub)
    return lines


def _key(key: str) -> str:
    """A bare key, or a quoted one."""
    return key if _BARE_KEY_RE.match(key) else json.dumps(key)


def _value(value: Scalar) -> str:
    """One TOML value: booleans, integers, or a basic string (JSON escapes are valid TOML)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False).replace("\x7f", "\\u007f")


@dataclass(frozen=True)
class CompletionSetup:
    """`setup autocomplete`: which shell (None: the one running breeze), add or remove, force."""

    shell: str | None = None
    force: bool = False
    uninstall: bool = False
