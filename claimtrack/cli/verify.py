"""`claimtrack verify`: each quote checked against its source's text, and the result kept in its history."""

from __future__ import annotations

import sys
from typing import Annotated, List, Optional

import typer

from claimtrack import render
from claimtrack.cli.common import claim_filter, interactive, reading, writing
from claimtrack.cli.options import (
    AttributionFilter, KindFilter, OutletFilter, Since, SpeakerFilter, TagFilter, Until, VerdictFilter,
    VerificationFilter,
)
from claimtrack.errors import ClaimtrackError

# How each result reads in a sentence ("verbatim in tech360.tv as fetched on 28 November 2026").
WORDS = {"verbatim": "verbatim", "form": "verbatim but for form", "marked-edits": "verbatim with marked edits",
         "altered": "altered", "not-found": "not found", "unavailable": "source unavailable",
         "other-language": "in another language than"}
DOUBTFUL = ("altered", "not-found")


def verify(
    ctx: typer.Context,
    claim_ids: Annotated[Optional[List[int]], typer.Argument(help="The claims to verify.", show_default=False, metavar="[CLAIM_ID]...")] = None,
    every: Annotated[bool, typer.Option("--all", help="Every quote the filters select (all quotes without filters).")] = False,
    speaker: SpeakerFilter = None, tag: TagFilter = None, outlet: OutletFilter = None, since: Since = None,
    until: Until = None, verdict: VerdictFilter = None, attribution: AttributionFilter = None,
    verification: VerificationFilter = None, kind: KindFilter = None,
    against: Annotated[Optional[str], typer.Option("--against", help="Compare with this file or page (a transcript, captions, the interview) instead of the claim's source.", show_default=False, metavar="FILE|URL")] = None,
    appearances: Annotated[bool, typer.Option("--appearances", help="Compare the quote as every appearance printed it with the earliest.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per claim.")] = False,
) -> None:
    """Check each quote against its source's text (its latest snapshot, fetched first if there is none):
    verbatim, verbatim but for form, verbatim with marked edits, altered, not found, source unavailable, or
    in another language. Each result is kept in the claim's history.

    Example: claimtrack verify 3
    """
    filters = (speaker, tag, outlet, since, until, verdict, attribution, verification, kind)
    if claim_ids and (every or any(f is not None for f in filters)):
        raise ClaimtrackError("Give claim ids, or --all with filters, not both.", exit_code=2)
    if not claim_ids and not every and all(f is None for f in filters):
        raise ClaimtrackError("Give the claims to verify: their ids, or --all (with filters such as --speaker).",
                              exit_code=2)
    if appearances and against:
        raise ClaimtrackError("--appearances compares the claim's own pages with each other; --against compares "
                              "with another text. Give one of them.", exit_code=2)
    with reading(ctx) as store:
        if claim_ids:
            targets = list(dict.fromkeys(claim_ids))
            for claim_id in targets:
                store.verification_target(claim_id)  # an unknown id is refused before anything is checked
        else:
            where, _ = claim_filter(ctx, store, speaker, tag, outlet, kind, since, until, verdict, attribution,
                                    None, None, verification)
            targets = store.verification_ids(where)
    reference = _against(ctx, against) if against else None
    from claimtrack.cli.verify_run import run

    outcomes, skipped = run(ctx, targets, reference=reference, drift=appearances, as_json=as_json,
                            single=bool(claim_ids) and len(targets) == 1)
    if as_json:
        render.print_json(outcomes)
    doubtful = [o for o in outcomes if o["result"] in DOUBTFUL and not appearances]
    if doubtful:
        _offer_disputed(ctx, doubtful)
    if skipped and (claim_ids or not outcomes):
        raise ClaimtrackError(f"{len(skipped)} claim(s) were not verified (the reasons are above); nothing was "
                              "recorded for them.")


def _against(ctx: typer.Context, item: str) -> dict:
    """The text of the file or page given with --against, and how to name and hash it."""
    from claimtrack.extract import inputs
    from claimtrack.sources import warc
    from claimtrack.store.base import now

    with reading(ctx) as store:
        found = inputs.from_url(store, item) if inputs.is_url(item) else inputs.from_file(item)
    text = inputs.read(found).text
    if not text.strip():
        raise ClaimtrackError(f"{item} has no text to compare with.")
    return {"text": text, "label": item, "sha256": warc.sha256(found.data), "at": now()}


def _offer_disputed(ctx: typer.Context, doubtful: list[dict]) -> None:
    """At a terminal, offer to set the attribution of each altered or not-found quote to disputed; in a pipe,
    say how (for many, once)."""
    at_terminal = interactive() and sys.stdout.isatty()
    if not at_terminal and len(doubtful) > 3:
        typer.echo(f"Suggestion: {len(doubtful)} quotes are altered or not found in their sources (claimtrack list "
                   "--verification altered, --verification not-found); to say so of one: claimtrack attribution ID "
                   "disputed --note \"...\"", err=True)
        return
    for outcome in doubtful:
        claim_id = outcome["claim_id"]
        note = f"verify {outcome['checked_at'][:10]}: {outcome['note']}"
        if at_terminal:
            if typer.confirm(f"Claim {claim_id} is {WORDS[outcome['result']]} in its source. Set its attribution to "
                             "disputed, citing this verification?", default=False, err=True):
                with writing(ctx) as store:
                    store.set_standing(claim_id, "attribution", "disputed", note=note)
                typer.echo(f"Attribution of claim {claim_id} set to disputed.", err=True)
        else:
            typer.echo(f"Suggestion: claim {claim_id} is {WORDS[outcome['result']]} in its source; to say so: "
                       f"claimtrack attribution {claim_id} disputed --note {_quoted(note)}", err=True)


def _quoted(text: str) -> str:
    import shlex

    return shlex.quote(text)
