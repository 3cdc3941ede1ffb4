"""Export: every claim with its speaker, sources, evidence and history, as interchange records.

A record is the lossless JSON shape of one claim (see claimtrack.interchange). SQLite writes each
record as its JSON Lines text (RECORD_JSON below), streamed in uuid order, so an export of any
size holds a few hundred records in memory and no Python code touches a field on the way out.
"""

from __future__ import annotations

import json
from typing import Iterator

from claimtrack.merge import SOURCE_FIELDS
from claimtrack.model import ClaimFilter
from claimtrack.store.claims import _CLAIM_JOINS, claim_conditions

CHUNK = 500


# -- the record as SQLite writes it ------------------------------------------------------------
# SQLite's JSON strings are escaped exactly as Python's json.dumps(ensure_ascii=False) escapes them,
# and json_object keeps the order it is given: keys are written sorted, so each line is what
# json.dumps(record, sort_keys=True, separators=(",", ":")) makes of the record (a test holds it to that).
# A list comes from an aggregate over a subquery with ORDER BY, alone in its FROM clause: SQLite keeps
# that order for an order-sensitive aggregate such as json_group_array (it neither flattens the
# subquery into the aggregate nor drops its ORDER BY; a test stores lists out of order and checks the
# export). json(...) around a subquery keeps its value JSON rather than a string, whichever SQLite
# version passes or drops the JSON subtype there.


def _object(fields: dict[str, str]) -> str:
    """A JSON object from key -> SQL expression, keys in sorted order."""
    return "json_object(" + ", ".join(f"'{key}', {fields[key]}" for key in sorted(fields)) + ")"


def _list(element: str, rows: str, alias: str = "r") -> str:
    """A JSON array of ELEMENT over ROWS (a query with its ORDER BY, named ALIAS), in that order."""
    return f"json((SELECT json_group_array({element}) FROM ({rows}) {alias}))"


def _flag(column: str, date: str) -> str:
    """A stored 0/1 as true or false; null when there is no date for it to qualify."""
    return f"json(CASE WHEN coalesce({date}, '') = '' THEN 'null' WHEN {column} THEN 'true' ELSE 'false' END)"


def _page(source_id: str) -> str:
    """The source with id SOURCE_ID as a JSON object, or null."""
    fields = {field: f"p.{field}" for field in SOURCE_FIELDS}
    fields["published_approximate"] = _flag("p.published_approximate", "p.published_on")
    fields["recorded_at"] = "p.created_at"
    return f"json((SELECT {_object(fields)} FROM sources p WHERE p.id = {source_id}))"


_CHANGE = {
    "uuid": "h.uuid", "at": "h.at", "effective_on": "h.effective_on", "effective_precision": "h.effective_precision",
    "field": "h.field", "old": "h.old", "new": "h.new", "note": "h.note",
    "evidence": _list("uuid", "SELECT e.uuid FROM history_evidence x JOIN evidence e ON e.id = x.evidence_id "
                              "WHERE x.history_id = h.id ORDER BY e.uuid"),
}
# A retracted entry adds when and why, and an entry whose author is known, who; one that counts, by no one
# known, is written as it was before either existed, so that the export of such a database stays byte for
# byte what it was.
_RETRACTED = {"retracted_at": "h.retracted_at", "retraction_note": "h.retraction_note"}
_AUTHOR = {"author": "h.author"}
_HISTORY = (
    f"CASE WHEN h.retracted_at IS NULL AND h.author IS NULL THEN {_object(_CHANGE)} "
    f"WHEN h.retracted_at IS NULL THEN {_object({**_CHANGE, **_AUTHOR})} "
    f"WHEN h.author IS NULL THEN {_object({**_CHANGE, **_RETRACTED})} "
    f"ELSE {_object({**_CHANGE, **_RETRACTED, **_AUTHOR})} END"
)
RECORD_JSON = _object({
    **{field: f"c.{field}" for field in (
        "uuid", "kind", "text", "role", "said_on", "said_precision", "said_text", "said_qualifier", "context",
        "note", "created_at", "updated_at", "verdict", "attribution",
    )},
    "said_approximate": _flag("c.said_approximate", "c.said_on"),
    "speaker": _object({
        "name": "(SELECT name FROM speakers WHERE id = c.speaker_id)",
        "aliases": _list("alias", "SELECT alias FROM aliases WHERE speaker_id = c.speaker_id ORDER BY alias"),
    }),
    "source": _page("c.source_id"),
    "tags": _list("name", "SELECT t.name FROM claim_tags ct JOIN tags t ON t.id = ct.tag_id "
                          "WHERE ct.claim_id = c.id ORDER BY t.name"),
    "appearances": _list(
        _object({"uuid": "a.uuid", "added_at": "a.added_at", "source": _page("a.source_id")}),
        "SELECT * FROM appearances WHERE claim_id = c.id ORDER BY added_at, uuid", "a",
    ),
    "evidence": _list(
        _object({"uuid": "e.uuid", "stance": "e.stance", "quote": "e.quote", "note": "e.note",
                 "added_at": "e.added_at", "updated_at": "e.updated_at", "source": _page("e.source_id")}),
        "SELECT * FROM evidence WHERE claim_id = c.id ORDER BY added_at, uuid", "e",
    ),
    # effective_start is the start of effective_on, stored: history in effect order (as prepare reads it).
    "history": _list(_HISTORY, "SELECT * FROM history WHERE claim_id = c.id ORDER BY effective_start, at, uuid", "h"),
})


class ExportMixin:
    """Interchange records out of the database."""

    def record_lines(self, where: ClaimFilter) -> Iterator[str]:
        """The selected claims as JSON Lines text, one line (no newline) a claim, in uuid order."""
        source, conditions, params, _, _ = claim_conditions(where)
        sql = f"SELECT {RECORD_JSON} FROM {source} {_CLAIM_JOINS}"
        if conditions:
            sql += " WHERE " + " AND ".join(conditions)
        cursor = self.conn.execute(sql + " ORDER BY c.uuid", params)
        while rows := cursor.fetchmany(CHUNK):
            yield from (row[0] for row in rows)

    def numbered_records(self, where: ClaimFilter) -> Iterator[tuple[int, dict]]:
        """The selected claims' ids and interchange records, in id order (the order a table shows them in)."""
        source, conditions, params, _, _ = claim_conditions(where)
        sql = f"SELECT c.id, {RECORD_JSON} FROM {source} {_CLAIM_JOINS}"
        if conditions:
            sql += " WHERE " + " AND ".join(conditions)
        cursor = self.conn.execute(sql + " ORDER BY c.id", params)
        while rows := cursor.fetchmany(CHUNK):
            yield from ((claim_id, json.loads(line)) for claim_id, line in rows)

    def records(self, where: ClaimFilter) -> Iterator[dict]:
        """Interchange records of the selected claims, in uuid order."""
        return map(json.loads, self.record_lines(where))

    def _record(self, claim_id: int) -> dict:
        """One claim's interchange record."""
        return json.loads(self.conn.execute(f"SELECT {RECORD_JSON} FROM claims c WHERE c.id = ?", (claim_id,)).fetchone()[0])
