"""CSV with the flat claim-object columns, as `export --format csv` writes it."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Iterator

from claimtrack.errors import ClaimtrackError
from claimtrack.exporters.csv_table import FORMULA_STARTS
from claimtrack.importers import decoded_lines

NAMES = ["csv"]
REQUIRED = ("text", "speaker")


def restore(value: str) -> str:
    """Undo the export's formula guard: '=SUM(1) is read back as =SUM(1)."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value


def read(path: Path) -> Iterator[tuple[str, object]]:
    """Each row as a record."""
    reader = csv.DictReader(text for _, text in decoded_lines(path))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise ClaimtrackError(
            f"{path} has no {' or '.join(repr(c) for c in missing)} column. A claimtrack CSV needs at least "
            f"the columns {', '.join(REQUIRED)} (export one with claimtrack export --format csv to see them all)."
        )
    for row in reader:
        cells = {k: restore(v) for k, v in row.items() if k is not None and v not in (None, "")}
        source = {k: cells.get(c) for k, c in (("url", "source_url"), ("outlet", "outlet"), ("title", "title"),
                                              ("published_on", "published_on"))}
        record = {k: v for k, v in cells.items() if k not in ("source_url", "outlet", "title", "published_on")}
        record["speaker"] = {"name": cells.get("speaker", ""), "aliases": []}
        record["text"] = cells.get("text", "")
        record["tags"] = [t for t in cells.get("tags", "").split(";") if t.strip()]
        record["said_approximate"] = cells.get("said_approximate") == "true"
        record["source"] = source if any(source.values()) else None
        yield f"line {reader.line_num}", record
