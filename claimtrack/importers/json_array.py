"""JSON: an array of interchange records (or a single one)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from claimtrack.importers import json_document

NAMES = ["json"]


def read(path: Path) -> Iterator[tuple[str, object]]:
    """Each element of the top-level array."""
    document = json_document(path)
    items = document if isinstance(document, list) else [document]
    for number, item in enumerate(items, start=1):
        yield f"item {number}", item
