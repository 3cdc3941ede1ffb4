"""undo and redo: every write command is one change that undo reverts exactly, and redo re-applies."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimtrack.errors import ClaimtrackError
from claimtrack.change_log import LOGGED_TABLES
from claimtrack.model import ClaimDraft, ClaimPatch, SourceDraft
from claimtrack.store import open_store
from conftest import add, fails, file_hash, ok


def tables(db: Path) -> dict:
    """Every row of every table a change can alter, in key order, and the search index checked whole."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("INSERT INTO claims_fts (claims_fts, rank) VALUES ('integrity-check', 1)")
        found = {}
        for table, key in LOGGED_TABLES.items():
            found[table] = conn.execute(f"SELECT * FROM {table} ORDER BY {', '.join(key)}").fetchall()
        found["search"] = conn.execute("SELECT rowid, text, context, speaker FROM claims_fts ORDER BY rowid").fetchall()
        return found
    finally:
        conn.close()


def export(db: Path) -> str:
    return ok("--db", str(db), "export", "--format", "jsonl").stdout


def seeded(db: Path) -> None:
    add("a barrel of cold water poured down China's head", "Zhou Hongyi", "--said", "2024-02-18", "--tag", "sora",
        "--source", "https://example.com/zhou", "--outlet", "Example News")
    add("supplying weapons for the ongoing AI war", "Meta's chief scientist", "--said", "December 2023")
    ok("evidence", "add", "1", "--url", "https://example.com/check", "--stance", "context", "--quote", "q")


