"""Import formats: each module declares NAMES and `read(path) -> iterator of (place, data)`.

`place` names where each record came from ("line 12", "item 3") for error messages; `data` is a
dict in (or near) the interchange shape, checked by claimtrack.interchange before it is stored.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Iterator

from claimtrack import registry
from claimtrack.errors import ClaimtrackError

FORMAT_MODULES = ("jsonl", "json_array", "csv_table", "claimreview")
EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}


def importer(name: str) -> ModuleType:
    """The module for import format NAME."""
    return registry.find(registry.build(__name__, FORMAT_MODULES), name, "import")


def check_file(path: Path) -> None:
    """Refuse a path that is missing, not a file, or empty."""
    if not path.exists():
        raise ClaimtrackError(f"There is no file {path}. Check the path.")
    if not path.is_file():
        raise ClaimtrackError(f"{path} is not a file. Give the path of a file to import.")
    if path.stat().st_size == 0:
        raise ClaimtrackError(f"{path} is empty: there is nothing to import.")


def guess_format(path: Path) -> str:
    """The format from the extension, and for .json (or anything else) from the first record."""
    if path.suffix.lower() in EXTENSIONS:
        return EXTENSIONS[path.suffix.lower()]
    head = path.open("rb").read(4096).decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    if "ClaimReview" in head or '"claimReviewed"' in head:
        return "claimreview"
    if head.startswith("["):
        return "json"
    if head.startswith("{"):
        first_line = head.split("\n", 1)[0].strip()
        try:
            json.loads(first_line)
            return "jsonl"
        except ValueError:
            return "json"
    raise ClaimtrackError(
        f"Cannot tell the format of {path}. Give --format jsonl, json, csv or claimreview."
    )


def decoded_lines(path: Path) -> Iterator[tuple[int, str]]:
    """The file's lines as text, numbered from 1; invalid UTF-8 is an error naming the byte offset."""
    for number, _, text in placed_lines(path):
        yield number, text


def placed_lines(path: Path, start: int = 0, stop: int | None = None, first: int = 1) -> Iterator[tuple[int, int, str]]:
    """The lines from byte START (a line's start, numbered FIRST) up to byte STOP: number, byte offset, text."""
    offset = start
    with path.open("rb") as handle:
        handle.seek(start)
        for number, raw in enumerate(handle, start=first):
            if stop is not None and offset >= stop:
                return
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise ClaimtrackError(
                    f"{path} is not UTF-8: line {number}, byte offset {offset + error.start} "
                    f"(byte 0x{raw[error.start]:02x}). Save it as UTF-8 and try again."
                ) from None
            if number == 1:
                text = text.lstrip("\ufeff")
            yield number, offset, text
            offset += len(raw)


def pieces(path: Path, size: int) -> Iterator[tuple[int, int, int]]:
    """The file cut into pieces of about SIZE bytes at line ends: start, stop and first line number of each."""
    start, first = 0, 1
    with path.open("rb") as handle:
        while block := handle.read(size):
            rest = handle.readline()  # to the end of the line the block stops in
            stop = start + len(block) + len(rest)
            yield start, stop, first
            first += block.count(b"\n") + rest.count(b"\n")
            start = stop


def whole_text(path: Path) -> str:
    """The whole file as text (for formats that are one JSON document)."""
    return "".join(text for _, text in decoded_lines(path))


def _decoded_json(text: str, where: str):
    """TEXT parsed as JSON and checked for strings that cannot be stored; errors say WHERE."""
    from claimtrack.interchange import RecordError, check_unicode

    try:
        data = json.loads(text)
        check_unicode(text, data)
    except ValueError as error:
        raise ClaimtrackError(f"{where}: not valid JSON ({error}). Nothing was imported.") from None
    except RecordError as error:
        raise ClaimtrackError(f"{error.at(where)}. Nothing was imported.") from None
    return data


def parse_json_line(path: Path, number: int, text: str):
    """One line of JSON Lines."""
    return _decoded_json(text, f"{path}, line {number}")


def json_document(path: Path):
    """The whole file as one JSON document."""
    return _decoded_json(whole_text(path), str(path))
