"""claimtrack.store: indexes for every filter, WAL, migrations, and the full-text index in step."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

from claimtrack.errors import ClaimtrackError
from claimtrack.model import ClaimFilter
from claimtrack.store import SCHEMA_VERSION, open_store
from conftest import add, ok


@pytest.fixture
def filled(db_path):
    for n in range(30):
        add(f"claim {n}", f"Speaker {n % 3}", "--said", f"2023-{n % 12 + 1:02d}", "--tag", f"t{n % 4}",
            "--outlet", f"Outlet {n % 2}")
    return db_path


@pytest.mark.parametrize(
    "where",
    [
        ClaimFilter(speaker_id=1),
        ClaimFilter(tag="t1"),
        ClaimFilter(since="2023-03-01", until="2023-06-30"),
        ClaimFilter(tag="t1", since="2023-03-01"),
        ClaimFilter(speaker_id=1, since="2023-03-01"),
        ClaimFilter(kind="claim"),
        ClaimFilter(outlet="Outlet 1"),
        ClaimFilter(as_of="2023-06-01"),
        ClaimFilter(tag="t1", as_of="2023-06-01"),
        ClaimFilter(changed_by="Ann Lee"),
        ClaimFilter(changed_since="2023-03-01"),
        ClaimFilter(changed_by="Ann Lee", changed_since="2023-03-01"),
        ClaimFilter(),
    ],
)
def test_list_filters_use_indexes_and_never_scan_or_sort_the_claims(filled, where):
    with open_store(filled, write=False) as store:
        plan = store.query_plan(where)
    joined = "\n".join(plan)
    assert "SCAN c\n" not in joined + "\n" and "SCAN claims\n" not in joined + "\n", joined
    # (outlet and the history filters drive from their own index, then sort the claims they find)
    assert "USE TEMP B-TREE FOR ORDER BY" not in joined or where.outlet or where.changed_by or where.changed_since, \
        joined
    if where.changed_by or where.changed_since:
        assert "idx_history_author" in joined or "idx_history_at" in joined, joined


def test_new_databases_use_wal_foreign_keys_and_record_their_migrations(db_path):
    add("x", "A")
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = 'claimtrack'")]
    assert applied == ["m001_initial", "m002_evidence_and_history", "m003_archived_urls", "m004_text_fingerprints",
                       "m005_meta", "m006_partial_indexes", "m007_evidence_changes",
                       "m008_changes_trash_retraction", "m009_search_vocabulary", "m012_source_snapshots",
                       "m013_search_prefixes", "m014_evidence_search",
                       "m015_search_every_script", "m016_archives_and_link_checks", "m017_verifications",
                       "m018_sync_and_authors", "m019_readable_views", "m020_claim_list_without_joins", "m021_speaker_verdicts"]
    # Each migration sets the schema version its number gives; the last one gives the current version.
    assert int(applied[-1][1:4]) == SCHEMA_VERSION
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()


def test_a_write_that_fails_midway_leaves_nothing(db_path):
    add("x", "A")
    with open_store(db_path, write=True) as store:
        with pytest.raises(ClaimtrackError):
            with store.write("test"):
                store.conn.execute("DELETE FROM claim_tags")
                store.conn.execute("DELETE FROM claims")
                raise ClaimtrackError("stop")
        assert len(store.claims(ClaimFilter())) == 1


def test_the_search_index_follows_every_edit(db_path):
    add("cold water", "Zhou Hongyi")
    conn = sqlite3.connect(db_path)

    def indexed():
        return conn.execute("SELECT rowid, text, speaker FROM claims_fts ORDER BY rowid").fetchall()

    assert indexed() == [(1, "cold water", "Zhou Hongyi")]
    ok("speakers", "alias", "Zhou Hongyi", "周鸿祎")
    assert indexed() == [(1, "cold water", "Zhou Hongyi 周鸿祎")]
    ok("edit", "1", "--text", "warm water", "--speaker", "Yin Ye")
    assert indexed() == [(1, "warm water", "Yin Ye")]
    ok("delete", "1", "--yes")
    assert indexed() == []
    conn.close()


def _modules_loaded_by(*args: str, db) -> set[str]:
    code = (
        "import sys\n"
        "from claimtrack.cli import app\n"
        f"try:\n    app({list(args)!r}, standalone_mode=False)\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(m.split('.')[0] for m in sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={"CLAIMTRACK_DB": str(db), "PATH": ""}, check=True)
    return set(result.stdout.split())


def test_everyday_reads_import_neither_sqlite_utils_nor_dateparser(db_path):
    add("cold water", "Zhou Hongyi", "--said", "2024")
    # Nor what fetching pages needs (the HTTP client, the extractors, the WARC and PDF libraries).
    fetching = {"httpx", "trafilatura", "htmldate", "warcio", "pypdf", "lxml", "courlan", "justext"}
    for args in (["--version"], ["list", "--speaker", "zhou", "--limit", "5"], ["show", "1"],
                 ["list", "--tag", "x", "--since", "2023"], ["search", "cold"]):
        loaded = _modules_loaded_by(*args, db=db_path)
        assert "sqlite_utils" not in loaded and "dateparser" not in loaded, args
        assert not loaded & fetching, (args, loaded & fetching)


def test_json_output_of_list_is_an_array_of_claim_objects(filled):
    claims = json.loads(ok("list", "--json", "--speaker", "Speaker 1").stdout)
    assert len(claims) == 10 and all(c["speaker"] == "Speaker 1" for c in claims)


def test_as_of_reads_the_dated_claims_from_the_date_down(filled):
    # The dated part of an --as-of list is one range of a date index, not a scan from the newest claim.
    with open_store(filled, write=False) as store:
        plan = store.query_plan(ClaimFilter(as_of="2023-06-01"))
        tagged = store.query_plan(ClaimFilter(tag="t1", as_of="2023-06-01"))
    assert "SEARCH c USING INDEX idx_claims_said_start_id (said_start<?)" in plan, plan
    assert any("idx_claim_tags_tag_said (tag_id=? AND said_start<?)" in step for step in tagged), tagged


def test_sources_without_a_url_are_matched_through_their_own_index(tmp_path, db_path):
    # An import of many claims that name only an outlet must not read every earlier source for each one.
    from claimtrack.store.interchange import UNADDRESSED_SOURCE

    records = [{"text": f"claim {n}", "speaker": "A Person",
                "source": {"outlet": "Reuters", "title": f"Story {n % 40}", "published_on": "2024-02-19"}}
               for n in range(120)]
    path = tmp_path / "unaddressed.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    ok("import", str(path))
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM sources").fetchone()[0] == 40
    plan = " ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + UNADDRESSED_SOURCE, ("Reuters", "Story 1", None)))
    conn.close()
    assert "idx_sources_unaddressed" in plan, plan
    assert "unchanged" in ok("import", str(path)).stdout


def test_the_speaker_summary_finds_roles_through_the_index_of_claims_that_give_one(db_path):
    # A speaker who never had a role must not cost a read of every claim they made.
    from claimtrack.store.speakers import ONE_SPEAKER_SUMMARY, SPEAKER_SUMMARY

    add("with a role", "A Person", "--role", "founder")
    add("without one", "Another Person")
    conn = sqlite3.connect(db_path)
    plan = " ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + SPEAKER_SUMMARY))
    # One speaker's card (a report opens each speaker's section with one) is found by its id, not by
    # reading every speaker.
    one = " ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + ONE_SPEAKER_SUMMARY, (1,)))
    conn.close()
    assert "idx_claims_speaker_role" in plan, plan
    assert "SEARCH s USING INTEGER PRIMARY KEY" in one and "SCAN s" not in one, one
    roles = {s["name"]: s["role"] for s in json.loads(ok("speakers", "--json").stdout)}
    assert roles == {"A Person": "founder", "Another Person": None}


@settings(max_examples=60, deadline=None)
@given(batches=st.lists(st.lists(st.integers(min_value=0, max_value=2**64 - 1), max_size=300), max_size=12),
       repeat=st.booleans())
def test_the_key_set_of_a_bulk_load_agrees_with_a_plain_set(batches, repeat):
    # The compact set that tells a load's claims apart must answer as a set would, across its growth.
    from claimtrack.store.interchange import _KeySet

    keys, model = _KeySet(), set()
    if repeat and any(batches):
        batches = [*batches, [next(k for b in batches for k in b)]]
    for batch in batches:
        batch = list(dict.fromkeys(batch))  # a batch never holds one uuid twice
        fresh = model.isdisjoint(k | 1 for k in batch) and len({k | 1 for k in batch}) == len(batch)
        assert keys.add_new(batch) is fresh
        if not fresh:
            return  # the load stops using the set here
        model.update(k | 1 for k in batch)


def test_the_key_of_a_claim_skips_the_uuid_digits_that_never_vary():
    from claimtrack.store.interchange import _claim_key

    a, b = "6f1c1b0e-6a53-4d1e-9b1e-2f0c6c1a7e55", "6f1c1b0e-6a53-5d1e-ab1e-2f0c6c1a7e55"
    assert _claim_key(a) == _claim_key(b)  # only the version and variant digits differ
    assert _claim_key(a) != _claim_key("6f1c1b0e-6a53-4d1e-9c1e-2f0c6c1a7e55")


def _journal(path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()


def test_a_load_into_an_empty_database_writes_in_place_and_then_turns_the_log_back_on(db_path):
    # Into an empty database a load writes its pages into the file (rollback journal) instead of to the
    # write-ahead log that would then be copied into it; afterwards, and after a failed load, the log is on.
    with open_store(db_path, write=True) as store:
        with store.journal_for_load():
            assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
            with store.write("test"):
                store.conn.execute("INSERT INTO tags (name) VALUES ('t')")
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        with pytest.raises(KeyError), store.journal_for_load(), store.write("test"):
            store.conn.execute("INSERT INTO tags (name) VALUES ('u')")
            raise KeyError("interrupted")
        with store.journal_for_load(load=False):  # a dry run keeps the log
            assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert _journal(db_path) == "wal"
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT name FROM tags").fetchall() == [("t",)]
    conn.close()


def test_a_load_keeps_the_log_when_the_database_has_claims_or_another_connection_is_open(db_path, tmp_path):
    add("x", "A")
    with open_store(db_path, write=True) as store, store.journal_for_load():
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    empty = tmp_path / "empty.db"
    with open_store(empty, write=True):  # makes the database, with no claims
        pass
    other = sqlite3.connect(empty)
    other.execute("SELECT count(*) FROM claims").fetchone()
    with open_store(empty, write=True) as store, store.journal_for_load():
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    other.close()


def test_an_import_into_an_empty_database_leaves_it_in_wal_mode_with_no_journal_beside_it(tmp_path):
    source = tmp_path / "a.jsonl"
    source.write_text("".join(json.dumps({"text": f"quote {n}", "speaker": "A Person"}) + "\n" for n in range(3)))
    target = tmp_path / "new.db"
    ok("--db", str(target), "import", str(source))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.jsonl", "new.db"]
    assert _journal(target) == "wal"
    assert len(json.loads(ok("--db", str(target), "list", "--json").stdout)) == 3
