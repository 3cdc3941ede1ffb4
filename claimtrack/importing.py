"""Importing a file: every record checked and applied in one transaction, or nothing at all."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from claimtrack import importers
from claimtrack.errors import ClaimtrackError
from claimtrack.interchange import RecordError, check_record

BATCH = 1000


@dataclass
class ImportSummary:
    """What an import did (or, with --dry-run, would do)."""

    format: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def records(self) -> int:
        """How many records the file held."""
        return self.added + self.updated + self.unchanged


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
        for outcome in store.apply_records(batch):
            setattr(summary, outcome, getattr(summary, outcome) + 1)
        if progress:
            progress(len(batch))
        batch.clear()
        uuids.clear()

    with store.write(commit=not dry_run), store.bulk_import():
        for place, data in reader.read(path):
            try:
                record = check_record(data, stamp)
            except RecordError as error:
                raise ClaimtrackError(f"{path}, {place}: {error.message}. Nothing was imported.") from None
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
