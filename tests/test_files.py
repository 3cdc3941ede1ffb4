"""claimtrack.files and opening the database: output never over the database, written aside and owner-only;
other programs' files untouched; dry runs, read-only places and racing upgrades."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import add, fails, file_hash, ok
from claimtrack.migrations import REWRITING
from claimtrack.store import SCHEMA_VERSION

CLAIMTRACK = [sys.executable, "-m", "claimtrack"]


def run(*args: str, db: Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*CLAIMTRACK, "--db", str(db), *args], capture_output=True, text=True, **kwargs)


def listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def old_database(fixtures: Path, path: Path, version: int = 1) -> Path:
    """A claimtrack database at an older schema, from the shipped dump (rollback journal, as old files were)."""
    conn = sqlite3.connect(path)
    conn.executescript((fixtures / f"schema-v{version}.sql").read_text(encoding="utf-8"))
    conn.close()
    return path


def pragma(path: Path, name: str):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


# -- an output path that is the database --------------------------------------------------------

SPELLINGS = ["name", "./name", "absolute", "symlink", "hard link", "-wal", "-shm", "-journal", "other sqlite"]


def _spell(spelling: str, tmp_path: Path, db: Path) -> str:
    if spelling == "name":
        return db.name
    if spelling == "./name":
        return f"./{db.name}"
    if spelling == "absolute":
        return str(db)
    if spelling == "symlink":
        (tmp_path / "link.md").symlink_to(db)
        return "link.md"
    if spelling == "hard link":
        os.link(db, tmp_path / "same.db")
        return "same.db"
    if spelling == "other sqlite":
        other = tmp_path / "other.sqlite"
        conn = sqlite3.connect(other)
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        conn.close()
        return other.name
    return f"{db.name}{spelling}"


@pytest.mark.parametrize("spelling", SPELLINGS)
@pytest.mark.parametrize("command", [["report", "--output"], ["export", "--format", "jsonl", "--output"],
                                     ["backup", "--force"]])
def test_no_output_is_written_over_the_database_or_any_sqlite_file(tmp_path, db_path, command, spelling):
    add("cold water", "Zhou Hongyi")
    target = _spell(spelling, tmp_path, db_path)
    before = {name: file_hash(tmp_path / name) for name in listing(tmp_path)}
    argv = [*command[:-1], target, command[-1]] if command[0] == "backup" else [*command, target]
    err = fails(*argv).stderr
    assert "Give" in err and not err.rstrip().endswith("..")
    assert {name: file_hash(tmp_path / name) for name in listing(tmp_path)} == before
    assert ok("list").stdout.startswith("1\t")


def test_backup_refuses_a_name_sqlite_would_take_for_a_side_file(tmp_path, db_path):
    add("cold water", "Zhou Hongyi")
    for suffix in ("-journal", "-wal", "-shm"):
        assert suffix in fails("backup", f"copy.db{suffix}").stderr
        assert not (tmp_path / f"copy.db{suffix}").exists()


def test_backup_with_force_replaces_an_earlier_copy(tmp_path, db_path):
    add("cold water", "Zhou Hongyi")
    ok("backup", "copy.db")
    add("more water", "Zhou Hongyi")
    ok("backup", "copy.db", "--force")
    assert len(ok("--db", "copy.db", "list").stdout.splitlines()) == 2


# -- files written aside, owner-only ------------------------------------------------------------

@pytest.mark.parametrize("command", [["report"], ["export", "--format", "jsonl"], ["export", "--format", "csv"]])
def test_exports_and_reports_are_owner_only_and_replace_rather_than_write_through(tmp_path, db_path, command):
    add("cold water", "Zhou Hongyi", "--note", "confidential")
    victim = tmp_path / "victim.txt"
    victim.write_text("someone else's file\n")
    out = tmp_path / "out.txt"
    # A link planted where the output goes, and at the name a careless writer would use for its temporary file.
    out.symlink_to(victim)
    (tmp_path / ".out.txt.partial").symlink_to(victim)
    ok(*command, "--output", str(out))
    assert victim.read_text() == "someone else's file\n"
    assert not out.is_symlink() and out.stat().st_size > 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    # An existing, readable export is replaced by an owner-only one.
    out.unlink()
    out.write_text("old")
    out.chmod(0o644)
    ok(*command, "--output", str(out))
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and out.read_text() != "old"
    assert sorted(p.name for p in tmp_path.glob(".out.txt.*")) == [".out.txt.partial"]


def test_written_aside_leaves_nothing_on_failure_and_never_replaces_without_leave(tmp_path):
    from claimtrack.files import written_aside

    target = tmp_path / "x.out"
    with pytest.raises(RuntimeError):
        with written_aside(target, replace=True) as (fd, partial):
            os.write(fd, b"half")
            raise RuntimeError
    assert listing(tmp_path) == []
    target.write_text("kept")
    with pytest.raises(FileExistsError):
        with written_aside(target, replace=False) as (fd, partial):
            os.write(fd, b"new")
    assert target.read_text() == "kept" and listing(tmp_path) == ["x.out"]


def _big_old_database(fixtures: Path, path: Path, claims: int) -> int:
    old_database(fixtures, path)
    conn = sqlite3.connect(path)
    conn.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
        "INSERT INTO claims (uuid, kind, text, text_key, speaker_id, said_approximate, created_at, updated_at) "
        "SELECT printf('00000000-0000-4000-8000-%012d', i), 'claim', printf('bulk claim %d ', i) || "
        "hex(randomblob(200)), 'x', 1, 0, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z' FROM n",
        [claims],
    )
    conn.commit()
    total = conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    conn.close()
    return total


def test_sigkill_during_the_pre_upgrade_backup_never_leaves_a_truncated_backup(tmp_path, fixtures):
    db = tmp_path / "old.db"
    total = _big_old_database(fixtures, db, 60_000)
    rng = random.Random(12)
    upgraded = False
    for _ in range(12):
        earlier = set(tmp_path.glob("*.backup*"))
        process = subprocess.Popen([*CLAIMTRACK, "--db", str(db), "list", "--limit", "1"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Kill once this run's backup has begun (a file of it appears), at a random moment after that.
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline and set(tmp_path.glob("*.backup*")) <= earlier:
            time.sleep(0.001)
        time.sleep(rng.uniform(0, 0.2))
        process.send_signal(signal.SIGKILL)
        process.wait()
        for backup in tmp_path.glob("*.backup"):
            conn = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok", backup
            assert conn.execute("SELECT count(*) FROM claims").fetchone()[0] == total
            assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
            conn.close()
        if pragma(db, "user_version") == SCHEMA_VERSION:
            upgraded = True
            break
    result = run("list", "--limit", "1", db=db)
    assert result.returncode == 0, result.stderr
    assert upgraded or pragma(db, "user_version") == SCHEMA_VERSION
    assert not list(tmp_path.glob(".*.partial*")), "an unfinished copy left beside the database"
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM claims").fetchone()[0] == total
    conn.close()


# -- other programs' files ----------------------------------------------------------------------

FOREIGN_COMMANDS = [
    ["list"], ["show", "1"], ["search", "water"], ["add", "x", "--speaker", "A"], ["import", "{source}"],
    ["import", "{source}", "--dry-run"], ["check"], ["check", "--repair"], ["backup", "{folder}/copy.db"],
    ["export", "--format", "jsonl"], ["report"], ["edit", "1", "--note", "n"], ["delete", "1", "--yes"],
]


def _foreign(path: Path, journal: str, version: int, application_id: int = 0, tables: tuple = ("mine",)) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA journal_mode = {journal}")
    for table in tables:
        conn.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, x)")
        conn.execute(f"INSERT INTO {table} (x) VALUES ('theirs')")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute(f"PRAGMA application_id = {application_id}")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("kind", [
    ("delete", 3, 0, ("mine",)),
    ("wal", 3, 0, ("mine",)),
    ("delete", 0, 0, ("mine",)),
    ("delete", 7, 0, ("mine",)),
    ("delete", 2, 0, ("speakers", "claims")),  # some of claimtrack's table names are not enough
    ("delete", 0, 0x12345678, ()),  # another program's empty database, known by its id
])
def test_another_programs_sqlite_file_is_refused_byte_for_byte_untouched(tmp_path, kind):
    folder = tmp_path / "data"
    folder.mkdir()
    other = folder / "theirs.db"
    _foreign(other, *kind)
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"text": "cold water", "speaker": "Zhou Hongyi"}) + "\n")
    before, files, mode = file_hash(other), listing(folder), pragma(other, "journal_mode")
    for command in FOREIGN_COMMANDS:
        argv = [part.format(source=source, folder=folder) for part in command]
        err = fails("--db", str(other), *argv).stderr
        assert "not a claimtrack one" in err, (command, err)
        assert (file_hash(other), listing(folder)) == (before, files), command
    assert pragma(other, "journal_mode") == mode


# -- a dry run writes nothing -------------------------------------------------------------------

@pytest.mark.parametrize("start", ["missing", "empty file", "schema 1", "schema 5", "current"])
def test_a_dry_run_writes_nothing(tmp_path, fixtures, start):
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "claims.db"
    if start == "empty file":
        db.touch()
    elif start.startswith("schema"):
        old_database(fixtures, db, int(start.split()[1]))
    elif start == "current":
        ok("--db", str(db), "add", "already here", "--speaker", "Someone")
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"text": f"claim {i}", "speaker": "Zhou Hongyi"}) + "\n" for i in range(3)))
    before, files = file_hash(db), listing(folder)
    out = ok("--db", str(db), "import", str(source), "--dry-run").stdout
    assert "Would import 3 records" in out and "3 added" in out
    assert (file_hash(db), listing(folder)) == (before, files)


# -- paths SQLite reads specially, dangling links ------------------------------------------------

@pytest.mark.parametrize("name", [":memory:", "file:claims.db", "file::memory:?cache=shared"])
def test_a_database_sqlite_would_keep_in_memory_or_read_as_an_address_is_refused(tmp_path, monkeypatch, name):
    for argv in (["--db", name, "add", "x", "--speaker", "A"], ["--db", name, "list"]):
        assert "in memory" in fails(*argv).stderr
    monkeypatch.setenv("CLAIMTRACK_DB", name)
    assert "in memory" in fails("add", "x", "--speaker", "A").stderr
    assert listing(tmp_path) == []


def test_a_dangling_symlink_as_the_database_is_a_plain_message(tmp_path):
    link = tmp_path / "claims.db"
    link.symlink_to(tmp_path / "gone" / "real.db")
    assert "does not exist" in fails("--db", str(link), "list").stderr
    assert "symbolic link" in fails("--db", str(link), "add", "x", "--speaker", "A").stderr
    assert listing(tmp_path) == ["claims.db"] and link.is_symlink()


# -- read-only places ---------------------------------------------------------------------------

def _without_override() -> None:
    """In the child: give up root's power to write what its permissions forbid (as any other user has none)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl")


