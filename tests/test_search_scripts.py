"""search in every script: prefixes read from the index's prefix lists, and an upgraded database keeps its claims."""

from __future__ import annotations

import json
import sqlite3

from conftest import add, ok


def found(*args: str) -> list[int]:
    return [h["id"] for h in json.loads(ok("search", *args, "--json").stdout)]


def fts_integrity(path, table: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")
    conn.close()


def test_a_prefix_search_finds_every_word_it_begins_from_the_prefix_index(db_path):
    add("chips made in China", "Zhou Hongyi")
    add("a chilly morning", "Yann LeCun")
    add("the cheapest option", "Yann LeCun")
    add("Chinese exports", "Li Wei", "--context", "chiefly steel")
    assert sorted(found("chi*")) == [1, 2, 4]
    assert sorted(found("ch*")) == [1, 2, 3, 4]
    assert sorted(found("chin*")) == [1, 4]
    assert sorted(found("CHÍ*")) == [1, 2, 4]  # accents and case as for whole words
    conn = sqlite3.connect(db_path)
    assert "prefix = '2 3'" in conn.execute("SELECT sql FROM sqlite_master WHERE name = 'claims_fts'").fetchone()[0]
    conn.close()


def test_an_upgraded_database_gets_the_prefix_index_and_keeps_every_claim_findable(tmp_path, fixtures):
    for dump in sorted(fixtures.glob("schema-v*.sql")):
        path = tmp_path / f"{dump.stem}.db"
        conn = sqlite3.connect(path)
        conn.executescript(dump.read_text(encoding="utf-8"))
        before = conn.execute("SELECT id, text FROM claims ORDER BY id").fetchall()
        conn.close()
        assert sorted((c["id"], c["text"]) for c in json.loads(ok("--db", str(path), "list", "--json").stdout)) == before
        for claim_id, text in before:
            word = max(text.split(), key=len).strip(".,;:!?\"'()“”").lower()
            hits = [h["id"] for h in json.loads(ok("--db", str(path), "search", word[:3] + "*", "--json").stdout)]
            assert claim_id in hits, (word, hits)
        conn = sqlite3.connect(path)
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'claims_fts'").fetchone()[0]
        assert "prefix = '2 3'" in sql
        assert conn.execute("SELECT count(*) FROM claims_fts").fetchone()[0] == len(before)
        assert conn.execute("SELECT count(*) FROM claims_vocab").fetchone()[0] > 0
        conn.close()
        fts_integrity(path, "claims_fts")
