"""CSL-JSON: the sources the selected claims cite, for Pandoc --citeproc and Zotero."""

from __future__ import annotations

import hashlib
import json

from claimtrack import dates
from claimtrack.urls import normalize_url

NAMES = ["csl-json", "csl"]


def date_parts(value: str, precision: str | None) -> dict:
    """CSL date-parts at the precision known: [[2024]], [[2024, 2]] or [[2024, 2, 19]]."""
    date = dates.from_iso(value, precision)
    start = date.start
    parts = {"year": [start.year], "quarter": [start.year, start.month], "month": [start.year, start.month]}
    return {"date-parts": [parts.get(date.precision, [start.year, start.month, start.day])]}


def item(source: dict) -> dict:
    """The CSL item of one source; its id is stable across databases."""
    key = normalize_url(source["url"]) if source.get("url") else "|".join(
        str(source.get(k) or "") for k in ("outlet", "title", "published_on"))
    entry = {
        "id": "src-" + hashlib.sha256(key.encode()).hexdigest()[:12],
        "type": "article-newspaper" if source.get("outlet") else "webpage",
    }
    for csl, field in (("title", "title"), ("container-title", "outlet"), ("URL", "url")):
        if source.get(field):
            entry[csl] = source[field]
    if source.get("published_on"):
        entry["issued"] = date_parts(source["published_on"], source.get("published_precision"))
    if source.get("recorded_at"):
        entry["accessed"] = date_parts(source["recorded_at"][:10], "day")
    return entry


def sources_of(record: dict):
    """Every source a record cites: where it appeared, and its evidence."""
    if record.get("source"):
        yield record["source"]
    for appearance in record["appearances"]:
        yield appearance["source"]
    for evidence in record["evidence"]:
        yield evidence["source"]


def export(store, where, out, options) -> int:
    """Write the distinct sources as a CSL-JSON array, sorted by id; return how many."""
    items: dict[str, dict] = {}
    for record in store.records(where):
        for source in sources_of(record):
            entry = item(source)
            items.setdefault(entry["id"], entry)
    out.write(json.dumps([items[k] for k in sorted(items)], ensure_ascii=False, indent=2) + "\n")
    return len(items)