def _as_user(*args: str, db: Path) -> subprocess.CompletedProcess:
    return run(*args, db=db, preexec_fn=_without_override if os.geteuid() == 0 else None)


@pytest.mark.parametrize("start", ["current", "schema 5"])
def test_a_database_in_a_folder_that_cannot_be_written_can_be_read(tmp_path, fixtures, start):
    if os.geteuid() == 0 and run("--version", db=tmp_path / "x", preexec_fn=_without_override).returncode != 0:
        pytest.skip("cannot drop root's override of file permissions here")
    share = tmp_path / "share"
    share.mkdir()
    db = share / "claims.db"
    if start == "current":
        ok("--db", str(db), "add", "cold water", "--speaker", "Zhou Hongyi")
        assert pragma(db, "journal_mode") == "wal"  # and no -shm beside it: SQLite cannot make one
    else:
        old_database(fixtures, db, 5)
    conn = sqlite3.connect(db)
    expected = sorted(row[0] for row in conn.execute("SELECT uuid FROM claims"))
    conn.close()
    before, files = file_hash(db), listing(share)
    share.chmod(0o555)
    try:
        for command in (["list", "--json"], ["show", "1"], ["search", "water"], ["export", "--format", "jsonl"],
                        ["report"], ["check"]):
            result = _as_user(*command, db=db)
            assert result.returncode == 0, (command, result.stderr)
            if command == ["list", "--json"]:
                assert sorted(claim["uuid"] for claim in json.loads(result.stdout)) == expected
        copy = _as_user("backup", str(tmp_path / "copy.db"), db=db)
        assert copy.returncode == 0, copy.stderr
        write = _as_user("add", "y", "--speaker", "B", db=db)
        assert write.returncode == 1 and "read-only" in write.stderr and "Traceback" not in write.stderr
        beside = _as_user("export", "--format", "jsonl", "--output", str(share / "out.jsonl"), db=db)
        assert beside.returncode == 1 and "Cannot write" in beside.stderr and "Traceback" not in beside.stderr
        assert (file_hash(db), listing(share)) == (before, files)
    finally:
        share.chmod(0o755)


