"""Questions to the user: answered by --answer, by the user on a terminal, or by the default."""

from __future__ import annotations

import select
import sys
from collections.abc import Callable, Sequence

from breeze.core.errors import BreezeError


class QuitRequested(BreezeError):
    """The user (or --answer quit) chose to stop."""


def confirm(
    question: str, *, answer: str | None, default: bool = False, timeout: float = 30
) -> bool:
    """Ask a yes/no question; without a terminal or an answer in time, return the default."""
    if answer == "quit":
        raise QuitRequested(f"stopped at the question '{question}' (--answer quit)")
    if answer is not None:
        return answer == "yes"
    if not sys.stdin.isatty():
        return default
    choices = "[Y/n/q]" if default else "[y/N/q]"
    print(
        f"{question} {choices} ({'yes' if default else 'no'} in {timeout:.0f} s) ",
        end="",
        file=sys.stderr,
        flush=True,
    )
    ready, _, _ = select.select([sys.stdin], [], [], timeout)
    if not ready:
        print("", file=sys.stderr)
        return default
    reply = sys.stdin.readline().strip().lower()
    if reply in ("q", "quit"):
        raise QuitRequested(f"stopped at the question '{question}'")
    if not reply:
        return default
    return reply in ("y", "yes")


def is_interactive() -> bool:
    """Whether a person can answer: stdin and stdout are both terminals."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def ask(
    kind: str,
    message: str,
    *,
    choices: Sequence[str] = (),
    default: str = "",
    validate: Callable[[str], str | None] | None = None,
) -> str:
    """Ask one wizard question (kinds of core.wizard_questions); Ctrl-C raises KeyboardInterrupt.

    A checkbox's answer is its chosen values joined with commas; VALIDATE returns None for a
    usable answer, else the reason shown under the question.
    """
    import questionary

    def check(text: str) -> bool | str:
        problem = validate(text) if validate else None
        return True if problem is None else problem

    if kind == "select":
        question = questionary.select(
            message,
            choices=list(choices),
            default=default if default in choices else None,
            use_jk_keys=False,
        )
    elif kind == "checkbox":
        chosen = set(default.split(",")) if default else set()
        question = questionary.checkbox(
            message,
            choices=[questionary.Choice(value, checked=value in chosen) for value in choices],
            validate=lambda values: check(",".join(values)),
            use_search_filter=True,
            use_jk_keys=False,
        )
        return ",".join(question.unsafe_ask())
    elif kind == "version":
        question = questionary.autocomplete(
            message, choices=list(choices), default=default, validate=check, match_middle=False
        )
    elif kind == "path":
        question = questionary.path(
            message,
            default=default,
            only_directories=True,
            validate=check,
            complete_while_typing=False,  # TAB completes, enter always answers
        )
    else:
        question = questionary.text(message, default=default, validate=check)
    return str(question.unsafe_ask()).strip()


def confirm_now(question: str, *, default: bool = True) -> bool:
    """A yes/no question on a terminal, without a timeout (the wizard's); Ctrl-C interrupts."""
    import questionary

    return bool(questionary.confirm(question, default=default).unsafe_ask())
