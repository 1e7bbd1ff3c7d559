"""Option groups: options declared once, with how their values become one finished params object.

A command names the groups it takes and receives the built objects:

    @takes(IMAGE_SPEC, BUILD_SETTINGS, RUN)
    def build(spec: ImageSpec, settings: BuildSettings, run: RunOptions) -> None:
        build_image(ImageBuildParams(spec, settings), Session(run))

typer sees the groups' options in the command's signature, in the order the groups list them.
"""

# No `from __future__ import annotations`: typer reads the signatures at runtime.
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Option:
    """One option of a group: its parameter name, Annotated type and default.

    FIELD names the params field it fills (default: the same name), CONVERT turns the option's
    value into the field's (e.g. a comma-separated string into a tuple); SHOWN_DEFAULT and DOC
    are for the README's option table (breeze.cli.option_table).
    """

    name: str
    annotation: Any
    default: Any = None
    field: str | None = None
    convert: Callable[[Any], Any] | None = None
    # the README's option table: the default as words, and what the option maps to when it is
    # no build arg of the field it fills
    shown_default: str = ""
    doc: str = ""


@dataclass(frozen=True)
class Group:
    """Options and the function that turns their values into one params object."""

    name: str  # the keyword under which the command receives the built object ("": none)
    options: tuple[Option, ...]
    build: Callable[..., Any]
    # options of other groups this one's build also receives (e.g. --docker-host for the session)
    reads: tuple[str, ...] = ()

    def without(self, *names: str) -> "Group":
        """The group without some options (their defaults are used)."""
        return self.only(*(o.name for o in self.options if o.name not in names))

    def only(self, *names: str) -> "Group":
        """The group with only these options, in the order given."""
        by_name = {o.name: o for o in self.options}
        return Group(self.name, tuple(by_name[n] for n in names), self.build, self.reads)


def fields_of(name: str, cls: Callable[..., Any], *options: Option) -> Group:
    """A group whose options fill the fields of CLS one to one (through their converters)."""

    def build(**values: Any) -> Any:
        by_name = {o.name: o for o in options}
        return cls(
            **{
                (o.field or o.name): (o.convert(v) if o.convert else v)
                for name, v in values.items()
                if (o := by_name.get(name)) is not None
            }
        )

    return Group(name, options, build)


def takes(*groups: Group, **fixed: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Give a command the options of GROUPS; FIXED values are passed and not offered."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        own = [
            p
            for name, p in inspect.signature(command).parameters.items()
            if name not in {g.name for g in groups} and name not in fixed
        ]
        grouped = [
            inspect.Parameter(o.name, inspect.Parameter.KEYWORD_ONLY, default=o.default,
                              annotation=o.annotation)
            for g in groups
            for o in g.options
        ]  # fmt: skip
        defaults = {o.name: o.default for g in groups for o in g.options}

        def command_with_groups(**values: Any) -> Any:
            # a group without a name only offers options that other groups read
            built = {g.name: _build(g, {**defaults, **values}) for g in groups if g.name}
            rest = {p.name: values[p.name] for p in own if p.name in values}
            return command(**rest, **built, **fixed)

        command_with_groups.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [*own, *grouped]
        )
        command_with_groups.__doc__ = command.__doc__
        command_with_groups.__name__ = command.__name__
        command_with_groups.__wrapped__ = command  # type: ignore[attr-defined]
        return command_with_groups

    return decorate


def _build(group: Group, values: dict[str, Any]) -> Any:
    """The group's params object from the option values its build function takes."""
    names = [o.name for o in group.options] + list(group.reads)
    parameters = inspect.signature(group.build).parameters
    if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        names = [name for name in names if name in parameters]
    return group.build(**{name: values[name] for name in names if name in values})
