"""The claimtrack command line: global options, the commands, and the error edge.

Commands are loaded when they are called: `claimtrack list` imports and builds `list` alone,
so start-up does not grow with the number of commands.
"""

from __future__ import annotations

import importlib
import sqlite3
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup
# The click that typer carries (typer.core uses it too): its usage errors are the ones raised here.
from typer.core import _click

UsageError = _click.exceptions.UsageError

from claimtrack import __version__
from claimtrack.cli.common import State
from claimtrack.errors import ClaimtrackError

# Every command: its name, and where its function (or its group's Typer) lives.
COMMANDS = {
    "add": ("claimtrack.cli.claims", "add"),
    "list": ("claimtrack.cli.claims", "list_claims"),
    "show": ("claimtrack.cli.claims", "show"),
    "search": ("claimtrack.cli.search", "search"),
    "edit": ("claimtrack.cli.editing", "edit"),
    "delete": ("claimtrack.cli.trash", "delete"),
    "trash": ("claimtrack.cli.trash", "app"),
    "restore": ("claimtrack.cli.trash", "restore"),
    "undo": ("claimtrack.cli.changes", "undo"),
    "redo": ("claimtrack.cli.changes", "redo"),
    "speakers": ("claimtrack.cli.speakers", "app"),
    "evidence": ("claimtrack.cli.evidence", "app"),
    "appearance": ("claimtrack.cli.evidence", "appearance_app"),
    "verdict": ("claimtrack.cli.standing", "verdict"),
    "attribution": ("claimtrack.cli.standing", "attribution"),
    "retract": ("claimtrack.cli.standing", "retract"),
    "report": ("claimtrack.cli.io", "report"),
    "export": ("claimtrack.cli.io", "export"),
    "import": ("claimtrack.cli.io", "import_"),
    "check": ("claimtrack.cli.maintenance", "check"),
    "backup": ("claimtrack.cli.maintenance", "backup"),
    "source": ("claimtrack.cli.sources", "app"),
    "extract": ("claimtrack.cli.extract", "extract"),
    "stats": ("claimtrack.cli.stats", "stats"),
    "serve": ("claimtrack.cli.serve", "serve"),
    "verify": ("claimtrack.cli.verify", "verify"),
    "sync": ("claimtrack.cli.sync", "app"),
}


class _Group(TyperGroup):
    """Loads each command on demand, and turns the project's errors into a message and an exit code."""

    def list_commands(self, ctx):
        return list(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        module, attribute = COMMANDS[name]
        target = getattr(importlib.import_module(module), attribute)
        if not isinstance(target, typer.Typer):
            single = typer.Typer(rich_markup_mode=None, add_completion=False)
            single.command(name)(target)
            target = single
        command = typer.main.get_command(target)
        command.name = name
        return command

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except UsageError as error:
            _suggest(error)
            raise

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except UsageError as error:
            _suggest(error)
            raise
        except ClaimtrackError as error:
            from claimtrack.render import visible

            # Messages repeat what the user or a file gave: shown, never executed by the terminal.
            # (Ctrl-C told through a database error is no error of the user's: said as it is said elsewhere.)
            said = error.message if (error.exit_code, error.message) == (130, "Interrupted.") else f"Error: {error.message}"
            typer.echo(visible(said), err=True)
            raise typer.Exit(error.exit_code) from None
        except sqlite3.Error as error:
            from claimtrack.store.base import interrupted_in_sql, storage_error

            told = storage_error(error, state_path(ctx))
            if interrupted_in_sql() or told.exit_code == 130:  # Ctrl-C while SQLite ran claimtrack's function
                typer.echo("Interrupted.", err=True)
                raise typer.Exit(130) from None
            typer.echo(f"Error: {told.message}", err=True)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            # Whatever was being written has been rolled back by now.
            typer.echo("Interrupted.", err=True)
            raise typer.Exit(130) from None
        except BrokenPipeError:
            # The reader went away (claimtrack list | head): stop quietly.
            _silence_stdout()
            raise typer.Exit(0) from None


def _suggest(error: UsageError) -> None:
    """Add the closest command or option to a usage error (a mistyped name), or say how to quote a value."""
    from claimtrack.cli.suggest import improve

    improve(error)


def state_path(ctx) -> Path:
    """The database path, for messages, even when the global options were never parsed."""
    root = ctx.find_root().obj
    return root.db if root is not None else Path("claims.db")


def _silence_stdout() -> None:
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


app = typer.Typer(
    cls=_Group,
    help="Record attributed quotes and claims, list them by speaker, and find them again.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"claimtrack {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[
        Optional[Path],
        typer.Option("--db", help="Database file (default: $CLAIMTRACK_DB, else ./claims.db).", show_default=False),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Record attributed quotes and claims, list them by speaker, and find them again.

    Example: claimtrack add "a barrel of cold water" --speaker "Zhou Hongyi" --said "February 2024"
    """
    ctx.obj = State.from_environment(db)


def _escape_unencodable(error: UnicodeEncodeError) -> tuple[str, int]:
    """Characters the output cannot encode as JSON-style escapes (a pair for those beyond the BMP).

    The same escape is valid inside a JSON string, so JSON written to such an output is still exact JSON.
    """
    escaped = []
    for char in error.object[error.start:error.end]:
        code = ord(char)
        if code > 0xFFFF:
            code -= 0x10000
            escaped.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            escaped.append(f"\\u{code:04x}")
    return "".join(escaped), error.end


def _tolerant_stdout() -> None:
    """An output that cannot show some text (PYTHONIOENCODING=ascii, a latin-1 pipe) gets escapes, not a traceback."""
    import codecs

    codecs.register_error("claimtrack-escape", _escape_unencodable)
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="claimtrack-escape")


def main() -> None:
    """The console-script entry point."""
    _tolerant_stdout()
    try:
        # One name however it is started (python -m claimtrack too): usage lines say claimtrack, and shell
        # completion answers to _CLAIMTRACK_COMPLETE, the variable the installed script sets.
        app(prog_name="claimtrack")
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        sys.exit(130)
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(0)
