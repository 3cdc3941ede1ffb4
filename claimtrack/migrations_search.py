"""The schema's steps for the search index: its vocabulary, prefixes, the evidence index, words inside unspaced
scripts, and its declaration with the readable views (m009, m013 to m015, m019; registered in order by
claimtrack.migrations). Each is derived from the claims: none rewrites a claim."""

from __future__ import annotations

from sqlite_utils import Database

from claimtrack.search_schema import (
    EVIDENCE_INSERT, EVIDENCE_ROW, FTS_COLUMNS, SEARCH_TRIGGERS, create_search_triggers,
)


def m009_search_vocabulary(db: Database) -> None:
    """The words of the search index with the number of claims holding each (FTS5's fts5vocab, read
    from the index itself: nothing stored), so that a search that finds nothing can suggest close words."""
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS claims_vocab USING fts5vocab(claims_fts, row)")
    db.execute("PRAGMA user_version = 9")


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
