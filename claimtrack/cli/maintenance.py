"""Commands that look after the database file: check, repair, backup."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from claimtrack.cli.common import reading, writing
from claimtrack.errors import ClaimtrackError


def check(
    ctx: typer.Context,
    repair: Annotated[bool, typer.Option("--repair", help="Rebuild the search index and remove uncited sources.")] = False,
) -> None:
    """Verify the database: integrity, foreign keys, and the search index in step with its tables.

    Sources no claim cites and speakers with no claims are listed as notices: they do not fail the check.

    Example: claimtrack check --repair
    """
    opener = writing if repair else reading
    with opener(ctx) as store:
        if repair:
            for line in store.repair():
                typer.echo(f"Repaired: {line}.")
        report = store.check()
    from claimtrack.render import visible

    for notice in report.notices:
        # A notice may name speakers: their names are shown, never executed by the terminal.
        typer.echo(f"Notice: {visible(notice)}")
    for problem in report.problems:
        typer.echo(f"Problem: {problem}", err=True)
    if report.problems:
        raise ClaimtrackError(f"{len(report.problems)} problem(s) found; see above.")
    typer.echo("OK: integrity, foreign keys and the search index are all in order.")


def backup(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Where to write the copy.", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a consistent copy of the database (owner-only), even while others keep writing.

    Example: claimtrack backup ~/backups/claims-2024-02-21.db
    """
    with reading(ctx) as store:
        store.backup(path, force=force)
    typer.echo(f"Backed up to {path}.")
