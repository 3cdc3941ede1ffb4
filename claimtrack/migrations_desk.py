"""The schema's steps for a desk's work: snapshots, archived copies and link checks of sources, verifications,
sync and authors, and what the web view reads (m012, m016 to m018, m020, m021; registered in order by
claimtrack.migrations)."""

from __future__ import annotations

from sqlite_utils import Database

from claimtrack.migrations_record import add_column


def m012_source_snapshots(db: Database) -> None:
    """Copies of the pages claims rest on: each snapshot (fetched or attached) points at its WARC record
    in the folder beside the database, with its SHA-256 and the text and metadata read from it; a fetch
    that found the same bytes again is recorded as a check of that snapshot."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS snapshots (id INTEGER PRIMARY KEY, "
        "source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE, "
        "kind TEXT NOT NULL CHECK (kind IN ('fetch', 'attach')), fetched_at TEXT NOT NULL, final_url TEXT, "
        "status INTEGER, content_type TEXT, size INTEGER NOT NULL, sha256 TEXT NOT NULL, warc_file TEXT NOT NULL, "
        "warc_record_id TEXT NOT NULL, file_name TEXT, text TEXT, title TEXT, site_name TEXT, author TEXT, "
        "published_on TEXT, published_precision TEXT, language TEXT, note TEXT)"
    )
    db.execute("CREATE INDEX IF NOT EXISTS idx_snapshots_source ON snapshots (source_id, id)")
    db.execute(
        "CREATE TABLE IF NOT EXISTS source_checks (id INTEGER PRIMARY KEY, "
        "source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE, "
        "snapshot_id INTEGER REFERENCES snapshots(id) ON DELETE CASCADE, checked_at TEXT NOT NULL, "
        "status INTEGER, final_url TEXT, sha256 TEXT)"
    )
    db.execute("CREATE INDEX IF NOT EXISTS idx_source_checks_source ON source_checks (source_id, id)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_source_checks_snapshot ON source_checks (snapshot_id)")
    db.execute("PRAGMA user_version = 12")


def m016_archives_and_link_checks(db: Database) -> None:
    """Archived copies of pages (asked of Save Page Now, or given by the user), each with its time, and the
    state every check of a page found (live, changed, redirected, gone, server-error, refused, unreachable).
    The checks recorded before (a fetch that found the same bytes again) found the page live."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS archives (id INTEGER PRIMARY KEY, "
        "source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE, archived_url TEXT NOT NULL, "
        "archived_at TEXT, recorded_at TEXT NOT NULL, via TEXT NOT NULL CHECK (via IN ('save-page-now', 'given')), "
        "job_id TEXT)"
    )
    db.execute("CREATE INDEX IF NOT EXISTS idx_archives_source ON archives (source_id, id)")
    add_column(db, "source_checks", "state", "TEXT NOT NULL DEFAULT 'live'")
    add_column(db, "source_checks", "detail", "TEXT")
    db.execute("CREATE INDEX IF NOT EXISTS idx_source_checks_checked ON source_checks (checked_at)")
    db.execute("PRAGMA user_version = 16")


