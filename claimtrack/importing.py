"""Importing a file: every record checked and applied in one transaction, or nothing at all."""

from __future__ import annotations

import gc
import os
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from claimtrack import importers
from claimtrack.errors import ClaimtrackError
from claimtrack.fields import RecordError
from claimtrack.interchange import check_record
from claimtrack.store.interchange import prepare

BATCH = 1000
# Above this size a JSON Lines file is parsed and checked in other processes while this one writes.
PARALLEL_BYTES = 8 * 1024 * 1024
# Parsing takes more time than writing: with one parsing process the writer sat idle for a fifth of a
# million-claim load; with two, the writer and the parsers keep two cores busy.
PARSERS = 2
# The size of the pieces of the file handed to them (about 1,500 lines of exported claims).
PIECE_BYTES = 2 * 1024 * 1024


@dataclass
class ImportSummary:
    """What an import did (or, with --dry-run, would do)."""

    format: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    trashed: int = 0  # claims deleted here (in the trash), left there

    @property
    def records(self) -> int:
        """How many records the file held."""
        return self.added + self.updated + self.unchanged + self.trashed


def import_file(store, path: Path, fmt: str | None, *, dry_run: bool = False,
                progress: Callable[[int], None] | None = None) -> ImportSummary:
    """Import PATH into STORE: atomic, idempotent, streamed record by record."""
    from claimtrack.store import now

    importers.check_file(path)
    fmt = fmt or importers.guess_format(path)
    reader = importers.importer(fmt)
    summary = ImportSummary(fmt)
    stamp = now()
    batch: list[dict] = []
    uuids: set[str] = set()

    def flush() -> None:
        for outcome in store.apply_records(batch, complete=lambda record: _whole(path, record, stamp)):
            setattr(summary, outcome, getattr(summary, outcome) + 1)
        if progress:
            progress(len(batch))
        batch.clear()
        uuids.clear()

    with _no_cycle_collection(), store.journal_for_load(not dry_run), store.write(f"import of {path.name}", commit=not dry_run), \
            store.bulk_import():
        for record in _checked(path, fmt, reader, stamp):
            if record["uuid"] in uuids:
                flush()  # the same claim twice in a batch: the second merges into the first
            batch.append(record)
            uuids.add(record["uuid"])
            if len(batch) >= BATCH:
                flush()
        if batch:
            flush()
        if summary.records == 0:
            raise ClaimtrackError(f"{path} holds no claims: there is nothing to import.")
    return summary


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Records hold no reference cycles: the cycle collector would only rescan every live record, over and
    over (it made parsing and unpickling four to six times slower in a large import)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _checked(path: Path, fmt: str, reader, stamp: str):
    """Every record of the file, parsed and checked; the first bad one stops the import."""
    if fmt == "jsonl" and (os.cpu_count() or 1) > 1 and path.stat().st_size > PARALLEL_BYTES:
        yield from _checked_in_parallel(path, stamp)
        return
    for place, data in reader.read(path):
        yield _check(path, place, data, stamp)


def _check(path: Path, place: str, data, stamp: str) -> dict:
    try:
        return check_record(data, stamp)
    except RecordError as error:
        raise ClaimtrackError(f"{path}, {error.at(place)}. Nothing was imported.") from None


def _parse_piece(path: Path, start: int, stop: int, first: int, stamp: str) -> list[dict] | str:
    """Runs in a parsing process: read, JSON-decode, check and prepare the lines from byte START to STOP (the
    first numbered FIRST); the message of the first bad line instead, if there is one.

    Only what a new claim's rows need goes back (uuid, speaker, rows, where its line is): half the work of
    sending the whole record across; should the writer need the record, it reads the line again.
    """
    records = []
    try:
        for number, offset, text in importers.placed_lines(path, start, stop, first):
            if not text.strip():
                continue
            record = _checked_line(path, number, text, stamp)
            prepare(record)  # here, off the writer's path (elsewhere the store prepares new claims itself)
            records.append(_for_writer(record, number, offset))
    except ClaimtrackError as error:
        return error.message
    return records


def _for_writer(record: dict, number: int, offset: int) -> dict:
    """What a parsing process sends the writer of a checked record: enough for a new claim, and where its line is."""
    return {"uuid": record["uuid"], "speaker": record["speaker"], "_rows": record["_rows"], "_line": (number, offset)}


def _whole(path: Path, record: dict, stamp: str) -> dict:
    """The whole checked record, for one that came back from a parsing process with just its rows."""
    if "_line" not in record:
        return record
    number, offset = record["_line"]
    _, _, text = next(importers.placed_lines(path, offset, first=number))
    return _checked_line(path, number, text, stamp)


def _checked_line(path: Path, number: int, text: str, stamp: str) -> dict:
    """Line NUMBER of a JSON Lines file, decoded and checked."""
    return _check(path, f"line {number}", importers.parse_json_line(path, number, text), stamp)


def _ignore_interrupts() -> None:
    """Ctrl-C is the writer's to handle: the parsing processes just stop when the writer does."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _checked_in_parallel(path: Path, stamp: str, piece: int = PIECE_BYTES, ahead: int = 4):
    """JSON Lines read and parsed by parsing processes, a piece of the file each, a few pieces ahead of the
    writer; the records come back in the file's order. The writer only cuts the file at line ends."""
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(PARSERS, initializer=_ignore_interrupts) as pool:
        pending: deque = deque()

        def ready():
            records = pending.popleft().get()
            if isinstance(records, str):
                raise ClaimtrackError(records)
            return records

        for start, stop, first in importers.pieces(path, piece):
            pending.append(pool.apply_async(_parse_piece, (path, start, stop, first, stamp)))
            if len(pending) >= ahead:
                yield from ready()
        while pending:
            yield from ready()
