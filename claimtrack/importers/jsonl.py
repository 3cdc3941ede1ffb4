"""JSON Lines: one interchange record per line, read one line at a time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from claimtrack.errors import ClaimtrackError
from claimtrack.importers import decoded_lines

NAMES = ["jsonl"]


def read(path: Path) -> Iterator[tuple[str, object]]:
    """Each non-blank line as parsed JSON."""
    for number, text in decoded_lines(path):
        if not text.strip():
            continue
        try:
            yield f"line {number}", json.loads(text)
        except ValueError as error:
            raise ClaimtrackError(f"{path}, line {number}: not valid JSON ({error}). Nothing was imported.") from None
