"""Opening a claimtrack database: checks, schema version, upgrades, and write transactions."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import time
from pathlib import Path
from typing import Iterator

from claimtrack.errors import ClaimtrackError
from claimtrack.store.paths import BUSY_TIMEOUT_SECONDS, check_path, connect, is_busy, remove, writable

SCHEMA_VERSION = 21
# In the header of every claimtrack database (PRAGMA application_id): "ClTk".
APPLICATION_ID = 0x436C546B
# Schemas 1 to 6 came before the application_id: such a file is known by its tables instead.
LAST_SCHEMA_WITHOUT_ID = 6
CLAIMTRACK_TABLES = {"speakers", "aliases", "sources", "claims", "claims_fts"}
BUSY_RETRIES = 5

# What opening finds in a file: claimtrack's current schema, an older one, or a database with nothing in it.
CURRENT, OLDER, BLANK = "current", "older", "blank"


def now() -> str:
    """The current UTC time as stored: ISO 8601 to the second."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@contextlib.contextmanager
def open_store(path: str | os.PathLike, *, write: bool, rehearse: bool = False) -> Iterator:
    """Open the database at PATH for reading or writing; a new file made by a failed write is removed.

    REHEARSE (a dry run): the store is an in-memory copy of the database, created or upgraded there as
    a write would, so that nothing at all reaches the file, not even a missing or empty one.
    """
    path = Path(path)
    missing = check_path(path, write, rehearse)
    created = missing and not rehearse
    if created:
        # Claims and sources can be confidential: a new database is for its owner only.
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            created = False  # another claimtrack made it a moment ago: open theirs
    try:
        conn = sqlite3.connect(":memory:", isolation_level=None) if missing and rehearse else \
            connect(path, write and not rehearse)
    except sqlite3.Error as error:
        if created:
            remove(path)
        raise ClaimtrackError(f"Cannot open the database {path}: {error}.") from None
    from claimtrack.store import Store

    store = Store(conn, path)
    store.created = created
    try:
        store.prepare(write=write, rehearse=rehearse)
        yield store
    except BaseException:
        store.conn.close()
        store.release_interrupts()
        if created:
            remove(path)
        raise
    store.conn.close()
    store.release_interrupts()


