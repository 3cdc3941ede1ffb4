"""Commands that look after the database file: check, repair, backup."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from claimtrack.cli.common import reading, state, writing
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
        snapshots = store.snapshot_count()
        if snapshots:
            from claimtrack.sources.capture import verify_all

            report.problems.extend(verify_all(store))
    from claimtrack.render import visible

    for notice in report.notices:
        # A notice may name speakers: their names are shown, never executed by the terminal.
        typer.echo(f"Notice: {visible(notice)}")
    for problem in report.problems:
        typer.echo(f"Problem: {problem}", err=True)
    if report.problems:
        raise ClaimtrackError(f"{len(report.problems)} problem(s) found; see above.")
    kept = f"; the {snapshots} snapshot(s) of pages match their SHA-256" if snapshots else ""
    typer.echo(f"OK: integrity, foreign keys and the search index are all in order{kept}.")


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
        # The snapshots' WARC files live beside the database, not in it: the copy gets its own folder.
        snapshots = store.snapshot_count()
    if snapshots:
        from claimtrack.sources.warc import copy_folder, folder_for

        copied = copy_folder(state(ctx).db, path)
        typer.echo(f"Backed up to {path}, and the snapshots of pages to {folder_for(path)} ({copied} new file(s)).")
        return
    typer.echo(f"Backed up to {path}.")
