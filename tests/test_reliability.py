"""Nothing lost under concurrent use, crashes, interrupts, a full disk, or upgrades."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import resource
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claimtrack.migrations import REWRITING
from claimtrack.store import open_store
from conftest import add, fails, file_hash, ok

CLAIMTRACK = [sys.executable, "-m", "claimtrack"]


def run(*args: str, db: Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*CLAIMTRACK, "--db", str(db), *args], capture_output=True, text=True, **kwargs)


def count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    finally:
        conn.close()


def sound(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def corpus(path: Path, n: int, prefix: str = "claim") -> Path:
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            out.write(json.dumps({"text": f"{prefix} {i} about export rules", "speaker": f"Speaker {i % 97}",
                                  "tags": ["bulk"], "said_on": f"20{10 + i % 15}"}) + "\n")
    return path


# -- concurrency ---------------------------------------------------------------------------

def _reader(db: str, stop: str, failures: str) -> None:
    while not os.path.exists(stop):
        for args in (["list", "--limit", "5"], ["search", "words", "--limit", "5"]):
            result = subprocess.run([*CLAIMTRACK, "--db", db, *args], capture_output=True, text=True)
            if result.returncode != 0:
                with open(failures, "a") as out:
                    out.write(result.stderr)


def _cli_writer(db: str, worker: int) -> list[int]:
    return [
        subprocess.run([*CLAIMTRACK, "--db", db, "add", f"words {worker}-{i}", "--speaker", f"Writer {worker}"],
                       capture_output=True, text=True).returncode
        for i in range(25)
    ]


def test_eight_terminals_adding_at_once_lose_nothing(tmp_path):
    db = tmp_path / "claims.db"
    assert run("add", "first words", "--speaker", "Seed", db=db).returncode == 0
    stop, failures = tmp_path / "stop", tmp_path / "failures"
    reader = multiprocessing.get_context("fork").Process(target=_reader, args=(str(db), str(stop), str(failures)))
    reader.start()
    with multiprocessing.get_context("fork").Pool(8) as pool:
        codes = [c for batch in pool.starmap(_cli_writer, [(str(db), w) for w in range(8)]) for c in batch]
    stop.touch()
    reader.join(120)
    assert codes == [0] * 200
    assert count(db) == 201
    assert not failures.exists(), failures.read_text()
    sound(db)


def _library_writer(db: str, worker: int) -> int:
    from claimtrack.dates import DateSettings
    from claimtrack.drafts import new_claim
    from claimtrack.store import open_store

    with open_store(db, write=True) as store:
        for i in range(500):
            store.add_claim(new_claim(f"library {worker}-{i}", f"Worker {worker}", settings=DateSettings()))
    return worker


def test_eight_workers_writing_through_the_library_lose_nothing(tmp_path):
    db = tmp_path / "claims.db"
    assert run("add", "seed", "--speaker", "Seed", db=db).returncode == 0
    with multiprocessing.get_context("fork").Pool(8) as pool:
        assert sorted(pool.starmap(_library_writer, [(str(db), w) for w in range(8)])) == list(range(8))
    assert count(db) == 4001
    sound(db)


# -- crashes and interrupts -------------------------------------------------------------------

@pytest.mark.parametrize("into", ["a database with claims", "an empty database"])
def test_an_import_killed_at_random_moments_is_all_or_nothing_and_can_be_rerun(tmp_path, into):
    # Into an empty database the load writes in place under a rollback journal instead of the write-ahead
    # log: a kill must leave it as sound, and the next opening rolls the journal back.
    db = tmp_path / "claims.db"
    if into == "an empty database":
        with open_store(db, write=True):
            pass
    else:
        assert run("add", "already here", "--speaker", "Seed", db=db).returncode == 0
    before = count(db)
    source = corpus(tmp_path / "big.jsonl", 20_000)
    rng = random.Random(7)
    for _ in range(10):
        process = subprocess.Popen([*CLAIMTRACK, "--db", str(db), "import", str(source)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 2.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        sound(db)
        assert count(db) in (before, before + 20_000)
        if count(db) == before + 20_000:
            break
    result = run("import", str(source), db=db)
    assert result.returncode == 0, result.stderr
    assert count(db) == before + 20_000
    sound(db)
    assert "OK" in run("check", db=db).stdout
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_a_command_during_a_load_into_an_empty_database_waits_for_it(tmp_path):
    # The load writes the file in place (its rollback journal beside it); other commands wait, then work.
    db = tmp_path / "claims.db"
    with open_store(db, write=True):
        pass
    source = corpus(tmp_path / "big.jsonl", 100_000)
    process = subprocess.Popen([*CLAIMTRACK, "--db", str(db), "import", str(source)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    journal = tmp_path / "claims.db-journal"
    while process.poll() is None and not journal.exists():
        time.sleep(0.005)
    assert journal.exists(), "the load did not write in place"
    during = [run("list", "--limit", "1", db=db), run("add", "meanwhile", "--speaker", "Someone", db=db)]
    assert process.wait(timeout=300) == 0, process.stderr.read()
    for result in during:
        assert result.returncode == 0, result.stderr
    assert count(db) == 100_001
    assert not journal.exists()
    sound(db)


@pytest.mark.parametrize("command", ["import", "export"])
def test_ctrl_c_leaves_nothing_half_written(tmp_path, command):
    db = tmp_path / "claims.db"
    # Large enough that the interrupt, 0.8 s in, comes while the import is still loading.
    source = corpus(tmp_path / "big.jsonl", 60_000 if command == "import" else 20_000)
    if command == "export":
        assert run("import", str(source), db=db).returncode == 0
    before = file_hash(db) if db.exists() else None
    output = tmp_path / "out.jsonl"
    argv = ["import", str(source)] if command == "import" else ["export", "--format", "jsonl", "--output", str(output)]
    process = subprocess.Popen([*CLAIMTRACK, "--db", str(db), *argv], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    if command == "export":
        # Interrupt once the export has begun to write its file.
        deadline = time.monotonic() + 30
        while not list(tmp_path.glob(".out.jsonl*")) and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.01)
    else:
        time.sleep(0.8)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    if process.returncode == 0:
        pytest.skip("the command finished before the interrupt arrived")
    assert process.returncode == 130, stderr
    assert stderr.strip() == "Interrupted." and "Traceback" not in stderr
    if command == "import":
        assert not db.exists() or count(db) == 0
    else:
        assert file_hash(db) == before
        assert not output.exists() and not list(tmp_path.glob(".out.jsonl*"))


def test_ctrl_c_after_a_commit_waits_for_the_close_and_then_works_again(db_path):
    # Once a write is committed, Ctrl-C could only cut the closing short and report as lost what was saved:
    # it is ignored from the commit until the store is closed, then handled as before.
    from claimtrack.store import open_store

    ok("add", "seed", "--speaker", "Seed")
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    with open_store(db_path, write=True) as store:
        with store.write("test"):
            store.conn.execute("UPDATE claims SET note = 'saved' WHERE id = 1")
            assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        os.kill(os.getpid(), signal.SIGINT)  # ignored: no KeyboardInterrupt here
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert json.loads(ok("show", "1", "--json").stdout)["note"] == "saved"
    with pytest.raises(KeyboardInterrupt):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(1)


def test_a_full_disk_is_reported_plainly_and_changes_nothing(tmp_path):
    db = tmp_path / "claims.db"
    assert run("add", "seed", "--speaker", "Seed", db=db).returncode == 0
    assert run("check", db=db).returncode == 0  # leaves the database checkpointed
    before = file_hash(db)
    source = corpus(tmp_path / "big.jsonl", 5_000, prefix="x" * 500)
    limit = db.stat().st_size + 64 * 1024

    def small_disk():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = subprocess.run([*CLAIMTRACK, "--db", str(db), "import", str(source)], capture_output=True,
                            text=True, preexec_fn=small_disk)
    assert result.returncode == 1
    assert "disk is full" in result.stderr and "Traceback" not in result.stderr
    sound(db)
    assert count(db) == 1
    assert run("check", db=db).returncode == 0
    assert file_hash(db) == before


# -- files and permissions -------------------------------------------------------------------

def test_a_new_database_is_owner_only_and_an_existing_ones_mode_is_kept(tmp_path, db_path):
    add("x", "A")
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    shared = tmp_path / "shared.db"
    ok("--db", str(shared), "add", "y", "--speaker", "B")
    shared.chmod(0o640)
    ok("--db", str(shared), "add", "z", "--speaker", "B")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o640


def test_a_closed_pipe_ends_output_quietly(tmp_path):
    db = tmp_path / "claims.db"
    assert run("import", str(corpus(tmp_path / "c.jsonl", 3000)), db=db).returncode == 0
    for command in ("list", "report", "export --format jsonl"):
        result = subprocess.run(f"{sys.executable} -m claimtrack --db {db} {command} | head -1", shell=True,
                                capture_output=True, text=True)
        assert result.stdout.count("\n") == 1 and result.stderr == "", (command, result.stderr)


# -- check, repair, backup -------------------------------------------------------------------

def test_check_finds_an_index_out_of_step_and_repair_rebuilds_it(db_path):
    add("cold water", "Zhou Hongyi", "--source", "https://example.com/a")
    assert "OK" in ok("check").stdout
    conn = sqlite3.connect(db_path)
    conn.execute("DELETE FROM claims_fts WHERE rowid = 1")
    conn.execute("INSERT INTO sources (url, url_key, created_at) VALUES ('https://x.example/', 'https://x.example/', 'now')")
    conn.commit()
    conn.close()
    result = fails("check")
    assert "1 claim missing from the search index" in result.stderr
    assert "1 source no claim or evidence cites" in result.stdout
    assert "removed 1 uncited source." in ok("check", "--repair").stdout
    assert "OK" in ok("check").stdout and "Notice" not in ok("check").stdout
    assert json.loads(ok("search", "cold", "--json").stdout)[0]["id"] == 1


def test_uncited_sources_are_a_notice_not_a_failure(db_path):
    add("x", "A", "--source", "https://example.com/a")
    ok("edit", "1", "--source", "https://example.com/b")
    result = ok("check")
    assert "Notice: 1 source" in result.stdout


def _keep_writing(db: str, n: int) -> None:
    for i in range(n):
        subprocess.run([*CLAIMTRACK, "--db", db, "add", f"during backup {i}", "--speaker", "Busy"], capture_output=True)


def test_backup_is_consistent_owner_only_and_will_not_overwrite(tmp_path):
    db = tmp_path / "claims.db"
    assert run("import", str(corpus(tmp_path / "c.jsonl", 5000)), db=db).returncode == 0
    writer = multiprocessing.get_context("fork").Process(target=_keep_writing, args=(str(db), 15))
    writer.start()
    target = tmp_path / "copy.db"
    result = run("backup", str(target), db=db)
    writer.join(120)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    sound(target)
    assert count(target) >= 5000
    assert "OK" in run("check", db=target).stdout
    again = run("backup", str(target), db=db)
    assert again.returncode == 1 and "--force" in again.stderr
    assert run("backup", str(target), "--force", db=db).returncode == 0
    assert count(target) == count(db)


# -- upgrades ---------------------------------------------------------------------------------

def test_every_shipped_schema_upgrades_with_a_backup_first(tmp_path, fixtures):
    dumps = sorted(fixtures.glob("schema-v*.sql"))
    assert dumps, "no fixtures"
    for dump in dumps:
        db = tmp_path / f"{dump.stem}.db"
        conn = sqlite3.connect(db)
        conn.executescript(dump.read_text(encoding="utf-8"))
        claims = conn.execute("SELECT uuid, text FROM claims ORDER BY uuid").fetchall()
        conn.close()
        version = int(dump.stem.split("-v")[1])
        rewrites = any(int(name[1:4]) > version for name in REWRITING)
        result = run("list", "--json", db=db)
        assert result.returncode == 0, result.stderr
        assert sorted((c["uuid"], c["text"]) for c in json.loads(result.stdout)) == claims
        assert "OK" in run("check", db=db).stdout
        assert ("Backed up" in result.stderr) == rewrites, result.stderr
        if rewrites:
            backup = Path(result.stderr.split(" to ", 1)[1].split(" before upgrading")[0])
            assert backup.exists() and stat.S_IMODE(backup.stat().st_mode) == 0o600
            conn = sqlite3.connect(backup)
            assert conn.execute("PRAGMA user_version").fetchone()[0] == version
            assert conn.execute("SELECT uuid, text FROM claims ORDER BY uuid").fetchall() == claims
            conn.close()
