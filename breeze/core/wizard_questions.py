"""The wizard as data: tasks, their questions, answer checks, and answers -> command and file.

Pure: the questions are data, and ``plan`` turns answers into the equivalent ``breeze ...``
command and the values saved to breeze.toml.  ``breeze.services.wizard`` asks the questions.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from breeze.core import airflow_meta, defaults
from breeze.core.errors import InvalidInput
from breeze.core.image_params import BuildSettings, ImageBuildParams, ImageSpec, default_image_tag
from breeze.core.parsing import split_csv, split_words
from breeze.core.validation import validate_build

SELECT = "select"  # one of the choices
CHECKBOX = "checkbox"  # any of the choices, searchable; the answer is comma-separated
TEXT = "text"
PATH = "path"  # a folder; empty for none
VERSION = "version"  # free text completed from the choices

# Answers whose breeze.toml entry belongs to the task's command group, not to every command:
# an image tag chosen for the production image must not tag the CI image.
GROUP_KEYS = frozenset({"image-tag", "to-version"})


@dataclass(frozen=True)
class Question:
    """One question; its key is the option it answers (``--<key>``) and its breeze.toml key."""

    key: str
    title: str
    message: str
    kind: str
    when: tuple[str, str] | None = None  # ask only when that answer has that value


@dataclass(frozen=True)
class Task:
    """Something the wizard can do: a command and the questions it needs, in order."""

    key: str
    title: str
    command: tuple[str, ...]
    questions: tuple[str, ...]
    target: str = defaults.PROD_TARGET


QUESTIONS: Mapping[str, Question] = {
    question.key: question
    for question in (
        Question("python", "Python", "Python version of the image?", SELECT),
        Question(
            "install-airflow-version",
            "Airflow",
            "Airflow version? (TAB lists them)",
            VERSION,
        ),
        Question(
            "airflow-extras",
            "Extras",
            "Extras? (type to search, space to toggle, enter to accept)",
            CHECKBOX,
        ),
        Question(
            "additional-python-deps",
            "Extra Python packages",
            "Extra Python packages, space-separated (e.g. 'pandas<3 requests'), or empty?",
            TEXT,
        ),
        Question(
            "additional-runtime-deps",
            "Extra apt packages",
            "Extra apt packages for the image, space-separated, or empty?",
            TEXT,
        ),
        Question(
            "embedded-dags",
            "Embedded DAGs",
            "Folder of DAGs to embed in the image, or empty for none?",
            PATH,
        ),
        Question("executor", "Executor", "Executor?", SELECT),
        Question("backend", "Backend", "Database backend?", SELECT),
        Question(
            "postgres-version", "PostgreSQL", "PostgreSQL version?", SELECT, ("backend", "postgres")
        ),
        Question("mysql-version", "MySQL", "MySQL version?", SELECT, ("backend", "mysql")),
        Question("image-tag", "Image tag", "Image tag?", TEXT),
        Question(
            "to-version", "Upgrade to", "Airflow version to upgrade to? (TAB lists them)", VERSION
        ),
    )
}
_IMAGE_QUESTIONS = (
    "python",
    "install-airflow-version",
    "airflow-extras",
    "additional-python-deps",
    "additional-runtime-deps",
    "embedded-dags",
    "image-tag",
)
TASKS: tuple[Task, ...] = (
    Task("prod-image", "Build the production image", ("prod-image", "build"), _IMAGE_QUESTIONS),
    Task(
        "ci-image",
        "Build the CI image",
        ("ci-image", "build"),
        _IMAGE_QUESTIONS,
        target=getattr(defaults, "CI_TARGET", "ci"),
    ),
    Task(
        "dev-env",
        "Start a dev environment (Airflow with a database)",
        ("start-airflow",),
        (
            "python",
            "install-airflow-version",
            "executor",
            "backend",
            "postgres-version",
            "mysql-version",
        ),
    ),
    Task(
        "dags-check",
        "Check that my DAG files import in the image",
        ("dags", "check"),
        ("python", "install-airflow-version", "airflow-extras"),
    ),
    Task(
        "testing",
        "Run my tests (pytest) in the CI image",
        ("testing",),
        ("python", "install-airflow-version", "backend", "postgres-version", "mysql-version"),
        target=getattr(defaults, "CI_TARGET", "ci"),
    ),
    Task(
        "upgrade-check",
        "Check my DAGs against a newer Airflow",
        ("upgrade-check",),
        ("python", "install-airflow-version", "airflow-extras", "to-version"),
    ),
    Task(
        "constraints",
        "Generate constraints",
        ("constraints", "generate"),
        ("python", "install-airflow-version", "airflow-extras"),
    ),
)
# Without the terminal, these flags do what the wizard does.
FLAGS_HINT = (
    "breeze prod-image build --python X.Y --install-airflow-version X.Y.Z "
    "--airflow-extras a,b --image-tag NAME:TAG"
)


@dataclass(frozen=True)
class Plan:
    """What the answers amount to: the command, what breeze.toml gets, and a summary."""

    task: Task
    argv: tuple[str, ...]
    file_updates: Mapping[str, Any]
    summary: tuple[tuple[str, str], ...]

    @property
    def command(self) -> str:
        """The equivalent command line, copy-pastable."""
        return shlex.join(("breeze", *self.argv))


def task(key: str) -> Task:
    """The task with this key."""
    for candidate in TASKS:
        if candidate.key == key:
            return candidate
    raise KeyError(key)


def questions_for(
    chosen: Task, answers: Mapping[str, str], options: Sequence[str]
) -> list[Question]:
    """The task's questions that its command takes (OPTIONS) and whose condition holds."""
    asked = []
    for key in chosen.questions:
        question = QUESTIONS[key]
        if key not in options:
            continue
        if question.when and answers.get(question.when[0]) != question.when[1]:
            continue
        asked.append(question)
    return asked


