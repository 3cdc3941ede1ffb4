"""The schema's steps for the record itself: speakers, sources, claims, tags, evidence, history, the change
journal and the trash (migrations m001 to m008, registered in order by claimtrack.migrations)."""

from __future__ import annotations

from sqlite_utils import Database

from claimtrack.search_schema import create_search_index


def add_column(db: Database, table: str, column: str, declaration: str) -> None:
    """Add COLUMN (of DECLARATION: type, default, check) to TABLE unless a database made later already has it."""
    if column not in db.table(table).columns_dict:
        sql = f"ALTER TABLE {table} ADD COLUMN {column} {declaration}"
        db.execute(sql)


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


def m002_evidence_and_history(db: Database) -> None:
    """Evidence, repeat appearances, verdicts and attribution, and the dated history of every change."""
    claims = db.table("claims")
    add_column(db, "claims", "verdict", "TEXT NOT NULL DEFAULT 'unverified'")
    add_column(db, "claims", "attribution", "TEXT NOT NULL DEFAULT 'reported'")
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


def m003_archived_urls(db: Database) -> None:
    """Sources can carry the address of an archived copy (Wayback Machine, archive.today)."""
    add_column(db, "sources", "archived_url", "TEXT")
    db.execute("PRAGMA user_version = 3")


def m004_text_fingerprints(db: Database) -> None:
    """claims.text_key holds a short fingerprint of the normalised text, not the whole text again."""
    from claimtrack.names import text_hash

    rows = db.execute("SELECT id, text FROM claims").fetchall()
    db.conn.executemany("UPDATE claims SET text_key = ? WHERE id = ?", [(text_hash(text), i) for i, text in rows])
    db.execute("PRAGMA user_version = 4")


def m005_meta(db: Database) -> None:
    """Which claimtrack wrote the schema, so that an older one can say what it is looking at."""
    from claimtrack import __version__

    db.execute("CREATE TABLE IF NOT EXISTS claimtrack_meta (key TEXT PRIMARY KEY, value TEXT)")
    db.execute("INSERT OR REPLACE INTO claimtrack_meta (key, value) VALUES ('schema_written_by', ?)", [__version__])
    db.execute("PRAGMA user_version = 5")


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


def m007_evidence_changes(db: Database) -> None:
    """Evidence has a change time of its own, so a corrected stance or note merges by it; and the file
    says in its header that it is a claimtrack database (PRAGMA application_id), so no other program's
    SQLite file is ever taken for one.

    evidence.updated_at stays NULL until the evidence is changed: it then means "as added" (added_at),
    so the upgrade rewrites no row.
    """
    from claimtrack.store.base import APPLICATION_ID

    add_column(db, "evidence", "updated_at", "TEXT")
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("PRAGMA user_version = 7")


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
    add_column(db, "history", "retracted_at", "TEXT")
    add_column(db, "history", "retraction_note", "TEXT")
    add_column(db, "speakers", "kind", "TEXT CHECK (kind IN ('person', 'organisation'))")
    rows = db.execute("SELECT id, text FROM claims").fetchall()
    db.conn.executemany("UPDATE claims SET text_key = ? WHERE id = ?", [(text_hash(text), i) for i, text in rows])
    db.execute("PRAGMA user_version = 8")
