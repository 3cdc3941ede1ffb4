"""Commands on claims: add, list, show, search, edit, delete."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, List, Optional

import typer

from claimtrack import dates, render
from claimtrack.cli.common import interactive, reading, require_text, state, warn_if_future, writing
from claimtrack.errors import ClaimtrackError
from claimtrack.model import ClaimFilter

MAX_ID = 2**63 - 1


class Kind(str, Enum):
    quote = "quote"
    claim = "claim"


IdArg = Annotated[int, typer.Argument(help="The claim's id (see claimtrack list).", min=1, max=MAX_ID, metavar="ID")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
Limit = Annotated[Optional[int], typer.Option("--limit", "-n", help="Show at most N claims.", min=1, max=MAX_ID)]
Role = Annotated[Optional[str], typer.Option("--role", help="The speaker's role when they said it.")]
Said = Annotated[
    Optional[str],
    typer.Option("--said", help='When it was said: "19 February 2024", "December 2023", "mid-2023", "Monday".'),
]
SourceUrl = Annotated[Optional[str], typer.Option("--source", help="URL of the page it appeared in.")]
Outlet = Annotated[Optional[str], typer.Option("--outlet", help="The outlet that published it.")]
Title = Annotated[Optional[str], typer.Option("--title", help="Title of the article or page.")]
Published = Annotated[
    Optional[str], typer.Option("--published", help="When the source was published; relative --said dates count from it.")
]
Tags = Annotated[Optional[List[str]], typer.Option("--tag", help="A tag (repeat for more).")]
Context = Annotated[Optional[str], typer.Option("--context", help="What it was said about, or in answer to.")]
Note = Annotated[Optional[str], typer.Option("--note", help="Your own note.")]


def add(
    ctx: typer.Context,
    text: Annotated[Optional[str], typer.Argument(help="The quote in the speaker's words, or the claim.", show_default=False)] = None,
    speaker: Annotated[Optional[str], typer.Option("--speaker", "-s", help="Who said it (a name, or a role if that is all you know).")] = None,
    role: Role = None,
    kind: Annotated[Kind, typer.Option("--kind", help="quote (their exact words) or claim (a statement).")] = Kind.quote,
    said: Said = None,
    source: SourceUrl = None,
    outlet: Outlet = None,
    title: Title = None,
    published: Published = None,
    tag: Tags = None,
    context: Context = None,
    note: Note = None,
    as_json: Json = False,
) -> None:
    """Record a quote or claim.

    Example: claimtrack add "a barrel of cold water poured down China's head" --speaker "Zhou Hongyi"
    --role "founder of 360 Security Technology" --said "February 2024" --tag sora
    """
    from claimtrack.drafts import new_claim

    text = require_text(text, "Quote or claim", "TEXT (the quote or claim)")
    speaker = require_text(speaker, "Speaker", "--speaker")
    settings = state(ctx).dates
    draft = new_claim(
        text, speaker, settings=settings, kind=kind.value, role=role, said=said, url=source, outlet=outlet,
        title=title, published=published, tags=tag, context=context, note=note,
    )
    warn_if_future(draft.said, settings.current_day())
    with writing(ctx) as store:
        claim_id = store.add_claim(draft)
        claim = store.claim(claim_id)
    if as_json:
        render.print_json(claim.to_dict())
    else:
        typer.echo(claim_id)


def list_claims(
    ctx: typer.Context,
    speaker: Annotated[Optional[str], typer.Option("--speaker", "-s", help="Only this speaker (name, alias or word prefix).")] = None,
    tag: Annotated[Optional[str], typer.Option("--tag", help="Only claims with this tag.")] = None,
    outlet: Annotated[Optional[str], typer.Option("--outlet", help="Only claims from this outlet.")] = None,
    kind: Annotated[Optional[Kind], typer.Option("--kind", help="Only quotes or only claims.")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help='Said in or after this period: "December 2023", "2023".')] = None,
    until: Annotated[Optional[str], typer.Option("--until", help='Said in or before this period.')] = None,
    limit: Limit = None,
    as_json: Json = False,
) -> None:
    """List claims, newest said first (undated last).

    Example: claimtrack list --speaker "zhou" --since "December 2023" --limit 20
    """
    settings = state(ctx).dates
    where = ClaimFilter(
        tag=tag,
        outlet=outlet,
        kind=kind.value if kind else None,
        since=dates.since_bound(since, settings).isoformat() if since else None,
        until=dates.until_bound(until, settings).isoformat() if until else None,
    )
    with reading(ctx) as store:
        if speaker is not None:
            where = ClaimFilter(**{**where.__dict__, "speaker_id": store.resolve_speaker(speaker)})
        claims = store.claims(where, limit)
    render.print_claims(claims, as_json=as_json)


def show(ctx: typer.Context, claim_id: IdArg, as_json: Json = False) -> None:
    """Show everything about one claim.

    Example: claimtrack show 3
    """
    with reading(ctx) as store:
        claim = store.claim(claim_id)
    render.print_claim(claim, as_json=as_json)


def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help='Words to find; FTS5 syntax ("exact phrase", OR, NOT, prefix*) works too.')],
    limit: Limit = None,
    as_json: Json = False,
) -> None:
    """Full-text search over claim text, context and speaker names, best match first.

    Example: claimtrack search "cold water"
    """
    with reading(ctx) as store:
        hits = store.search(query, limit)
    render.print_hits(hits, as_json=as_json)


def edit(
    ctx: typer.Context,
    claim_id: IdArg,
    text: Annotated[Optional[str], typer.Option("--text", help="New text.")] = None,
    speaker: Annotated[Optional[str], typer.Option("--speaker", "-s", help="Another speaker.")] = None,
    role: Role = None,
    kind: Annotated[Optional[Kind], typer.Option("--kind", help="quote or claim.")] = None,
    said: Said = None,
    source: SourceUrl = None,
    outlet: Outlet = None,
    title: Title = None,
    published: Published = None,
    tag: Annotated[Optional[List[str]], typer.Option("--tag", help="Add a tag (repeat for more).")] = None,
    untag: Annotated[Optional[List[str]], typer.Option("--untag", help="Remove a tag (repeat for more).")] = None,
    context: Context = None,
    note: Note = None,
    as_json: Json = False,
) -> None:
    """Change a claim. An empty value clears an optional field (--said "").

    Example: claimtrack edit 3 --said "early December 2023" --tag nvidia --untag misc
    """
    from claimtrack.drafts import claim_patch

    settings = state(ctx).dates
    with writing(ctx) as store:
        current = store.claim(claim_id)
        patch = claim_patch(
            settings=settings, current_published=current.published, text=text, speaker=speaker,
            kind=kind.value if kind else None, role=role, said=said, url=source, outlet=outlet, title=title,
            published=published, context=context, note=note, add_tags=tag, remove_tags=untag,
        )
        if said:
            warn_if_future(patch.said, settings.current_day())
        store.edit_claim(claim_id, patch)
        claim = store.claim(claim_id)
    if as_json:
        render.print_json(claim.to_dict())
    else:
        typer.echo(f"Updated claim {claim_id}.")


def delete(
    ctx: typer.Context,
    claim_id: IdArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a claim (asks first in a terminal).

    Example: claimtrack delete 3 --yes
    """
    with writing(ctx) as store:
        claim = store.claim(claim_id)
        if not yes:
            if not interactive():
                raise ClaimtrackError(f"Deleting claim {claim_id} needs confirmation: add --yes.")
            preview = claim.text if len(claim.text) < 60 else claim.text[:57] + "..."
            if not typer.confirm(f"Delete claim {claim_id} ({claim.speaker}: {preview})?"):
                raise ClaimtrackError("Nothing deleted.")
        store.delete_claim(claim_id)
    typer.echo(f"Deleted claim {claim_id}.")


def register(app: typer.Typer) -> None:
    """Add these commands to the top-level app."""
    app.command("add")(add)
    app.command("list")(list_claims)
    app.command("show")(show)
    app.command("search")(search)
    app.command("edit")(edit)
    app.command("delete")(delete)
