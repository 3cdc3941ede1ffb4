"""The triggers that log every row a change alters, as it was before, for `undo` (see store/changes.py).

Kept apart from the migrations: every upgrade makes them again from the tables' columns as they then are.
"""

from __future__ import annotations

from sqlite_utils import Database

# The tables whose rows a change can alter, each with its primary key: every change to them is logged.
LOGGED_TABLES = {
    "speakers": ("id",), "aliases": ("id",), "name_words": ("word", "speaker_id"), "sources": ("id",),
    "claims": ("id",), "tags": ("id",), "claim_tags": ("tag_id", "claim_id"), "evidence": ("id",),
    "appearances": ("id",), "history": ("id",), "history_evidence": ("history_id", "evidence_id"),
    "trash": ("claim_id",), "snapshots": ("id",), "source_checks": ("id",), "archives": ("id",), "verifications": ("id",),
}
LOG_TRIGGER_PREFIX = "undo_log_"
# Rows a bulk import adds are logged as one range each (undo deletes the rows from the first new one on):
# the column that tells a new row, and the table whose new ids it takes.
RANGE_COLUMNS = {"claim_tags": ("claim_id", "claims"), "name_words": ("speaker_id", "speakers"),
                 "history_evidence": ("history_id", "history"), "trash": ("claim_id", "trash")}


def log_trigger(table: str, event: str, columns: list[str], floor: int | None = None) -> str:
    """The trigger that logs TABLE's rows as they were before an EVENT; FLOOR: an insert trigger that logs
    only rows below the first new one (a bulk import logs those as a range)."""
    row = "new" if event == "insert" else "old"
    row_key = "json_array(" + ", ".join(f"{row}.{c}" for c in LOGGED_TABLES[table]) + ")"
    before = "NULL" if event == "insert" else "json_object(" + ", ".join(f"'{c}', old.{c}" for c in columns) + ")"
    when = f" WHEN new.{range_column(table)[0]} < {int(floor)}" if floor is not None else ""
    return (
        f"CREATE TRIGGER {LOG_TRIGGER_PREFIX}{table}_{event} AFTER {event.upper()} ON {table}{when} BEGIN "
        f"INSERT INTO undo_log (tbl, row_key, before) VALUES ('{table}', {row_key}, {before}); END"
    )


def range_column(table: str) -> tuple[str, str]:
    """The column that tells TABLE's rows added by a bulk import, and the table whose new ids it holds."""
    return RANGE_COLUMNS.get(table, ("id", table))


def log_triggers(db: Database) -> None:
    """(Re)make the triggers that log every row's earlier state into undo_log, from the tables' columns now.

    Run at the end of every upgrade, so a migration that adds a column is logged with it. The change a
    row belongs to is known by position: the change records the first and last undo_log id it wrote.
    """
    drop_log_triggers(db)
    for table in LOGGED_TABLES:
        if not db.table(table).exists():
            continue
        columns = list(db.table(table).columns_dict)
        for event in ("insert", "update", "delete"):
            # Table and column names are the schema's own (LOGGED_TABLES, the table's columns).
            statement = log_trigger(table, event, columns)
            db.execute(statement)


def drop_log_triggers(db: Database) -> None:
    """Remove the change-logging triggers (an upgrade runs without them, and makes them again after)."""
    for (name,) in db.execute(
        f"SELECT name FROM sqlite_master WHERE type = 'trigger' AND name GLOB '{LOG_TRIGGER_PREFIX}*'"
    ).fetchall():
        db.execute(f"DROP TRIGGER [{name}]")
