"""CSV with the flat claim-object columns, as `export --format csv` writes it.

Strict, so that a cell never lands in the wrong column: every column of the header must be one of
claimtrack's (a misspelt one would be dropped unread), and a row with more cells than the header (a comma
in an unquoted quote) is an error naming its line. A row may stop short only of columns that are optional
(spreadsheets sometimes leave trailing empty cells out): the missing cells are empty. A row that stops
short of text or speaker is an error too, and so is a true/false column with anything else in it.
The columns an export writes for people to read (id, verdict_note, evidence) are accepted and ignored, and
so is the byte order mark it starts with: an exported file imports back as it is.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Iterator

from claimtrack.errors import ClaimtrackError
from claimtrack.exporters.csv_table import COLUMNS, READ_ONLY, SOURCE_COLUMNS, restore
from claimtrack.importers import decoded_lines

NAMES = ["csv"]
REQUIRED = ("text", "speaker")
FLAGS = ("said_approximate", "published_approximate")


def _header(path: Path, header: list[str]) -> list[str]:
    """The header's column names, checked."""
    names = [name.strip() for name in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise ClaimtrackError(
            f"{path} has no {' or '.join(repr(c) for c in missing)} column. A claimtrack CSV needs at least "
            f"the columns {', '.join(REQUIRED)} (export one with claimtrack export --format csv to see them all)."
        )
    if "" in names:
        raise ClaimtrackError(f"{path}, line 1: column {names.index('') + 1} has no name. Name it or remove it.")
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        raise ClaimtrackError(
            f"{path}, line 1: {', '.join(repr(n) for n in unknown)} is not a claimtrack column, so its cells "
            f"would be lost. Rename or remove it; the columns are {', '.join(COLUMNS)}."
        )
    twice = next((name for n, name in enumerate(names) if name in names[:n]), None)
    if twice:
        raise ClaimtrackError(f"{path}, line 1: the column {twice!r} is given twice. Keep one of them.")
    return names


def _cells(path: Path, line: int, names: list[str], cells: list[str]) -> dict[str, str]:
    """The non-empty cells of a row by column name; a row of the wrong length is an error."""
    counted = f"{len(cells)} {'cell' if len(cells) == 1 else 'cells'} but the header has {len(names)} columns"
    if len(cells) > len(names):
        raise ClaimtrackError(
            f"{path}, line {line}: {counted}. A cell with a comma "
            "in it must be in double quotes (\"like, this\"). Nothing was imported."
        )
    short = [name for name in names[len(cells):] if name in REQUIRED]
    if short:
        raise ClaimtrackError(
            f"{path}, line {line}: {counted}, and the row stops "
            f"before its {' and '.join(short)}. Check the line for a missing comma or an unquoted line break. "
            "Nothing was imported."
        )
    # An empty cell clears its field; a column the file does not have is not given (a merge keeps it).
    return {name: restore(cell) if cell != "" else None for name, cell in zip(names, cells)}


def _flag(path: Path, line: int, name: str, cell: str | None) -> bool | None:
    if cell is None:
        return None
    if cell.strip().lower() not in ("true", "false"):
        raise ClaimtrackError(f"{path}, line {line}, field {name}: expected true, false or nothing, got {cell!r}. "
                              "Nothing was imported.")
    return cell.strip().lower() == "true"


def record(path: Path, line: int, cells: dict[str, str]) -> dict:
    """The interchange record of one row's cells."""
    for name in READ_ONLY:
        cells.pop(name, None)
    for name in FLAGS:
        if name in cells:
            cells[name] = _flag(path, line, name, cells[name])
    given_source = any(column in cells for column in SOURCE_COLUMNS.values())
    source = {key: cells.pop(column) for key, column in SOURCE_COLUMNS.items() if column in cells}
    tags = cells.pop("tags", False)
    data = {**cells, "speaker": {"name": cells.get("speaker") or "", "aliases": []}, "text": cells.get("text") or ""}
    if tags is not False:
        data["tags"] = [t for t in (tags or "").split(";") if t.strip()]
    if given_source:
        data["source"] = source if any(value is not None for value in source.values()) else None
    return data


def read(path: Path) -> Iterator[tuple[str, object]]:
    """Each row as a record, placed by the line it starts on."""
    reader = csv.reader(text for _, text in decoded_lines(path))
    try:
        names = _header(path, next(reader, []))
        end = reader.line_num
        for cells in reader:
            line, end = end + 1, reader.line_num
            if not cells:
                continue  # a blank line
            yield f"line {line}", record(path, line, _cells(path, line, names, cells))
    except csv.Error as error:
        raise ClaimtrackError(f"{path}, line {reader.line_num}: not valid CSV ({error}). Nothing was imported.") from None