def m017_verifications(db: Database) -> None:
    """Each check of a quote against its source (claimtrack verify): the result, the passage found, the word
    differences and what they touch, and the snapshot (its SHA-256 and date) or file it was checked against.
    LATEST marks each claim's latest result, the one `list --verification` filters on (a partial index)."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS verifications (id INTEGER PRIMARY KEY, "
        "claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE, checked_at TEXT NOT NULL, "
        "result TEXT NOT NULL CHECK (result IN ('verbatim', 'form', 'marked-edits', 'altered', 'not-found', "
        "'unavailable', 'other-language')), passage TEXT, differences TEXT NOT NULL DEFAULT '[]', "
        "meaning_flags TEXT NOT NULL DEFAULT '[]', edits TEXT NOT NULL DEFAULT '[]', snapshot_sha256 TEXT, "
        "snapshot_at TEXT, source_url TEXT, outlet TEXT, against TEXT, appearance_of INTEGER, "
        "latest INTEGER NOT NULL DEFAULT 1)"
    )
    db.execute("CREATE INDEX IF NOT EXISTS idx_verifications_claim ON verifications (claim_id, id)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_verifications_latest ON verifications (result, claim_id) "
               "WHERE latest = 1")
    db.execute("PRAGMA user_version = 17")


# Rows whose claim or speaker record must be written to a sync working copy again. The triggers mark them only
# while the database is linked to a repository (claimtrack sync --init): an unlinked database pays one lookup.
_LINKED = "EXISTS (SELECT 1 FROM claimtrack_meta WHERE key = 'sync_repository')"
_MARK_CLAIM = "INSERT OR IGNORE INTO sync_pending (uuid) SELECT uuid FROM claims WHERE id = {row}.claim_id;"
_SYNC_TRIGGERS = {
    "claims": "INSERT OR IGNORE INTO sync_pending (uuid) VALUES ({row}.uuid);",
    "evidence": _MARK_CLAIM, "appearances": _MARK_CLAIM, "history": _MARK_CLAIM, "claim_tags": _MARK_CLAIM,
    "history_evidence": "INSERT OR IGNORE INTO sync_pending (uuid) SELECT c.uuid FROM history h "
                        "JOIN claims c ON c.id = h.claim_id WHERE h.id = {row}.history_id;",
    "speakers": "INSERT OR IGNORE INTO sync_pending_speakers (key) VALUES ({row}.key);",
    "aliases": "INSERT OR IGNORE INTO sync_pending_speakers (key) VALUES ({row}.key); "
               "INSERT OR IGNORE INTO sync_pending_speakers (key) SELECT key FROM speakers WHERE id = {row}.speaker_id;",
}


def m018_sync_and_authors(db: Database) -> None:
    """Who made each change (history.author), indexed for list --changed-by and --changed-since; and what a
    database linked to a shared git repository (claimtrack sync) must write out next: the claims and speakers
    changed since the last sync, and how often each claim went to the trash and came back (an odd count: it
    is in the trash), so that deletes and restores travel as changes. The link itself is kept in
    claimtrack_meta."""
    add_column(db, "history", "author", "TEXT")
    db.execute("CREATE INDEX IF NOT EXISTS idx_history_author ON history (author, claim_id) WHERE author IS NOT NULL")
    db.execute("CREATE INDEX IF NOT EXISTS idx_history_at ON history (at, claim_id)")
    db.execute("CREATE TABLE IF NOT EXISTS sync_pending (uuid TEXT PRIMARY KEY) WITHOUT ROWID")
    db.execute("CREATE TABLE IF NOT EXISTS sync_pending_speakers (key TEXT PRIMARY KEY) WITHOUT ROWID")
    db.execute("CREATE TABLE IF NOT EXISTS sync_trash (uuid TEXT PRIMARY KEY, changes INTEGER NOT NULL) WITHOUT ROWID")
    for table, action in _SYNC_TRIGGERS.items():
        for event, row in (("insert", "new"), ("update", "new"), ("delete", "old")):
            if table in ("claim_tags", "history_evidence") and event == "update":
                continue
            db.execute(
                f"CREATE TRIGGER IF NOT EXISTS sync_{table}_{event} AFTER {event.upper()} ON {table} "
                f"WHEN {_LINKED} BEGIN {action.format(row=row)} END"
            )
    # A page corrected: every claim that cites it reads differently.
    db.execute(
        f"CREATE TRIGGER IF NOT EXISTS sync_sources_update AFTER UPDATE ON sources WHEN {_LINKED} BEGIN "
        "INSERT OR IGNORE INTO sync_pending (uuid) SELECT uuid FROM claims WHERE source_id = new.id "
        "UNION SELECT c.uuid FROM evidence e JOIN claims c ON c.id = e.claim_id WHERE e.source_id = new.id "
        "UNION SELECT c.uuid FROM appearances a JOIN claims c ON c.id = a.claim_id WHERE a.source_id = new.id; END"
    )
    # Into the trash: the count made odd; back from it (the claim is there again): made even.
    db.execute(
        f"CREATE TRIGGER IF NOT EXISTS sync_trash_insert AFTER INSERT ON trash WHEN {_LINKED} BEGIN "
        "INSERT INTO sync_trash (uuid, changes) VALUES (new.uuid, 1) ON CONFLICT (uuid) DO UPDATE SET "
        "changes = changes + 1 - changes % 2; INSERT OR IGNORE INTO sync_pending (uuid) VALUES (new.uuid); END"
    )
    db.execute(
        f"CREATE TRIGGER IF NOT EXISTS sync_trash_delete AFTER DELETE ON trash WHEN {_LINKED} "
        "AND EXISTS (SELECT 1 FROM claims WHERE uuid = old.uuid) BEGIN "
        "INSERT INTO sync_trash (uuid, changes) VALUES (old.uuid, 2) ON CONFLICT (uuid) DO UPDATE SET "
        "changes = changes + changes % 2; INSERT OR IGNORE INTO sync_pending (uuid) VALUES (old.uuid); END"
    )
    db.execute("PRAGMA user_version = 18")


def m020_claim_list_without_joins(db: Database) -> None:
    """The claim_list view made again with its speaker and page columns as scalar subqueries (see
    claimtrack.views_schema): the same rows, and a count or facet that reads none of them reads only claims."""
    from claimtrack.views_schema import CLAIM_LIST

    db.execute("DROP VIEW IF EXISTS claim_list")
    db.execute(CLAIM_LIST)
    db.execute("PRAGMA user_version = 20")


def m021_speaker_verdicts(db: Database) -> None:
    """An index of each speaker's claims by verdict and said date: a speaker's claims counted by verdict and
    by month (the web view's speaker pages and its home page's top speakers) read it alone, not every claim
    row (2.5 s for the fifteen speakers with most claims at a million claims without it)."""
    db.execute("CREATE INDEX IF NOT EXISTS idx_claims_speaker_verdict ON claims (speaker_id, verdict, said_start)")
    db.execute("PRAGMA user_version = 21")