# Each write command, and how to run it on the seeded database.
COMMANDS = {
    "add": ("add", "--speaker", "Zhou Hongyi", "Sora's launch was a wake-up call."),
    "edit": ("edit", "1", "--text", "cold water", "--tag", "china-ai", "--untag", "sora", "--said", "2024-02-20"),
    "delete": ("delete", "1", "--yes"),
    "verdict": ("verdict", "1", "misleading", "--note", "context matters", "--evidence", "1"),
    "attribution": ("attribution", "2", "disputed"),
    "evidence add": ("evidence", "add", "2", "--url", "https://example.com/e2", "--stance", "refutes"),
    "evidence edit": ("evidence", "edit", "1", "--stance", "supports", "--note", "read again"),
    "evidence remove": ("evidence", "remove", "1", "--yes"),
    "appearance": ("appearance", "add", "1", "--url", "https://example.com/again", "--outlet", "Other"),
    "alias": ("speakers", "alias", "Zhou Hongyi", "周鸿祎"),
    "merge": ("speakers", "merge", "Meta's chief scientist", "Zhou Hongyi"),
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_undo_reverts_each_write_command_exactly_and_redo_reapplies_it(db_path, command):
    seeded(db_path)
    before, before_export = tables(db_path), export(db_path)
    ok(*COMMANDS[command])
    after, after_export = tables(db_path), export(db_path)
    assert after != before
    undone = ok("undo", "--yes")
    assert undone.stdout.startswith("Undone: ")
    assert tables(db_path) == before and export(db_path) == before_export
    ok("redo", "--yes")
    assert tables(db_path) == after and export(db_path) == after_export
    ok("undo", "--yes")
    assert tables(db_path) == before


def test_an_import_is_one_change(db_path, tmp_path):
    seeded(db_path)
    other = tmp_path / "other.db"
    ok("--db", str(other), "add", "--speaker", "Yin Ye", "Sora is a Newton moment")
    ok("--db", str(other), "add", "--speaker", "Zhou Hongyi", "Sora's launch was a wake-up call.")
    ok("--db", str(other), "export", "--format", "jsonl", "--output", str(tmp_path / "more.jsonl"))
    before = tables(db_path)
    ok("import", str(tmp_path / "more.jsonl"))
    assert len(json.loads(ok("list", "--json").stdout)) == 4
    listed = json.loads(ok("undo", "--list", "--json").stdout)
    assert listed[0]["summary"] == "import of more.jsonl" and listed[0]["command"] == "import"
    ok("undo", "--yes")
    assert tables(db_path) == before


def test_undo_says_what_it_reverts_and_walks_back_one_change_at_a_time(db_path):
    seeded(db_path)
    ok("verdict", "1", "refuted")
    listed = json.loads(ok("undo", "--list", "--json").stdout)
    assert [c["summary"] for c in listed[:2]] == ["verdict of claim 1 set to refuted",
                                                 "evidence (context) added to claim 1"]
    assert [c["command"] for c in listed[:2]] == ["verdict", "evidence add"]
    text = ok("undo", "--list").stdout
    assert "verdict of claim 1 set to refuted" in text and "just now" in text
    # Outside a terminal undo asks for --yes, naming what it would revert.
    refused = fails("undo")
    assert "Undo: verdict of claim 1 set to refuted, just now" in refused.stderr and "--yes" in refused.stderr
    ok("undo", "--yes")
    assert json.loads(ok("show", "1", "--json").stdout)["verdict"] == "unverified"
    ok("undo", "--yes")
    assert json.loads(ok("show", "1", "--json").stdout)["evidence"] == []
    for _ in range(2):
        ok("undo", "--yes")
    assert "Nothing more to undo: every change has been undone" in fails("undo", "--yes").stderr
    assert ok("list").stdout == ""
    ok("redo", "--yes")
    assert len(json.loads(ok("list", "--json").stdout)) == 1


def test_redo_only_follows_undo(db_path):
    seeded(db_path)
    assert "Nothing to redo" in fails("redo", "--yes").stderr
    ok("verdict", "1", "refuted")
    ok("undo", "--yes")
    ok("attribution", "1", "confirmed")
    message = fails("redo", "--yes").stderr
    assert "Nothing to redo" in message and "attribution of claim 1 set to confirmed" in message
    assert json.loads(ok("show", "1", "--json").stdout)["verdict"] == "unverified"


def test_several_undos_are_redone_most_recent_first(db_path):
    seeded(db_path)
    ok("verdict", "1", "refuted")
    ok("attribution", "1", "confirmed")
    ok("undo", "--yes")
    ok("undo", "--yes")
    assert ok("redo", "--yes").stdout.strip() == "Redone: verdict of claim 1 set to refuted."
    assert ok("redo", "--yes").stdout.strip() == "Redone: attribution of claim 1 set to confirmed."
    shown = json.loads(ok("show", "1", "--json").stdout)
    assert (shown["verdict"], shown["attribution"]) == ("refuted", "confirmed")


def test_a_command_that_changes_nothing_is_not_a_change_and_leaves_the_file_alone(db_path):
    seeded(db_path)
    ok("speakers", "alias", "Zhou Hongyi", "Zhou")
    before = file_hash(db_path)
    ok("speakers", "alias", "Zhou Hongyi", "Zhou")
    assert file_hash(db_path) == before
    assert json.loads(ok("undo", "--list", "--json").stdout)[0]["summary"].startswith("aliases added to Zhou Hongyi")


def test_a_failed_command_leaves_no_change_behind(db_path):
    seeded(db_path)
    listed = ok("undo", "--list", "--json").stdout
    fails("verdict", "9", "refuted")
    assert ok("undo", "--list", "--json").stdout == listed


def test_emptying_the_trash_is_a_barrier_undo_does_not_cross(db_path):
    seeded(db_path)
    ok("delete", "2", "--yes")
    ok("trash", "empty", "--yes")
    message = fails("undo", "--yes").stderr
    assert "trash was emptied" in message
    assert json.loads(ok("undo", "--list", "--json").stdout) == []
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM undo_log").fetchone()[0] == 0  # the deleted claim's rows are gone
    conn.close()
    ok("verdict", "1", "refuted")
    ok("undo", "--yes")
    assert "trash was emptied" in fails("undo", "--yes").stderr


def test_only_the_recent_changes_can_be_undone(db_path, monkeypatch):
    import claimtrack.store.changes as changes

    monkeypatch.setattr(changes, "KEPT_CHANGES", 3)
    for n in range(5):
        add(f"claim {n}", "Zhou Hongyi")
    assert len(json.loads(ok("undo", "--list", "--json").stdout)) == 3
    for _ in range(3):
        ok("undo", "--yes")
    message = fails("undo", "--yes").stderr
    assert "last 3 changes" in message and "claim 2 added" in message
    assert [c["text"] for c in json.loads(ok("list", "--json").stdout)] == ["claim 1", "claim 0"]


def test_a_write_made_by_another_program_is_not_undone_with_the_next_change(db_path):
    seeded(db_path)
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE claims SET note = 'typed in sqlite3' WHERE id = 2")
    conn.close()
    ok("verdict", "1", "refuted")
    ok("undo", "--yes")
    assert json.loads(ok("show", "2", "--json").stdout)["note"] == "typed in sqlite3"
    listed = json.loads(ok("undo", "--list", "--json").stdout)
    assert listed[0]["summary"] == "changes made outside claimtrack"
    ok("undo", "--yes")
    assert json.loads(ok("show", "2", "--json").stdout)["note"] is None


# -- any sequence of writes, then as many undos -------------------------------------------------------

SPEAKERS = ["Zhou Hongyi", "Yann LeCun", "Yin Ye"]
operation = st.one_of(
    st.tuples(st.just("add"), st.text(min_size=1, max_size=20).filter(str.strip), st.sampled_from(SPEAKERS),
              st.lists(st.sampled_from(["sora", "chips", "china-ai"]), max_size=2)),
    st.tuples(st.just("edit"), st.integers(1, 6), st.text(min_size=1, max_size=20).filter(str.strip)),
    st.tuples(st.just("verdict"), st.integers(1, 6), st.sampled_from(["supported", "refuted", "mixed"])),
    st.tuples(st.just("evidence"), st.integers(1, 6), st.sampled_from(["supports", "refutes", "context"])),
    st.tuples(st.just("delete"), st.integers(1, 6)),
    st.tuples(st.just("restore"), st.integers(1, 6)),
    st.tuples(st.just("alias"), st.sampled_from(SPEAKERS), st.sampled_from(["Zhou", "LeCun", "Meta AI chief"])),
    st.tuples(st.just("merge"), st.sampled_from(SPEAKERS), st.sampled_from(SPEAKERS)),
)


def apply(store, op) -> bool:
    """Run one write; True when it changed the database (a refused one changes nothing)."""
    kind, *args = op
    marks = store.conn.execute("SELECT count(*) FROM changes").fetchone()[0]
    try:
        if kind == "add":
            store.add_claim(ClaimDraft(text=args[0].strip(), speaker=args[1], tags=tuple(args[2])))
        elif kind == "edit":
            store.edit_claim(args[0], ClaimPatch(text=args[1].strip() + " (edited)"))
        elif kind == "verdict":
            store.set_standing(args[0], "verdict", args[1])
        elif kind == "evidence":
            store.add_evidence(args[0], SourceDraft(url=f"https://example.com/{args[1]}"), args[1], quote="q")
        elif kind == "delete":
            store.delete_claim(args[0])
        elif kind == "restore":
            store.restore(args[0])
        elif kind == "alias":
            store.add_aliases(args[0], [args[1]])
        elif kind == "merge":
            store.merge_speakers(args[0], args[1])
    except ClaimtrackError:
        pass
    return store.conn.execute("SELECT count(*) FROM changes").fetchone()[0] > marks


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.lists(operation, max_size=4), then=st.lists(operation, min_size=1, max_size=8))
def test_any_writes_then_as_many_undos_leave_the_database_as_it_was(tmp_path_factory, first, then):
    db = tmp_path_factory.mktemp("undo") / "claims.db"
    with open_store(db, write=True) as store:
        for op in first:
            apply(store, op)
    from claimtrack.model import ClaimFilter

    before = tables(db)
    with open_store(db, write=True) as store:
        exported = list(store.record_lines(ClaimFilter()))
        made = sum(apply(store, op) for op in then)
        after = tables(db)
        for _ in range(made):
            store.undo()
        assert tables(db) == before
        assert list(store.record_lines(ClaimFilter())) == exported
        for _ in range(made):
            store.redo()
        assert tables(db) == after


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(operation, min_size=1, max_size=8), victim=st.integers(1, 6))
def test_delete_then_restore_leaves_the_export_as_it_was(tmp_path_factory, ops, victim):
    db = tmp_path_factory.mktemp("trash") / "claims.db"
    with open_store(db, write=True) as store:
        store.add_claim(ClaimDraft(text="cold water", speaker="Zhou Hongyi", tags=("sora",)))
        for op in ops:
            apply(store, op)
        if not store.conn.execute("SELECT 1 FROM claims WHERE id = ?", (victim,)).fetchone():
            return
        from claimtrack.model import ClaimFilter

        before = list(store.record_lines(ClaimFilter()))
        deleted = store.delete_claim(victim).uuid
        assert [json.loads(line)["uuid"] for line in store.record_lines(ClaimFilter())] == [
            json.loads(line)["uuid"] for line in before if json.loads(line)["uuid"] != deleted]
        store.restore(victim)
        assert list(store.record_lines(ClaimFilter())) == before


