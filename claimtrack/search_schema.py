"""The full-text search index's SQL: what each search row holds, and the triggers that keep it in step.

Shared by the migrations that make the index and by the store, which fills it in bulk and checks it.
"""

from __future__ import annotations

from sqlite_utils import Database


# Every speaker's name and aliases in one string, for the full-text index.
SPEAKER_NAMES = (
    "(SELECT s.name || coalesce(' ' || (SELECT group_concat(a.alias, ' ') FROM aliases a "
    "WHERE a.speaker_id = s.id), '') FROM speakers s WHERE s.id = {})"
)


# The search rows of a speaker's claims given the speaker's current names (an alias added or removed).
# Schemas 1 to 14 (search rows of text, context and speaker names):
_SPEAKER_REFRESH_14 = (
    "UPDATE claims_fts SET speaker = {names} WHERE rowid IN (SELECT id FROM claims WHERE speaker_id = {who})"
)
_FTS_INSERT_14 = (
    "INSERT INTO claims_fts (rowid, text, context, speaker) VALUES "
    f"(new.id, new.text, coalesce(new.context, ''), {SPEAKER_NAMES.format('new.speaker_id')});"
)
# From schema 15 the index also holds each claim's unspaced runs (Chinese, Japanese, Thai...) cut into
# two-character pieces (claimtrack.scripts). Cutting takes Python, which a trigger cannot count on (another
# program may write to the file): the triggers write the row with no pieces and, when its words have unspaced
# letters, note the claim in search_pending; every claimtrack write cuts the noted claims' pieces before it
# commits (Store.write), as the upgrade, an import and check --repair do for theirs.
def _unspaced(expression: str) -> str:
    from claimtrack.scripts import UNSPACED_GLOB

    return f"{expression} GLOB '{UNSPACED_GLOB}'"


SPEAKER_REFRESH = (
    "UPDATE claims_fts SET speaker = {names}, speaker_grams = '' "
    "WHERE rowid IN (SELECT id FROM claims WHERE speaker_id = {who})"
)
_NOTE_SPEAKER = (
    "INSERT OR IGNORE INTO search_pending (claim_id) SELECT id FROM claims WHERE speaker_id = {who} AND "
    + _unspaced("{names}")
)
FTS_COLUMNS = "rowid, text, context, speaker, text_grams, context_grams, speaker_grams"
_NEW_NAMES = SPEAKER_NAMES.format("new.speaker_id")
_FTS_INSERT = (
    f"INSERT INTO claims_fts ({FTS_COLUMNS}) VALUES "
    f"(new.id, new.text, coalesce(new.context, ''), {_NEW_NAMES}, '', '', ''); "
    "INSERT OR IGNORE INTO search_pending (claim_id) SELECT new.id WHERE "
    + _unspaced(f"(new.text || ' ' || coalesce(new.context, '') || ' ' || {_NEW_NAMES})") + ";"
)


def create_search_index(db: Database) -> None:
    """FTS5 over claim text, context and speaker names, kept in step by triggers on both tables."""
    db.execute(
        "CREATE VIRTUAL TABLE claims_fts USING fts5(text, context, speaker, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    create_search_triggers(db, grams=False)


SEARCH_TRIGGERS = ("claims_fts_insert", "claims_fts_delete", "claims_fts_update", "speakers_fts_update",
                   "aliases_fts_insert", "aliases_fts_delete")


def create_search_triggers(db: Database, grams: bool = True) -> None:
    """The triggers that keep claims_fts in step with claims, speakers and aliases (GRAMS: schema 15 on)."""
    insert = _FTS_INSERT if grams else _FTS_INSERT_14
    refresh = (SPEAKER_REFRESH if grams else _SPEAKER_REFRESH_14) + ";"
    if grams:
        refresh += " " + _NOTE_SPEAKER + ";"
    statements = [
        # A bulk import drops this trigger (and, into an empty database, aliases_fts_insert) inside its
        # transaction, fills the search index itself, and puts them back as sqlite_master holds them.
        f"CREATE TRIGGER claims_fts_insert AFTER INSERT ON claims BEGIN {insert} END",
        "CREATE TRIGGER claims_fts_delete AFTER DELETE ON claims BEGIN "
        "DELETE FROM claims_fts WHERE rowid = old.id; END",
        "CREATE TRIGGER claims_fts_update AFTER UPDATE OF text, context, speaker_id ON claims BEGIN "
        f"DELETE FROM claims_fts WHERE rowid = old.id; {insert} END",
        "CREATE TRIGGER speakers_fts_update AFTER UPDATE OF name ON speakers BEGIN "
        + refresh.format(names=SPEAKER_NAMES.format("new.id"), who="new.id") + " END",
        "CREATE TRIGGER aliases_fts_insert AFTER INSERT ON aliases BEGIN "
        + refresh.format(names=SPEAKER_NAMES.format("new.speaker_id"), who="new.speaker_id") + " END",
        "CREATE TRIGGER aliases_fts_delete AFTER DELETE ON aliases BEGIN "
        + refresh.format(names=SPEAKER_NAMES.format("old.speaker_id"), who="old.speaker_id") + " END",
    ]
    for statement in statements:
        db.execute(statement)


# Evidence's search row: its quoted passage, its note and the title of its source.
EVIDENCE_ROW = ("coalesce({e}.quote, ''), coalesce({e}.note, ''), "
                 "coalesce((SELECT title FROM sources WHERE id = {e}.source_id), '')")
EVIDENCE_INSERT = "INSERT INTO evidence_fts (rowid, quote, note, title) VALUES (new.id, " + \
    EVIDENCE_ROW.format(e="new") + ");"
