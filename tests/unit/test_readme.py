"""README.md stays true: its two commands are the ones CI and users run."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEST_COMMAND = "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/pytest"
BUILD_COMMAND = "python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/breeze prod-image build --answer yes"


def test_ci_runs_the_readme_test_command() -> None:
    assert TEST_COMMAND in (ROOT / "README.md").read_text()
    assert TEST_COMMAND in (ROOT / ".ci" / "run").read_text()


def test_readme_has_the_build_command() -> None:
    assert BUILD_COMMAND in (ROOT / "README.md").read_text()


def test_readme_documents_every_build_arg() -> None:
    dockerfile_args = set(re.findall(r"^ARG ([A-Z_]+)", (ROOT / "Dockerfile").read_text(), re.M))
    readme = (ROOT / "README.md").read_text()
    internal = {"AIRFLOW_IMAGE_DATE_CREATED", "AIRFLOW_IMAGE_REVISION"}
    missing = {arg for arg in dockerfile_args - internal if f"`{arg}`" not in readme}
    assert not missing, f"build args missing from README.md: {sorted(missing)}"


def test_readme_option_table_is_the_groups() -> None:
    """The build options table of README.md is generated from the option groups."""
    import os

    from breeze.cli.image_groups import IMAGE_SPEC
    from breeze.cli.option_table import BEGIN, END, option_table
    from breeze.cli.run_groups import BUILD_SETTINGS

    path = ROOT / "README.md"
    text = path.read_text()
    before, rest = text.split(BEGIN + "\n", 1)
    current, after = rest.split(END, 1)
    table = option_table(IMAGE_SPEC, BUILD_SETTINGS)
    if os.environ.get("BREEZE_UPDATE_GOLDEN") == "1":
        path.write_text(before + BEGIN + "\n" + table + END + after)
        return
    assert current == table, (
        "README.md's option table is out of date: BREEZE_UPDATE_GOLDEN=1 pytest"
    )
