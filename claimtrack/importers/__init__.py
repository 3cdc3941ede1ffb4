"""Import formats: each module declares NAMES and `read(path) -> iterator of (place, data)`.

`place` names where each record came from ("line 12", "item 3") for error messages; `data` is a
dict in (or near) the interchange shape, checked by claimtrack.interchange before it is stored.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import ModuleType
from typing import Iterator

from claimtrack import registry
from claimtrack.errors import ClaimtrackError

FORMAT_MODULES = ("jsonl", "json_array", "csv_table", "claimreview")
EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".html": "claimreview",
              ".htm": "claimreview"}
# JSON too deep to read is reported at the line where it passes this depth (claimtrack's records nest four).
MAX_DEPTH = 200


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
    """The format from the extension, else from the structure of the file's first record.

    A JSON value whose objects carry JSON-LD keys ("@type", "@context", "@graph") is ClaimReview, and so
    is an HTML page; an array of plain objects is claimtrack's JSON; a first line that is a whole object
    is JSON Lines. What the text inside a record says never counts.
    """
    suffix = path.suffix.lower()
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    with path.open("rb") as handle:
        while (line := handle.readline(1 << 20)) and not line.strip():
            pass  # to the first line with something on it
    line = line.decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    if line.startswith("<"):
        return "claimreview"
    if line.startswith("{"):
        try:
            first = json.loads(line)
        except (ValueError, RecursionError):
            first = None
        if isinstance(first, dict):
            return "claimreview" if _linked_data(first) else "jsonl"
    if line.startswith(("[", "{")):
        document = json_document(path, keep=True)
        items = document if isinstance(document, list) else [document]
        return "claimreview" if items and _linked_data(items[0]) else "json"
    raise ClaimtrackError(
        f"Cannot tell the format of {path}. Give --format jsonl, json, csv or claimreview."
    )


def _linked_data(value) -> bool:
    """Whether VALUE is a JSON-LD node (claimtrack's own records have no "@" keys)."""
    return isinstance(value, dict) and any(key in value for key in ("@type", "@context", "@graph"))


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


class _NotFinite(ValueError):
    """A number JSON can write but a claim cannot hold (1e999 reads as infinity; NaN and Infinity)."""


def _finite(literal: str) -> float:
    value = float(literal)
    if value != value or value in (float("inf"), float("-inf")):
        raise _NotFinite(literal)
    return value


def _refuse_constant(literal: str):
    raise _NotFinite(literal)


def parse_json(text: str):
    """TEXT as JSON, refusing numbers that are not finite; RecursionError when nested too deep."""
    return json.loads(text, parse_float=_finite, parse_constant=_refuse_constant)


# The tokens of JSON that matter to find a place in it: strings (skipped whole), brackets and numbers.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]|-?(?:\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|Infinity)|NaN')


def _line_of(text: str, wanted) -> int | None:
    """The line of the first token outside strings for which WANTED(token, depth) holds."""
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
        elif token in ("]", "}"):
            depth -= 1
        if not token.startswith('"') and wanted(token, depth):
            return text.count("\n", 0, match.start()) + 1
    return None


def _decoded_json(text: str, where: str, first_line: int | None = None):
    """TEXT parsed as JSON and checked for strings that cannot be stored; errors say WHERE (and the line,
    counted from FIRST_LINE, when TEXT is a whole document)."""
    from claimtrack.fields import RecordError, check_unicode

    def at(wanted) -> str:
        line = _line_of(text, wanted) if first_line is not None else None
        return f"{where}, line {first_line + line - 1}" if line else where

    try:
        data = parse_json(text)
        check_unicode(text, data)
    except _NotFinite as error:
        raise ClaimtrackError(
            f"{at(lambda token, _: token == error.args[0])}: the number {error.args[0]} is not finite; "
            "give a number a claim can hold. Nothing was imported."
        ) from None
    except RecursionError:
        raise ClaimtrackError(
            f"{at(lambda _, depth: depth > MAX_DEPTH)}: the JSON is nested too deep to read (here it passes "
            f"{MAX_DEPTH} levels; a claim needs four). Nothing was imported."
        ) from None
    except ValueError as error:
        if isinstance(error, json.JSONDecodeError) and first_line is not None:
            raise ClaimtrackError(f"{where}, line {first_line + error.lineno - 1}: not valid JSON ({error.msg}, "
                                  f"column {error.colno}). Nothing was imported.") from None
        raise ClaimtrackError(f"{where}: not valid JSON ({error}). Nothing was imported.") from None
    except RecordError as error:
        raise ClaimtrackError(f"{error.at(where)}. Nothing was imported.") from None
    return data


def parse_json_line(path: Path, number: int, text: str):
    """One line of JSON Lines."""
    return _decoded_json(text, f"{path}, line {number}")


# A document read to guess its format, kept for the importer that reads it next (one parse, not two).
_kept: dict[tuple, object] = {}


def json_document(path: Path, keep: bool = False):
    """The whole file as one JSON document; KEEP it for the next call about the same unchanged file."""
    info = path.stat()
    key = (str(path.resolve()), info.st_size, info.st_mtime_ns, info.st_ino)
    if key in _kept:
        return _kept.pop(key)
    document = json_text(whole_text(path), str(path))
    if keep:
        _kept.clear()
        _kept[key] = document
    return document


def json_text(text: str, where: str, first_line: int = 1):
    """TEXT (a whole JSON document, its first line numbered FIRST_LINE) parsed; errors say WHERE and the line."""
    return _decoded_json(text, where, first_line)
