"""The wizard on a terminal: ask the task's questions, show the command, run and/or save it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from breeze.core import defaults, wizard_questions
from breeze.core.config import DEFAULT, OptionFacts, Setting
from breeze.core.errors import BreezeError
from breeze.io.session import Session
from breeze.ui import console, prompts

RUN = "Run it now"
SAVE = "Save the answers to breeze.toml"
BOTH = "Both: save, then run"
NOTHING = "Neither (just show the command)"
FILE_COMMENTS = (
    "breeze.toml: defaults for the breeze commands run in this folder.",
    "Precedence: command-line flag > BREEZE_* environment > this file > remembered > built-in.",
    "Keys are long option names; a [command] table applies to that command only.",
    "Written by `breeze wizard` (it keeps your values but not your comments).",
)


@dataclass(frozen=True)
class WizardParams:
    """What the wizard asks about: each command's options, and their current values."""

    commands: Mapping[tuple[str, ...], Mapping[str, OptionFacts]]
    settings: Mapping[tuple[tuple[str, ...], str], Setting]


def run_wizard(params: WizardParams, session: Session) -> tuple[str, ...] | None:
    """Ask, summarise, then save; return the command line to run, if the user wants it run."""
    if not session.world.interactive:
        raise BreezeError(
            "breeze wizard needs a terminal; without one pass the options as flags, e.g. "
            f"`{wizard_questions.FLAGS_HINT}` (see `breeze prod-image build --help`)"
        )
    commands, settings = params.commands, params.settings
    tasks = [task for task in wizard_questions.TASKS if task.command in commands]
    title = prompts.ask("select", "What do you want to do?", choices=[task.title for task in tasks])
    chosen = next(task for task in tasks if task.title == title)
    options = commands[chosen.command]
    answers: dict[str, str] = {}
    current: dict[str, str] = {}
    builtin: dict[str, str] = {}
    while True:
        pending = [
            question
            for question in wizard_questions.questions_for(chosen, answers, list(options))
            if question.key not in answers
        ]
        if not pending:
            break
        question = pending[0]
        facts = options[question.key]
        setting = settings[chosen.command, question.key]
        builtin[question.key] = _text(facts.default)
        current[question.key] = _text(setting.value) if setting.source != DEFAULT else ""
        default = current[question.key] or builtin[question.key]
        if question.key == "image-tag" and not current[question.key]:
            default = wizard_questions.default_tag(chosen, answers)
        choices = facts.choices or (
            defaults.ALLOWED_PYTHON_VERSIONS if question.key == "python" else ()
        )
        answers[question.key] = _ask(chosen, question, answers, default, choices)
    plan = wizard_questions.plan(chosen, answers, current, builtin, dry_run=session.dry_run)
    _show(plan)
    action = prompts.ask("select", "What now?", choices=[RUN, SAVE, BOTH, NOTHING])
    if action in (SAVE, BOTH):
        _save(plan, session)
    return tuple(plan.argv) if action in (RUN, BOTH) else None


def _ask(
    chosen: wizard_questions.Task,
    question: wizard_questions.Question,
    answers: Mapping[str, str],
    default: str,
    option_choices: tuple[str, ...],
) -> str:
    """Ask until the answer passes the same checks as the flag."""

    def problem(value: str) -> str | None:
        if (
            question.kind == wizard_questions.PATH
            and value
            and not Path(value).expanduser().is_dir()
        ):
            return f"'{value}' is not a folder"
        return wizard_questions.check_answer(chosen, question.key, value, answers)

    choices = wizard_questions.choices(question.key, answers, option_choices)
    while True:
        value = prompts.ask(
            question.kind, question.message, choices=choices, default=default, validate=problem
        )
        reason = problem(value)
        if reason is None:
            return value
        console.warning(reason)
        default = value


def _show(plan: wizard_questions.Plan) -> None:
    """The summary and the equivalent command, on stdout."""
    width = max(len(title) for title, _ in (("Task", ""), *plan.summary))
    print()
    print(f"  {'Task':<{width}}  {plan.task.title}")
    for title, value in plan.summary:
        print(f"  {title:<{width}}  {value}")
    print()
    print("Equivalent command:")
    print(f"  {plan.command}")
    print(flush=True)


def _save(plan: wizard_questions.Plan, session: Session) -> None:
    """Merge the answers into breeze.toml in the working folder, atomically."""
    from breeze.core.config import dump_toml
    from breeze.io.files import project_file, read_project

    path = project_file(session.world.cwd)
    values = wizard_questions.merge(read_project(path), plan.file_updates)
    session.write_text(path, dump_toml(values, FILE_COMMENTS))
    console.success(
        f"Saved to {path}: breeze commands run in this folder use these values "
        "(flags and BREEZE_* variables still win)."
    )


def _text(value: Any) -> str:
    """A default as the user writes it."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ",".join(str(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
