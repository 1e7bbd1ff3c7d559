"""A lost engine is recognised through the SDK's wrapping; Ctrl-C sent to breeze alone reaches
the command it streams."""

from __future__ import annotations

import sys
import time

import pytest
import requests
import urllib3

from breeze.core.argv import Command
from breeze.core.errors import engine_gone, engine_gone_message
from breeze.io.runner import Runner


def test_a_requests_connection_error_is_the_engine_gone() -> None:
    assert engine_gone(requests.exceptions.ConnectionError("Connection aborted."))


def test_a_wrapped_protocol_error_is_the_engine_gone() -> None:
    try:
        try:
            raise urllib3.exceptions.ProtocolError("Connection aborted.")
        except urllib3.exceptions.ProtocolError as inner:
            raise RuntimeError("while waiting") from inner
    except RuntimeError as outer:
        assert engine_gone(outer)


def test_other_errors_are_bugs() -> None:
    assert not engine_gone(ValueError("no"))
    assert not engine_gone(ConnectionRefusedError("a download"))


def test_the_message_is_one_line_saying_what_to_do() -> None:
    message = engine_gone_message(requests.exceptions.ConnectionError("x\ny"))
    assert "\n" not in message
    assert "stopped answering" in message and "start Docker" in message


def test_ctrl_c_to_breeze_alone_is_passed_to_the_streamed_command() -> None:
    child = Command(
        (sys.executable, "-c", "print('ready', flush=True); import time; time.sleep(60)")
    )

    def interrupted(line: str) -> None:
        raise KeyboardInterrupt  # as if SIGINT reached breeze only, not the child

    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        Runner().run(child, on_line=interrupted)
    assert time.monotonic() - started < 20  # the child got SIGINT, not a 60 s wait
