"""The README's table of build options, made from the option groups (tests keep it current)."""

from dataclasses import fields
from typing import Any, get_args

from breeze.cli.groups import Group, Option
from breeze.core.image_params import ImageSpec

BEGIN = "<!-- build-options: generated from breeze/cli/*_groups.py by tests/unit/test_readme.py -->"
END = "<!-- end of build-options -->"
_BUILD_ARGS = {f.name: f.metadata.get("build_arg") for f in fields(ImageSpec)}


def option_table(*groups: Group) -> str:
    """A Markdown table: each option's names, its default, and the build arg it sets."""
    rows = ["| option | default | build arg |", "|---|---|---|"]
    rows += [_row(option) for group in groups for option in group.options]
    return "\n".join(rows) + "\n"


def _row(option: Option) -> str:
    """One option's row."""
    names = ", ".join(f"`{name}`" for name in _names(option))
    build_arg = _BUILD_ARGS.get(option.field or option.name)
    maps_to = option.doc or (f"`{build_arg}`" if build_arg else "")
    return f"| {names} | {option.shown_default or _default(option.default)} | {maps_to} |"


def _names(option: Option) -> list[str]:
    """The option's flags as declared (long first)."""
    info = next(a for a in get_args(option.annotation)[1:] if hasattr(a, "param_decls"))
    names = [info.default, *info.param_decls] if isinstance(info.default, str) else []
    return [n for n in names or info.param_decls if n.startswith("-")]


def _default(value: Any) -> str:
    """A default as the table shows it."""
    if value in (None, "", (), []):
        return "none"
    if isinstance(value, bool):
        return "on" if value else "off"
    return f"`{value}`"
