"""Checking pages for link rot: is each one still there, moved, gone, or changed since its snapshot?

Each page is fetched as `source fetch` fetches it (the same limits, at most two at a time per host) but
nothing is kept except what was found: its state, HTTP status, final address and the hash of its bytes.
A page whose bytes differ from its latest snapshot is compared by its main text, so that a page whose
advertisements or counters changed is still "live"; only a change of the text the claim rests on is
"changed".
"""

from __future__ import annotations

import re
from concurrent.futures import as_completed
from dataclasses import dataclass
from typing import Iterator
from urllib.parse import urlsplit

from claimtrack.sources import warc
from claimtrack.sources.http import FetchError, Limits, Pool, Response
from claimtrack.store.base import now


@dataclass(frozen=True)
class Checked:
    """What one check found: the page's state and the details behind it."""

    source_id: int
    url: str
    state: str
    checked_at: str
    status: int | None = None
    final_url: str | None = None
    detail: str | None = None
    snapshot_id: int | None = None
    sha256: str | None = None
    gone_since: str | None = None
    archived_url: str | None = None

    def to_dict(self) -> dict:
        """The check as JSON-ready values."""
        return {"url": self.url, "state": self.state, "checked_at": self.checked_at, "status": self.status,
                "final_url": self.final_url, "detail": self.detail, "snapshot_id": self.snapshot_id,
                "gone_since": self.gone_since, "archived_url": self.archived_url}


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _page_key(url: str) -> str:
    """An address with what a harmless redirect changes taken away: scheme, www., a final slash."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}?{parts.query}"


def _moved(url: str, final_url: str) -> str | None:
    """How a redirect changed the page's address, when it did more than change http to https or add www."""
    if _page_key(url) == _page_key(final_url):
        return None
    if urlsplit(final_url).path.strip("/") == "" and urlsplit(url).path.strip("/"):
        return f"redirected to the site's front page {final_url} (the page itself may be gone)"
    return f"redirected to {final_url}"


def check_pages(store, pages: list[tuple[int, str]], *, limits: Limits) -> Iterator[Checked]:
    """Check PAGES (source id, URL) and record what each is now; yield a Checked per page as it finishes."""
    from claimtrack.sources.extract import extract

    latest = {source_id: store.latest_fetch(source_id) for source_id, _ in pages}
    hashes = {url: latest[source_id][1] for source_id, url in pages if latest[source_id]}

    def read(response: Response):
        digest = warc.sha256(response.body)
        if hashes.get(response.url) in (None, digest):
            return response, digest, None
        return response, digest, extract(response.body, response.content_type, response.final_url).text

    pool = Pool(limits, read)
    futures = {pool.submit(url): (source_id, url) for source_id, url in pages}
    finished = False
    try:
        for future in as_completed(futures):
            source_id, url = futures[future]
            checked = _judge(store, source_id, url, future, latest[source_id])
            store.record_link_check(source_id, state=checked.state, at=checked.checked_at, status=checked.status,
                                    final_url=checked.final_url, detail=checked.detail,
                                    snapshot_id=checked.snapshot_id, sha256=checked.sha256)
            store.release_interrupts()
            state = store.page_state(source_id)
            archived = store.conn.execute("SELECT archived_url FROM sources WHERE id = ?", (source_id,)).fetchone()[0]
            yield Checked(**{**checked.__dict__, "gone_since": state.gone_since if state else None,
                             "archived_url": archived})
        finished = True
    finally:
        pool.close(cancel=not finished)


def _judge(store, source_id: int, url: str, future, latest: tuple[int, str] | None) -> Checked:
    at = now()
    snapshot_id = latest[0] if latest else None
    try:
        response, digest, text = future.result()
    except FetchError as error:
        state = "live" if error.state == "unreadable" else error.state
        return Checked(source_id, url, state, at, error.status, None, str(error), snapshot_id)
    common = {"status": response.status, "final_url": response.final_url, "snapshot_id": snapshot_id,
              "sha256": digest}
    moved = _moved(url, response.final_url)
    if moved:
        return Checked(source_id, url, "redirected", at, detail=moved, **common)
    if latest is None or latest[1] == digest:
        detail = None if latest else "no snapshot to compare with (claimtrack source fetch keeps one)"
        return Checked(source_id, url, "live", at, detail=detail, **common)
    kept = store.snapshot_text(latest[0])
    if text is not None and _same_text(text, kept):
        return Checked(source_id, url, "live", at, detail="the bytes changed but not the main text", **common)
    return Checked(source_id, url, "changed", at, detail=_change_size(url, kept, text or ""), **common)


def _change_size(url: str, before: str, after: str) -> str:
    words_before, words_after = len(re.findall(r"\w+", before)), len(re.findall(r"\w+", after))
    return (f"its main text changed since the snapshot ({words_before:,} words then, {words_after:,} now); "
            f"claimtrack source fetch {url} keeps the new version beside the old")
