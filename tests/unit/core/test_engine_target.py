"""Which engine a command talks to: the docker CLI's order, and a line for each mistake."""

from __future__ import annotations

import re

import pytest

from breeze.core.engine_target import DEFAULT_ENDPOINT, resolve_target
from breeze.core.errors import InvalidInput

HOSTS = {"default": "", "dind": "tcp://127.0.0.1:2376", "laptop": "unix:///home/me/docker.sock"}


@pytest.mark.parametrize(
    ("option", "environ", "current", "endpoint", "described"),
    [
        (None, {}, "default", DEFAULT_ENDPOINT, f"{DEFAULT_ENDPOINT} (the default socket)"),
        ("tcp://h:2375", {"DOCKER_HOST": "tcp://x:1"}, "dind", "tcp://h:2375",
         "tcp://h:2375 (--docker-host)"),
        (None, {"DOCKER_HOST": "tcp://x:1"}, "dind", "tcp://x:1", "tcp://x:1 (DOCKER_HOST)"),
        # as the docker CLI: DOCKER_CONTEXT wins over DOCKER_HOST
        (None, {"DOCKER_CONTEXT": "dind", "DOCKER_HOST": "tcp://x:1"}, "default",
         "tcp://127.0.0.1:2376", "tcp://127.0.0.1:2376 (docker context 'dind')"),
        (None, {}, "dind", "tcp://127.0.0.1:2376", "tcp://127.0.0.1:2376 (docker context 'dind')"),
        (None, {"DOCKER_CONTEXT": "default"}, "dind", "tcp://127.0.0.1:2376",
         "tcp://127.0.0.1:2376 (docker context 'dind')"),
    ],
)  # fmt: skip
def test_the_engine_is_chosen_as_the_docker_cli_chooses_it(
    option: str | None, environ: dict, current: str, endpoint: str, described: str
) -> None:
    target = resolve_target(option, environ, current, HOSTS)
    assert (target.endpoint, target.describe()) == (endpoint, described)


def test_only_sockets_of_this_machine_are_local() -> None:
    local = {name: resolve_target(None, {}, name, HOSTS).local for name in HOSTS}
    assert local == {"default": True, "dind": False, "laptop": True}
    assert not resolve_target("ssh://me@build-host", {}, "default", HOSTS).local


@pytest.mark.parametrize(
    ("option", "environ", "current", "message"),
    [
        ("tcp://h:1", {"DOCKER_CONTEXT": "dind"}, "default",
         "--docker-host tcp://h:1 and DOCKER_CONTEXT=dind both choose an engine"),
        (None, {"DOCKER_CONTEXT": "nosuch"}, "default",
         "DOCKER_CONTEXT 'nosuch' is not a docker context (known: default, dind, laptop)"),
        (None, {}, "gone", "the current docker context 'gone' is not a docker context"),
    ],
)  # fmt: skip
def test_a_contradiction_or_a_missing_context_is_one_line(
    option: str | None, environ: dict, current: str, message: str
) -> None:
    with pytest.raises(InvalidInput, match=re.escape(message)):
        resolve_target(option, environ, current, HOSTS)
