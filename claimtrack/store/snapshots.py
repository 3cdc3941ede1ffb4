"""The store's side of source snapshots: which pages to fetch, and each snapshot or check recorded.

The bytes themselves live in WARC files (claimtrack.sources.warc); the rows here point at them.
"""

from __future__ import annotations

import sqlite3

from claimtrack.errors import ClaimtrackError
from claimtrack.urls import normalize_url

# The page details a snapshot can fill when the source has none, and where the page gives each.
FILLABLE = (("outlet", "site_name"), ("title", "title"), ("published", "published"))


class SnapshotsMixin:
    """Sources to fetch, snapshots and checks recorded, and snapshots read back."""

    def page_by_url(self, url: str) -> tuple[int, str]:
        """The id and stored URL of the source at URL; an error naming how to add it when none is known."""
        row = self.conn.execute("SELECT id, url FROM sources WHERE url_key = ?", (normalize_url(url),)).fetchone()
        if row is None:
            raise ClaimtrackError(
                f"{url} is not a source of any claim. Add it first: claimtrack add ... --source URL, "
                "claimtrack evidence add ID --url URL, or claimtrack appearance add ID --url URL."
            )
        return row[0], row[1]

    def pages_to_fetch(self, *, missing: bool) -> list[tuple[int, str]]:
        """Every source with a URL (MISSING: only those with no snapshot yet), oldest first."""
        where = " AND NOT EXISTS (SELECT 1 FROM snapshots n WHERE n.source_id = s.id)" if missing else ""
        return [(r[0], r[1]) for r in self.conn.execute(
            f"SELECT s.id, s.url FROM sources s WHERE s.url IS NOT NULL{where} ORDER BY s.id")]

    def latest_fetch(self, source_id: int) -> tuple[int, str] | None:
        """The id and SHA-256 of the source's latest fetched snapshot, if any."""
        row = self.conn.execute("SELECT id, sha256 FROM snapshots WHERE source_id = ? AND kind = 'fetch' "
                                "ORDER BY id DESC LIMIT 1", (source_id,)).fetchone()
        return (row[0], row[1]) if row else None

    def snapshot_text(self, snapshot_id: int) -> str:
        """The main text read from a snapshot ("" if none was found)."""
        row = self.conn.execute("SELECT text FROM snapshots WHERE id = ?", (snapshot_id,)).fetchone()
        return (row[0] or "") if row else ""

    def record_check(self, source_id: int, snapshot_id: int, *, at: str, status: int, final_url: str,
                     sha256: str) -> None:
        """Record that the page was fetched again and found the same as SNAPSHOT_ID."""
        url = self.conn.execute("SELECT url FROM sources WHERE id = ?", (source_id,)).fetchone()[0]
        with self.write(f"{url} checked: unchanged since snapshot {snapshot_id}"):
            self.conn.execute(
                "INSERT INTO source_checks (source_id, snapshot_id, checked_at, status, final_url, sha256) "
                "VALUES (?, ?, ?, ?, ?, ?)", (source_id, snapshot_id, at, status, final_url, sha256))

    def record_snapshot(self, source_id: int, row: dict, found) -> tuple[int, list[str]]:
        """Record a snapshot ROW (its columns) of the source, with FOUND (an Extracted) read from it.

        Details the source lacks (outlet, title, publication date) are filled from FOUND, with the change in
        the history of each claim citing it; returns the new snapshot id and the names of the details filled.
        """
        url = self.conn.execute("SELECT url FROM sources WHERE id = ?", (source_id,)).fetchone()[0]
        with self.write(f"snapshot of {url} saved"):
            published = found.published
            columns = {
                **row, "source_id": source_id, "text": found.text, "title": found.title,
                "site_name": found.site_name, "author": found.author,
                "published_on": published.value if published else None,
                "published_precision": published.precision if published else None,
                "language": found.language, "note": found.note,
            }
            # Column names are this method's own (ROW comes from claimtrack.sources.capture).
            cursor = self.conn.execute(
                f"INSERT INTO snapshots ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                list(columns.values()))
            filled = self._fill_page(source_id, found, at=row["fetched_at"])
            said = f"; filled {', '.join(filled)}" if filled else ""
            self.describe_change(f"snapshot {cursor.lastrowid} of {url} saved{said}")
        return cursor.lastrowid, filled

    def _fill_page(self, source_id: int, found, *, at: str) -> list[str]:
        """Set the source's empty outlet, title and publication date from FOUND; never one already there."""
        source = self.conn.execute("SELECT outlet, title, published_on FROM sources WHERE id = ?", (source_id,)).fetchone()
        current = {"outlet": source[0], "title": source[1], "published": source[2]}
        details = {name: getattr(found, attribute) for name, attribute in FILLABLE
                   if current[name] in (None, "") and getattr(found, attribute)}
        self._change_page(source_id, details, at=at)
        return list(details)

    def snapshots_of(self, source_id: int) -> list:
        """Every snapshot of the source, oldest first, each with the time it was last found unchanged."""
        from claimtrack.dates import from_parts

        rows = self.conn.execute(
            "SELECT n.*, s.url AS url, (SELECT max(checked_at) FROM source_checks c WHERE c.snapshot_id = n.id) "
            "AS last_checked FROM snapshots n JOIN sources s ON s.id = n.source_id WHERE n.source_id = ? "
            "ORDER BY n.id", (source_id,)).fetchall()
        return [_snapshot(row, from_parts(row["published_on"], row["published_precision"])) for row in rows]

    def snapshot_files(self) -> list[tuple[int, str, str, str]]:
        """Every snapshot's id, source URL, WARC file and SHA-256, for check."""
        return [tuple(r) for r in self.conn.execute(
            "SELECT n.id, s.url, n.warc_file, n.sha256 FROM snapshots n JOIN sources s ON s.id = n.source_id "
            "ORDER BY n.id")]

    def snapshot_count(self) -> int:
        """How many snapshots the database holds (an older schema without the table, read as it is, none)."""
        try:
            return self.conn.execute("SELECT count(*) FROM snapshots").fetchone()[0]
        except sqlite3.OperationalError:
            return 0


def _snapshot(row: sqlite3.Row, published):
    from claimtrack.sources.snapshot import Snapshot

    return Snapshot(
        row["id"], row["source_id"], row["url"], row["kind"], row["fetched_at"], row["final_url"], row["status"],
        row["content_type"], row["size"], row["sha256"], row["warc_file"], row["warc_record_id"], row["file_name"],
        row["text"] or "", row["title"], row["site_name"], row["author"], published, row["language"], row["note"],
        row["last_checked"],
    )
