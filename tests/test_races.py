"""Two claimtrack processes at once: every write reads what it changes inside its own transaction.

Each test holds the write lock from here (a connection in BEGIN IMMEDIATE), starts real claimtrack processes,
waits until each is asleep in SQLite's wait for that lock, and only then lets go: the interleaving is certain,
not a matter of timing. A command that reads before it takes the lock has read by then; one that reads
inside its transaction has not.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import add, ok

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/wchan").exists(), reason="needs Linux /proc to see that a process waits for the lock"
)


@contextlib.contextmanager
def write_lock(db: Path):
    """Hold the database's write lock until the block ends; yields the connection that holds it."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    finally:
        conn.close()


def start(*args: str) -> subprocess.Popen:
    """claimtrack ARGS in a process of its own (CLAIMTRACK_DB and the folder are the test's)."""
    return subprocess.Popen(
        [sys.executable, "-m", "claimtrack", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def wait_until_blocked(process: subprocess.Popen) -> None:
    """Until PROCESS sleeps in SQLite's busy wait: a claimtrack command sleeps nowhere else."""
    wchan = Path(f"/proc/{process.pid}/wchan")
    deadline = time.monotonic() + 60
    while "nanosleep" not in wchan.read_text():
        if process.poll() is not None:
            out, err = process.communicate()
            pytest.fail(f"ended before waiting for the lock: exit {process.returncode}\n{out}\n{err}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("never waited for the write lock")
        time.sleep(0.005)


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of PROCESS; no traceback, ever."""
    out, err = process.communicate(timeout=120)
    assert "Traceback" not in err and "Traceback" not in out, err
    return process.returncode, out, err


def shown(claim_id: int = 1) -> dict:
    return json.loads(ok("show", str(claim_id), "--json").stdout)


def test_two_edits_of_one_claim_at_once_both_land(db_path):
    add("We will not cut prices.", "A", "--source", "https://example.com/a", "--outlet", "Old outlet",
        "--title", "Old title")
    with write_lock(db_path):
        title = start("edit", "1", "--title", "New title")
        wait_until_blocked(title)
        outlet = start("edit", "1", "--outlet", "New outlet")
        wait_until_blocked(outlet)
    assert finish(title)[0] == 0 and finish(outlet)[0] == 0
    claim = shown()
    assert (claim["title"], claim["outlet"]) == ("New title", "New outlet")
    changes = {(h["field"], h["old"], h["new"]) for h in claim["history"]}
    assert {("title", "Old title", "New title"), ("outlet", "Old outlet", "New outlet")} <= changes


def test_two_edits_of_the_same_field_each_record_what_they_replaced(db_path):
    add("We will not cut prices.", "A", "--note", "first")
    with write_lock(db_path):
        second = start("edit", "1", "--note", "second")
        wait_until_blocked(second)
        third = start("edit", "1", "--note", "third")
        wait_until_blocked(third)
    assert finish(second)[0] == 0 and finish(third)[0] == 0
    notes = [(h["old"], h["new"]) for h in shown()["history"] if h["field"] == "note"]
    # Each change starts where the one before it ended: the history is a chain, whichever ran first.
    assert len(notes) == 2 and notes[0][0] == "first" and notes[1][0] == notes[0][1]
    assert shown()["note"] == notes[1][1]


def test_a_speaker_merge_racing_itself_merges_once_and_the_other_says_so(db_path):
    add("x", "Z. Hongyi")
    add("y", "Zhou Hongyi")
    with write_lock(db_path):
        merges = [start("speakers", "merge", "Z. Hongyi", "Zhou Hongyi") for _ in range(2)]
        for merge in merges:
            wait_until_blocked(merge)
    results = sorted(finish(merge) for merge in merges)
    assert [code for code, _, _ in results] == [0, 1]
    loser = results[1][2].strip()
    assert len(loser.splitlines()) == 1 and "already" in loser and "nothing to merge" in loser
    [speaker] = json.loads(ok("speakers", "--json").stdout)
    assert speaker["name"] == "Zhou Hongyi" and speaker["aliases"] == ["Z. Hongyi"] and speaker["claims"] == 2
    assert [h["new"] for h in shown(1)["history"] if h["field"] == "speaker"] == ["Zhou Hongyi"]


def test_an_edit_of_a_claim_deleted_while_it_waited_says_so(db_path):
    add("x", "A")
    add("y", "B")
    with write_lock(db_path) as conn:
        edit = start("edit", "1", "--note", "checked")
        wait_until_blocked(edit)
        conn.execute("DELETE FROM claims WHERE id = 1")  # what `delete 1` does, in the transaction that waits
    code, out, err = finish(edit)
    assert code == 1 and out == ""
    assert "claim with id 1" in err and "deleted" in err and len(err.strip().splitlines()) == 1
    assert [c["id"] for c in json.loads(ok("list", "--json").stdout)] == [2]


def test_edit_racing_delete_ends_cleanly_whichever_goes_first(db_path):
    add("x", "A")
    with write_lock(db_path):
        edit = start("edit", "1", "--note", "checked")
        wait_until_blocked(edit)
        delete = start("delete", "1", "--yes")
        wait_until_blocked(delete)
    (edit_code, _, edit_err), (delete_code, _, _) = finish(edit), finish(delete)
    assert delete_code == 0
    assert edit_code == 0 or (edit_code == 1 and "deleted" in edit_err)
    assert json.loads(ok("list", "--json").stdout) == []


def test_a_verdict_citing_evidence_removed_while_it_waited_is_refused(db_path):
    add("x", "A")
    ok("evidence", "add", "1", "--url", "https://example.com/e", "--stance", "refutes")
    with write_lock(db_path) as conn:
        verdict = start("verdict", "1", "refuted", "--evidence", "1")
        wait_until_blocked(verdict)
        conn.execute("DELETE FROM evidence WHERE id = 1")
    code, _, err = finish(verdict)
    assert code == 1 and "no evidence with id 1" in err
    assert shown()["verdict"] == "unverified"
