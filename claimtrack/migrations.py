"""The schema, as a list of small named migrations applied once each.

Imported only when a database is created or upgraded: the everyday read path
checks `PRAGMA user_version` against SCHEMA_VERSION (in claimtrack.store) instead.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from claimtrack.change_log import drop_log_triggers, log_triggers
from claimtrack.search_schema import (
    EVIDENCE_INSERT, EVIDENCE_ROW, FTS_COLUMNS, SEARCH_TRIGGERS, create_search_index, create_search_triggers,
)

migrations = Migrations("claimtrack")

@migrations()
def m001_initial(db: Database) -> None:
    """Speakers with aliases, sources, claims, tags, and the full-text index."""
    db.table("speakers").create(
        {"id": int, "name": str, "key": str, "created_at": str},
        pk="id",
        not_null={"name", "key", "created_at"},
    )
    db.table("speakers").create_index(["key"], unique=True)
    db.table("aliases").create(
        {"id": int, "speaker_id": int, "alias": str, "key": str},
        pk="id",
        not_null={"speaker_id", "alias", "key"},
        foreign_keys=[("speaker_id", "speakers", "id")],
    )
    db.table("aliases").create_index(["key"], unique=True)
    db.table("aliases").create_index(["speaker_id"])
    # One row per word of every name and alias: a word prefix ("zhou") finds a speaker by index.
    db.execute(
        "CREATE TABLE name_words (word TEXT NOT NULL, speaker_id INTEGER NOT NULL "
        "REFERENCES speakers(id), PRIMARY KEY (word, speaker_id)) WITHOUT ROWID"
    )
    db.execute("CREATE INDEX idx_name_words_speaker_id ON name_words (speaker_id)")
    db.table("sources").create(
        {
            "id": int, "url": str, "url_key": str, "outlet": str, "outlet_key": str, "title": str,
            "published_on": str, "published_precision": str, "published_text": str,
            "published_approximate": int, "published_qualifier": str, "created_at": str,
        },
        pk="id",
        not_null={"created_at"},
    )
    db.table("sources").create_index(["url_key"], unique=True)
    db.table("sources").create_index(["outlet_key"])
    db.table("claims").create(
        {
            "id": int, "uuid": str, "kind": str, "text": str, "text_key": str, "speaker_id": int,
            "role": str, "said_on": str, "said_precision": str, "said_text": str,
            "said_approximate": int, "said_qualifier": str, "said_start": str,
            "source_id": int, "context": str, "note": str, "created_at": str, "updated_at": str,
        },
        pk="id",
        not_null={"uuid", "kind", "text", "text_key", "speaker_id", "said_approximate", "created_at", "updated_at"},
        defaults={"said_approximate": 0},
        foreign_keys=[("speaker_id", "speakers", "id"), ("source_id", "sources", "id")],
    )
    claims = db.table("claims")
    claims.create_index(["uuid"], unique=True)
    claims.create_index(["said_start", "id"])
    claims.create_index(["speaker_id", "said_start", "id"])
    claims.create_index(["source_id", "said_start", "id"])
    claims.create_index(["kind", "said_start", "id"])
    claims.create_index(["speaker_id", "text_key"])
    db.table("tags").create({"id": int, "name": str}, pk="id", not_null={"name"})
    db.table("tags").create_index(["name"], unique=True)
    # said_start is copied here so that a tag and a date range are one index range, in order.
    db.execute(
        "CREATE TABLE claim_tags (tag_id INTEGER NOT NULL REFERENCES tags(id), "
        "claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE, said_start TEXT, "
        "PRIMARY KEY (tag_id, claim_id)) WITHOUT ROWID"
    )
    db.execute("CREATE INDEX idx_claim_tags_tag_said ON claim_tags (tag_id, said_start, claim_id)")
    db.execute("CREATE INDEX idx_claim_tags_claim_id ON claim_tags (claim_id)")
    db.execute(
        "CREATE TRIGGER claim_tags_said_start AFTER UPDATE OF said_start ON claims BEGIN "
        "UPDATE claim_tags SET said_start = new.said_start WHERE claim_id = new.id; END"
    )
    create_search_index(db)
    db.execute("PRAGMA user_version = 1")


@migrations()
def m002_evidence_and_history(db: Database) -> None:
    """Evidence, repeat appearances, verdicts and attribution, and the dated history of every change."""
    claims = db.table("claims")
    if "verdict" not in claims.columns_dict:
        db.execute("ALTER TABLE claims ADD COLUMN verdict TEXT NOT NULL DEFAULT 'unverified'")
    if "attribution" not in claims.columns_dict:
        db.execute("ALTER TABLE claims ADD COLUMN attribution TEXT NOT NULL DEFAULT 'reported'")
    claims.create_index(["verdict", "said_start", "id"], if_not_exists=True)
    claims.create_index(["attribution", "said_start", "id"], if_not_exists=True)
    db.execute(
        "CREATE TABLE IF NOT EXISTS evidence (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, "
        "claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE, "
        "source_id INTEGER NOT NULL REFERENCES sources(id), "
        "stance TEXT NOT NULL CHECK (stance IN ('supports', 'refutes', 'context', 'correction')), "
        "quote TEXT, note TEXT, added_at TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX IF NOT EXISTS idx_evidence_claim_id ON evidence (claim_id)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_evidence_source_id ON evidence (source_id)")
    db.execute(
        "CREATE TABLE IF NOT EXISTS appearances (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, "
        "claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE, "
        "source_id INTEGER NOT NULL REFERENCES sources(id), added_at TEXT NOT NULL, "
        "UNIQUE (claim_id, source_id))"
    )
    db.execute("CREATE INDEX IF NOT EXISTS idx_appearances_source_id ON appearances (source_id)")
    db.execute(
        "CREATE TABLE IF NOT EXISTS history (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, "
        "claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE, at TEXT NOT NULL, "
        "effective_on TEXT NOT NULL, effective_precision TEXT NOT NULL, effective_start TEXT NOT NULL, "
        "field TEXT NOT NULL, old TEXT, new TEXT, note TEXT)"
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_history_claim_field ON history (claim_id, field, effective_start, at, id)"
    )
    # Which evidence a verdict or attribution change cites: such evidence cannot simply vanish.
    db.execute(
        "CREATE TABLE IF NOT EXISTS history_evidence ("
        "history_id INTEGER NOT NULL REFERENCES history(id) ON DELETE CASCADE, "
        "evidence_id INTEGER NOT NULL REFERENCES evidence(id), PRIMARY KEY (history_id, evidence_id)) WITHOUT ROWID"
    )
    db.execute("CREATE INDEX IF NOT EXISTS idx_history_evidence_evidence ON history_evidence (evidence_id)")
    # Claims made before there was a history get the row that says when they were recorded.
    import uuid

    created = db.execute(
        "SELECT id, kind, created_at FROM claims WHERE id NOT IN (SELECT claim_id FROM history WHERE field = 'created')"
    ).fetchall()
    db.table("history").insert_all(
        {
            "uuid": str(uuid.uuid4()), "claim_id": claim_id, "at": created_at,
            "effective_on": created_at[:10], "effective_precision": "day", "effective_start": created_at[:10],
            "field": "created", "old": None, "new": kind, "note": None,
        }
        for claim_id, kind, created_at in created
    )
    db.execute("PRAGMA user_version = 2")


@migrations()
def m003_archived_urls(db: Database) -> None:
    """Sources can carry the address of an archived copy (Wayback Machine, archive.today)."""
    if "archived_url" not in db.table("sources").columns_dict:
        db.execute("ALTER TABLE sources ADD COLUMN archived_url TEXT")
    db.execute("PRAGMA user_version = 3")


@migrations()
def m004_text_fingerprints(db: Database) -> None:
    """claims.text_key holds a short fingerprint of the normalised text, not the whole text again."""
    from claimtrack.names import text_hash

    rows = db.execute("SELECT id, text FROM claims").fetchall()
    db.conn.executemany("UPDATE claims SET text_key = ? WHERE id = ?", [(text_hash(text), i) for i, text in rows])
    db.execute("PRAGMA user_version = 4")


@migrations()
def m005_meta(db: Database) -> None:
    """Which claimtrack wrote the schema, so that an older one can say what it is looking at."""
    from claimtrack import __version__

    db.execute("CREATE TABLE IF NOT EXISTS claimtrack_meta (key TEXT PRIMARY KEY, value TEXT)")
    db.execute("INSERT OR REPLACE INTO claimtrack_meta (key, value) VALUES ('schema_written_by', ?)", [__version__])
    db.execute("PRAGMA user_version = 5")


@migrations()
def m006_partial_indexes(db: Database) -> None:
    """Indexes over the few rows two lookups need, so that neither reads every claim or source.

    Sources without a URL are matched by outlet, title and date (an import of many such claims read every
    earlier one for each); a speaker's role is the latest one given (`speakers` read every claim of a
    speaker who never had one).
    """
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_sources_unaddressed ON sources (outlet, title, published_on) "
        "WHERE url_key IS NULL"
    )
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_claims_speaker_role ON claims (speaker_id, said_start, id) "
        "WHERE role IS NOT NULL"
    )
    db.execute("PRAGMA user_version = 6")


@migrations()
def m007_evidence_changes(db: Database) -> None:
    """Evidence has a change time of its own, so a corrected stance or note merges by it; and the file
    says in its header that it is a claimtrack database (PRAGMA application_id), so no other program's
    SQLite file is ever taken for one.

    evidence.updated_at stays NULL until the evidence is changed: it then means "as added" (added_at),
    so the upgrade rewrites no row.
    """
    from claimtrack.store.base import APPLICATION_ID

    if "updated_at" not in db.table("evidence").columns_dict:
        db.execute("ALTER TABLE evidence ADD COLUMN updated_at TEXT")
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("PRAGMA user_version = 7")


@migrations()
def m008_changes_trash_retraction(db: Database) -> None:
    """What makes a mistake cheap to correct.

    - `changes`: every write command is one change, with its time, the command and what it did;
      `undo_log` keeps, for the recent ones, each row as it was before (filled by the triggers that
      `log_triggers` makes), so that `undo` can put it back and `redo` take that back again.
    - `trash`: a deleted claim, with everything it had, until it is restored or the trash emptied.
    - A history entry can be retracted (entered by mistake): it stays, marked, and no longer counts.
    - A speaker is a person or an organisation (NULL: not said, guessed from the name when shown).
    - claims.text_key ignores punctuation and a final full stop too (`names.text_key`): recomputed.
    """
    from claimtrack.names import text_hash

    db.execute(
        "CREATE TABLE IF NOT EXISTS changes (id INTEGER PRIMARY KEY, at TEXT NOT NULL, command TEXT NOT NULL, "
        "summary TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'change' "
        "CHECK (kind IN ('change', 'undo', 'redo', 'barrier')), "
        "reverts INTEGER REFERENCES changes(id), undone INTEGER NOT NULL DEFAULT 0, kept INTEGER NOT NULL DEFAULT 1, "
        "first_log INTEGER, last_log INTEGER)"
    )
    db.execute("CREATE INDEX IF NOT EXISTS idx_changes_kind ON changes (kind, id)")
    # A change's rows are undo_log ids first_log to last_log: changes are written one at a time, in order.
    db.execute(
        "CREATE TABLE IF NOT EXISTS undo_log (id INTEGER PRIMARY KEY AUTOINCREMENT, tbl TEXT NOT NULL, "
        "row_key TEXT NOT NULL, before TEXT)"
    )
    db.execute(
        "CREATE TABLE IF NOT EXISTS trash (claim_id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, "
        "deleted_at TEXT NOT NULL, speaker TEXT NOT NULL, text TEXT NOT NULL, rows TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX IF NOT EXISTS idx_trash_deleted_at ON trash (deleted_at)")
    history = db.table("history").columns_dict
    if "retracted_at" not in history:
        db.execute("ALTER TABLE history ADD COLUMN retracted_at TEXT")
    if "retraction_note" not in history:
        db.execute("ALTER TABLE history ADD COLUMN retraction_note TEXT")
    if "kind" not in db.table("speakers").columns_dict:
        db.execute("ALTER TABLE speakers ADD COLUMN kind TEXT CHECK (kind IN ('person', 'organisation'))")
    rows = db.execute("SELECT id, text FROM claims").fetchall()
    db.conn.executemany("UPDATE claims SET text_key = ? WHERE id = ?", [(text_hash(text), i) for i, text in rows])
    db.execute("PRAGMA user_version = 8")


@migrations()
def m009_search_vocabulary(db: Database) -> None:
    """The words of the search index with the number of claims holding each (FTS5's fts5vocab, read
    from the index itself: nothing stored), so that a search that finds nothing can suggest close words."""
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS claims_vocab USING fts5vocab(claims_fts, row)")
    db.execute("PRAGMA user_version = 9")


@migrations()
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


@migrations()
def m013_search_prefixes(db: Database) -> None:
    """The search index keeps its words' first two and three letters too (FTS5 prefix indexes), so that a
    prefix search (chi*) reads one list instead of merging those of every word it begins.

    FTS5 takes the option only when a table is made: claims_fts is made again and filled from the old
    one (the index is derived from the claims: no claim changes), and claims_vocab, read from it, with it.
    """
    for name in SEARCH_TRIGGERS:
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
    db.execute("DROP TABLE IF EXISTS claims_vocab")
    db.execute("ALTER TABLE claims_fts RENAME TO claims_fts_old")
    db.execute(
        "CREATE VIRTUAL TABLE claims_fts USING fts5(text, context, speaker, "
        "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
    )
    db.execute("INSERT INTO claims_fts (claims_fts, rank) VALUES ('hashsize', 8388608)")  # fewer segments
    db.execute("INSERT INTO claims_fts (rowid, text, context, speaker) SELECT rowid, text, context, speaker "
               "FROM claims_fts_old")
    db.execute("INSERT INTO claims_fts (claims_fts) VALUES ('optimize')")
    db.execute("INSERT INTO claims_fts (claims_fts, rank) VALUES ('hashsize', 1048576)")
    db.execute("DROP TABLE claims_fts_old")
    create_search_triggers(db, grams=False)
    db.execute("CREATE VIRTUAL TABLE claims_vocab USING fts5vocab(claims_fts, row)")
    db.execute("PRAGMA user_version = 13")


@migrations()
def m014_evidence_search(db: Database) -> None:
    """A full-text index of evidence (quoted passage, note, title of its source), so that a search can find
    the claims that evidence bears on. Kept in step by triggers, as claims_fts is (so undo, which puts
    evidence rows back, puts their search rows back too); filled here from the evidence already there."""
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS evidence_fts USING fts5(quote, note, title, "
        "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
    )
    statements = [
        f"CREATE TRIGGER IF NOT EXISTS evidence_fts_insert AFTER INSERT ON evidence BEGIN {EVIDENCE_INSERT} END",
        "CREATE TRIGGER IF NOT EXISTS evidence_fts_delete AFTER DELETE ON evidence BEGIN "
        "DELETE FROM evidence_fts WHERE rowid = old.id; END",
        "CREATE TRIGGER IF NOT EXISTS evidence_fts_update AFTER UPDATE OF quote, note, source_id ON evidence BEGIN "
        f"DELETE FROM evidence_fts WHERE rowid = old.id; {EVIDENCE_INSERT} END",
        "CREATE TRIGGER IF NOT EXISTS sources_fts_update AFTER UPDATE OF title ON sources BEGIN "
        "UPDATE evidence_fts SET title = coalesce(new.title, '') "
        "WHERE rowid IN (SELECT id FROM evidence WHERE source_id = new.id); END",
    ]
    for statement in statements:
        db.execute(statement)
    db.execute("DELETE FROM evidence_fts")
    db.execute(f"INSERT INTO evidence_fts (rowid, quote, note, title) SELECT e.id, {EVIDENCE_ROW.format(e='e')} "
               "FROM evidence e")
    db.execute("PRAGMA user_version = 14")


@migrations()
def m015_search_every_script(db: Database) -> None:
    """Words inside Chinese, Japanese and Thai text are found by any part of two or more characters: each
    search row also holds its text's, context's and speaker names' unspaced runs cut into overlapping
    two-character pieces (claimtrack.scripts), empty for a claim with none (no cost for it).

    The pieces are cut here by claimtrack_grams (claimtrack.scripts.grams, which every claimtrack connection
    registers), and from now on for the claims the triggers note in search_pending (see claimtrack.search_schema).
    claims_fts is made again with the three new columns, filled from the old one (no claim changes).
    """
    for name in SEARCH_TRIGGERS:
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
    db.execute("DROP TABLE IF EXISTS claims_vocab")
    db.execute("ALTER TABLE claims_fts RENAME TO claims_fts_old")
    db.execute(
        "CREATE VIRTUAL TABLE claims_fts USING fts5(text, context, speaker, text_grams, context_grams, "
        "speaker_grams, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
    )
    db.execute("INSERT INTO claims_fts (claims_fts, rank) VALUES ('hashsize', 8388608)")  # fewer segments
    db.execute(f"INSERT INTO claims_fts ({FTS_COLUMNS}) SELECT rowid, text, context, speaker, "
               "claimtrack_grams(text), claimtrack_grams(context), claimtrack_grams(speaker) FROM claims_fts_old")
    db.execute("INSERT INTO claims_fts (claims_fts) VALUES ('optimize')")
    db.execute("INSERT INTO claims_fts (claims_fts, rank) VALUES ('hashsize', 1048576)")
    db.execute("DROP TABLE claims_fts_old")
    db.execute("CREATE TABLE IF NOT EXISTS search_pending (claim_id INTEGER PRIMARY KEY)")
    create_search_triggers(db)
    db.execute("CREATE VIRTUAL TABLE claims_vocab USING fts5vocab(claims_fts, row)")
    db.execute("PRAGMA user_version = 15")


@migrations()
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
    columns = db.table("source_checks").columns_dict
    if "state" not in columns:
        db.execute("ALTER TABLE source_checks ADD COLUMN state TEXT NOT NULL DEFAULT 'live'")
    if "detail" not in columns:
        db.execute("ALTER TABLE source_checks ADD COLUMN detail TEXT")
    db.execute("CREATE INDEX IF NOT EXISTS idx_source_checks_checked ON source_checks (checked_at)")
    db.execute("PRAGMA user_version = 16")


@migrations()
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


@migrations()
def m018_sync_and_authors(db: Database) -> None:
    """Who made each change (history.author), indexed for list --changed-by and --changed-since; and what a
    database linked to a shared git repository (claimtrack sync) must write out next: the claims and speakers
    changed since the last sync, and how often each claim went to the trash and came back (an odd count: it
    is in the trash), so that deletes and restores travel as changes. The link itself is kept in
    claimtrack_meta."""
    if "author" not in db.table("history").columns_dict:
        db.execute("ALTER TABLE history ADD COLUMN author TEXT")
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



@migrations()
def m019_readable_views(db: Database) -> None:
    """Views that show claims and evidence as a reader names them (claimtrack.views_schema), and the search
    index declared so that Datasette and sqlite-utils find it as the claims table's (its words unchanged: the
    index is made again under the new declaration and filled from the old one, no claim changes)."""
    from claimtrack.views_schema import CLAIMS_FTS, FTS_TABLE_NOTE, VIEWS

    for statement in VIEWS.values():
        db.execute(statement)
    declared = db.execute("SELECT sql FROM sqlite_master WHERE name = 'claims_fts'").fetchone()[0]
    if FTS_TABLE_NOTE not in declared:
        for name in SEARCH_TRIGGERS:
            db.execute(f"DROP TRIGGER IF EXISTS {name}")
        db.execute("DROP TABLE IF EXISTS claims_vocab")
        db.execute("ALTER TABLE claims_fts RENAME TO claims_fts_old")
        db.execute(CLAIMS_FTS)
        db.execute("INSERT INTO claims_fts (claims_fts, rank) VALUES ('hashsize', 8388608)")  # fewer segments
        db.execute(f"INSERT INTO claims_fts ({FTS_COLUMNS}) SELECT {FTS_COLUMNS} FROM claims_fts_old")
        db.execute("INSERT INTO claims_fts (claims_fts) VALUES ('optimize')")
        db.execute("INSERT INTO claims_fts (claims_fts, rank) VALUES ('hashsize', 1048576)")
        db.execute("DROP TABLE claims_fts_old")
        create_search_triggers(db)
        db.execute("CREATE VIRTUAL TABLE claims_vocab USING fts5vocab(claims_fts, row)")
    db.execute("PRAGMA user_version = 19")


@migrations()
def m020_claim_list_without_joins(db: Database) -> None:
    """The claim_list view made again with its speaker and page columns as scalar subqueries (see
    claimtrack.views_schema): the same rows, and a count or facet that reads none of them reads only claims."""
    from claimtrack.views_schema import CLAIM_LIST

    db.execute("DROP VIEW IF EXISTS claim_list")
    db.execute(CLAIM_LIST)
    db.execute("PRAGMA user_version = 20")


@migrations()
def m021_speaker_verdicts(db: Database) -> None:
    """An index of each speaker's claims by verdict and said date: a speaker's claims counted by verdict and
    by month (the web view's speaker pages and its home page's top speakers) read it alone, not every claim
    row (2.5 s for the fifteen speakers with most claims at a million claims without it)."""
    db.execute("CREATE INDEX IF NOT EXISTS idx_claims_speaker_verdict ON claims (speaker_id, verdict, said_start)")
    db.execute("PRAGMA user_version = 21")


# Migrations that rewrite rows already there: a backup copy is made before they run.
REWRITING = {"m004_text_fingerprints", "m008_changes_trash_retraction"}


def rewrites_pending(db: Database) -> bool:
    """True when an upgrade would rewrite existing rows."""
    return any(m.name in REWRITING for m in migrations.pending(db))


def upgrade(db: Database) -> None:
    """Apply every pending migration, then make the change-logging triggers for the schema as it now is."""
    from claimtrack.store.base import SCHEMA_VERSION

    drop_log_triggers(db)
    migrations.apply(db)
    # Migrations are applied by name, so one numbered lower but added later (m010 after m012) runs last
    # on a database that had the others: the version is the schema's, not the last migration's own.
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    log_triggers(db)
