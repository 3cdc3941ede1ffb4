"""search --in evidence and --in all: the claims evidence bears on, which evidence matched, and the evidence
index kept in step through edits, undo, imports, check --repair and an upgrade."""

from __future__ import annotations

import json
import sqlite3

import pytest

from conftest import add, fails, ok


def hits(*args: str) -> list[dict]:
    return json.loads(ok("search", *args, "--json").stdout)


def evidence_index(path) -> dict[int, tuple[str, str, str]]:
    """The evidence search rows, after FTS5's own integrity check."""
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO evidence_fts (evidence_fts) VALUES ('integrity-check')")
    rows = {r[0]: tuple(r[1:]) for r in conn.execute("SELECT rowid, quote, note, title FROM evidence_fts")}
    conn.close()
    return rows


def expected_index(path) -> dict[int, tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    rows = {r[0]: tuple(r[1:]) for r in conn.execute(
        "SELECT e.id, coalesce(e.quote, ''), coalesce(e.note, ''), coalesce(s.title, '') "
        "FROM evidence e JOIN sources s ON s.id = e.source_id")}
    conn.close()
    return rows


@pytest.fixture
def checked(db_path):
    """Three claims; evidence on two of them with a quote, a note and a titled page."""
    add("the reservoir is full", "Zhou Hongyi")
    add("exports fell in March", "Li Wei", "--tag", "trade")
    add("exports rose in March", "Chen Jie")
    ok("evidence", "add", "1", "--url", "https://example.com/drought", "--stance", "refutes",
       "--quote", "satellite images show the reservoir at a third of capacity", "--title", "Drought report")
    ok("evidence", "add", "2", "--url", "https://example.com/customs", "--stance", "supports",
       "--note", "customs figures for March, reservoir of data", "--title", "Customs bulletin")
    ok("evidence", "add", "3", "--url", "https://example.com/customs", "--stance", "refutes",
       "--quote", "exports grew by 2 per cent")
    return db_path


def test_search_in_evidence_finds_the_claims_evidence_bears_on_and_says_which_evidence_matched(checked):
    found = hits("satellite", "--in", "evidence")
    assert [h["id"] for h in found] == [1]
    assert found[0]["matched_evidence"] == [
        {"id": 1, "stance": "refutes", "snippet": "**satellite** images show the reservoir at a third of capacity"}]
    # The note, and the title of the evidence's page (shared by two pieces of evidence), accents and case aside.
    assert [h["id"] for h in hits("CUSTOMS FIGURES", "--in", "evidence")] == [2]
    assert sorted(h["id"] for h in hits("bulletín", "--in", "evidence")) == [2, 3]
    # By default only the claims themselves are searched, and their hits carry no evidence field.
    assert hits("satellite") == []
    assert "matched_evidence" not in hits("reservoir")[0]
    assert [h["id"] for h in hits("reservoir")] == [1]


def test_search_in_all_ranks_each_claim_by_its_better_match_and_lists_its_matching_evidence(checked):
    found = hits("reservoir", "--in", "all")
    assert sorted(h["id"] for h in found) == [1, 2]
    by_id = {h["id"]: h for h in found}
    assert [e["id"] for e in by_id[1]["matched_evidence"]] == [1]  # matched in its text and in its evidence
    assert by_id[1]["snippet"] == "the **reservoir** is full"
    assert [e["id"] for e in by_id[2]["matched_evidence"]] == [2]
    assert by_id[2]["snippet"] == "exports fell in March"  # (found by its evidence only: the text unmarked)
    assert all(h["rank"] is not None for h in found)
    # Evidence-only matches take the filters of list, which apply to the claims.
    assert [h["id"] for h in hits("exports", "--in", "all", "--speaker", "Chen Jie")] == [3]
    assert [h["id"] for h in hits("reservoir", "--in", "evidence", "--tag", "trade")] == [2]
    assert [h["id"] for h in hits("reservoir", "--in", "evidence", "--verdict", "refuted")] == []


def test_search_in_evidence_shows_the_evidence_in_a_pipe_and_refuses_an_unknown_scope(checked):
    lines = ok("search", "satellite", "--in", "evidence").stdout.splitlines()
    assert lines == ["1\tundated\tZhou Hongyi\tthe reservoir is full | evidence 1 (refutes): **satellite** images "
                     "show the reservoir at a third of capacity"]
    result = fails("search", "satellite", "--in", "sources", code=2)
    assert "--in" in result.stderr and "claims" in result.stderr


def test_the_evidence_index_follows_every_change_and_its_undo(checked):
    assert evidence_index(checked) == expected_index(checked)
    steps = [
        ("evidence", "edit", "1", "--quote", "the reservoir is dry"),
        ("evidence", "edit", "2", "--title", "Customs monthly"),
        ("evidence", "remove", "3", "--yes"),
        ("evidence", "add", "3", "--url", "https://example.com/new", "--stance", "context", "--note", "port data"),
        ("delete", "2", "--yes"),
    ]
    states = [evidence_index(checked)]
    for step in steps:
        ok(*step)
        assert evidence_index(checked) == expected_index(checked), step
        states.append(evidence_index(checked))
    assert [h["id"] for h in hits("dry", "--in", "evidence")] == [1]
    assert hits("customs", "--in", "evidence") == [] and hits("port", "--in", "evidence")[0]["id"] == 3
    for state in reversed(states[:-1]):
        ok("undo", "--yes")
        assert evidence_index(checked) == expected_index(checked) == state
    assert [h["id"] for h in hits("satellite", "--in", "evidence")] == [1]
    ok("redo", "--yes")
    assert evidence_index(checked) == expected_index(checked) == states[1]


def test_check_finds_an_evidence_index_out_of_step_and_repair_rebuilds_it(checked):
    conn = sqlite3.connect(checked)
    with conn:
        conn.execute("DELETE FROM evidence_fts WHERE rowid = 2")
    conn.close()
    assert "evidence search index: 1 row missing" in fails("check").stderr
    ok("check", "--repair")
    assert evidence_index(checked) == expected_index(checked)
    assert sorted(h["id"] for h in hits("customs", "--in", "evidence")) == [2, 3]


def test_imported_evidence_is_searchable(checked, tmp_path):
    exported = tmp_path / "out.jsonl"
    exported.write_text(ok("export", "--format", "jsonl").stdout, encoding="utf-8")
    other = tmp_path / "other.db"
    ok("--db", str(other), "import", str(exported))
    assert evidence_index(other) == expected_index(other) and len(expected_index(other)) == 3
    found = json.loads(ok("--db", str(other), "search", "satellite", "--in", "evidence", "--json").stdout)
    assert [h["text"] for h in found] == ["the reservoir is full"]


def test_an_upgraded_database_gets_the_evidence_index_and_keeps_its_evidence(tmp_path, fixtures):
    path = tmp_path / "v5.db"
    conn = sqlite3.connect(path)
    conn.executescript((fixtures / "schema-v5.sql").read_text(encoding="utf-8"))
    before = conn.execute("SELECT * FROM evidence ORDER BY id").fetchall()
    conn.close()
    found = json.loads(ok("--db", str(path), "search", "thresholds", "--in", "evidence", "--json").stdout)
    assert [h["id"] for h in found] == [8]
    assert [e["id"] for e in found[0]["matched_evidence"]] == [2]
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT id, uuid, claim_id, source_id, stance, quote, note, added_at FROM evidence "
                        "ORDER BY id").fetchall() == before
    conn.close()
    assert evidence_index(path) == expected_index(path) and len(before) == 2
