"""undo and redo: revert the most recent change to the database, whatever command made it, and take that back."""

from __future__ import annotations

from typing import Annotated

import typer

from claimtrack import render
from claimtrack.cli.common import confirm_or_refuse, reading, writing
from claimtrack.cli.options import Json
from claimtrack.relative_time import ago

Yes = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask first (needed outside a terminal).")]


def undo(
    ctx: typer.Context,
    yes: Yes = False,
    show_list: Annotated[bool, typer.Option("--list", help="List the recent changes undo can revert, "
                                                             "most recent first, and change nothing.")] = False,
    as_json: Json = False,
) -> None:
    """Revert the most recent change (add, edit, delete, verdict, evidence, import, ...); again to go further back.

    It says what it will revert and asks first in a terminal. `claimtrack redo` re-applies what undo
    reverted, until another change is made. claimtrack keeps what undo needs for the last 200 changes;
    emptying the trash is a change that cannot be undone, nor anything before it.

    Example: claimtrack undo --list; claimtrack undo
    """
    if show_list:
        with reading(ctx) as store:
            revisions = store.revisions()
        if as_json:
            render.print_json([r.to_dict() for r in revisions])
            return
        if not revisions:
            typer.echo("Nothing to undo.")
            return
        for n, revision in enumerate(revisions, 1):
            typer.echo(f"{n:>3}  {ago(revision.at):<16}  {revision.command:<12}  {render.visible(revision.summary)}")
        return
    with writing(ctx) as store:
        target = store.undo_target()
        confirm_or_refuse(yes, f"Undo: {target.summary}, {ago(target.at)}?")
        done = store.undo(expected=target.id)
    if as_json:
        render.print_json(done.to_dict())
    else:
        typer.echo(render.visible(f"Undone: {done.summary}. (claimtrack redo takes this back.)"))


def redo(ctx: typer.Context, yes: Yes = False, as_json: Json = False) -> None:
    """Re-apply the change the last undo reverted (nothing to redo once another change is made).

    Example: claimtrack redo
    """
    with writing(ctx) as store:
        undo_entry = store.redo_target()
        target = store.revision(undo_entry.reverts)
        confirm_or_refuse(yes, f"Redo: {target.summary} (undone {ago(undo_entry.at)})?")
        done = store.redo(expected=target.id)
    if as_json:
        render.print_json(done.to_dict())
    else:
        typer.echo(render.visible(f"Redone: {done.summary}."))
