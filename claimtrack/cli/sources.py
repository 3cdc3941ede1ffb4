"""Commands on the pages claims rest on: fetch and keep a snapshot of each, attach one by hand, show them."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from claimtrack import render
from claimtrack.cli.common import reading, warn, writing
from claimtrack.cli.options import Json
from claimtrack.errors import ClaimtrackError

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, add_completion=False)

PageUrl = Annotated[str, typer.Argument(help="The page's URL, as a claim, evidence or appearance cites it.",
                                        show_default=False, metavar="URL")]


@app.callback()
def source() -> None:
    """Keep a copy of the pages claims rest on: their bytes (as WARC records), text and metadata.

    Example: claimtrack source fetch --missing
    """


@app.command("fetch")
def fetch(
    ctx: typer.Context,
    urls: Annotated[Optional[List[str]], typer.Argument(help="The sources' URLs.", show_default=False, metavar="[URL]...")] = None,
    every: Annotated[bool, typer.Option("--all", help="Every source with a URL.")] = False,
    missing: Annotated[bool, typer.Option("--missing", help="Every source with a URL and no snapshot yet.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print what became of each page as JSON.")] = False,
) -> None:
    """Download each page and keep a snapshot: its bytes, main text and metadata.

    A page unchanged since its last snapshot is recorded as checked; a changed one gets a new snapshot
    beside the old. The source's empty outlet, title and publication date are filled from the page.
    Limits: CLAIMTRACK_FETCH_MAX_BYTES (default 50 MB), CLAIMTRACK_FETCH_TIMEOUT (seconds, default 60).

    Example: claimtrack source fetch https://example.com/statement
    """
    from claimtrack.sources.capture import fetch_pages
    from claimtrack.sources.http import Limits

    if bool(urls) + every + missing != 1:
        raise ClaimtrackError("Give the URLs of the pages to fetch, or --all, or --missing (one of them).", exit_code=2)
    limits = Limits.from_env()
    with reading(ctx) as store:
        pages = [store.page_by_url(url) for url in urls] if urls else store.pages_to_fetch(missing=missing)
    pages = list(dict.fromkeys(pages))
    if not pages:
        typer.echo("No page to fetch." if every else "Every source with a URL has a snapshot already.", err=True)
        return
    outcomes = []
    with writing(ctx) as store, _progress(len(pages)) as advance:
        try:
            for outcome in fetch_pages(store, pages, limits=limits):
                outcomes.append(outcome)
                advance()
                if not as_json:
                    _say(outcome)
        except KeyboardInterrupt:
            saved = sum(1 for o in outcomes if not o.error)
            raise ClaimtrackError(f"Interrupted: {saved} of {len(pages)} page(s) kept; the others were not "
                                  "fetched or not kept at all.", exit_code=130) from None
    if as_json:
        render.print_json([o.to_dict() for o in outcomes])
    failed = [o for o in outcomes if o.error]
    if failed:
        raise ClaimtrackError(f"{len(failed)} of {len(pages)} page(s) could not be fetched; nothing was kept for "
                              f"{'it' if len(failed) == 1 else 'them'}.")


def fetch_after(ctx: typer.Context, url: str) -> None:
    """Fetch the page of what was just recorded (--fetch): a failure is a warning, the record stays."""
    from claimtrack.sources.capture import fetch_pages
    from claimtrack.sources.http import Limits

    try:
        limits = Limits.from_env()
        with writing(ctx) as store:
            outcomes = list(fetch_pages(store, [store.page_by_url(url)], limits=limits))
    except ClaimtrackError as error:
        warn(f"recorded, but the page was not fetched: {error.message}")
        return
    for outcome in outcomes:
        if outcome.error:
            warn(f"recorded, but {url} could not be fetched: {outcome.error}. Try again later: "
                 f"claimtrack source fetch {url}")
        else:
            _say(outcome, err=True)


def _say(outcome, *, err: bool = False) -> None:
    url = render.visible(outcome.url)
    if outcome.error:
        typer.echo(f"Cannot fetch {url}: {render.visible(outcome.error)}.", err=True)
        return
    if outcome.unchanged_since:
        typer.echo(f"Unchanged since snapshot {outcome.unchanged_since}: {url}", err=err)
        return
    moved = f" (now at {render.visible(outcome.final_url)})" if outcome.final_url and outcome.final_url != outcome.url else ""
    line = f"Saved snapshot {outcome.snapshot_id} of {url}{moved}: {_size(outcome.size)}, {outcome.text_length:,} characters of text"
    if outcome.filled:
        line += f"; filled {', '.join(outcome.filled)} from the page"
    typer.echo(line + ".", err=err)
    if outcome.note:
        typer.echo(f"Note: {url}: {render.visible(outcome.note)}.", err=True)


def _size(count: int) -> str:
    return f"{count:,} bytes" if count < 10_000 else f"{count / 1000:,.0f} kB"


@contextlib.contextmanager
def _progress(total: int, label: str = "Fetching"):
    """A progress bar on a terminal for more than one page; nothing in a pipe."""
    if total < 2 or not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.progress import Progress

    bar = Progress(transient=True)
    task = bar.add_task(label, total=total)
    with bar:
        yield lambda: bar.advance(task)


@app.command("attach")
def attach(
    ctx: typer.Context,
    url: PageUrl,
    file: Annotated[Path, typer.Argument(help="The saved page, PDF or screenshot.", show_default=False, metavar="FILE")],
    as_json: Json = False,
) -> None:
    """Keep a file you have (a saved page, a PDF, a screenshot) as a snapshot of a source: for pages behind
    a paywall or a login.

    Example: claimtrack source attach https://example.com/paywalled ~/Downloads/article.pdf
    """
    from claimtrack.sources.capture import attach_file

    with reading(ctx) as store:
        source_id, stored_url = store.page_by_url(url)
    if not file.exists():
        raise ClaimtrackError(f"No file at {file}. Give the path of the file to attach.")
    with writing(ctx) as store:
        outcome = attach_file(store, source_id, stored_url, file)
    if as_json:
        render.print_json(outcome.to_dict())
        return
    filled = f"; filled {', '.join(outcome.filled)} from it" if outcome.filled else ""
    typer.echo(f"Attached {render.visible(file.name)} as snapshot {outcome.snapshot_id} of "
               f"{render.visible(stored_url)}: {_size(outcome.size)}, {outcome.text_length:,} characters of text{filled}.")
    if outcome.note:
        typer.echo(f"Note: {render.visible(outcome.note)}.", err=True)


@app.command("show")
def show(
    ctx: typer.Context,
    url: PageUrl,
    text: Annotated[bool, typer.Option("--text", help="Print the main text of the latest snapshot.")] = False,
    versions: Annotated[bool, typer.Option("--versions", help="List every snapshot, oldest first.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (with --text, the text too).")] = False,
) -> None:
    """Show the latest snapshot of a source: when and where it was fetched, its metadata, its size and hash.

    Example: claimtrack source show https://example.com/statement --versions
    """
    with reading(ctx) as store:
        source_id, stored_url = store.page_by_url(url)
        snapshots = store.snapshots_of(source_id)
        archives = store.archives_of(source_id)
        state = store.page_state(source_id)
    if not snapshots and not (archives or state) or not snapshots and text:
        raise ClaimtrackError(f"{render.visible(stored_url)} has no snapshot yet. Fetch it: claimtrack source fetch "
                              f"{render.visible(stored_url)} (or attach a file you have: claimtrack source attach URL FILE).")
    shown = snapshots if versions else snapshots[-1:]
    if as_json:
        values = [s.to_dict(text=text) for s in shown]
        if versions:
            render.print_json(values)
        else:
            render.print_json({**(values[0] if values else {"url": stored_url}),
                               "archives": [a._asdict() for a in archives],
                               "check": state._asdict() if state else None})
        return
    if text and not versions:
        typer.echo(render.visible(shown[0].text) if shown[0].text else "")
        if not shown[0].text:
            typer.echo(f"Note: snapshot {shown[0].id} has no text ({render.visible(shown[0].note or 'none found')}).", err=True)
        return
    for number, snapshot in enumerate(shown):
        if number:
            typer.echo("")
        _describe(snapshot)
        if text:
            typer.echo("")
            typer.echo(render.visible(snapshot.text))
    if not snapshots:
        typer.echo(render.visible(f"{stored_url}: no snapshot (claimtrack source fetch {stored_url} keeps one)"))
    _watch_lines(archives, state)


def _watch_lines(archives, state) -> None:
    """The page's archived copies and what its latest check found."""
    for archive in archives:
        when = f", captured {archive.archived_at}" if archive.archived_at else ""
        how = "Save Page Now" if archive.via == "save-page-now" else "given"
        typer.echo(render.visible(f"  archived copy: {archive.archived_url} ({how}{when})"))
    if state:
        line = f"  last check: {state.state} on {state.checked_at}"
        if state.status is not None and state.state != "live":
            line += f" ({state.status})"
        if state.gone_since:
            line += f"; offline since {state.gone_since}"
        if state.detail:
            line += f"; {state.detail}"
        typer.echo(render.visible(line))


def _describe(s) -> None:
    how = "attached" if s.kind == "attach" else "fetched"
    lines = [f"Snapshot {s.id} of {s.url}, {how} {s.fetched_at}"]
    if s.final_url and s.final_url != s.url:
        lines.append(f"  final URL: {s.final_url}")
    if s.status is not None:
        lines.append(f"  status: {s.status}")
    if s.file_name:
        lines.append(f"  file: {s.file_name}")
    lines.append(f"  content type: {s.content_type or 'not given'}; {_size(s.size)}")
    for label, value in (("title", s.title), ("site", s.site_name), ("author", s.author),
                         ("published", s.published.describe() if s.published else None), ("language", s.language)):
        if value:
            lines.append(f"  {label}: {value}")
    lines.append(f"  text: {len(s.text):,} characters" + (f" ({s.note})" if s.note else ""))
    if s.last_checked:
        lines.append(f"  last found unchanged: {s.last_checked}")
    lines.append(f"  sha256: {s.sha256}")
    lines.append(f"  WARC: {s.warc_file} {s.warc_record_id}")
    for line in lines:
        typer.echo(render.visible(line))


# The commands that watch the pages (archive, check) are defined on this app in their own module.
from claimtrack.cli import source_watch  # noqa: E402, F401
