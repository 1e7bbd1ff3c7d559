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
    from breeze.errors import BreezeError, engine_gone, engine_gone_message
    from breeze.ui import console

    try:
        if args in HELP_ARGS:
            # the command list needs only the summaries: no command module is imported
            command, default_map = get_command(help_only_app()), None
        else:
            from breeze.cli.app import app
            from breeze.cli.setup import configure

            command = get_command(app)
            # breeze.toml and remembered choices: defaults below flags and BREEZE_* (ADR 0007).
            default_map = configure(command)
        result = command.main(
            args=args, prog_name="breeze", standalone_mode=False, default_map=default_map
        )
    except BreezeError as e:
        console.error(e.message)
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
    """A click usage error as one line, pointing at the command's --help."""
    message = " ".join(error.format_message().split())  # type: ignore[attr-defined]
    message = message.replace("Value error, ", "")
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        message += f" (see '{ctx.command_path} --help')"
    return message


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
