"""Opening a claimtrack database: checks, schema version, upgrades, and write transactions."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import stat
import time
from pathlib import Path
from typing import Iterator

from claimtrack.errors import ClaimtrackError

SCHEMA_VERSION = 7
# In the header of every claimtrack database (PRAGMA application_id): "ClTk".
APPLICATION_ID = 0x436C546B
BUSY_TIMEOUT_SECONDS = 30
BUSY_RETRIES = 5
SQLITE_HEADER = b"SQLite format 3\x00"


def now() -> str:
    """The current UTC time as stored: ISO 8601 to the second."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@contextlib.contextmanager
def open_store(path: str | os.PathLike, *, write: bool, keep_new: bool = True) -> Iterator:
    """Open the database at PATH for reading or writing; a new file made by a failed write is removed.

    KEEP_NEW false removes a file this call created even on success (a dry run writes nothing).
    """
    path = Path(path)
    created = _check_path(path, write)
    if created:
        # Claims and sources can be confidential: a new database is for its owner only.
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_SECONDS)
    except sqlite3.Error as error:
        raise ClaimtrackError(f"Cannot open the database {path}: {error}.") from None
    from claimtrack.store import Store

    store = Store(conn, path)
    try:
        store.prepare(write=write, created=created)
        yield store
    except BaseException:
        conn.close()
        store.release_interrupts()
        if created:
            _remove(path)
        raise
    conn.close()
    store.release_interrupts()
    if created and not keep_new:
        _remove(path)


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _check_path(path: Path, write: bool) -> bool:
    """Refuse paths that cannot be a claimtrack database; return True when the file is new."""
    if path.is_dir():
        raise ClaimtrackError(f"{path} is a directory, not a database file. Give a file path with --db.")
    if not path.exists():
        if not write:
            raise ClaimtrackError(
                f"No database at {path}. Add a claim first (claimtrack add ...), or point --db or "
                "CLAIMTRACK_DB at an existing claims.db."
            )
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
    if write and _read_only(path):
        raise ClaimtrackError(f"{path} is read-only. Make it writable (chmod u+w) or work on a copy.")
    return False


def _read_only(path: Path) -> bool:
    """True when the file may not be written, or its owner has made it read-only (even for root)."""
    return not os.access(path, os.W_OK) or not path.stat().st_mode & stat.S_IWUSR