def test_an_import_that_merges_known_claims_and_adds_new_ones_is_undone_whole(db_path, tmp_path):
    seeded(db_path)
    ok("export", "--format", "jsonl", "--output", str(tmp_path / "desk.jsonl"))
    other = tmp_path / "other.db"
    ok("--db", str(other), "import", str(tmp_path / "desk.jsonl"))
    # The other database numbers the claims its own way: find them by their words.
    ids = {c["text"][:8]: str(c["id"]) for c in json.loads(ok("--db", str(other), "list", "--json").stdout)}
    ok("--db", str(other), "verdict", ids["a barrel"], "misleading", "--note", "seen elsewhere")
    ok("--db", str(other), "edit", ids["supplyin"], "--tag", "nvidia")
    ok("--db", str(other), "add", "--speaker", "Yin Ye", "Sora is a Newton moment")
    ok("--db", str(other), "speakers", "alias", "Zhou Hongyi", "周鸿祎")
    ok("--db", str(other), "export", "--format", "jsonl", "--output", str(tmp_path / "theirs.jsonl"))
    before, before_export = tables(db_path), export(db_path)
    summary = ok("import", str(tmp_path / "theirs.jsonl")).stdout
    assert "1 added, 2 updated" in summary
    after = tables(db_path)
    assert json.loads(ok("show", "1", "--json").stdout)["verdict"] == "misleading"
    ok("undo", "--yes")
    assert tables(db_path) == before and export(db_path) == before_export
    ok("redo", "--yes")
    assert tables(db_path) == after


def test_an_import_into_an_empty_database_is_undone_to_empty(db_path, tmp_path):
    seeded(db_path)
    ok("export", "--format", "jsonl", "--output", str(tmp_path / "desk.jsonl"))
    fresh = tmp_path / "fresh.db"
    ok("--db", str(fresh), "import", str(tmp_path / "desk.jsonl"))
    imported = tables(fresh)
    ok("--db", str(fresh), "undo", "--yes")
    assert all(rows == [] for name, rows in tables(fresh).items() if name != "trash")
    ok("--db", str(fresh), "redo", "--yes")
    assert tables(fresh) == imported


def test_undo_asks_in_a_terminal():
    from test_terminal import in_terminal

    add("cold water", "Zhou Hongyi")
    ok("verdict", "1", "refuted")
    code, out = in_terminal("undo", answers=["n"])
    assert code == 1 and "Undo: verdict of claim 1 set to refuted, just now? [y/N]" in out, out
    assert json.loads(ok("show", "1", "--json").stdout)["verdict"] == "refuted"
    code, out = in_terminal("undo", answers=["y"])
    assert code == 0 and "Undone: verdict of claim 1 set to refuted." in out, out
    assert json.loads(ok("show", "1", "--json").stdout)["verdict"] == "unverified"
