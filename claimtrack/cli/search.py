"""The search command: full-text search over claims, with the filters of list."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from claimtrack import render
from claimtrack.cli.common import claim_filter, reading
from claimtrack.cli.options import (
    AsOf, AttributionFilter, HasEvidence, Json, KindFilter, Limit, OutletFilter, Since, SpeakerFilter, TagFilter,
    Until, VerdictFilter,
)


class Within(str, Enum):
    """What a search reads: the claims, the evidence, or both."""

    claims = "claims"
    evidence = "evidence"
    all = "all"


def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help='Words to find; FTS5 syntax ("exact phrase", OR, NOT, prefix*) works too.')],
    speaker: SpeakerFilter = None,
    tag: TagFilter = None,
    outlet: OutletFilter = None,
    kind: KindFilter = None,
    since: Since = None,
    until: Until = None,
    verdict: VerdictFilter = None,
    attribution: AttributionFilter = None,
    has_evidence: HasEvidence = None,
    as_of: AsOf = None,
    limit: Limit = None,
    as_json: Json = False,
    within: Annotated[Within, typer.Option(
        "--in", case_sensitive=False,
        help="claims: their text, context and speaker names; evidence: the quoted passages, notes and source "
             "titles of evidence, showing the claims it bears on; all: both.")] = Within.claims,
) -> None:
    """Full-text search over claim text, context and speaker names, best match first.

    When more than 1,000 claims match, the 1,000 recorded last are ranked (BM25) and any older ones follow,
    newest first. The filters are those of list. With --in evidence, the claims whose evidence matches, each
    with the evidence that did.

    Example: claimtrack search "cold water" --speaker zhou --since 2023
    """
    with reading(ctx) as store:
        where, _ = claim_filter(ctx, store, speaker, tag, outlet, kind, since, until, verdict, attribution,
                                has_evidence, as_of)
        found = store.search(query, where, limit, within.value)
        close = store.suggestions(query) if not found.hits else None
    render.print_hits(found.hits, as_json=as_json, evidence=within is not Within.claims)
    if close is not None:
        _nothing_found(query, close, filtered=where != type(where)())
    if not found.complete:
        from claimtrack.store.search import RANKED

        typer.echo(f"More than {RANKED:,} claims match: the {RANKED:,} recorded last are ranked, best first, and "
                   "any older ones follow. More words or a filter narrow the search.", err=True)


def _nothing_found(query: str, close: tuple[list[str], list[str]], filtered: bool) -> None:
    """Say on stderr that nothing matched, with the closest words and speaker names the database knows."""
    words, speakers = close
    message = f"No claims match {query!r}" + (" with these filters." if filtered else ".")
    if words:
        message += f" Close words in the claims: {', '.join(words)}."
    if speakers:
        message += f" Speakers with close names: {'; '.join(speakers)}."
    if not words and not speakers:
        message += " Try fewer or shorter words, or a prefix (wat*)."
    typer.echo(render.visible(message), err=True)
