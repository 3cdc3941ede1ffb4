"""delete, the trash, and restore: a deleted claim stays in the trash, with everything it had, until emptied."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from claimtrack import render
from claimtrack.cli.common import confirm_or_refuse, reading, writing
from claimtrack.cli.options import IdArg, Json
from claimtrack.relative_time import ago


def delete(
    ctx: typer.Context,
    claim_id: IdArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Move a claim, with its evidence, appearances and history, to the trash (asks first in a terminal).

    Deleted claims appear in no list, search, report or export. Bring one back with
    `claimtrack restore ID` (or `claimtrack undo` right after); see them with `claimtrack trash`;
    `claimtrack trash empty` deletes them for good.

    Example: claimtrack delete 3 --yes
    """
    with writing(ctx) as store:
        if yes:
            store.delete_claim(claim_id)
        else:
            # Asking takes the user's time, so it happens outside the write; the delete then refuses if the
            # claim changed meanwhile.
            claim = store.claim(claim_id)
            preview = claim.text if len(claim.text) < 60 else claim.text[:57] + "..."
            confirm_or_refuse(yes, f"Delete claim {claim_id} ({claim.speaker}: {preview})?")
            store.delete_claim(claim_id, unchanged_from=claim)
    typer.echo(f"Deleted claim {claim_id} (moved to the trash: claimtrack restore {claim_id} brings it back).")


app = typer.Typer(rich_markup_mode=None, add_completion=False, invoke_without_command=True, no_args_is_help=False)


@app.callback()
def trash(ctx: typer.Context, as_json: Json = False) -> None:
    """List deleted claims, most recently deleted first; `trash empty` deletes them for good.

    Example: claimtrack trash; claimtrack restore 3; claimtrack trash empty --older-than 30
    """
    if ctx.invoked_subcommand is not None:
        return
    with reading(ctx) as store:
        items = store.trash()
    if as_json:
        render.print_json([item.to_dict() for item in items])
        return
    if not items:
        typer.echo("The trash is empty.")
        return
    for item in items:
        text = item.text if len(item.text) <= 70 else item.text[:67] + "..."
        typer.echo(render.visible(f"{item.id:>6}  deleted {ago(item.deleted_at):<14}  {item.speaker}: {text}"))
    typer.echo("Restore one with claimtrack restore ID.", err=True)


@app.command("empty")
def empty(
    ctx: typer.Context,
    older_than: Annotated[Optional[int], typer.Option(
        "--older-than", metavar="DAYS", min=0, help="Only claims deleted more than DAYS days ago.")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete the claims in the trash for good (asks first in a terminal). This cannot be undone.

    Example: claimtrack trash empty --older-than 30 --yes
    """
    with writing(ctx) as store:
        count = store.trash_count(older_than)
        if count == 0:
            typer.echo("Nothing to empty: the trash holds no such claim.")
            return
        noun = "claim" if count == 1 else "claims"
        confirm_or_refuse(yes, f"Delete {count} {noun} in the trash for good? This cannot be undone, "
                               "and no change before it can be undone either.")
        removed = store.empty_trash(older_than)
    typer.echo(f"Deleted {removed} {'claim' if removed == 1 else 'claims'} for good.")


def restore(ctx: typer.Context, claim_id: IdArg, as_json: Json = False) -> None:
    """Put a deleted claim back from the trash, under its old id, with everything it had.

    Example: claimtrack restore 3
    """
    with writing(ctx) as store:
        store.restore(claim_id)
        claim = store.claim(claim_id)
    if as_json:
        render.print_json(claim.to_dict())
    else:
        typer.echo(f"Restored claim {claim_id}.")
