"""The trash: a deleted claim keeps every row it had, and `restore` puts them back under the old ids."""

from __future__ import annotations

import datetime as dt
import json
from typing import NamedTuple

from claimtrack.errors import ClaimtrackError
from claimtrack.store.base import now

# What belongs to a claim, table by table, found by the claim's id.
_OWN_ROWS = (
    ("claims", "SELECT * FROM claims WHERE id = ?"),
    ("claim_tags", "SELECT * FROM claim_tags WHERE claim_id = ?"),
    ("evidence", "SELECT * FROM evidence WHERE claim_id = ? ORDER BY id"),
    ("appearances", "SELECT * FROM appearances WHERE claim_id = ? ORDER BY id"),
    ("history", "SELECT * FROM history WHERE claim_id = ? ORDER BY id"),
    ("history_evidence", "SELECT * FROM history_evidence WHERE history_id IN "
                         "(SELECT id FROM history WHERE claim_id = ?)"),
)
# What a claim uses but shares with others; kept so that a restore finds it even if it went meanwhile.
_USED_ROWS = (
    ("tags", "SELECT * FROM tags WHERE id IN (SELECT tag_id FROM claim_tags WHERE claim_id = ?)"),
    ("sources", "SELECT * FROM sources WHERE id IN (SELECT source_id FROM claims WHERE id = :id UNION "
                "SELECT source_id FROM evidence WHERE claim_id = :id UNION "
                "SELECT source_id FROM appearances WHERE claim_id = :id)"),
    ("speakers", "SELECT * FROM speakers WHERE id = (SELECT speaker_id FROM claims WHERE id = ?)"),
    ("aliases", "SELECT * FROM aliases WHERE speaker_id = (SELECT speaker_id FROM claims WHERE id = ?)"),
    ("name_words", "SELECT * FROM name_words WHERE speaker_id = (SELECT speaker_id FROM claims WHERE id = ?)"),
)


class TrashedClaim(NamedTuple):
    """A deleted claim as the trash lists it."""

    id: int
    uuid: str
    deleted_at: str
    speaker: str
    text: str

    def to_dict(self) -> dict:
        """The claim as `trash --json` prints it."""
        return self._asdict()


class TrashMixin:
    """Deleting into the trash, listing it, restoring from it and emptying it."""

    def _to_trash(self, claim_id: int, speaker: str, text: str) -> None:
        """Keep every row of the claim in the trash, then delete them (inside the caller's transaction)."""
        rows: dict[str, list[dict]] = {}
        for table, sql in (*_OWN_ROWS, *_USED_ROWS):
            params = {"id": claim_id} if ":id" in sql else (claim_id,)
            rows[table] = [dict(r) for r in self.conn.execute(sql, params)]
        self.conn.execute(
            "INSERT INTO trash (claim_id, uuid, deleted_at, speaker, text, rows) VALUES (?, ?, ?, ?, ?, ?)",
            (claim_id, rows["claims"][0]["uuid"], now(), speaker, text, json.dumps(rows, ensure_ascii=False)),
        )
        self.conn.execute("DELETE FROM claim_tags WHERE claim_id = ?", (claim_id,))
        self.conn.execute(
            "DELETE FROM history_evidence WHERE history_id IN (SELECT id FROM history WHERE claim_id = ?) "
            "OR evidence_id IN (SELECT id FROM evidence WHERE claim_id = ?)", (claim_id, claim_id),
        )
        self.conn.execute("DELETE FROM claims WHERE id = ?", (claim_id,))  # evidence, appearances, history cascade

    def trash(self) -> list[TrashedClaim]:
        """The deleted claims, most recently deleted first."""
        return [TrashedClaim(*row) for row in self.conn.execute(
            "SELECT claim_id, uuid, deleted_at, speaker, text FROM trash ORDER BY deleted_at DESC, claim_id DESC"
        )]

    def trashed_uuids(self, uuids: list[str]) -> set[str]:
        """Those of UUIDS that belong to claims in the trash."""
        if not uuids or not self.conn.execute("SELECT EXISTS (SELECT 1 FROM trash)").fetchone()[0]:
            return set()
        marks = ", ".join("?" for _ in uuids)
        return {r[0] for r in self.conn.execute(f"SELECT uuid FROM trash WHERE uuid IN ({marks})", uuids)}

    def restore(self, claim_id: int) -> int:
        """Put a deleted claim back under its old id, with everything it had; return its id."""
        with self.write(f"claim {claim_id} restored from the trash"):
            row = self.conn.execute(
                "SELECT uuid, rows FROM trash WHERE claim_id = ?", (claim_id,)
            ).fetchone()
            if row is None:
                if self.conn.execute("SELECT 1 FROM claims WHERE id = ?", (claim_id,)).fetchone():
                    raise ClaimtrackError(f"Claim {claim_id} is not deleted: there is nothing to restore.")
                raise ClaimtrackError(
                    f"Claim {claim_id} is not in the trash. See what is with claimtrack trash."
                )
            uuid, rows = row[0], json.loads(row[1])
            twin = self.conn.execute("SELECT id FROM claims WHERE uuid = ?", (uuid,)).fetchone()
            if twin is not None:
                raise ClaimtrackError(
                    f"Claim {claim_id} cannot come back: claim {twin[0]} is the same claim (same uuid), added "
                    f"again since the delete. Nothing was restored; compare them with claimtrack show {twin[0]}."
                )
            _Restoring(self.conn, rows).run()
            self.conn.execute("DELETE FROM trash WHERE claim_id = ?", (claim_id,))
        return claim_id

    def empty_trash(self, older_than_days: int | None = None) -> int:
        """Delete for good the claims in the trash (deleted more than OLDER_THAN_DAYS ago); return how many.

        Their rows also live in what undo keeps, so emptying is a barrier: nothing before it can be undone.
        """
        cutoff = None
        if older_than_days is not None:
            if older_than_days < 0:
                raise ClaimtrackError("--older-than takes a number of days, 0 or more.")
            cutoff = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=older_than_days)).strftime(
                "%Y-%m-%dT%H:%M:%SZ")
        with self.write("trash emptied", kind="barrier"):
            if cutoff is None:
                removed = self.conn.execute("DELETE FROM trash").rowcount
            else:
                removed = self.conn.execute("DELETE FROM trash WHERE deleted_at < ?", (cutoff,)).rowcount
            self.describe_change(f"trash emptied: {removed} claim{'' if removed == 1 else 's'} deleted for good")
            self._forget_before(self._change["id"] + 1)
        return removed

    def trash_count(self, older_than_days: int | None = None) -> int:
        """How many claims the trash holds (deleted more than OLDER_THAN_DAYS ago)."""
        if older_than_days is None:
            return self.conn.execute("SELECT count(*) FROM trash").fetchone()[0]
        cutoff = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=older_than_days)).strftime(
            "%Y-%m-%dT%H:%M:%SZ")
        return self.conn.execute("SELECT count(*) FROM trash WHERE deleted_at < ?", (cutoff,)).fetchone()[0]


