"""Formatting of commands as copy-pastable shell text."""

from __future__ import annotations

import shlex

from breeze.core.argv import Command
from breeze.core.network import PROXY_KINDS, mask_credentials, mask_proxy

_FLAGS_WITHOUT_VALUE = frozenset({"--load", "--push", "--no-cache", "--rm", "-it", "-d"})


def _mask_env(name: str, value: str) -> str:
    """An environment value as shown: proxy settings and URLs without their credentials."""
    return mask_proxy(value) if name.upper() in PROXY_KINDS else mask_credentials(value)


def format_command(command: Command, *, multiline: bool = True) -> str:
    """Shell text that runs the command with its environment, one option per line if multiline.

    Credentials in URLs (`http://user:password@proxy`) are masked: the text is shown, never the
    secret.
    """
    env = [f"{name}={shlex.quote(_mask_env(name, value))}" for name, value in command.env.items()]
    words = [shlex.quote(mask_credentials(word)) for word in command.argv]
    if not multiline or len(words) < 8:
        return " ".join(env + words)
    lines: list[list[str]] = [env + words[:3]]
    for word in words[3:]:
        previous = lines[-1]
        takes_value = (
            len(previous) == 1
            and previous[0].startswith("-")
            and previous[0] not in _FLAGS_WITHOUT_VALUE
        )
        if takes_value and not word.startswith("-"):
            previous.append(word)
        else:
            lines.append([word])
    return " \\\n    ".join(" ".join(line) for line in lines)
