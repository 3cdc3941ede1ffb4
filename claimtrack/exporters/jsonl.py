"""JSON Lines: the lossless interchange format, one claim per line, keys and lines sorted."""

from __future__ import annotations

import json

NAMES = ["jsonl"]


def line(record: dict) -> str:
    """One record as one line: sorted keys, non-ASCII kept, no spaces to diff over."""
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def export(store, where, out, options) -> int:
    """Write every selected claim as a line; return how many."""
    count = 0
    for record in store.records(where):
        out.write(line(record) + "\n")
        count += 1
    return count
