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

    def __init__(self, message: str, *, url: str = "", reason: str = "") -> None:
        super().__init__(message)
        self.url = url
        self.reason = reason  # short, e.g. 'HTTP 404 Not Found' or 'no answer in 30 s'


# Raised by the docker SDK (through requests and urllib3) when the engine's socket goes away.
_CONNECTION_ERRORS = {
    "requests.exceptions.ConnectionError",
    "urllib3.exceptions.ProtocolError",
    "urllib3.exceptions.NewConnectionError",
}


def engine_gone(error: BaseException) -> bool:
    """Whether an error (or one it came from) is a lost connection to the Docker engine."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        names = {f"{c.__module__}.{c.__name__}" for c in type(current).__mro__}
        if names & _CONNECTION_ERRORS:
            return True
        current = current.__cause__ or current.__context__
    return False


def engine_gone_message(error: BaseException | None = None) -> str:
    """The one line for an engine that stopped answering in the middle of a command."""
    del error  # the SDK's text ("('Connection aborted.', RemoteDisconnected(...))") adds nothing
    return (
        "the Docker engine stopped answering in the middle of the command; start Docker (or "
        "check DOCKER_HOST / --docker-host) and retry; `docker ps` shows what is still running"
    )


class RunCommand:
    """A command's result that asks breeze to run another command line (the wizard's plan)."""

    def __init__(self, argv: tuple[str, ...]) -> None:
        self.argv = argv