def test_an_old_database_the_owner_made_read_only_is_read_without_upgrading_it(fixtures, tmp_path):
    db = old_database(fixtures, tmp_path / "old.db", 1)
    db.chmod(0o444)
    before, files = file_hash(db), listing(tmp_path)
    result = run("list", "--json", db=db)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) > 0
    assert (file_hash(db), listing(tmp_path)) == (before, files)


def _count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    finally:
        conn.close()


# -- racing upgrades ----------------------------------------------------------------------------

@pytest.mark.parametrize("version", [1, 5])
def test_four_commands_opening_an_old_database_at_once_one_upgrades_the_others_wait(tmp_path, fixtures, version):
    commands = [["list"], ["add", "new", "--speaker", "Racer"], ["search", "water"], ["show", "1"]]
    for round_ in range(3):
        folder = tmp_path / f"round{round_}"
        folder.mkdir()
        db = old_database(fixtures, folder / "claims.db", version)
        before = _count(db)
        processes = [subprocess.Popen([*CLAIMTRACK, "--db", str(db), *command], stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True) for command in commands]
        results = [(process.wait(timeout=120), *process.communicate()) for process in processes]
        for command, (code, out, err) in zip(commands, results):
            assert code == 0 and "Traceback" not in err, (command, err)
        notices = [err for _, _, err in results if "Backed up" in err]
        backups = list(folder.glob("*.backup"))
        rewrites = any(int(name[1:4]) > version for name in REWRITING)
        assert len(notices) == len(backups) == (1 if rewrites else 0)
        assert pragma(db, "user_version") == SCHEMA_VERSION and pragma(db, "integrity_check") == "ok"
        assert _count(db) == before + 1
