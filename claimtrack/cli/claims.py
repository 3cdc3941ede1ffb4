"""Commands on claims: add, list, show (edit is in claimtrack.cli.editing, search in claimtrack.cli.search)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from claimtrack import render
from claimtrack.cli.common import (
    claim_filter, interactive, reading, require_text, state, warn, warn_if_future, writing,
)
from claimtrack.cli.options import (
    MAX_ID, ArchivedUrl, AsOf, AttributionFilter, Context, FetchPage, HasEvidence, IdArg, Json, Kind, KindFilter, Limit,
    OutletFilter, Since, SpeakerFilter, TagFilter, Until, VerdictFilter, VerificationFilter, Note, Outlet, Published, Role, Said, SourceUrl, Tags, Title,
    complete_speaker,
)
from claimtrack.errors import ClaimtrackError
from claimtrack.model import SourceDraft

def add(
    ctx: typer.Context,
    text: Annotated[Optional[str], typer.Argument(help="The quote in the speaker's words, or the claim.", show_default=False)] = None,
    speaker: Annotated[Optional[str], typer.Option("--speaker", "-s", help="Who said it (a name, or a role if that is all you know).", autocompletion=complete_speaker)] = None,
    role: Role = None,
    kind: Annotated[Kind, typer.Option("--kind", help="quote (their exact words) or claim (a statement).", case_sensitive=False)] = Kind.quote,
    said: Said = None,
    source: SourceUrl = None,
    outlet: Outlet = None,
    title: Title = None,
    published: Published = None,
    tag: Tags = None,
    context: Context = None,
    note: Note = None,
    appearance_of: Annotated[
        Optional[int],
        typer.Option("--appearance-of", help="Record the --source as another appearance of this claim id instead.",
                     min=1, max=MAX_ID, metavar="ID"),
    ] = None,
    fetch: FetchPage = False,
    archived_url: ArchivedUrl = None,
    as_json: Json = False,
) -> None:
    """Record a quote or claim.

    At a terminal, claimtrack add alone asks for the quote (paste it whole, on as many lines as it has; an
    empty line ends it), then the speaker (an answer such as zhou finds Zhou Hongyi, as --speaker filters
    do), role, said date and source. A speaker no one is called but close to a known one (a typo, the
    start of the name) is asked about at a terminal; in a pipe it is added, with a warning naming the
    closest.

    Example: claimtrack add "a barrel of cold water poured down China's head" --speaker "Zhou Hongyi"
    --role "founder of 360 Security Technology" --said "February 2024" --tag sora
    """
    from claimtrack.drafts import new_claim, new_source, said_reader

    settings = state(ctx).dates
    if appearance_of is not None:
        appearance = new_source(source, outlet, title, published, settings, archived_url=archived_url)
        if appearance == SourceDraft():
            raise ClaimtrackError("--appearance-of needs the new source: give --source URL (and --outlet, --published).")
        with writing(ctx) as store:
            store.add_appearance(appearance_of, appearance)
        if fetch and appearance.url:
            from claimtrack.cli.sources import fetch_after

            fetch_after(ctx, appearance.url)
        typer.echo(appearance_of)
        return
    from claimtrack.cli import asking

    at_terminal = interactive()
    # `add` alone at a terminal is a form: the quote (pasted whole), the speaker, role, said date and source.
    form = at_terminal and _nothing_given(ctx)
    if text is None and at_terminal:
        text = asking.ask_text("Quote or claim")
    text = require_text(text, "Quote or claim", "TEXT (the quote or claim)")
    speaker_asked = speaker is None and at_terminal
    if speaker_asked:
        with asking.known_speakers(ctx) as known:
            speaker = asking.ask_speaker(known)
    speaker = require_text(speaker, "Speaker", "--speaker")
    if form:
        role, said, source = asking.ask_details(settings)
    draft = new_claim(
        text, speaker, settings=settings, kind=kind.value, role=role, said=said, url=source, outlet=outlet,
        title=title, published=published, tags=tag, context=context, note=note, archived_url=archived_url,
    )
    # A relative --said counts from the page's publication date; without --published, the one the database
    # knows for the page, read inside the write.
    said_from = said_reader(said, settings) if draft.source.url and draft.source.published is None else None
    closest = None
    with writing(ctx) as store:
        if not speaker_asked:
            checked, closest = asking.checked_speaker(store, draft.speaker, asking=at_terminal)
            draft = draft._replace(speaker=checked)
        duplicate = store.find_duplicate(draft)
        if duplicate is not None:
            question = (f"Claim {duplicate} has these words by this speaker already. "
                        f"Record this source as another appearance of claim {duplicate} instead?")
            if draft.source != SourceDraft() and interactive() and typer.confirm(question, default=True):
                store.add_appearance(duplicate, draft.source)
                typer.echo(duplicate)
                return
            warn(f"claim {duplicate} has the same text by the same speaker; added a new claim anyway. "
                 f"To record another appearance of it instead, use --appearance-of {duplicate}.")
        claim_id = store.add_claim(draft, said_from=said_from)
        claim = store.claim(claim_id)
    if closest is not None:
        asking.warn_new_speaker(draft.speaker, closest)
    warn_if_future(claim.said, settings.current_day())
    if fetch and not draft.source.url:
        warn("--fetch has no page to fetch: the claim has no --source URL.")
    elif fetch:
        from claimtrack.cli.sources import fetch_after

        # The claim is recorded whatever becomes of the fetch; --json then shows what the page filled in.
        fetch_after(ctx, draft.source.url)
        with reading(ctx) as store:
            claim = store.claim(claim_id)
    if as_json:
        render.print_json(claim.to_dict())
    else:
        typer.echo(claim_id)


def _nothing_given(ctx: typer.Context) -> bool:
    """True when the command line gave no argument or option (--json aside)."""
    # (By name: the enum is typer's own copy of click's, which click.core.ParameterSource is not.)
    sources = {name: ctx.get_parameter_source(name) for name in ctx.params}
    given = {name for name, source in sources.items() if source is not None and source.name != "DEFAULT"}
    return not given - {"as_json"}


def list_claims(
    ctx: typer.Context,
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
    verification: VerificationFilter = None,
    changed_by: Annotated[Optional[str], typer.Option(
        "--changed-by", metavar="NAME", help="Only claims NAME changed (a history entry by that author).")] = None,
    changed_since: Annotated[Optional[str], typer.Option(
        "--changed-since", metavar="DATE", help="Only claims changed on or after DATE (any history entry).")] = None,
    limit: Limit = None,
    as_json: Json = False,
    header: Annotated[
        bool, typer.Option("--header", help="In a pipe, print a first line naming the fields (a table has one always).")
    ] = False,
) -> None:
    """List claims, newest said first (undated last).

    In a terminal, a table; in a pipe, one line a claim with these fields separated by tabs: id, said,
    speaker, kind, text, outlet, tags (joined by commas), verdict, attribution.

    Example: claimtrack list --speaker "zhou" --since "December 2023" --verdict refuted --as-of 2024-06-01
    """
    with reading(ctx) as store:
        where, _ = claim_filter(ctx, store, speaker, tag, outlet, kind, since, until, verdict, attribution,
                                has_evidence, as_of, verification, changed_by, changed_since)
        claims = store.claims(where, limit)
    render.print_claims(claims, as_json=as_json, header=header)


def show(ctx: typer.Context, claim_id: IdArg, as_json: Json = False) -> None:
    """Show everything about one claim, with a timeline of its evidence, verdicts and attribution.

    Example: claimtrack show 3
    """
    with reading(ctx) as store:
        claim = store.claim(claim_id, full=True)
    render.print_claim(claim, as_json=as_json)
