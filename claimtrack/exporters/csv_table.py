"""CSV: one row per claim with the flat claim-object fields, safe to open in a spreadsheet.

A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return) as a formula, so such a
cell is written with a ' in front, which spreadsheets show as text. So that every text comes back exactly,
a cell that starts with apostrophes and then one of those characters gets one more ' in front as well;
the importer takes one ' off a cell of that form, and only of that form ('Tis the season stays as it is).
"""

from __future__ import annotations

import csv
import re

NAMES = ["csv"]
COLUMNS = [
    "uuid", "kind", "text", "speaker", "role", "said_on", "said_precision", "said_text", "said_approximate",
    "said_qualifier", "source_url", "outlet", "title", "published_on", "published_precision", "published_text",
    "published_approximate", "published_qualifier", "archived_url", "tags", "context", "note",
    "verdict", "verdict_on", "attribution", "attribution_on", "created_at", "updated_at",
]
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


def _latest(record: dict, field: str) -> str | None:
    """When the latest change of FIELD (verdict or attribution) took effect: its day, or when it was recorded
    if it took effect in a week, month or longer (a verdict_on is a day or a time)."""
    changes = [h for h in record.get("history", ()) if h["field"] == field and not h.get("retracted_at")]
    if not changes:
        return None
    latest = changes[-1]
    return latest["effective_on"] if latest["effective_precision"] == "day" else latest["at"]


def row(record: dict) -> dict:
    """The flat CSV row of an interchange record."""
    source = record.get("source") or {}
    flat = {
        **{k: record.get(k) for k in COLUMNS},
        "speaker": record["speaker"]["name"],
        **{column: source.get(key) for key, column in SOURCE_COLUMNS.items()},
        "tags": ";".join(record.get("tags", [])),
        "verdict_on": _latest(record, "verdict"),
        "attribution_on": _latest(record, "attribution"),
    }
    return {k: "" if v is None else neutralise(str(v).lower() if isinstance(v, bool) else str(v))
            for k, v in flat.items()}


def export(store, where, out, options) -> int:
    """Write a header and a row per claim; return how many rows."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    count = 0
    for record in store.records(where):
        writer.writerow(row(record))
        count += 1
    return count
