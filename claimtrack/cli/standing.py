"""Commands on a claim's standing: its verdict (is it true?) and its attribution (did they say it?)."""

from __future__ import annotations

from typing import Annotated, List, Optional

import typer

from claimtrack.cli.common import state, warn, writing
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

    settings = state(ctx).dates
    effective = dates.parse(on, None, settings) if on is not None else None
    with writing(ctx) as store:
        claim = store.set_standing(claim_id, field, value, note=names.clean_optional(note), effective=effective,
                                   evidence_ids=tuple(evidence or ()))
    if effective is not None and claim.said is not None and effective.end < claim.said.start:
        warn(f"--on {effective.describe()} is before the claim was said ({claim.said.describe()}).")
    typer.echo(f"Claim {claim_id}: {field} {value}.")
