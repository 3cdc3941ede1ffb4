"""Fetching and attaching snapshots: the network, the extractor, the WARC folder and the store together.

Pages are fetched and read in worker threads; each finished page is then kept in the main thread, first
its WARC file (written aside, renamed into place), then one store transaction. Ctrl-C stops the run
between pages: every page kept so far stays kept, and none is half kept (a file whose transaction did
not commit is removed again).
"""

from __future__ import annotations

import mimetypes
from concurrent.futures import as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from claimtrack.sources import warc
from claimtrack.sources.extract import Extracted, extract, kind_of, media_type
from claimtrack.sources.http import FetchError, Limits, Pool, Response
from claimtrack.store.base import now


@dataclass(frozen=True)
class Outcome:
    """What became of one page: a new snapshot, unchanged since the last one, or an error."""

    url: str
    snapshot_id: int | None = None
    unchanged_since: int | None = None
    filled: list[str] = field(default_factory=list)
    error: str | None = None
    final_url: str | None = None
    status: int | None = None
    size: int = 0
    text_length: int = 0
    note: str | None = None

    def to_dict(self) -> dict:
        """The outcome as JSON-ready values."""
        state = "error" if self.error else "unchanged" if self.unchanged_since else "saved"
        return {"url": self.url, "result": state, "snapshot_id": self.snapshot_id or self.unchanged_since,
                "final_url": self.final_url, "status": self.status, "size": self.size,
                "text_length": self.text_length, "filled": self.filled, "note": self.note, "error": self.error}


def _fetch_and_read(response: Response) -> tuple[Response, Extracted]:
    return response, extract(response.body, response.content_type, response.final_url)


def fetch_pages(store, pages: list[tuple[int, str]], *, limits: Limits,
                done: Callable[[Outcome], None] | None = None) -> Iterator[Outcome]:
    """Fetch PAGES (source id, URL) and keep each that changed; yield an Outcome per page as it finishes."""
    folder = warc.folder_for(store.path)
    pool = Pool(limits, _fetch_and_read)
    futures = {pool.submit(url): (source_id, url) for source_id, url in pages}
    finished = False
    try:
        for future in as_completed(futures):
            source_id, url = futures[future]
            try:
                response, found = future.result()
            except FetchError as error:
                yield Outcome(url, error=str(error))
                continue
            yield _keep(store, folder, source_id, url, response, found)
        finished = True
    finally:
        pool.close(cancel=not finished)


def _keep(store, folder: Path, source_id: int, url: str, response: Response, found: Extracted) -> Outcome:
    at = now()
    digest = warc.sha256(response.body)
    common = {"final_url": response.final_url, "status": response.status, "size": len(response.body),
              "text_length": len(found.text), "note": found.note}
    latest = store.latest_fetch(source_id)
    if latest is not None and latest[1] == digest:
        store.record_check(source_id, latest[0], at=at, status=response.status, final_url=response.final_url,
                           sha256=digest)
        store.release_interrupts()
        return Outcome(url, unchanged_since=latest[0], **common)
    stored = warc.write_response(folder, response.final_url, response.status, response.reason, response.headers,
                                 response.body, at)
    row = {"kind": "fetch", "fetched_at": at, "final_url": response.final_url, "status": response.status,
           "content_type": response.content_type, "size": stored.size, "sha256": stored.sha256,
           "warc_file": stored.warc_file, "warc_record_id": stored.record_id, "file_name": None}
    snapshot_id, filled = _record(store, folder, source_id, row, found)
    return Outcome(url, snapshot_id=snapshot_id, filled=filled, **common)


def attach_file(store, source_id: int, url: str, path: Path) -> Outcome:
    """Keep the file at PATH (a saved page, a PDF, a screenshot) as a snapshot of the source at URL."""
    from claimtrack.errors import ClaimtrackError

    try:
        body = path.read_bytes()
    except IsADirectoryError:
        raise ClaimtrackError(f"{path} is a folder. Give the file to attach.") from None
    except OSError as error:
        raise ClaimtrackError(f"Cannot read {path}: {error.strerror}.") from None
    if not body:
        raise ClaimtrackError(f"{path} is empty. Give the saved page, PDF or screenshot to attach.")
    content_type = mimetypes.guess_type(path.name)[0] or {"html": "text/html", "pdf": "application/pdf"}.get(
        kind_of(None, body) or "", "application/octet-stream")
    if kind_of(content_type, body):
        found = extract(body, content_type, url)
    else:
        found = Extracted(note=f"an attached {media_type(content_type)} file: kept, with no text")
    at = now()
    stored = warc.write_resource(warc.folder_for(store.path), url, body, content_type, at)
    row = {"kind": "attach", "fetched_at": at, "final_url": None, "status": None, "content_type": content_type,
           "size": stored.size, "sha256": stored.sha256, "warc_file": stored.warc_file,
           "warc_record_id": stored.record_id, "file_name": path.name}
    snapshot_id, filled = _record(store, warc.folder_for(store.path), source_id, row, found)
    return Outcome(url, snapshot_id=snapshot_id, filled=filled, size=stored.size, text_length=len(found.text),
                   note=found.note)


def _record(store, folder: Path, source_id: int, row: dict, found: Extracted) -> tuple[int, list[str]]:
    """One transaction for the snapshot; its WARC file is removed again when the transaction does not commit."""
    try:
        result = store.record_snapshot(source_id, row, found)
    except BaseException:
        (folder / row["warc_file"]).unlink(missing_ok=True)
        raise
    # A commit holds Ctrl-C until the store closes; a run of many pages gives it back after each one.
    store.release_interrupts()
    return result


def verify_all(store) -> list[str]:
    """What is wrong with the stored snapshots: each WARC record missing, unreadable or not matching its SHA-256."""
    folder = warc.folder_for(store.path)
    problems = []
    for snapshot_id, url, warc_file, expected in store.snapshot_files():
        problem = warc.verify(folder, warc_file, expected)
        if problem:
            problems.append(f"snapshot {snapshot_id} of {url}: {problem}")
    return problems
