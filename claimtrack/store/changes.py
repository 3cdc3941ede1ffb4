"""Every write is one change: recorded with its time and command, and revertible by undo (and redo).

The log triggers (claimtrack.change_log.log_triggers) keep, for every row a change touches, the row as
it was before (NULL: it did not exist). Reverting a change puts each of its rows back as it was, the
last touched first; that is itself a change, logged the same way, which is what redo reverts.
"""

from __future__ import annotations

import contextlib
import json
from typing import Iterator, NamedTuple

from claimtrack.errors import ClaimtrackError
from claimtrack.store.base import now

# How many changes keep what undo needs: older ones are still listed, but can no longer be reverted.
KEPT_CHANGES = 200


class Revision(NamedTuple):
    """One recorded change: what a write command did, when, and whether it is undone."""

    id: int
    at: str
    command: str
    summary: str
    kind: str  # change, undo, redo, or barrier (the trash emptied: nothing before it can be undone)
    reverts: int | None
    undone: bool
    kept: bool

    def to_dict(self) -> dict:
        """The change as `undo --list --json` prints it."""
        return {"id": self.id, "at": self.at, "command": self.command, "summary": self.summary,
                "kind": self.kind, "undone": self.undone}


_COLUMNS = "id, at, command, summary, kind, reverts, undone, kept"


def _revision(row) -> Revision:
    return Revision(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]), bool(row[7]))