class Connection:
    """The connection under every part of the store: opening, upgrading, transactions."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path
        self.conn.row_factory = sqlite3.Row
        self._db = None
        self._sigint = None  # the Ctrl-C handler set aside from a commit until closing
        # What opening did that the user should hear about (a backup made before an upgrade).
        self.notices: list[str] = []

    # -- opening -------------------------------------------------------------------------

    def prepare(self, *, write: bool, created: bool) -> None:
        """Set connection pragmas, then check the schema version and upgrade if needed."""
        try:
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
            self.conn.execute("PRAGMA foreign_keys = ON")
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise ClaimtrackError(f"{self.path} is not a usable SQLite database ({error}).") from None
        if version > SCHEMA_VERSION:
            from claimtrack import __version__

            raise ClaimtrackError(
                f"{self.path} was written by a newer claimtrack ({self._written_by()}, schema version {version}); "
                f"this is claimtrack {__version__}, which understands schema versions up to {SCHEMA_VERSION}. "
                "Upgrade claimtrack to use it."
            )
        if version == 0 and not created and self._has_foreign_tables():
            raise ClaimtrackError(
                f"{self.path} is a SQLite database, but not a claimtrack one. Give another path with --db."
            )
        if version == 0 and not write:
            raise ClaimtrackError(f"{self.path} holds no claims yet. Add one with claimtrack add.")
        if version < SCHEMA_VERSION:
            if _read_only(self.path):
                raise ClaimtrackError(
                    f"{self.path} needs upgrading to schema version {SCHEMA_VERSION}, but it is read-only."
                )
            self._set_wal()
            from claimtrack.migrations import rewrites_pending, upgrade

            if version > 0 and rewrites_pending(self.db):
                self.notices.append(f"Backed up {self.path} to {self.backup_before_upgrade(version)} before upgrading it.")
            upgrade(self.db)
        elif write:
            self._set_wal()

    def _written_by(self) -> str:
        try:
            row = self.conn.execute("SELECT value FROM claimtrack_meta WHERE key = 'schema_written_by'").fetchone()
        except sqlite3.Error:
            row = None
        return f"claimtrack {row[0]}" if row else "an unknown version"

    def backup_before_upgrade(self, version: int) -> Path:
        """A consistent copy, owner-only, beside the database, made with SQLite's online backup API."""
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        target = self.path.with_name(f"{self.path.name}.schema-{version}-{stamp}.backup")
        self.backup_to(target)
        return target

    def backup_to(self, target: Path) -> None:
        """Copy the whole database to TARGET (which must not exist) while others may go on writing."""
        os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        destination = sqlite3.connect(target)
        try:
            self.conn.backup(destination)
        except BaseException:
            destination.close()
            target.unlink(missing_ok=True)
            raise
        destination.close()

    def _has_foreign_tables(self) -> bool:
        row = self.conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()
        return row[0] > 0

    def _set_wal(self) -> None:
        # WAL lets readers go on while a writer works; it is kept in the file once set. Busy means a load into
        # an empty database is writing it in place (journal_for_load): this connection's writes wait for the
        # load like any other writer's, and the load turns the log back on when it ends.
        if self.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            try:
                self.conn.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError as error:
                if not _busy(error):
                    raise

    def no_claims(self) -> bool:
        """True when the database holds no claim (a load into it can take shortcuts)."""
        return bool(self.conn.execute("SELECT NOT EXISTS (SELECT 1 FROM claims)").fetchone()[0])

    @contextlib.contextmanager
    def journal_for_load(self, load: bool = True) -> Iterator[None]:
        """Around a load (LOAD true) into a database with no claims yet: a rollback journal, not the write-ahead log.

        The log would end up holding every page of the new file, to be copied into it after the commit (7 s of
        a million-claim import); with a rollback journal the pages go straight into the file and the journal
        keeps only what the empty database held, so a crash or Ctrl-C still leaves it as it was. Leaving the
        log takes the file to oneself: with another connection open the load keeps the log. Meanwhile
        other commands wait for the load (and give up, saying so, after the busy timeout). The log is back
        on when the load ends, whether it committed or not.
        """
        switched = False
        if load and self.no_claims():
            self.conn.execute("PRAGMA busy_timeout = 0")  # another connection open: keep the log, do not wait
            try:
                switched = self.conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
            except sqlite3.OperationalError:
                pass
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
        try:
            yield
        finally:
            if switched:
                self._set_wal()  # if another command came in first, the next one that writes turns it back on

    def _hold_interrupts(self) -> None:
        """From a commit on, Ctrl-C is ignored until the store is closed: it could only cut short the closing
        (which copies the write-ahead log into the file) and would report as lost what was saved."""
        import signal
        import threading

        if self._sigint is None and threading.current_thread() is threading.main_thread():
            self._sigint = signal.getsignal(signal.SIGINT)
            signal.signal(signal.SIGINT, signal.SIG_IGN)

    def release_interrupts(self) -> None:
        """Give Ctrl-C back its handler, once the store is closed."""
        if self._sigint is not None:
            import signal

            signal.signal(signal.SIGINT, self._sigint)
            self._sigint = None

    @property
    def db(self):
        """The sqlite-utils view of the same connection, for writes and migrations."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn, execute_plugins=False)
        return self._db

    @contextlib.contextmanager
    def write(self, commit: bool = True) -> Iterator[None]:
        """One write transaction, taken at once (BEGIN IMMEDIATE) so writers queue instead of failing.

        With COMMIT false everything is rolled back at the end: a dry run.
        """
        for attempt in range(BUSY_RETRIES + 1):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as error:
                # The busy timeout already waited; a few more tries ride out a long writer.
                if attempt == BUSY_RETRIES or not _busy(error):
                    raise storage_error(error, self.path) from None
                time.sleep(0.05 * 2**attempt)
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        if not commit:
            self.conn.execute("ROLLBACK")
            return
        self._hold_interrupts()
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as error:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise storage_error(error, self.path) from None


def _busy(error: sqlite3.Error) -> bool:
    return "locked" in str(error) or "busy" in str(error)


def storage_error(error: sqlite3.Error, path: Path) -> ClaimtrackError:
    """The plain message for a database error: busy, read-only, disk full, or what SQLite said."""
    text = str(error)
    if _busy(error):
        return ClaimtrackError(f"{path} is busy: another claimtrack kept it locked too long. Try again.")
    if "readonly" in text or "read-only" in text:
        return ClaimtrackError(f"{path} is read-only. Make it writable (chmod u+w) or work on a copy.")
    if "full" in text or "disk I/O" in text:
        return ClaimtrackError(
            f"Cannot write to {path}: the disk is full or would not take the write ({text}). "
            "Nothing was changed. Free some space and try again."
        )
    return ClaimtrackError(f"Cannot write to {path}: {text}.")
