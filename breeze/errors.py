"""Expected errors: one line for the user, never a traceback."""

from __future__ import annotations


class BreezeError(Exception):
    """An expected failure: its message says what is wrong and what to do; exit 1."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(BreezeError):
    """A value the user gave cannot be used; exit 2 like other usage errors."""

    exit_code = 2


class ConstraintsUnavailable(BreezeError):
    """A constraints URL could not be downloaded (unreachable, 404, timeout)."""
