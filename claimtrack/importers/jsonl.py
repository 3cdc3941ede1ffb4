"""JSON Lines: one interchange record per line, read one line at a time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from claimtrack.errors import ClaimtrackError
from claimtrack.importers import decoded_lines
from claimtrack.interchange import RecordError, check_unicode

NAMES = ["jsonl"]


def read(path: Path) -> Iterator[tuple[str, object]]:
    """Each non-blank line as parsed JSON."""
    for number, text in decoded_lines(path):
        if not text.strip():
            continue
        try:
            data = json.loads(text)
        except ValueError as error:
            raise ClaimtrackError(f"{path}, line {number}: not valid JSON ({error}). Nothing was imported.") from None
        try:
            check_unicode(text, data)
        except RecordError as error:
            raise ClaimtrackError(f"{path}, line {number}: {error.message}. Nothing was imported.") from None
        yield f"line {number}", data
