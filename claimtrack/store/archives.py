"""The store's side of archived copies and link checks: which pages to archive or check, and each result.

An archived copy is kept in `archives` (with its time and how it was had) and becomes the source's
`archived_url`, the one every export and the report cite; a check of a page is a row of `source_checks`
with the state found. A page is "offline since" the first of its latest run of checks that found it gone.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

# The states a check can find a page in, as `source check` and `source show` name them.
STATES = ("live", "changed", "redirected", "gone", "server-error", "refused", "unreachable")
# The states that say a page is not there as it was: `source check` exits 1 when it finds one.
NOT_LIVE = ("gone", "server-error", "refused", "unreachable")
# Pages checked within this many days are left alone by `source check` without URLs or --all.
RECHECK_AFTER_DAYS = 7
_WAYBACK_TIME = re.compile(r"/web/(\d{14})(?:[a-z]{2}_)?/")


class PageState(NamedTuple):
    """The latest check of a page: its state, when, and since when it has been gone (if it is)."""

    state: str
    checked_at: str
    status: int | None
    final_url: str | None
    detail: str | None
    gone_since: str | None


class Archive(NamedTuple):
    """One archived copy of a page."""

    archived_url: str
    archived_at: str | None
    recorded_at: str
    via: str


def wayback_time(archived_url: str) -> str | None:
    """The capture time a Wayback Machine address gives (/web/20240301123456/...), as ISO 8601 UTC."""
    match = _WAYBACK_TIME.search(archived_url)
    if not match:
        return None
    try:
        moment = dt.datetime.strptime(match.group(1), "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class ArchivesMixin:
    """Archived copies and link checks, recorded and read back."""

    def pages_to_archive(self, *, missing: bool) -> list[tuple[int, str]]:
        """Every source with a URL (MISSING: only those with no archived copy yet), oldest first."""
        where = " AND s.archived_url IS NULL" if missing else ""
        return [(r[0], r[1]) for r in self.conn.execute(
            f"SELECT s.id, s.url FROM sources s WHERE s.url IS NOT NULL{where} ORDER BY s.id")]

    def pages_to_check(self, *, every: bool, at: str) -> list[tuple[int, str]]:
        """Every source with a URL (EVERY), or those not checked in the RECHECK_AFTER_DAYS before AT."""
        if every:
            return self.pages_to_archive(missing=False)
        since = (dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
                 - dt.timedelta(days=RECHECK_AFTER_DAYS)).strftime("%Y-%m-%dT%H:%M:%S")
        return [(r[0], r[1]) for r in self.conn.execute(
            "SELECT s.id, s.url FROM sources s WHERE s.url IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM source_checks c WHERE c.source_id = s.id AND c.checked_at >= ?) ORDER BY s.id",
            (since,))]

    def record_archive(self, source_id: int, archived_url: str, *, archived_at: str | None, via: str,
                       job_id: str | None = None) -> None:
        """Keep an archived copy of the source, which becomes the copy its citations give."""
        from claimtrack.store.base import now

        url = self.conn.execute("SELECT url FROM sources WHERE id = ?", (source_id,)).fetchone()[0]
        with self.write(f"archived copy of {url} recorded"):
            self._note_archive(source_id, archived_url, archived_at=archived_at, via=via, job_id=job_id, at=now())
            self._change_page(source_id, {"archived_url": archived_url})

    def _note_archive(self, source_id: int, archived_url: str, *, archived_at: str | None, via: str,
                      job_id: str | None, at: str) -> None:
        """Add the archives row of a copy (inside the caller's write), unless it is the latest one already."""
        latest = self.conn.execute("SELECT archived_url FROM archives WHERE source_id = ? ORDER BY id DESC LIMIT 1",
                                   (source_id,)).fetchone()
        if latest is not None and latest[0] == archived_url:
            return
        self.conn.execute(
            "INSERT INTO archives (source_id, archived_url, archived_at, recorded_at, via, job_id) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (source_id, archived_url, archived_at or wayback_time(archived_url), at, via, job_id))

    def archives_of(self, source_id: int) -> list[Archive]:
        """Every archived copy recorded for the source, oldest first."""
        return [Archive(*r) for r in self.conn.execute(
            "SELECT archived_url, archived_at, recorded_at, via FROM archives WHERE source_id = ? ORDER BY id",
            (source_id,))]

    def record_link_check(self, source_id: int, *, state: str, at: str, status: int | None,
                          final_url: str | None, detail: str | None, snapshot_id: int | None,
                          sha256: str | None) -> None:
        """Record what a check found the page to be."""
        url = self.conn.execute("SELECT url FROM sources WHERE id = ?", (source_id,)).fetchone()[0]
        with self.write(f"{url} checked: {state}"):
            self.conn.execute(
                "INSERT INTO source_checks (source_id, snapshot_id, checked_at, status, final_url, sha256, state, "
                "detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (source_id, snapshot_id, at, status, final_url, sha256, state, detail))

    def page_state(self, source_id: int) -> PageState | None:
        """The latest check of the source, with since when it has been gone; None if never checked."""
        row = self.conn.execute(
            "SELECT state, checked_at, status, final_url, detail FROM source_checks WHERE source_id = ? "
            "ORDER BY id DESC LIMIT 1", (source_id,)).fetchone()
        if row is None:
            return None
        since = None
        if row[0] == "gone":
            last_there = self.conn.execute(
                "SELECT max(id) FROM source_checks WHERE source_id = ? AND state != 'gone'", (source_id,)).fetchone()[0]
            since = self.conn.execute(
                "SELECT min(checked_at) FROM source_checks WHERE source_id = ? AND state = 'gone' AND id > ?",
                (source_id, last_there or 0)).fetchone()[0]
        return PageState(row[0], row[1], row[2], row[3], row[4], since)

    def gone_pages(self) -> dict[str, str]:
        """The pages whose latest check found them gone: URL key -> since when (for the report's citations)."""
        import sqlite3

        try:
            rows = self.conn.execute(
                "SELECT s.id, s.url_key FROM (SELECT source_id, max(id) AS id FROM source_checks GROUP BY source_id) "
                "latest JOIN source_checks c ON c.id = latest.id JOIN sources s ON s.id = c.source_id "
                "WHERE c.state = 'gone'").fetchall()
        except sqlite3.OperationalError:  # a database of an older schema, read as it is: no checks
            return {}
        gone = {}
        for source_id, key in rows:
            state = self.page_state(source_id)
            if state is not None and state.gone_since:
                gone[key] = state.gone_since
        return gone
