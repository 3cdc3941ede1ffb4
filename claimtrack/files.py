"""Output files written safely: never over the database, whole or not at all, owner-only.

Every file claimtrack writes besides the database (an export, a report, a backup, the copy made before an
upgrade) goes through `written_aside`: a new file with a random name, created exclusively beside the target
(so never through a file or symbolic link already there), filled, flushed to disk, and only then renamed onto
the target. A crash or SIGKILL leaves at worst a stray `.NAME.*.partial` file, never a truncated file under
the target's name.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import IO, Iterator

from claimtrack.errors import ClaimtrackError
from claimtrack.store.base import APPLICATION_ID, LAST_SCHEMA_WITHOUT_ID
from claimtrack.store.paths import SIDE_FILES, SQLITE_HEADER


def check_output(target: Path, database: Path) -> None:
    """Refuse an --output path that is a folder, the database or one of its files, or any SQLite file."""
    label = f"--output {target}"
    _check_place(target, label)
    _refuse_database(target, database, label)
    if _is_sqlite(target):
        raise ClaimtrackError(f"{label} is a SQLite database; claimtrack will not write over it. Give another file name.")


def check_backup(target: Path, database: Path, *, force: bool) -> None:
    """Refuse a backup path that SQLite could mix up with a database, or an existing file without FORCE.

    With FORCE an earlier claimtrack copy may be replaced, never another program's SQLite file, nor a file
    with a journal or log beside it (SQLite would apply them to the new copy).
    """
    label = f"The backup path {target}"
    for suffix in SIDE_FILES:
        if target.name.endswith(suffix):
            raise ClaimtrackError(
                f"{label} ends in {suffix}, so SQLite would take it for a file belonging to another database. "
                "Give a name that does not end in -wal, -shm or -journal."
            )
    _check_place(target, label)
    _refuse_database(target, database, label)
    if os.path.lexists(target) and not force:
        raise ClaimtrackError(f"{target} exists already. Add --force to overwrite it.")
    for suffix in SIDE_FILES:
        if os.path.lexists(f"{target}{suffix}"):
            raise ClaimtrackError(
                f"{target} has a {suffix} file beside it: it may be a database in use. Give another file name."
            )
    if _is_sqlite(target) and not _is_claimtrack_copy(target):
        raise ClaimtrackError(
            f"{target} is a SQLite database that claimtrack did not make; it will not write over it, even with "
            "--force. Give another file name."
        )


@contextlib.contextmanager
def written_aside(target: Path, *, replace: bool) -> Iterator[tuple[int, Path]]:
    """A new owner-only file beside TARGET, renamed onto TARGET once the block ends without error.

    Yields the open descriptor and the path of the new file. REPLACE false: an existing TARGET is never
    replaced (FileExistsError), even one that appears meanwhile.
    """
    import tempfile

    try:
        # mkstemp: O_CREAT | O_EXCL | O_NOFOLLOW, mode 0600, a random name.
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    except OSError as error:
        raise ClaimtrackError(f"Cannot write {target}: {error.strerror}.") from None
    partial = Path(name)
    try:
        yield fd, partial
        os.fsync(fd)
        os.close(fd)
        fd = -1
        if replace:
            os.replace(partial, target)
        else:
            _link(partial, target)
    except FileExistsError:
        raise
    except OSError as error:
        raise ClaimtrackError(f"Cannot write {target}: {error.strerror}. Nothing was written there.") from None
    finally:
        if fd >= 0:
            os.close(fd)
        partial.unlink(missing_ok=True)


@contextlib.contextmanager
def text_file(target: Path) -> Iterator[IO[str]]:
    """A UTF-8 text file that appears at TARGET whole or not at all, replacing what was there."""
    with written_aside(target, replace=True) as (fd, _):
        with os.fdopen(fd, "w", encoding="utf-8", newline="", closefd=False) as handle:
            yield handle


def _link(partial: Path, target: Path) -> None:
    """Put PARTIAL at TARGET unless something is there (a hard link fails on an existing name, atomically)."""
    try:
        os.link(partial, target)
    except FileExistsError:
        raise
    except OSError:
        # A file system without hard links: check, then rename (a narrow race, on such systems only).
        if os.path.lexists(target):
            raise FileExistsError(target) from None
        os.replace(partial, target)


def _check_place(target: Path, label: str) -> None:
    if target.is_dir():
        raise ClaimtrackError(f"{label} is a directory. Give a file name.")
    if not target.parent.is_dir():
        raise ClaimtrackError(f"Cannot write {target}: the folder {target.parent} does not exist.")
    if target.exists() and not target.is_file():
        raise ClaimtrackError(f"{label} is not a regular file. Give the name of a file to write.")


def _refuse_database(target: Path, database: Path, label: str) -> None:
    """Refuse TARGET when it is the database or one of its side files, by name, through links or hard links."""
    spelled = os.path.realpath(target)
    for base in {str(database), os.path.realpath(database)}:
        for suffix in ("", *SIDE_FILES):
            other = f"{base}{suffix}"
            if spelled == os.path.realpath(other) or _same_file(target, other):
                what = "the database itself" if not suffix else f"the database's {suffix} file"
                raise ClaimtrackError(f"{label} is {what} ({database}). Give another file name.")


def _same_file(a: Path | str, b: Path | str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _header(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(100)
    except OSError:
        return b""


def _is_sqlite(path: Path) -> bool:
    return _header(path).startswith(SQLITE_HEADER)


def _is_claimtrack_copy(path: Path) -> bool:
    """A claimtrack database by its header: its application_id, or a schema from before the id."""
    header = _header(path)
    user_version = int.from_bytes(header[60:64], "big")
    application_id = int.from_bytes(header[68:72], "big")
    return application_id == APPLICATION_ID or (application_id == 0 and 1 <= user_version <= LAST_SCHEMA_WITHOUT_ID)
