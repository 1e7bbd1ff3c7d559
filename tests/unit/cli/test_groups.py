"""Option groups: a command sees its groups' options and receives the finished params."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Annotated, Any

import typer
from typer.testing import CliRunner

from breeze.cli.groups import Group, Option, fields_of, takes


@dataclass(frozen=True)
class Params:
    name: str = "x"
    items: tuple[str, ...] = ()


NAME = Annotated[str, typer.Option("--name")]
ITEMS = Annotated[str, typer.Option("--items")]
LOUD = Annotated[bool, typer.Option("--loud")]

PARAMS = fields_of(
    "params",
    Params,
    Option("name", NAME, "x"),
    Option(
        "items_csv", ITEMS, "", field="items", convert=lambda v: tuple(v.split(",")) if v else ()
    ),
)
RUN = Group(
    "run", (Option("loud", LOUD, False),), lambda loud, name=None: (loud, name), reads=("name",)
)


def test_the_signature_is_the_groups_options_in_order() -> None:
    @takes(PARAMS, RUN)
    def command(params: Params, run: Any, extra: int = 1) -> None:
        """A command."""

    names = list(inspect.signature(command).parameters)
    assert names == ["extra", "name", "items_csv", "loud"]
    assert command.__doc__ == "A command."


def test_the_command_receives_built_params_and_what_other_groups_read() -> None:
    seen: list[Any] = []

    @takes(PARAMS, RUN)
    def command(params: Params, run: Any) -> None:
        seen.append((params, run))

    app = typer.Typer()
    app.command()(command)
    result = CliRunner().invoke(app, ["--name", "n", "--items", "a,b", "--loud"])
    assert result.exit_code == 0, result.output
    assert seen == [(Params("n", ("a", "b")), (True, "n"))]


def test_only_and_without_pick_options_in_the_order_asked() -> None:
    assert [o.name for o in PARAMS.only("items_csv", "name").options] == ["items_csv", "name"]
    assert [o.name for o in PARAMS.without("name").options] == ["items_csv"]


def test_fixed_values_are_passed_and_not_offered() -> None:
    @takes(PARAMS, flavour="plain")
    def command(params: Params, flavour: str) -> str:
        return f"{params.name}-{flavour}"

    assert "flavour" not in inspect.signature(command).parameters
    assert command(name="n", items_csv="") == "n-plain"
