"""What a database path may be, and SQLite's connection to the file: checked before anything is opened."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from claimtrack.errors import ClaimtrackError

BUSY_TIMEOUT_SECONDS = 30
SQLITE_HEADER = b"SQLite format 3\x00"
# The files SQLite keeps beside a database while it is in use: the write-ahead log, its index, the journal.
SIDE_FILES = ("-wal", "-shm", "-journal")


def remove(path: Path) -> None:
    """Remove the file at PATH and the files SQLite keeps beside it."""
    for suffix in ("", *SIDE_FILES):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def connect(path: Path, write: bool) -> sqlite3.Connection:
    """SQLite's connection to the file at PATH, named so that SQLite never reads the name specially.

    A write, or a read where the file and its folder may be written, opens it read-write (closing then
    tidies the write-ahead log away). Other reads open it read-only; where SQLite cannot even make its
    shared-memory file (a read-only share holding a database in WAL mode), as a file nobody changes.
    """
    address = "file:" + "".join(_URI_ESCAPES.get(c, c) for c in os.path.abspath(path))
    folder = os.path.dirname(os.path.abspath(path))
    if write or (os.access(path, os.W_OK) and os.access(folder, os.W_OK)):
        return _open(f"{address}?mode=rw")
    conn = _open(f"{address}?mode=ro")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError as error:
        conn.close()
        if is_busy(error):
            raise
    return _open(f"{address}?mode=ro&immutable=1")


def _open(address: str) -> sqlite3.Connection:
    return sqlite3.connect(address, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_SECONDS)


_URI_ESCAPES = {"%": "%25", "?": "%3f", "#": "%23"}


def check_path(path: Path, write: bool, rehearse: bool) -> bool:
    """Refuse paths that cannot be a claimtrack database; return True when no file is there yet."""
    name = str(path)
    if name in ("", ":memory:") or name.startswith("file:"):
        raise ClaimtrackError(
            f"'{name}' would be a database SQLite keeps in memory or reads as an address, and a command line "
            "cannot keep claims in memory. Give the path of a database file with --db or CLAIMTRACK_DB."
        )
    if path.is_symlink() and not path.exists():
        target = os.readlink(path)
        if write and not rehearse:
            raise ClaimtrackError(
                f"{path} is a symbolic link to {target}, which does not exist; claimtrack will not create a "
                "database through it. Create the file it points to, or give the real path with --db."
            )
        raise ClaimtrackError(
            f"No database at {path}: it is a symbolic link to {target}, which does not exist. "
            "Check the --db path or CLAIMTRACK_DB."
        )
    if path.is_dir():
        raise ClaimtrackError(f"{path} is a directory, not a database file. Give a file path with --db.")
    if not path.exists():
        if not write:
            raise ClaimtrackError(
                f"No database at {path}. Add a claim first (claimtrack add ...), or point --db or "
                "CLAIMTRACK_DB at an existing claims.db."
            )
        if rehearse:
            return True
        if not path.parent.is_dir():
            raise ClaimtrackError(f"Cannot create {path}: the folder {path.parent} does not exist.")
        if not os.access(path.parent, os.W_OK):
            raise ClaimtrackError(f"Cannot create {path}: the folder {path.parent} is not writable.")
        return True
    if not path.is_file():
        raise ClaimtrackError(f"{path} is not a regular file. Give the path of a claimtrack database with --db.")
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise ClaimtrackError(f"Cannot read {path}: {error.strerror}.") from None
    if header and header != SQLITE_HEADER:
        raise ClaimtrackError(f"{path} is not a SQLite database. Check the --db path or CLAIMTRACK_DB.")
    if write and not rehearse and _read_only(path):
        raise ClaimtrackError(f"{path} is read-only. Make it writable (chmod u+w) or work on a copy.")
    if write and not rehearse and not os.access(path.absolute().parent, os.W_OK):
        raise ClaimtrackError(
            f"{path} cannot be written: its folder {path.absolute().parent} is read-only, and SQLite keeps its "
            "journal beside the database. Work on a copy in a folder you can write."
        )
    return False


def _read_only(path: Path) -> bool:
    """True when the file may not be written, or its owner has made it read-only (even for root)."""
    return not os.access(path, os.W_OK) or not path.stat().st_mode & stat.S_IWUSR


def writable(path: Path) -> bool:
    """True when claimtrack may write the file, and SQLite make its journal and log files beside it."""
    return not _read_only(path) and os.access(path.absolute().parent, os.W_OK)


def is_busy(error: sqlite3.Error) -> bool:
    """True when SQLite gave up waiting for another connection's lock."""
    return "locked" in str(error) or "busy" in str(error)
