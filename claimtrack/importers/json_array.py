"""JSON: an array of interchange records (or a single one)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from claimtrack.errors import ClaimtrackError
from claimtrack.importers import whole_text
from claimtrack.interchange import RecordError, check_unicode

NAMES = ["json"]


def read(path: Path) -> Iterator[tuple[str, object]]:
    """Each element of the top-level array."""
    text = whole_text(path)
    try:
        document = json.loads(text)
        check_unicode(text, document)
    except ValueError as error:
        raise ClaimtrackError(f"{path} is not valid JSON ({error}). Nothing was imported.") from None
    except RecordError as error:
        raise ClaimtrackError(f"{path}: {error.message}. Nothing was imported.") from None
    items = document if isinstance(document, list) else [document]
    for number, item in enumerate(items, start=1):
        yield f"item {number}", item