class ChangesMixin:
    """The change journal: begun and ended by Connection.write, walked by undo and redo."""

    command: str = "claimtrack"  # the command writing (set by the CLI), recorded with each change
    _change: dict | None = None  # the change being written

    def _begin_change(self, summary: str, kind: str, reverts: int | None) -> None:
        """Open a change: the log triggers add rows to undo_log; the change is written only if they did."""
        last_change, last_log = self.conn.execute(
            "SELECT coalesce(max(id), 0), coalesce(max(last_log), 0) FROM changes"
        ).fetchone()
        logged = self._last_log()
        if logged > last_log:
            # Rows another program changed in the file since (the triggers logged them): a change of their
            # own, so that undo does not take them back with ours.
            last_change += 1
            self.conn.execute(
                "INSERT INTO changes (id, at, command, summary, first_log, last_log) "
                "VALUES (?, ?, 'another program', 'changes made outside claimtrack', ?, ?)",
                (last_change, now(), last_log + 1, logged),
            )
        self._change = {"id": last_change + 1, "at": now(), "command": self.command, "summary": summary,
                        "kind": kind, "reverts": reverts, "first_log": logged + 1}

    def _end_change(self) -> None:
        """Close the change: recorded if it logged a row (one that altered nothing leaves no trace)."""
        change, self._change = self._change, None
        change["last_log"] = self._last_log()
        if change["kind"] != "barrier" and not self.conn.execute(
            "SELECT EXISTS (SELECT 1 FROM undo_log WHERE id BETWEEN ? AND ?)", (change["first_log"], change["last_log"])
        ).fetchone()[0]:
            return
        self.conn.execute(
            "INSERT INTO changes (id, at, command, summary, kind, reverts, first_log, last_log) "
            "VALUES (:id, :at, :command, :summary, :kind, :reverts, :first_log, :last_log)", change,
        )
        if change["kind"] == "change":
            self._forget_old_changes()

    def _last_log(self) -> int:
        """The last undo_log id given (AUTOINCREMENT: never given again, even once its row is gone)."""
        row = self.conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'undo_log'").fetchone()
        return row[0] if row else 0

    def describe_change(self, summary: str) -> None:
        """Say better what the change being written does, once it is known (inside write())."""
        if self._change is not None:
            self._change["summary"] = summary

    def _forget_old_changes(self) -> None:
        row = self.conn.execute(
            "SELECT id FROM changes ORDER BY id DESC LIMIT 1 OFFSET ?", (KEPT_CHANGES - 1,)
        ).fetchone()
        if row is not None:
            self._forget_before(row[0])

    def _forget_before(self, change_id: int) -> None:
        """Drop what undo needs for the changes before CHANGE_ID: they can no longer be reverted."""
        first = self.conn.execute(
            "SELECT min(first_log) FROM changes WHERE id >= ? AND first_log IS NOT NULL", (change_id,)
        ).fetchone()[0]
        if first is None:
            self.conn.execute("DELETE FROM undo_log")
        else:
            self.conn.execute("DELETE FROM undo_log WHERE id < ?", (first,))
        self.conn.execute("UPDATE changes SET kept = 0 WHERE id < ? AND kept = 1", (change_id,))

    @contextlib.contextmanager
    def inserts_logged_as_ranges(self) -> Iterator[None]:
        """Inside a change: rows added to a table are logged as one range (undo deletes rows from the first
        new id on), not one by one; a bulk import of a million claims would otherwise log ten million rows.

        Ranges are logged first, so that undo reverts the changes to those rows before deleting them. The
        insert triggers log only older rows meanwhile (a tag added to a claim already there), and are
        made again as they were at the end.
        """
        from claimtrack.change_log import LOGGED_TABLES, range_column

        tables = [t for t in LOGGED_TABLES if t != "trash"]
        floors, entries = {}, {}
        for table in tables:
            column, numbered = range_column(table)
            # The first id a new row can take: ids only grow (a deleted claim's id is never given again).
            floors[table] = self.conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {numbered}").fetchone()[0]
            if numbered == "claims":
                floors[table] = max(floors[table], self.last_claim_id() + 1)
            entries[table] = self.conn.execute(
                "INSERT INTO undo_log (tbl, row_key, before) VALUES (?, json_object('at_least', json_array(?, ?)), "
                "NULL)", (table, column, floors[table]),
            ).lastrowid
        saved = self._swap_insert_triggers(tables, floors)
        try:
            yield
        finally:
            for sql in saved:
                self.conn.execute(sql)
        for table in tables:
            column = range_column(table)[0]
            if not self.conn.execute(f"SELECT EXISTS (SELECT 1 FROM {table} WHERE {column} >= ?)",
                                     (floors[table],)).fetchone()[0]:
                self.conn.execute("DELETE FROM undo_log WHERE id = ?", (entries[table],))

    def _swap_insert_triggers(self, tables: list[str], floors: dict) -> list[str]:
        from claimtrack.change_log import LOG_TRIGGER_PREFIX, log_trigger, range_column

        saved = []
        for table in tables:
            name = f"{LOG_TRIGGER_PREFIX}{table}_insert"
            row = self.conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                                    (name,)).fetchone()
            if row is None:
                continue
            saved.append(f"DROP TRIGGER IF EXISTS {name}")
            saved.append(row[0])
            self.conn.execute(f"DROP TRIGGER {name}")
            if range_column(table)[0] == "id":
                continue  # a row id below the floor is never given: no row needs logging one by one
            columns = [c[1] for c in self.conn.execute(f"PRAGMA table_info({table})")]
            statement = log_trigger(table, "insert", columns, floor=floors[table])
            self.conn.execute(statement)
        return saved

    # -- reading the journal ---------------------------------------------------------------

    def revisions(self, limit: int = 20) -> list[Revision]:
        """The changes undo can revert, most recent first: up to the first that cannot be."""
        found = []
        for row in self.conn.execute(
            f"SELECT {_COLUMNS} FROM changes WHERE kind IN ('change', 'barrier') AND undone = 0 "
            "ORDER BY id DESC LIMIT ?", (limit,),
        ):
            revision = _revision(row)
            if revision.kind == "barrier" or not revision.kept:
                break
            found.append(revision)
        return found

    def undo_target(self) -> Revision:
        """The change that undo would revert now, or an error saying why there is none."""
        row = self.conn.execute(
            f"SELECT {_COLUMNS} FROM changes WHERE kind IN ('change', 'barrier') AND undone = 0 "
            "ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            if self.conn.execute("SELECT EXISTS (SELECT 1 FROM changes)").fetchone()[0]:
                raise ClaimtrackError("Nothing more to undo: every change has been undone (claimtrack redo "
                                      "re-applies the last one undone).")
            raise ClaimtrackError("Nothing to undo: no change has been made to this database yet.")
        revision = _revision(row)
        if revision.kind == "barrier":
            raise ClaimtrackError(
                f"Nothing more to undo: the trash was emptied at {revision.at}, and changes before that "
                "can no longer be undone."
            )
        if not revision.kept:
            raise ClaimtrackError(
                f"Nothing more to undo: claimtrack keeps what undo needs for the last {KEPT_CHANGES} changes, "
                f"and the next one back ({revision.summary}, {revision.at}) is older."
            )
        return revision

    def redo_target(self) -> Revision:
        """The undo that redo would take back now (its `reverts` is the change re-applied), or an error."""
        row = self.conn.execute(
            f"SELECT {', '.join('u.' + c for c in _COLUMNS.split(', '))} FROM changes u "
            "JOIN changes t ON t.id = u.reverts WHERE u.kind = 'undo' AND t.undone = 1 "
            "ORDER BY u.id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            raise ClaimtrackError("Nothing to redo: no change has been undone.")
        revision = _revision(row)
        later = self.conn.execute(
            "SELECT summary FROM changes WHERE kind = 'change' AND id > ? ORDER BY id LIMIT 1", (revision.id,)
        ).fetchone()
        if later is not None:
            raise ClaimtrackError(
                f"Nothing to redo: a change was made after the last undo ({later[0]}). Redo only follows undo."
            )
        if not revision.kept:
            raise ClaimtrackError("Nothing to redo: the undo is too old to be taken back.")
        return revision

    def revision(self, change_id: int) -> Revision:
        """One recorded change by id."""
        row = self.conn.execute(f"SELECT {_COLUMNS} FROM changes WHERE id = ?", (change_id,)).fetchone()
        return _revision(row)

    # -- undo and redo ---------------------------------------------------------------------

    def undo(self, expected: int | None = None) -> Revision:
        """Revert the most recent change not undone; return it. EXPECTED: the id the user was shown."""
        with self.write("undo", kind="undo"):
            target = self.undo_target()
            _same(target, expected)
            self._revert(target.id)
            self.conn.execute("UPDATE changes SET undone = 1 WHERE id = ?", (target.id,))
            self._change["reverts"] = target.id
            self.describe_change(f"undo: {target.summary}")
        return target

    def redo(self, expected: int | None = None) -> Revision:
        """Re-apply the change the last undo reverted; return that change. EXPECTED: its id, as shown."""
        with self.write("redo", kind="redo"):
            undo = self.redo_target()
            target = self.revision(undo.reverts)
            _same(target, expected)
            self._revert(undo.id)
            self.conn.execute("UPDATE changes SET undone = 0 WHERE id = ?", (target.id,))
            self._change["reverts"] = undo.id
            self.describe_change(f"redo: {target.summary}")
        return target

    def _revert(self, change_id: int) -> None:
        """Put every row the change touched back as it was before it, the last touched first."""
        from claimtrack.change_log import LOGGED_TABLES

        # A claim comes back before or after its evidence, as the log has it: check references at the end.
        self.conn.execute("PRAGMA defer_foreign_keys = ON")
        first, last = self.conn.execute(
            "SELECT first_log, last_log FROM changes WHERE id = ?", (change_id,)
        ).fetchone()
        entries = self.conn.execute(
            "SELECT tbl, row_key, before FROM undo_log WHERE id BETWEEN ? AND ? ORDER BY id DESC", (first, last)
        ).fetchall()
        columns_of: dict[str, set] = {}
        for logged, row_key, before in entries:
            if logged not in LOGGED_TABLES:
                raise ClaimtrackError(f"The undo log names an unknown table ({logged!r}); nothing was changed.")
            table = next(t for t in LOGGED_TABLES if t == logged)  # the schema's own name, not the log's
            if table not in columns_of:
                columns_of[table] = {r[1] for r in self.conn.execute(f"PRAGMA table_info({table})")}
            key_columns = LOGGED_TABLES[table]
            where = " AND ".join(f"{c} = ?" for c in key_columns)
            key = json.loads(row_key)
            if isinstance(key, dict):  # the rows a bulk import added, from the first new one on
                column, floor = key["at_least"]
                if column not in columns_of[table]:
                    raise ClaimtrackError(f"The undo log names an unknown column ({column!r}); nothing was changed.")
                column = next(c for c in columns_of[table] if c == column)
                self.conn.execute(f"DELETE FROM {table} WHERE {column} >= ?", (floor,))
                continue
            if before is None:
                self.conn.execute(f"DELETE FROM {table} WHERE {where}", key)
                continue
            # Columns a later upgrade dropped are left out; the names used are the table's own.
            values = {c: v for c, v in json.loads(before).items() if c in columns_of[table]}
            columns = [c for c in columns_of[table] if c in values]
            exists = self.conn.execute(f"SELECT 1 FROM {table} WHERE {where}", key).fetchone()
            if exists:
                sql = f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in columns)} WHERE {where}"
                self.conn.execute(sql, [*(values[c] for c in columns), *key])
            else:
                sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
                self.conn.execute(sql, [values[c] for c in columns])


def _same(target: Revision, expected: int | None) -> None:
    if expected is not None and target.id != expected:
        raise ClaimtrackError(
            "Another change was made while you were asked; nothing was undone or redone. Run the command again."
        )
