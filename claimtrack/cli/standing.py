"""Commands on a claim's standing: its verdict (is it true?) and its attribution (did they say it?)."""

from __future__ import annotations

from typing import Annotated, List, Optional

import typer

from claimtrack.cli.common import state, writing
from claimtrack.cli.options import MAX_ID, Attribution, IdArg, Note, Verdict


On = Annotated[
    Optional[str],
    typer.Option("--on", help="When it became true in the world, e.g. the date the refuting document was published (default: today)."),
]
Cites = Annotated[
    Optional[List[int]],
    typer.Option("--evidence", help="Id of the evidence it rests on (repeat for more).", min=1, max=MAX_ID),
]


def verdict(ctx: typer.Context, claim_id: IdArg, value: Annotated[Verdict, typer.Argument(metavar="VERDICT", help="unverified, supported, mixed, misleading, refuted or unprovable.", case_sensitive=False)],
            note: Note = None, on: On = None, evidence: Cites = None) -> None:
    """Record whether a claim is true, as of a date, citing evidence.

    Example: claimtrack verdict 7 supported --on 2023-10-17 --evidence 1 --note "BIS rule of 17 October 2023"
    """
    _change(ctx, claim_id, "verdict", value.value, note, on, evidence)


def attribution(ctx: typer.Context, claim_id: IdArg, value: Annotated[Attribution, typer.Argument(metavar="STATUS", help="reported, confirmed, disputed or misattributed.", case_sensitive=False)],
                note: Note = None, on: On = None, evidence: Cites = None) -> None:
    """Record whether the speaker really said it: reported, confirmed, disputed or misattributed.

    Example: claimtrack attribution 1 confirmed --evidence 2 --note "Seen on his Weibo account"
    """
    _change(ctx, claim_id, "attribution", value.value, note, on, evidence)


def _change(ctx, claim_id: int, field: str, value: str, note, on, evidence) -> None:
    from claimtrack import dates, names
    from claimtrack.render import visible

    settings = state(ctx).dates
    effective = dates.parse(on, None, settings) if on is not None else None
    with writing(ctx) as store:
        claim = store.set_standing(claim_id, field, value, note=names.clean_optional(note), effective=effective,
                                   evidence_ids=tuple(evidence or ()))
        current = getattr(claim, field)
        # A change dated before one that takes effect later is recorded, but does not become the current value.
        ruling = None if current == value else store.entry_in_effect(store.claim(claim_id, full=True), field)
    if current == value:
        typer.echo(f"Claim {claim_id}: {field} {value}.")
        return
    message = f"Recorded, but the current {field} of claim {claim_id} stays {current}"
    if ruling is not None:
        message += (f" (from {ruling.effective.describe()}); to withdraw that entry: "
                    f"claimtrack retract {claim_id} {ruling.entry}")
    typer.echo(visible(message + "."))


EntryArg = Annotated[int, typer.Argument(
    help="The entry's number, as claimtrack show prints it beside the timeline (entry in show --json).",
    min=1, max=MAX_ID, metavar="ENTRY",
)]


def retract(ctx: typer.Context, claim_id: IdArg, entry: EntryArg,
            note: Annotated[Optional[str], typer.Option("--note", help="Why it was a mistake.")] = None,
            as_json: Annotated[bool, typer.Option("--json", help="Print the retracted entry as JSON.")] = False) -> None:
    """Withdraw a verdict, attribution change or piece of evidence entered by mistake: it stays in the history,
    marked retracted with the date and note, and no longer counts for the standing (now or --as-of).

    Example: claimtrack retract 3 5 --note "Typed refuted for the wrong claim"
    """
    from claimtrack import names
    from claimtrack.render import print_json, visible

    with writing(ctx) as store:
        change, claim = store.retract(claim_id, entry, names.clean_optional(note))
    if as_json:
        print_json(change.to_dict())
        return
    if change.field == "evidence":
        added = next((e for e in claim.evidence or () if e.entry == entry), None)
        what = f"evidence #{added.id} ({change.new})" if added else f"evidence ({change.new})"
        after = ""
    else:
        what = f"{change.field} {change.new} from {change.effective.describe()}"
        after = f" Its {change.field} is now {getattr(claim, change.field)}."
    typer.echo(visible(f"Retracted entry {entry} of claim {claim_id}: {what}.{after}"))
