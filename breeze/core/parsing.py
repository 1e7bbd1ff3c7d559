"""Turning option strings into the tuples the params hold."""

from __future__ import annotations


def split_csv(value: str | None) -> tuple[str, ...]:
    """Comma-separated words, stripped, empty ones dropped, duplicates removed."""
    return tuple(dict.fromkeys(part.strip() for part in (value or "").split(",") if part.strip()))


def split_words(value: str | None) -> tuple[str, ...]:
    """Whitespace-separated words (requirements may hold commas), duplicates removed."""
    return tuple(dict.fromkeys((value or "").split()))
