"""The claimtrack command line: global options, the command groups, and the error edge."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from claimtrack import __version__
from claimtrack.cli import claims, evidence, io, speakers, standing
from claimtrack.cli.common import State
from claimtrack.errors import ClaimtrackError


class _Group(TyperGroup):
    """Turns the project's errors into a message on stderr and an exit code, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ClaimtrackError as error:
            typer.echo(f"Error: {error.message}", err=True)
            raise typer.Exit(error.exit_code) from None
        except sqlite3.Error as error:
            typer.echo(f"Error: the database reported a problem: {error}.", err=True)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=_Group,
    help="Record attributed quotes and claims, list them by speaker, and find them again.",
    no_args_is_help=True,
    add_completion=False,
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


claims.register(app)
standing.register(app)
io.register(app)
app.add_typer(speakers.app, name="speakers")
app.add_typer(evidence.app, name="evidence")
app.add_typer(evidence.appearance_app, name="appearance")


def main() -> None:
    """The console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted.\n")
        sys.exit(130)
