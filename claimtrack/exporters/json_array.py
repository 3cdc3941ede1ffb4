"""JSON: the interchange records as one array, streamed element by element."""

from __future__ import annotations

import json

NAMES = ["json"]


def export(store, where, out, options) -> int:
    """Write the records as a JSON array; return how many."""
    count = 0
    out.write("[")
    for record in store.records(where):
        out.write(",\n" if count else "\n")
        out.write(json.dumps(record, ensure_ascii=False, sort_keys=True, indent=2))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count