class _Restoring:
    """Putting a trashed claim's rows back: its own under their ids where free, what it used found again."""

    def __init__(self, conn, rows: dict[str, list[dict]]):
        self.conn = conn
        self.rows = rows
        self.ids: dict[str, dict] = {"sources": {}, "speakers": {}, "tags": {}, "evidence": {}, "history": {}}

    def run(self) -> None:
        for source in self.rows["sources"]:
            self.ids["sources"][source["id"]] = self._shared("sources", source, ("url_key",))
        for speaker in self.rows["speakers"]:
            self.ids["speakers"][speaker["id"]] = self._speaker(speaker)
        for tag in self.rows["tags"]:
            self.ids["tags"][tag["id"]] = self._shared("tags", tag, ("name",))
        claim = dict(self.rows["claims"][0])
        claim["speaker_id"] = self.ids["speakers"].get(claim["speaker_id"], claim["speaker_id"])
        claim["source_id"] = self.ids["sources"].get(claim["source_id"], claim["source_id"])
        self._insert("claims", claim)
        for link in self.rows["claim_tags"]:
            self._insert("claim_tags", {**link, "tag_id": self.ids["tags"].get(link["tag_id"], link["tag_id"])})
        for table in ("evidence", "appearances", "history"):
            for item in self.rows[table]:
                if "source_id" in item:
                    item = {**item, "source_id": self.ids["sources"].get(item["source_id"], item["source_id"])}
                new_id = self._insert(table, item, keep_id=not self._taken(table, item["id"]))
                self.ids.setdefault(table, {})[item["id"]] = new_id
        for link in self.rows["history_evidence"]:
            self._insert("history_evidence", {
                "history_id": self.ids["history"][link["history_id"]],
                "evidence_id": self.ids["evidence"].get(link["evidence_id"], link["evidence_id"]),
            })

    def _taken(self, table: str, row_id: int) -> bool:
        return self.conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)).fetchone() is not None

    def _shared(self, table: str, row: dict, keys: tuple[str, ...]) -> int:
        """The id of a shared row now: the same row, else one with the same key, else the row put back."""
        same = self.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row["id"],)).fetchone()
        if same is not None and all(same[k] == row[k] for k in keys):
            return row["id"]
        if all(row[k] is not None for k in keys):
            where = " AND ".join(f"{k} = ?" for k in keys)
            found = self.conn.execute(f"SELECT id FROM {table} WHERE {where}", [row[k] for k in keys]).fetchone()
            if found is not None:
                return found[0]
        return self._insert(table, row, keep_id=same is None)

    def _speaker(self, speaker: dict) -> int:
        # The same speaker: same id, and the same name or (renamed since) the same creation time.
        found = self.conn.execute("SELECT id FROM speakers WHERE id = ? AND (key = ? OR created_at = ?)",
                                  (speaker["id"], speaker["key"], speaker["created_at"])).fetchone()
        if found is not None:
            return found[0]
        for sql in ("SELECT id FROM speakers WHERE key = ?", "SELECT speaker_id FROM aliases WHERE key = ?"):
            found = self.conn.execute(sql, (speaker["key"],)).fetchone()
            if found is not None:
                return found[0]
        taken = self.conn.execute("SELECT 1 FROM speakers WHERE id = ?", (speaker["id"],)).fetchone()
        speaker_id = self._insert("speakers", speaker, keep_id=taken is None)
        for alias in self.rows["aliases"]:
            if not self.conn.execute("SELECT 1 FROM aliases WHERE key = ?", (alias["key"],)).fetchone():
                self._insert("aliases", {**alias, "speaker_id": speaker_id}, keep_id=False)
        for word in self.rows["name_words"]:
            self.conn.execute("INSERT OR IGNORE INTO name_words (word, speaker_id) VALUES (?, ?)",
                              (word["word"], speaker_id))
        return speaker_id

    def _insert(self, table: str, row: dict, keep_id: bool = True) -> int:
        """Insert ROW (its own id, or a new one) into TABLE; return the id. Columns are the table's own."""
        columns = [c[1] for c in self.conn.execute(f"PRAGMA table_info({table})") if c[1] in row]
        if not keep_id and "id" in columns:
            columns.remove("id")
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
        cursor = self.conn.execute(sql, [row[c] for c in columns])
        return row["id"] if keep_id and "id" in row else cursor.lastrowid
