"""The console entry point: runs the app and turns expected errors into one line."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    """Run breeze; return the exit code (0, 1 expected error, 2 usage error, 130 Ctrl-C)."""
    args = sys.argv[1:] if argv is None else argv
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130


def _run(args: list[str]) -> int:
    """Run the typer app without its standalone error handling."""
    # typer vendors click since 0.29; its usage errors derive from this class.
    from typer._click.exceptions import ClickException
    from typer.exceptions import Abort, Exit
    from typer.main import get_command

    from breeze.cli.root import HELP_ARGS, help_only_app
    from breeze.core.errors import (
        BreezeError,
        InvalidInput,
        RunCommand,
        engine_gone,
        engine_gone_message,
    )
    from breeze.ui import console

    try:
        if args in HELP_ARGS:
            # the command list needs only the summaries: no command module is imported
            command, default_map = get_command(help_only_app()), None
        else:
            from breeze.cli.app import app
            from breeze.cli.introspect import apply_settings, command_facts
            from breeze.cli.options import SOURCES, TYPED
            from breeze.io.session import Session
            from breeze.services import configuration

            SOURCES.clear()  # main may run more than once in a process (tests)
            TYPED.clear()
            command = get_command(app)
            # breeze.toml and remembered choices: defaults below flags and BREEZE_* (ADR 0007).
            session = Session()
            settings = configuration.current_settings(command_facts(command), session)
            default_map = apply_settings(command, settings)
        try:
            result = command.main(
                args=args, prog_name="breeze", standalone_mode=False, default_map=default_map
            )
        finally:
            if args not in HELP_ARGS:
                configuration.remember(dict(TYPED), session)  # values that parsed
        if isinstance(result, RunCommand):
            return main(list(result.argv))
    except BreezeError as e:
        console.error(_with_sources(e.message) if isinstance(e, InvalidInput) else e.message)
        return e.exit_code
    except ClickException as e:
        console.error(_usage_message(e))
        return e.exit_code
    except (Exit, SystemExit) as e:
        return _exit_code(e)
    except Abort:
        print("Aborted.", file=sys.stderr)
        return 130
    except Exception as e:
        if not engine_gone(e):
            raise  # a bug: its traceback is wanted
        console.error(engine_gone_message(e))
        return 1
    return result if isinstance(result, int) else 0


def _usage_message(error: Exception) -> str:
    """A click usage error as one line naming where a bad value came from and what to do."""
    from typer._click.exceptions import BadParameter, MissingParameter, NoArgsIsHelpError

    message = " ".join(error.format_message().split())  # type: ignore[attr-defined]
    message = message.replace("Value error, ", "")
    ctx = getattr(error, "ctx", None)
    if isinstance(error, NoArgsIsHelpError) and ctx is not None:
        # the help, printed above, is the whole message: say what is missing
        commands = ", ".join(ctx.command.list_commands(ctx))
        return f"'{ctx.command_path}' needs a command: {commands}"
    param = getattr(error, "param", None)
    bad_value = isinstance(error, BadParameter) and not isinstance(error, MissingParameter)
    if bad_value and ctx is not None and param is not None and param.param_type_name == "option":
        from breeze.cli.options import NUMBER_HINTS, value_source

        name = next((opt for opt in param.opts if opt.startswith("--")), param.opts[0])
        where = value_source(ctx, param)
        source = f" (from {where})" if where else ""
        number = _not_a_number(error)
        if number is not None:
            hint = NUMBER_HINTS.get(name)
            message = f"{name} {number!r}{source} is not a whole number"
            if hint:
                return f"{message}; {hint}"
        else:
            reason = " ".join(str(getattr(error, "message", "")).split())
            message = f"Invalid value for '{name}'{source}: {reason.replace('Value error, ', '')}"
    if ctx is not None:
        message += f" (see '{ctx.command_path} --help')"
    return message


def _not_a_number(error: Exception) -> str | None:
    """The input of an integer option that did not parse (typer checks types with pydantic)."""
    errors = getattr(error.__cause__, "errors", None)
    if errors is None:
        return None
    first = (errors() or [{}])[0]
    if not str(first.get("type", "")).startswith("int_"):
        return None
    return str(first.get("input", ""))


def _with_sources(message: str) -> str:
    """MESSAGE followed by where each option it names got its value, if not the command line."""
    import re

    from breeze.cli.options import SOURCES

    notes = [
        f"{option} comes from {where}"
        for option, where in SOURCES.items()
        if re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", message)
    ]
    return f"{message} ({'; '.join(notes)})" if notes else message


def _exit_code(error: BaseException) -> int:
    """The exit code carried by typer's Exit or SystemExit."""
    code = getattr(error, "exit_code", getattr(error, "code", 0))
    return code if isinstance(code, int) else 1


def entry() -> None:
    """Entry for the console script and `python -m breeze`; TAB completion takes a fast path."""
    if "_BREEZE_COMPLETE" in os.environ:  # before typer is imported: see breeze.completion
        from breeze.completion.runtime import run

        sys.exit(run(sys.argv[1:], os.environ))
    sys.exit(main())
