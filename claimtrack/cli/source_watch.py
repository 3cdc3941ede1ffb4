"""`source archive` and `source check`: an archived copy of every page, and whether each page is still there."""

from __future__ import annotations

from typing import Annotated, List, Optional

import typer

from claimtrack import render
from claimtrack.cli.common import reading, writing
from claimtrack.cli.sources import _progress, app
from claimtrack.errors import ClaimtrackError

Urls = Annotated[Optional[List[str]], typer.Argument(help="The sources' URLs.", show_default=False, metavar="[URL]...")]


@app.command("archive")
def archive(
    ctx: typer.Context,
    urls: Urls = None,
    every: Annotated[bool, typer.Option("--all", help="Every source with a URL.")] = False,
    missing: Annotated[bool, typer.Option("--missing", help="Every source with a URL and no archived copy yet.")] = False,
    given: Annotated[Optional[str], typer.Option(
        "--archived-url", help="Record this archived copy of the one URL given instead of asking for a capture.",
        show_default=False, metavar="ARCHIVED")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print what became of each page as JSON.")] = False,
) -> None:
    """Ask the Internet Archive's Save Page Now to capture each page, and record the archived copy.

    Each capture is waited for (CLAIMTRACK_ARCHIVE_WAIT seconds at most, default 180). With your archive.org
    keys in CLAIMTRACK_IA_ACCESS_KEY and CLAIMTRACK_IA_SECRET_KEY the captures are made under your account;
    without them, anonymously. The archived copy becomes the one citations give beside the page.

    Example: claimtrack source archive --missing
    """
    from claimtrack.sources.archive import Settings, capture_pages

    if bool(urls) + every + missing != 1:
        raise ClaimtrackError("Give the URLs of the pages to archive, or --all, or --missing (one of them).", exit_code=2)
    if given is not None:
        _record_given(ctx, urls, given, as_json)
        return
    settings = Settings.from_env()
    with reading(ctx) as store:
        pages = [store.page_by_url(url) for url in urls] if urls else store.pages_to_archive(missing=missing)
    pages = list(dict.fromkeys(pages))
    if not pages:
        typer.echo("No page to archive." if every else "Every source with a URL has an archived copy already.", err=True)
        return
    results = []
    with writing(ctx) as store, _progress(len(pages), "Archiving") as advance:
        try:
            for captured in capture_pages(pages, settings):
                if not captured.error:
                    store.record_archive(captured.source_id, captured.archived_url, archived_at=captured.archived_at,
                                         via="save-page-now", job_id=captured.job_id)
                    store.release_interrupts()
                results.append(captured)
                advance()
                if not as_json:
                    _say_archived(captured)
        except KeyboardInterrupt:
            kept = sum(1 for r in results if not r.error)
            raise ClaimtrackError(f"Interrupted: {kept} of {len(pages)} archived cop{'y' if kept == 1 else 'ies'} "
                                  "recorded; captures already asked for may still finish at the archive.",
                                  exit_code=130) from None
    if as_json:
        render.print_json([r.to_dict() for r in results])
    failed = [r for r in results if r.error]
    if failed:
        raise ClaimtrackError(f"{len(failed)} of {len(pages)} page(s) could not be archived; nothing was recorded "
                              f"for {'it' if len(failed) == 1 else 'them'}.")


def _record_given(ctx: typer.Context, urls: list[str] | None, given: str, as_json: bool) -> None:
    """Record an archived copy the user has of one page (a gone page cannot be captured any more)."""
    from claimtrack.names import clean_optional
    from claimtrack.sources.archive import Captured
    from claimtrack.store.archives import wayback_time
    from claimtrack.urls import check_url

    if not urls or len(urls) != 1:
        raise ClaimtrackError("--archived-url is the copy of one page: give that page's URL (and only it).", exit_code=2)
    archived_url = check_url(clean_optional(given) or "")
    with writing(ctx) as store:
        source_id, url = store.page_by_url(urls[0])
        if archived_url.strip() == url.strip():
            raise ClaimtrackError("--archived-url is the page's own address. Give the address of its archived copy.")
        store.record_archive(source_id, archived_url, archived_at=None, via="given")
    captured = Captured(source_id, url, archived_url, wayback_time(archived_url))
    if as_json:
        render.print_json([captured.to_dict()])
    else:
        _say_archived(captured)


def _say_archived(captured) -> None:
    url = render.visible(captured.url)
    if captured.error:
        typer.echo(f"Cannot archive {url}: {render.visible(captured.error)}.", err=True)
    else:
        typer.echo(f"Archived {url}: {render.visible(captured.archived_url)}")


@app.command("check")
def check(
    ctx: typer.Context,
    urls: Urls = None,
    every: Annotated[bool, typer.Option("--all", help="Every source with a URL, however recently checked.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print what each check found as JSON.")] = False,
) -> None:
    """Check whether each page is still there: live, changed since its snapshot, redirected elsewhere, gone
    (404, 410), failing (server error), refused or unreachable; each check is recorded with its date.

    Without URLs or --all, the pages not checked in the last 7 days. Exits 1 when a page is gone, failing,
    refused or unreachable (after recording every check), so a scheduled run can alert someone.

    Example: claimtrack source check --all
    """
    from claimtrack.sources.http import Limits
    from claimtrack.sources.linkcheck import check_pages
    from claimtrack.store.archives import NOT_LIVE
    from claimtrack.store.base import now

    if urls and every:
        raise ClaimtrackError("Give the URLs of the pages to check, or --all, not both.", exit_code=2)
    limits = Limits.from_env()
    with reading(ctx) as store:
        pages = [store.page_by_url(url) for url in urls] if urls else store.pages_to_check(every=every, at=now())
        has_pages = bool(pages) or bool(store.pages_to_archive(missing=False))
    pages = list(dict.fromkeys(pages))
    if not pages:
        typer.echo("No page to check." if every or not has_pages else
                   "Every page was checked in the last 7 days; --all checks them again.", err=True)
        return
    results = []
    with writing(ctx) as store, _progress(len(pages), "Checking") as advance:
        try:
            for checked in check_pages(store, pages, limits=limits):
                results.append(checked)
                advance()
                if not as_json:
                    _say_checked(checked)
        except KeyboardInterrupt:
            raise ClaimtrackError(f"Interrupted: {len(results)} of {len(pages)} check(s) recorded.",
                                  exit_code=130) from None
    if as_json:
        render.print_json([c.to_dict() for c in results])
    down = [c for c in results if c.state in NOT_LIVE]
    if down:
        raise ClaimtrackError(f"{len(down)} of {len(pages)} page(s) are not there as they were "
                              f"({', '.join(sorted({c.state for c in down}))}); every check is recorded: "
                              "claimtrack source show URL says more.")


def _say_checked(c) -> None:
    url = render.visible(c.url)
    words = {"live": "live", "changed": "changed", "redirected": "redirected", "gone": "gone",
             "server-error": "server error", "refused": "refused", "unreachable": "unreachable"}[c.state]
    line = f"{words}: {url}"
    if c.status is not None and c.state != "live":
        line += f" ({c.status})"
    if c.gone_since:
        line += f"; offline since {c.gone_since[:10]}"
        line += (f"; archived copy: {render.visible(c.archived_url)}" if c.archived_url else
                 f"; no archived copy recorded (if the Wayback Machine has one: claimtrack source archive {url} "
                 "--archived-url ARCHIVED)")
    if c.detail and c.state != "live":
        line += f"; {render.visible(c.detail)}"
    typer.echo(line, err=c.state != "live")
