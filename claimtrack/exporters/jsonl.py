"""JSON Lines: the lossless interchange format, one claim per line, keys and lines sorted."""

from __future__ import annotations

NAMES = ["jsonl"]


def export(store, where, out, options) -> int:
    """Write every selected claim as a line, as the store writes it; return how many."""
    count = 0
    for text in store.record_lines(where):
        out.write(text + "\n")
        count += 1
    return count
