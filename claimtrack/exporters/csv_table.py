"""CSV: one row per claim with the flat claim-object fields, safe to open in a spreadsheet."""

from __future__ import annotations

import csv

NAMES = ["csv"]
COLUMNS = [
    "uuid", "kind", "text", "speaker", "role", "said_on", "said_precision", "said_text", "said_approximate",
    "said_qualifier", "source_url", "outlet", "title", "published_on", "tags", "context", "note",
    "verdict", "attribution", "created_at", "updated_at",
]
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@")


def neutralise(value: str) -> str:
    """Prefix a would-be formula with ' so that a spreadsheet shows it as text."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def row(record: dict) -> dict:
    """The flat CSV row of an interchange record."""
    source = record.get("source") or {}
    flat = {
        **{k: record.get(k) for k in COLUMNS},
        "speaker": record["speaker"]["name"],
        "source_url": source.get("url"),
        "outlet": source.get("outlet"),
        "title": source.get("title"),
        "published_on": source.get("published_on"),
        "tags": ";".join(record.get("tags", [])),
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