class Connection:
    """The connection under every part of the store: opening, upgrading, transactions."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path
        self.conn.row_factory = sqlite3.Row
        self._db = None
        self._write_depth = 0  # writes under way (a write inside another joins it)
        self._sigint = None  # the Ctrl-C handler set aside from a commit until closing
        # What opening did that the user should hear about (a backup made before an upgrade).
        self.notices: list[str] = []
        # Whether opening made a new database file (a dry run makes none).
        self.created = False

    # -- opening -------------------------------------------------------------------------

    def prepare(self, *, write: bool, rehearse: bool = False) -> None:
        """Set connection pragmas, make sure the file is claimtrack's, and bring its schema up to date.

        Only a command that writes changes the file's mode (WAL); a read changes nothing, except that an
        older schema is upgraded in place where the file may be written (a read of a file that may not be
        written, and a rehearsal, read an upgraded copy in memory instead).
        """
        try:
            self._set_pragmas()
            found = self._identify()
        except sqlite3.DatabaseError as error:
            if is_busy(error):
                raise storage_error(error, self.path) from None
            raise ClaimtrackError(f"{self.path} is not a usable SQLite database ({error}).") from None
        if found == BLANK and not write:
            raise ClaimtrackError(f"{self.path} holds no claims yet. Add one with claimtrack add.")
        if rehearse or (found != CURRENT and not write and not writable(self.path)):
            self._to_memory()
            if found != CURRENT:
                from claimtrack.migrations import upgrade

                upgrade(self.db)
        elif found != CURRENT:
            self._upgrade_in_place()
        elif write:
            self._set_wal()

    def _set_pragmas(self) -> None:
        self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
        self.conn.execute("PRAGMA foreign_keys = ON")
        # The search index's triggers cut unspaced text (Chinese, Japanese, Thai) into pieces with it.
        self.conn.create_function("claimtrack_grams", 1, _grams, deterministic=True)

    def _identify(self) -> str:
        """CURRENT, OLDER or BLANK; any other program's SQLite file, and a newer claimtrack's, are refused.

        Ours is a file with claimtrack's application_id, or, from before the id (schemas 1 to 6), with no id,
        such a user_version and claimtrack's tables. A database with no tables, no id and no version is blank:
        a write may make it a claimtrack database. Refusing reads nothing but the header and the table names.
        """
        application_id = self.conn.execute("PRAGMA application_id").fetchone()[0]
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if application_id == APPLICATION_ID:
            if version > SCHEMA_VERSION:
                from claimtrack import __version__

                raise ClaimtrackError(
                    f"{self.path} was written by a newer claimtrack ({self._written_by()}, schema version "
                    f"{version}); this is claimtrack {__version__}, which understands schema versions up to "
                    f"{SCHEMA_VERSION}. Upgrade claimtrack to use it."
                )
            return CURRENT if version == SCHEMA_VERSION else OLDER
        if application_id == 0:
            tables = {row[0] for row in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if version == 0 and not tables:
                return BLANK
            if 1 <= version <= LAST_SCHEMA_WITHOUT_ID and CLAIMTRACK_TABLES <= tables:
                return OLDER
        raise ClaimtrackError(
            f"{self.path} is a SQLite database, but not a claimtrack one; claimtrack leaves it as it is. "
            "Give the path of a claimtrack database with --db."
        )

    def _upgrade_in_place(self) -> None:
        """Create or upgrade the schema in one transaction under the write lock.

        Several commands may open an older database at once: the first takes the lock and upgrades, the
        others wait for it, look again inside the lock, and find nothing left to do.
        """
        from claimtrack.migrations import rewrites_pending, upgrade

        self._set_wal()
        with self.write(None):
            if self._identify() != CURRENT:
                version = self.conn.execute("PRAGMA user_version").fetchone()[0]
                if version > 0 and rewrites_pending(self.db):
                    backup = self.backup_before_upgrade(version)
                    self.notices.append(f"Backed up {self.path} to {backup} before upgrading it.")
                upgrade(self.db)
        self.release_interrupts()  # held from the commit on; the command itself has not written yet

    def _to_memory(self) -> None:
        """Go on with a copy of the database in memory (SQLite's backup API): nothing done to it reaches the file."""
        copy = sqlite3.connect(":memory:", isolation_level=None)
        try:
            self.conn.backup(copy)
        except sqlite3.Error:
            copy.close()
            raise
        self.conn.close()
        self.conn = copy
        self.conn.row_factory = sqlite3.Row
        self._db = None
        self._set_pragmas()

    def _written_by(self) -> str:
        try:
            row = self.conn.execute("SELECT value FROM claimtrack_meta WHERE key = 'schema_written_by'").fetchone()
        except sqlite3.Error:
            row = None
        return f"claimtrack {row[0]}" if row else "an unknown version"

    def backup_before_upgrade(self, version: int) -> Path:
        """A consistent copy, owner-only, beside the database, under a name no other file has.

        Called under the write lock, so no other claimtrack is making one: a copy left unfinished beside the
        database is from a claimtrack killed while making it, and is removed.
        """
        import glob

        for stale in self.path.parent.glob(f".{glob.escape(self.path.name)}.schema-*.backup.*.partial"):
            stale.unlink(missing_ok=True)
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        for attempt in range(1, 100):
            tail = f"-{attempt}" if attempt > 1 else ""
            target = self.path.with_name(f"{self.path.name}.schema-{version}-{stamp}{tail}.backup")
            try:
                self.backup_to(target)
                return target
            except FileExistsError:
                continue
        raise ClaimtrackError(f"Cannot find a free name for a backup of {self.path} beside it.")

    def backup_to(self, target: Path, *, replace: bool = False) -> None:
        """Copy the whole database to TARGET with SQLite's backup API while others may go on writing.

        The copy is written aside and renamed into place whole; an existing TARGET is replaced only with
        REPLACE (otherwise FileExistsError).
        """
        from claimtrack.files import written_aside

        # The backup API cannot copy from a connection in the middle of a write (it waits on itself for
        # ever): during an upgrade, a second connection reads what was last committed.
        source = connect(self.path, write=False) if self.conn.in_transaction else self.conn
        try:
            with written_aside(target, replace=replace) as (_, partial):
                destination = sqlite3.connect(partial)
                try:
                    # Until it is renamed into place the copy is nothing: no journal (written_aside syncs it).
                    destination.execute("PRAGMA journal_mode = OFF")
                    source.backup(destination)
                except sqlite3.Error as error:
                    raise ClaimtrackError(f"Cannot write the copy {target}: {error}. Nothing was written there.") from None
                finally:
                    destination.close()
        finally:
            if source is not self.conn:
                source.close()

    def _set_wal(self) -> None:
        # WAL lets readers go on while a writer works; it is kept in the file once set. Busy means a load into
        # an empty database is writing it in place (journal_for_load): this connection's writes wait for the
        # load like any other writer's, and the load turns the log back on when it ends.
        if self.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            try:
                self.conn.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError as error:
                if not is_busy(error):
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

    def _cut_pending(self) -> None:
        """Cut into pieces the unspaced text of the claims the search triggers noted (see migrations._FTS_INSERT)."""
        if self.conn.execute("SELECT 1 FROM search_pending LIMIT 1").fetchone():
            self.conn.execute(
                "UPDATE claims_fts SET text_grams = claimtrack_grams(text), context_grams = claimtrack_grams(context), "
                "speaker_grams = claimtrack_grams(speaker) WHERE rowid IN (SELECT claim_id FROM search_pending)"
            )
            self.conn.execute("DELETE FROM search_pending")

    @property
    def db(self):
        """The sqlite-utils view of the same connection, for writes and migrations."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn, execute_plugins=False)
        return self._db

    @contextlib.contextmanager
    def write(self, summary: str | None, *, commit: bool = True, kind: str = "change",
              reverts: int | None = None) -> Iterator[None]:
        """One write transaction, taken at once (BEGIN IMMEDIATE) so writers queue instead of failing.

        SUMMARY says what the change does ("verdict of claim 3 set to refuted"; `describe_change` can
        say it better once known): the transaction is one change, which `undo` can revert. Only the
        schema upgrade writes with no SUMMARY (then every logged table refuses a write). With COMMIT
        false everything is rolled back at the end: a dry run.

        A write inside another (a command that makes several records as one change) joins it: one
        transaction, one change, which the outer write's summary names.
        """
        if self._write_depth:
            self._write_depth += 1
            try:
                yield
            finally:
                self._write_depth -= 1
            return
        for attempt in range(BUSY_RETRIES + 1):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as error:
                # The busy timeout already waited; a few more tries ride out a long writer.
                if attempt == BUSY_RETRIES or not is_busy(error):
                    raise storage_error(error, self.path) from None
                time.sleep(0.05 * 2**attempt)
        try:
            if summary is not None:
                self._begin_change(summary, kind, reverts)
            self._write_depth = 1
            try:
                yield
            finally:
                self._write_depth = 0
            if summary is not None:
                self._cut_pending()
                self._end_change()
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


# Ctrl-C inside a Python function that SQLite calls reaches the caller as an SQLite error ("user-defined
# function raised exception"); the function notes it here, so that the error is told as the interrupt it was.
_interrupted_in_sql = False


def _grams(text: str | None) -> str:
    """claimtrack_grams(text) in SQL: claimtrack.scripts.grams, imported the first time a claim needs it."""
    global _interrupted_in_sql
    try:
        from claimtrack.scripts import grams

        return grams(text)
    except KeyboardInterrupt:
        _interrupted_in_sql = True
        raise


# What SQLite says when a Python function it called raised.
_FUNCTION_FAILED = "user-defined function raised exception"


def interrupted_in_sql() -> bool:
    """True when Ctrl-C came while SQLite was running one of claimtrack's functions."""
    return _interrupted_in_sql


def storage_error(error: sqlite3.Error, path: Path) -> ClaimtrackError:
    """The plain message for a database error: busy, read-only, disk full, or what SQLite said."""
    text = str(error)
    if interrupted_in_sql() or _FUNCTION_FAILED in text:
        # Ctrl-C while SQLite ran claimtrack's own function, told as the interrupt it was wherever it is caught.
        # (claimtrack_grams raises nothing else; Python may raise the interrupt as the function is entered,
        # before it can note it, so SQLite's words for it are read too.)
        return ClaimtrackError("Interrupted.", exit_code=130)
    if is_busy(error):
        return ClaimtrackError(f"{path} is busy: another claimtrack kept it locked too long. Try again.")
    if "readonly" in text or "read-only" in text:
        return ClaimtrackError(f"{path} is read-only. Make it writable (chmod u+w) or work on a copy.")
    if "full" in text or "disk I/O" in text:
        return ClaimtrackError(
            f"Cannot write to {path}: the disk is full or would not take the write ({text}). "
            "Nothing was changed. Free some space and try again."
        )
    return ClaimtrackError(f"Cannot write to {path}: {text}.")
