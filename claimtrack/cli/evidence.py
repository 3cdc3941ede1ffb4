"""Commands on what later sources say about a claim: evidence, and repeat appearances."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Optional

import typer

from claimtrack import render
from claimtrack.cli.common import confirm_or_refuse, reading, state, writing
from claimtrack.cli.options import MAX_ID, ArchivedUrl, FetchPage, IdArg, Json, Outlet, PagePublished, Title
from claimtrack.errors import ClaimtrackError

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, add_completion=False)
appearance_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, add_completion=False)


class Stance(str, Enum):
    supports = "supports"
    refutes = "refutes"
    context = "context"
    correction = "correction"


EvidenceId = Annotated[
    int, typer.Argument(help="The evidence id (see claimtrack evidence list).", min=1, max=MAX_ID, metavar="EVIDENCE_ID")
]
Url = Annotated[str, typer.Option("--url", help="Address of the page (http or https).", show_default=False)]


@app.callback()
def evidence() -> None:
    """Link claims to the later sources that support, refute, put in context or correct them.

    Example: claimtrack evidence add 7 --url https://example.com/rules --stance supports
    """


@app.command("add")
def add(
    ctx: typer.Context,
    claim_id: IdArg,
    url: Url,
    stance: Annotated[Stance, typer.Option("--stance", help="What the source does to the claim.", show_default=False, case_sensitive=False)],
    title: Title = None,
    outlet: Outlet = None,
    published: PagePublished = None,
    quote: Annotated[Optional[str], typer.Option("--quote", help="The passage that bears on the claim.")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="Your own note.")] = None,
    fetch: FetchPage = False,
    archived_url: ArchivedUrl = None,
    as_json: Json = False,
) -> None:
    """Add evidence for or against a claim; prints the new evidence id.

    Example: claimtrack evidence add 7 --url https://example.com/bis-rule --stance supports --published 2023-10-17
    """
    from claimtrack import names
    from claimtrack.drafts import new_source

    source = new_source(url, outlet, title, published, state(ctx).dates, url_required=True,
                        archived_url=archived_url)
    with writing(ctx) as store:
        evidence_id = store.add_evidence(
            claim_id, source, stance.value, quote=names.clean_optional(quote), note=names.clean_optional(note)
        )
        item = store.evidence_item(evidence_id)
    if fetch:
        from claimtrack.cli.sources import fetch_after

        # The evidence is recorded whatever becomes of the fetch; --json then shows what the page filled in.
        fetch_after(ctx, source.url)
        with reading(ctx) as store:
            item = store.evidence_item(evidence_id)
    if as_json:
        render.print_json(item.to_dict())
    else:
        typer.echo(evidence_id)


@app.command("list")
def list_evidence(
    ctx: typer.Context,
    claim_id: Annotated[Optional[int], typer.Argument(help="Only this claim's evidence.", min=1, max=MAX_ID, metavar="[ID]")] = None,
    stance: Annotated[Optional[Stance], typer.Option("--stance", help="Only evidence with this stance.", case_sensitive=False)] = None,
    as_json: Json = False,
) -> None:
    """List evidence, for one claim or all.

    Example: claimtrack evidence list 7 --stance refutes
    """
    with reading(ctx) as store:
        items = store.evidence(claim_id, stance.value if stance else None)
    render.print_evidence(items, as_json=as_json)


@app.command("edit")
def edit(
    ctx: typer.Context,
    evidence_id: EvidenceId,
    stance: Annotated[Optional[Stance], typer.Option("--stance", help="What the source does to the claim.", show_default=False, case_sensitive=False)] = None,
    quote: Annotated[Optional[str], typer.Option("--quote", help='The passage that bears on the claim ("" clears it).')] = None,
    note: Annotated[Optional[str], typer.Option("--note", help='Your own note ("" clears it).')] = None,
    title: Annotated[Optional[str], typer.Option("--title", help='Title of the page ("" clears it).')] = None,
    outlet: Annotated[Optional[str], typer.Option("--outlet", help='The outlet that published the page ("" clears it).')] = None,
    published: Annotated[Optional[str], typer.Option("--published", help='When the page was published ("" clears it).')] = None,
    as_json: Json = False,
) -> None:
    """Correct a piece of evidence: its stance, quote or note, or the title, outlet or date of its page.

    The change goes into the claim's history. The same page is one source for every claim that cites it, so
    --title, --outlet and --published correct the page for all of them, each with the correction in its history.

    Example: claimtrack evidence edit 4 --stance context --note "Covers only the 2023 rule" --published 2023-10-17
    """
    from claimtrack import dates, names
    from claimtrack.model import UNSET

    if all(value is None for value in (stance, quote, note, title, outlet, published)):
        raise ClaimtrackError("Nothing to change. Give --stance, --quote, --note, --title, --outlet or --published.")

    def optional(value):
        return names.clean_optional(value) if value is not None else UNSET

    if published is None:
        published_date = UNSET
    else:
        published = names.clean_optional(published)
        published_date = dates.parse(published, None, state(ctx).dates) if published else None
    with writing(ctx) as store:
        item = store.edit_evidence(
            evidence_id,
            stance=stance.value if stance is not None else UNSET,
            quote=optional(quote), note=optional(note), title=optional(title), outlet=optional(outlet),
            published=published_date,
        )
    if as_json:
        render.print_json(item.to_dict())
    else:
        typer.echo(f"Updated evidence {evidence_id}.")


@app.command("remove")
def remove(
    ctx: typer.Context,
    evidence_id: EvidenceId,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Remove it even though a verdict or attribution cites it.")] = False,
) -> None:
    """Remove a piece of evidence (asks first in a terminal).

    Example: claimtrack evidence remove 4 --yes
    """
    with writing(ctx) as store:
        if yes:
            store.remove_evidence(evidence_id, force=force)
        else:
            # Asked outside the write; the removal refuses if the evidence changed meanwhile.
            item = store.evidence_item(evidence_id)
            confirm_or_refuse(yes, f"Remove evidence {evidence_id} ({item.stance}: {item.url}) from claim {item.claim_id}?")
            store.remove_evidence(evidence_id, force=force, unchanged_from=item)
    typer.echo(f"Removed evidence {evidence_id}.")


@appearance_app.callback()
def appearance() -> None:
    """Record that a claim appeared again, in another source.

    Example: claimtrack appearance add 1 --url https://example.com/repeat --outlet "SCMP"
    """


@appearance_app.command("add")
def add_appearance(
    ctx: typer.Context,
    claim_id: IdArg,
    url: Url,
    outlet: Outlet = None,
    title: Title = None,
    published: PagePublished = None,
    fetch: FetchPage = False,
    archived_url: ArchivedUrl = None,
) -> None:
    """Record another source the claim appeared in; prints the appearance id.

    Example: claimtrack appearance add 1 --url https://example.com/repeat --published 2024-02-26
    """
    from claimtrack.drafts import new_source

    source = new_source(url, outlet, title, published, state(ctx).dates, url_required=True,
                        archived_url=archived_url)
    with writing(ctx) as store:
        appearance_id = store.add_appearance(claim_id, source)
    if fetch:
        from claimtrack.cli.sources import fetch_after

        fetch_after(ctx, source.url)
    typer.echo(appearance_id)
