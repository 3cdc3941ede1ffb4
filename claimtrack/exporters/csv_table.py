"""CSV: one row per claim, in id order, with the flat claim-object fields, safe to open in a spreadsheet.

The id comes first; the verdict's note (of the verdict in effect) and the number of pieces of evidence are
there to read, not to import: an import ignores them (and the id) and takes them from the history and
evidence that a lossless format carries. The file starts with a UTF-8 byte order mark, which is how Excel
knows to read it as UTF-8 (without it, non-Latin text shows as mojibake); the importer skips it.

A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return) as a formula, so such a
cell is written with a ' in front, which spreadsheets show as text. So that every text comes back exactly,
a cell that starts with apostrophes and then one of those characters gets one more ' in front as well;
the importer takes one ' off a cell of that form, and only of that form ('Tis the season stays as it is).
"""

from __future__ import annotations

import csv
import re

NAMES = ["csv"]
# Written for people reading the table; an import leaves them out.
READ_ONLY = ("id", "verdict_note", "evidence")
COLUMNS = [
    "id", "uuid", "kind", "text", "speaker", "role", "said_on", "said_precision", "said_text", "said_approximate",
    "said_qualifier", "source_url", "outlet", "title", "published_on", "published_precision", "published_text",
    "published_approximate", "published_qualifier", "archived_url", "tags", "context", "note",
    "verdict", "verdict_on", "verdict_note", "attribution", "attribution_on", "evidence", "created_at", "updated_at",
]
# Makes Excel read the file as UTF-8.
BOM = "\ufeff"
# The source's columns, by the key of the record's source each holds.
SOURCE_COLUMNS = {
    "url": "source_url", "outlet": "outlet", "title": "title", "published_on": "published_on",
    "published_precision": "published_precision", "published_text": "published_text",
    "published_approximate": "published_approximate", "published_qualifier": "published_qualifier",
    "archived_url": "archived_url",
}
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A cell the export guards: a formula start, after any apostrophes (so that the guard can be told apart).
GUARDED = re.compile(r"'*[=+\-@\t\r]")


def neutralise(value: str) -> str:
    """Prefix a would-be formula with ' so that a spreadsheet shows it as text (see the module docstring)."""
    return "'" + value if GUARDED.match(value) else value


def restore(value: str) -> str:
    """Undo neutralise: one ' off a cell that is apostrophes and then a formula start."""
    return value[1:] if value.startswith("'") and GUARDED.match(value) else value


def _in_effect(record: dict, field: str) -> dict | None:
    """The history entry that set FIELD (verdict or attribution) to its current value: the latest in effect
    order that was not retracted and gave that value (two changes in one second tie in effect order)."""
    changes = [h for h in record.get("history", ())
               if h["field"] == field and not h.get("retracted_at") and h.get("new") == record.get(field)]
    return changes[-1] if changes else None


def _effective(change: dict | None) -> str | None:
    """When CHANGE took effect: its day, or when it was recorded if it took effect in a week, month or longer
    (a verdict_on is a day or a time)."""
    if change is None:
        return None
    return change["effective_on"] if change["effective_precision"] == "day" else change["at"]


def _evidence_count(record: dict) -> int:
    """The pieces of evidence that count: those whose adding was retracted as a mistake are left out."""
    retracted = sum(1 for h in record.get("history", ())
                    if h["field"] == "evidence" and h.get("old") is None and h.get("new") is not None
                    and h.get("retracted_at"))
    return max(len(record.get("evidence", ())) - retracted, 0)


def row(record: dict, claim_id: int | None = None) -> dict:
    """The flat CSV row of an interchange record (CLAIM_ID: its id in the database)."""
    source = record.get("source") or {}
    verdict = _in_effect(record, "verdict")
    flat = {
        **{k: record.get(k) for k in COLUMNS},
        "id": claim_id,
        "speaker": record["speaker"]["name"],
        **{column: source.get(key) for key, column in SOURCE_COLUMNS.items()},
        "tags": ";".join(record.get("tags", [])),
        "verdict_on": _effective(verdict),
        "verdict_note": verdict and verdict.get("note"),
        "attribution_on": _effective(_in_effect(record, "attribution")),
        "evidence": _evidence_count(record),
    }
    return {k: "" if v is None else neutralise(str(v).lower() if isinstance(v, bool) else str(v))
            for k, v in flat.items()}


def export(store, where, out, options) -> int:
    """Write a header and a row per claim; return how many rows."""
    if "utf" in (getattr(out, "encoding", None) or "utf-8").lower().replace("-", ""):
        out.write(BOM)  # only where the text is UTF-8 (an output in another encoding would get an escape)
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    count = 0
    for claim_id, record in store.numbered_records(where):
        writer.writerow(row(record, claim_id))
        count += 1
    return count