def choices(key: str, answers: Mapping[str, str], option_choices: Sequence[str] = ()) -> list[str]:
    """The values offered for a question, given the answers so far."""
    if key == "install-airflow-version":
        python = answers.get("python")
        versions = []
        for version in airflow_meta.known_versions():
            release = airflow_meta.get_release(version)
            if release and (not python or not airflow_meta.python_support_error(release, python)):
                versions.append(version)
        return versions
    if key == "to-version":
        current = answers.get("install-airflow-version", defaults.DEFAULT_AIRFLOW_VERSION).strip()
        return [v for v in choices("install-airflow-version", answers) if _newer(v, current)]
    if key == "airflow-extras":
        release = airflow_meta.get_release(answers.get("install-airflow-version", ""))
        return list(airflow_meta.extras_of(release)) if release else []
    return list(option_choices)


def check_answer(chosen: Task, key: str, value: str, answers: Mapping[str, str]) -> str | None:
    """None when the answer is usable, else the one-line reason (the flags' own validation)."""
    merged = {**answers, key: value}
    if key == "install-airflow-version" and airflow_meta.get_release(value.strip()) is None:
        return (
            f"Airflow '{value}' is not in breeze's release data; choose a listed version "
            f"(newest: {airflow_meta.known_versions()[0]})"
        )
    if key == "to-version":
        current = merged.get("install-airflow-version", defaults.DEFAULT_AIRFLOW_VERSION).strip()
        if airflow_meta.get_release(value.strip()) is None or not _newer(value.strip(), current):
            return f"choose a listed Airflow version newer than {current}"
        return None
    if key in ("backend", "executor") and merged.get("executor") == "CeleryExecutor":
        if merged.get("backend") == "sqlite":
            return "CeleryExecutor cannot run on sqlite; choose postgres or mysql"
        return None
    if key not in _IMAGE_QUESTIONS:
        return None
    try:
        validate_build(ImageBuildParams(spec_of(chosen, merged), _settings(merged)))
    except InvalidInput as error:
        return error.message
    return None


def _newer(version: str, than: str) -> bool:
    """Whether VERSION comes after THAN."""
    return airflow_meta.version_key(version) > airflow_meta.version_key(than)


def default_tag(chosen: Task, answers: Mapping[str, str]) -> str:
    """The tag the command gives the image when --image-tag is not set."""
    return default_image_tag(spec_of(chosen, answers))


def spec_of(chosen: Task, answers: Mapping[str, str]) -> ImageSpec:
    """The image the answers describe (unasked fields keep their defaults)."""
    spec = ImageSpec(target=chosen.target)
    if "python" in answers:
        spec = replace(spec, python=answers["python"])
    if "install-airflow-version" in answers:
        spec = replace(spec, airflow_version=answers["install-airflow-version"].strip())
    if "airflow-extras" in answers:
        spec = replace(spec, airflow_extras=split_csv(answers["airflow-extras"]))
    if "additional-python-deps" in answers:
        spec = replace(spec, additional_python_deps=split_words(answers["additional-python-deps"]))
    if "additional-runtime-deps" in answers:
        packages = split_words(answers["additional-runtime-deps"])
        spec = replace(spec, additional_runtime_apt_deps=packages)
    if answers.get("embedded-dags"):
        spec = replace(spec, embedded_dags=Path(answers["embedded-dags"]))
    return spec


def _settings(answers: Mapping[str, str]) -> BuildSettings:
    """Build settings with the answered tag."""
    return BuildSettings(image_tag=answers.get("image-tag") or None)


def plan(
    chosen: Task,
    answers: Mapping[str, str],
    current: Mapping[str, str],
    builtin: Mapping[str, str],
    *,
    dry_run: bool = False,
) -> Plan:
    """Turn answers into the equivalent command and the breeze.toml updates.

    CURRENT holds each question's value before the wizard (from BREEZE_*, breeze.toml or
    remembered choices) and BUILTIN its built-in default; both as the user writes them.  An
    answer is left out of the command only when it, the current value and the built-in default
    agree, so the command means the same wherever it runs.  The image tag's built-in default is
    the one derived from the answers.
    """
    builtin = dict(builtin)
    if "image-tag" in answers:
        builtin["image-tag"] = default_tag(chosen, answers)
    argv = list(chosen.command)
    updates: dict[str, Any] = {}
    group: dict[str, Any] = {}
    summary = []
    for key, value in answers.items():
        question = QUESTIONS[key]
        base = builtin.get(key, "")
        now = current.get(key) or base
        if not (value == base and now == base):
            argv += [f"--{key}", value]
        shown = value or "none"
        summary.append((question.title, shown))
        keep = value if value and not (key in GROUP_KEYS and value == base) else None
        (group if key in GROUP_KEYS else updates)[key] = keep
    if group:
        updates[chosen.command[0]] = group
    if dry_run:
        argv.append("--dry-run")
    return Plan(chosen, tuple(argv), updates, tuple(summary))


def merge(existing: Mapping[str, Any], updates: Mapping[str, Any]) -> dict[str, Any]:
    """breeze.toml's values with the updates applied (None removes a key; tables merge)."""
    merged: dict[str, Any] = dict(existing)
    for key, value in updates.items():
        if isinstance(value, Mapping):
            table = existing.get(key)
            merged[key] = merge(table if isinstance(table, Mapping) else {}, value)
            if not merged[key]:
                del merged[key]
        elif value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged
