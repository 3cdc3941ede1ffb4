"""Every user mistake: a plain message on stderr, a non-zero exit, no traceback, the database unchanged."""

from __future__ import annotations

import sqlite3

import pytest

from claimtrack import __version__
from claimtrack.store import SCHEMA_VERSION
from conftest import add, fails, file_hash, ok

BAD_INPUTS = [
    (["add", "", "--speaker", "A"], 1, "text is empty"),
    (["add", "   ", "--speaker", "A"], 1, "text is empty"),
    (["add", "x", "--speaker", "  "], 1, "speaker is empty"),
    (["add", "x", "--speaker", "???"], 1, "not a speaker name"),
    (["add", "x", "--speaker", "A", "--said", "yesterday-ish"], 1, "'yesterday-ish'"),
    (["add", "x", "--speaker", "A", "--said", "31 February 2024"], 1, "not a real date"),
    (["add", "x", "--speaker", "A", "--said", "2024-13-01"], 1, "no month 13"),
    (["add", "x", "--speaker", "A", "--published", "soonish"], 1, "'soonish'"),
    (["add", "x", "--speaker", "A", "--source", "ftp://example.com/x"], 1, "not an http(s) URL"),
    (["add", "x", "--speaker", "A", "--source", "example.com/story"], 1, "not an http(s) URL"),
    (["add", "x", "--speaker", "A", "--tag", "  "], 1, "tag is empty"),
    (["add", "x", "--speaker", "A", "--kind", "opinion"], 2, "opinion"),
    (["add", "x", "--speaker", "A", "--bogus"], 2, "--bogus"),
    (["add", "x\x00y", "--speaker", "A"], 1, "NUL"),
    (["show", "999"], 1, "no claim with id 999"),
    (["show", "abc"], 2, "Invalid value for 'ID'"),
    (["show", "0"], 2, "Invalid value for 'ID'"),
    (["show", "99999999999999999999"], 2, "Invalid value for 'ID'"),
    (["edit", "999", "--text", "y"], 1, "no claim with id 999"),
    (["edit", "1", "--text", " "], 1, "text is empty"),
    (["edit", "1", "--speaker", ""], 1, "speaker is empty"),
    (["edit", "1", "--said", "Monday", "--published", "2024"], 1, "exact publication date"),
    (["delete", "999", "--yes"], 1, "no claim with id 999"),
    (["list", "--limit", "-1"], 2, "Invalid value for '--limit'"),
    (["list", "--since", "31 February 2024"], 1, "not a real date"),
    (["list", "--speaker", "Nobody Known"], 1, "No speaker matches"),
    (["list", "--kind", "rumour"], 2, "rumour"),
    (["search", ""], 1, "empty"),
    (["search", "!!!"], 1, "no words"),
    (["search", '"unbalanced'], 1, "search query"),
    (["search", "cold NEAR("], 1, "search query"),
    (["speakers", "alias", "Nobody Known", "X"], 1, "No speaker matches"),
    (["speakers", "merge", "A", "Nobody Known"], 1, "No speaker matches"),
    (["frobnicate"], 2, "frobnicate"),
]


@pytest.mark.parametrize("args, code, message", BAD_INPUTS, ids=[" ".join(a)[:40] for a, _, _ in BAD_INPUTS])
def test_bad_input_is_refused_plainly_and_changes_nothing(db_path, args, code, message):
    add("cold water", "A", "--said", "2024")
    before = file_hash(db_path)
    result = fails(*args, code=code)
    assert message in result.stderr
    assert file_hash(db_path) == before


def test_reading_a_missing_database_is_an_error_that_creates_nothing(db_path):
    assert "No database at" in fails("list").stderr
    assert not db_path.exists()


@pytest.mark.parametrize("args", [["edit", "5", "--text", "y"], ["delete", "5", "--yes"], ["speakers", "alias", "A", "B"]])
def test_a_failed_write_to_a_new_database_leaves_no_file(db_path, tmp_path, args):
    fails(*args)
    assert list(tmp_path.iterdir()) == []


def test_a_directory_is_not_a_database(tmp_path):
    assert "is a directory" in fails("--db", str(tmp_path), "list").stderr
    assert "is a directory" in fails("--db", str(tmp_path), "add", "x", "--speaker", "A").stderr


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n" * 100)
    before = file_hash(notes)
    assert "not a SQLite database" in fails("--db", str(notes), "list").stderr
    assert "not a SQLite database" in fails("--db", str(notes), "add", "x", "--speaker", "A").stderr
    assert file_hash(notes) == before


def test_another_programs_sqlite_database_is_refused_untouched(tmp_path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE mine (x)")
    conn.close()
    before = file_hash(other)
    assert "not a claimtrack one" in fails("--db", str(other), "add", "x", "--speaker", "A").stderr
    assert file_hash(other) == before


def test_a_database_from_a_newer_claimtrack_is_refused(db_path):
    add("x", "A")
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 99")
    conn.execute("UPDATE claimtrack_meta SET value = '9.9.0' WHERE key = 'schema_written_by'")
    conn.commit()
    conn.close()
    before = file_hash(db_path)
    err = fails("list").stderr
    assert "written by a newer claimtrack (claimtrack 9.9.0, schema version 99)" in err
    assert f"this is claimtrack {__version__}, which understands schema versions up to {SCHEMA_VERSION}" in err
    fails("add", "y", "--speaker", "B")
    assert file_hash(db_path) == before


def test_a_read_only_database_can_be_read_but_not_written(db_path):
    add("x", "A")
    db_path.chmod(0o444)
    before = file_hash(db_path)
    assert "read-only" in fails("add", "y", "--speaker", "B").stderr
    assert "read-only" in fails("delete", "1", "--yes").stderr
    assert ok("list").stdout.startswith("1\t")
    assert file_hash(db_path) == before


def test_a_missing_folder_for_a_new_database_is_an_error(tmp_path):
    assert "does not exist" in fails("--db", str(tmp_path / "no" / "such.db"), "add", "x", "--speaker", "A").stderr
