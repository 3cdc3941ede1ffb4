"""delete moves a claim to the trash; restore puts it back under its old id; trash empty deletes for good."""

from __future__ import annotations

import json
import sqlite3

from conftest import add, fails, file_hash, ok


def seeded() -> None:
    add("a barrel of cold water poured down China's head", "Zhou Hongyi", "--said", "2024-02-18", "--tag", "sora",
        "--source", "https://example.com/zhou", "--outlet", "Example News")
    add("supplying weapons for the ongoing AI war", "Meta's chief scientist", "--said", "December 2023")
    ok("evidence", "add", "1", "--url", "https://example.com/check", "--stance", "refutes", "--quote", "not so")
    ok("verdict", "1", "refuted", "--evidence", "1", "--note", "the check says otherwise")
    ok("appearance", "add", "1", "--url", "https://example.com/again")


def test_a_deleted_claim_is_in_the_trash_and_nowhere_else(db_path, tmp_path):
    seeded()
    out = ok("delete", "1", "--yes").stdout
    assert "trash" in out and "claimtrack restore 1" in out
    assert [c["id"] for c in json.loads(ok("list", "--json").stdout)] == [2]
    assert json.loads(ok("search", "cold water", "--json").stdout) == []
    assert "cold water" not in ok("report").stdout
    assert "cold water" not in ok("export", "--format", "jsonl").stdout
    assert "cold water" not in ok("export", "--format", "csv").stdout
    fails("show", "1")
    trash = json.loads(ok("trash", "--json").stdout)
    assert [(t["id"], t["speaker"], t["text"]) for t in trash] == [
        (1, "Zhou Hongyi", "a barrel of cold water poured down China's head")]
    assert "Zhou Hongyi: a barrel of cold water" in ok("trash").stdout


def test_restore_brings_back_everything_under_the_old_id(db_path):
    seeded()
    before = ok("show", "1", "--json").stdout
    exported = ok("export", "--format", "jsonl").stdout
    ok("delete", "1", "--yes")
    add("a new claim after the delete", "Yin Ye")
    assert ok("restore", "1").stdout.strip() == "Restored claim 1."
    assert ok("show", "1", "--json").stdout == before
    assert json.loads(ok("trash", "--json").stdout) == []
    assert ok("trash").stdout.strip() == "The trash is empty."
    ok("delete", "3", "--yes")
    assert ok("export", "--format", "jsonl").stdout == exported


def test_ids_of_deleted_claims_are_never_given_again(db_path):
    seeded()
    ok("delete", "2", "--yes")
    assert add("another", "Yin Ye") == 3
    ok("restore", "2")
    assert json.loads(ok("show", "2", "--json").stdout)["text"] == "supplying weapons for the ongoing AI war"


def test_restore_refuses_plainly(db_path):
    seeded()
    before = file_hash(db_path)
    assert "not deleted" in fails("restore", "1").stderr
    assert "not in the trash" in fails("restore", "9").stderr
    assert file_hash(db_path) == before


def test_a_restore_finds_the_speaker_and_page_again_when_they_went_meanwhile(db_path):
    seeded()
    ok("delete", "2", "--yes")
    # The speaker of the deleted claim has no claims left; another program removes it and the page.
    conn = sqlite3.connect(db_path)
    with conn:
        speaker = conn.execute("SELECT id FROM speakers WHERE name = ?", ("Meta's chief scientist",)).fetchone()[0]
        for table in ("name_words", "aliases"):
            conn.execute(f"DELETE FROM {table} WHERE speaker_id = ?", (speaker,))
        conn.execute("DELETE FROM speakers WHERE id = ?", (speaker,))
    conn.close()
    assert "Meta's chief scientist" not in ok("speakers").stdout
    ok("restore", "2")
    shown = json.loads(ok("show", "2", "--json").stdout)
    assert shown["speaker"] == "Meta's chief scientist" and shown["text"].startswith("supplying weapons")
    assert json.loads(ok("list", "--speaker", "meta", "--json").stdout)[0]["id"] == 2


def test_a_claim_added_again_after_its_delete_is_not_overwritten_by_a_restore(db_path, tmp_path):
    seeded()
    ok("export", "--format", "jsonl", "--output", str(tmp_path / "all.jsonl"))
    ok("delete", "1", "--yes")
    # Importing the old export does not bring a deleted claim back behind the user's back.
    out = ok("import", str(tmp_path / "all.jsonl")).stdout
    assert "1 left in the trash" in out
    assert [c["id"] for c in json.loads(ok("list", "--json").stdout)] == [2]
    ok("restore", "1")
    assert len(json.loads(ok("list", "--json").stdout)) == 2


def test_trash_empty_deletes_for_good_and_asks_first(db_path):
    seeded()
    ok("delete", "1", "--yes")
    ok("delete", "2", "--yes")
    before = file_hash(db_path)
    message = fails("trash", "empty").stderr
    assert "Delete 2 claims in the trash for good?" in message and "--yes" in message
    assert file_hash(db_path) == before
    assert "Nothing to empty" in ok("trash", "empty", "--older-than", "3", "--yes").stdout
    assert ok("trash", "empty", "--yes").stdout.strip() == "Deleted 2 claims for good."
    assert json.loads(ok("trash", "--json").stdout) == []
    assert "not in the trash" in fails("restore", "1").stderr
    conn = sqlite3.connect(db_path)
    leftovers = conn.execute(
        "SELECT count(*) FROM undo_log WHERE before LIKE '%cold water%' OR before LIKE '%weapons%'").fetchone()[0]
    conn.close()
    assert leftovers == 0


def test_trash_empty_older_than_keeps_the_recent_ones(db_path):
    seeded()
    ok("delete", "1", "--yes")
    ok("delete", "2", "--yes")
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE trash SET deleted_at = '2026-01-01T00:00:00Z' WHERE claim_id = 1")
    conn.close()
    assert ok("trash", "empty", "--older-than", "30", "--yes").stdout.strip() == "Deleted 1 claim for good."
    assert [t["id"] for t in json.loads(ok("trash", "--json").stdout)] == [2]
    fails("trash", "empty", "--older-than", "-1", "--yes", code=2)


def test_delete_help_says_how_to_restore():
    text = ok("delete", "--help").stdout
    assert "claimtrack restore ID" in text and "trash" in text


def test_a_claim_whose_speaker_was_renamed_meanwhile_comes_back_to_the_renamed_speaker(db_path):
    seeded()
    add("Sora's launch was a wake-up call.", "Zhou Hongyi")
    ok("delete", "1", "--yes")
    ok("speakers", "rename", "Zhou Hongyi", "Zhou Hongyi (360)")
    ok("restore", "1")
    assert json.loads(ok("show", "1", "--json").stdout)["speaker"] == "Zhou Hongyi (360)"
    assert [s["name"] for s in json.loads(ok("speakers", "--json").stdout)].count("Zhou Hongyi") == 0
