"""JSON Lines: one interchange record per line, read one line at a time."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from claimtrack.importers import decoded_lines, parse_json_line

NAMES = ["jsonl"]


def read(path: Path) -> Iterator[tuple[str, object]]:
    """Each non-blank line as parsed JSON."""
    for number, text in decoded_lines(path):
        if text.strip():
            yield f"line {number}", parse_json_line(path, number, text)
