"""The bytes of every snapshot, kept as WARC records in a folder beside the database.

`claims.db` keeps its pages in `claims.db.sources/`: one gzipped WARC file per snapshot (a `response`
record for a fetched page, with its HTTP status and headers; a `resource` record for a file attached by
hand), written aside and renamed into place, so a file there is always whole. The database holds the
file's name, the record's id and the SHA-256 of the payload, which `check` verifies.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

from claimtrack.errors import ClaimtrackError


@dataclass(frozen=True)
class Stored:
    """Where a payload went: the file (relative to the folder), the WARC record id, its SHA-256 and size."""

    warc_file: str
    record_id: str
    sha256: str
    size: int


def folder_for(database: Path) -> Path:
    """The folder of DATABASE's snapshots: its file name with `.sources` added, beside it."""
    return database.with_name(database.name + ".sources")


def sha256(data: bytes) -> str:
    """The hex SHA-256 of DATA."""
    return hashlib.sha256(data).hexdigest()


def write_response(folder: Path, url: str, status: int, reason: str, headers, body: bytes, at: str) -> Stored:
    """Keep BODY, fetched from URL at AT (ISO 8601) with STATUS and HEADERS, as a WARC response record."""
    from warcio.statusandheaders import StatusAndHeaders

    http = StatusAndHeaders(f"{status} {reason}".strip(), [*headers, ("Content-Length", str(len(body)))],
                            protocol="HTTP/1.1")
    return _write(folder, url, "response", body, at, http_headers=http)


def write_resource(folder: Path, url: str, body: bytes, content_type: str, at: str) -> Stored:
    """Keep BODY, a file the user has for URL, as a WARC resource record."""
    return _write(folder, url, "resource", body, at, warc_content_type=content_type)


def _write(folder: Path, url: str, kind: str, body: bytes, at: str, **extra) -> Stored:
    from warcio.warcwriter import WARCWriter

    from claimtrack.files import written_aside

    _make_folder(folder)
    digest = sha256(body)
    stamp = re.sub(r"[^0-9TZ]", "", at)
    for attempt in range(1, 100):
        name = f"{stamp}-{digest[:16]}{f'-{attempt}' if attempt > 1 else ''}.warc.gz"
        try:
            with written_aside(folder / name, replace=False) as (fd, _):
                with os.fdopen(fd, "wb", closefd=False) as handle:
                    writer = WARCWriter(handle, gzip=True)
                    record = writer.create_warc_record(
                        url, kind, payload=io.BytesIO(body), length=len(body),
                        warc_headers_dict={"WARC-Date": at}, **extra)
                    writer.write_record(record)
            return Stored(name, record.rec_headers.get_header("WARC-Record-ID"), digest, len(body))
        except FileExistsError:
            continue
    raise ClaimtrackError(f"Cannot find a free file name in {folder} for the snapshot of {url}.")


def _make_folder(folder: Path) -> None:
    try:
        # Sources can be confidential, like the database: the folder is its owner's only.
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError as error:
        raise ClaimtrackError(f"Cannot make the folder {folder} for the snapshots: {error.strerror}.") from None
    if not folder.is_dir():
        raise ClaimtrackError(f"{folder} is not a folder; claimtrack keeps the snapshots of pages there. Move it away.")


def payload(folder: Path, warc_file: str) -> bytes:
    """The payload of the record in WARC_FILE (the page's bytes, without the HTTP headers)."""
    from warcio.archiveiterator import ArchiveIterator

    path = folder / warc_file
    if os.path.basename(warc_file) != warc_file:
        raise ClaimtrackError(f"'{warc_file}' is not a file name of {folder}.")
    with open(path, "rb") as handle:
        for record in ArchiveIterator(handle):
            if record.rec_type in ("response", "resource"):
                return record.raw_stream.read()
    raise ClaimtrackError(f"{path} holds no response or resource record.")


def verify(folder: Path, warc_file: str, expected: str) -> str | None:
    """None when the record in WARC_FILE has the SHA-256 EXPECTED; otherwise what is wrong with it."""
    try:
        found = sha256(payload(folder, warc_file))
    except FileNotFoundError:
        return f"{warc_file} is missing from {folder}"
    except ClaimtrackError as error:
        return str(error)
    except Exception as error:  # a damaged gzip or WARC file: any reader error says the same thing
        return f"{warc_file} cannot be read ({type(error).__name__}: {error})"
    if found != expected:
        return f"{warc_file} does not match its SHA-256 (changed or damaged since it was saved)"
    return None


def copy_folder(database: Path, target: Path) -> int:
    """Copy DATABASE's snapshot folder beside TARGET (a backup of the database); returns the files copied.

    WARC files never change once written, so a file already in the copy under the same name and size is
    left as it is: backing up again copies only the new snapshots.
    """
    import shutil

    from claimtrack.files import written_aside

    source = folder_for(database)
    if not source.is_dir():
        return 0
    copy = folder_for(target)
    _make_folder(copy)
    copied = 0
    for path in sorted(source.glob("*.warc.gz")):
        there = copy / path.name
        if there.is_file() and there.stat().st_size == path.stat().st_size:
            continue
        with written_aside(there, replace=True) as (fd, _):
            with open(path, "rb") as src, os.fdopen(fd, "wb", closefd=False) as dst:
                shutil.copyfileobj(src, dst)
        copied += 1
    return copied
