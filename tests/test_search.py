"""search: filters, the bounded ranking, highlights, suggestions, evidence, and the index of an upgraded database."""

from __future__ import annotations

import json

import pytest

from claimtrack.model import ClaimFilter
from claimtrack.store import open_store
from conftest import add, fails, ok


def found(*args: str) -> list[int]:
    return [h["id"] for h in json.loads(ok("search", *args, "--json").stdout)]


@pytest.fixture
def beat(db_path):
    """Claims about water by three speakers over two years, tagged and from two outlets."""
    for n in range(12):
        add(f"water report {n}" + (" water" * (n % 3)), f"Speaker {n % 3}", "--said", f"{2023 + n % 2}-{n % 12 + 1:02d}",
            "--tag", f"t{n % 4}", "--outlet", f"Outlet {n % 2}", "--kind", "quote" if n % 2 else "claim")
    return db_path


def test_search_takes_every_filter_of_list(beat):
    # Each filter keeps exactly the matches list keeps with the same filter.
    for options in (["--speaker", "Speaker 1"], ["--tag", "t2"], ["--outlet", "Outlet 1"], ["--kind", "claim"],
                    ["--since", "2024"], ["--until", "2023-06"], ["--since", "2023-03", "--until", "2023-09"],
                    ["--tag", "t1", "--since", "2024"], ["--no-evidence"], ["--as-of", "2023-05-01"]):
        listed = {c["id"] for c in json.loads(ok("list", "--json", *options).stdout)}
        assert listed, options
        assert set(found("water", *options)) == listed, options


def test_search_filters_by_verdict_attribution_and_evidence(beat):
    ok("evidence", "add", "3", "--url", "https://example.com/check", "--stance", "refutes")
    ok("verdict", "3", "refuted")
    ok("attribution", "5", "disputed")
    assert found("water", "--verdict", "refuted") == [3]
    assert found("water", "--attribution", "disputed") == [5]
    assert found("water", "--has-evidence") == [3]
    assert 3 not in found("water", "--no-evidence")
    assert found("water", "--verdict", "refuted", "--speaker", "Speaker 2") == [3]
    assert found("water", "--verdict", "refuted", "--speaker", "Speaker 1") == []


@pytest.mark.parametrize("where", [
    ClaimFilter(speaker_id=1), ClaimFilter(tag="t1"), ClaimFilter(verdict="refuted"), ClaimFilter(kind="claim"),
])
def test_a_filter_that_keeps_few_claims_is_read_by_its_own_index_and_its_matches_found_among_them(beat, where):
    # Fewer than FILTER_READ_WHOLE claims: the filter is read by its own index, never a scan of the claims, and
    # the search's matches are found among its claims (tests/test_search_filtered.py: however they are found).
    with open_store(beat, write=False) as store:
        plan = "\n".join(store.search_plan(where)) + "\n"
        everyone = {h.claim.id for h in store.search("water", None).hits}
        kept = {c.id for c in store.claims(where)}
        found = [h.claim.id for h in store.search("water", where).hits]
    assert "VIRTUAL TABLE" in plan and "LIST SUBQUERY" in plan, plan
    assert "SCAN c\n" not in plan and "SCAN claims\n" not in plan and "SCAN k\n" not in plan, plan
    assert set(found) == everyone & kept and len(found) == len(set(found))


def test_an_unknown_speaker_in_a_search_filter_is_an_error_naming_the_closest(beat):
    assert "Speaker 1" in fails("search", "water", "--speaker", "Speakr 1x").stderr


@pytest.mark.parametrize("where", [
    ClaimFilter(speaker_id=1), ClaimFilter(tag="t1"), ClaimFilter(since="2023-03-01", until="2023-06-30"),
    ClaimFilter(tag="t1", since="2023-03-01"), ClaimFilter(kind="claim"), ClaimFilter(outlet="Outlet 1"),
    ClaimFilter(verdict="refuted"), ClaimFilter(has_evidence=True), ClaimFilter(as_of="2023-06-01"), ClaimFilter(),
])
@pytest.mark.parametrize("broad", [False, True])
def test_filtered_searches_read_the_full_text_index_and_never_scan_the_claims(beat, monkeypatch, where, broad):
    # A selective filter is read by its index into a list the matches are checked against; a broad one is
    # checked on each match by the claim's id. Either way the matches come from the full-text index in id order.
    import claimtrack.store.search as search

    monkeypatch.setattr(search, "FILTER_READ_WHOLE", 1 if broad else 1_000)
    with open_store(beat, write=False) as store:
        plan = "\n".join(store.search_plan(where)) + "\n"
    assert "VIRTUAL TABLE" in plan, plan
    assert "USE TEMP B-TREE" not in plan or where.outlet, plan  # (as list: an outlet's claims come in source order)
    assert "SCAN c\n" not in plan and "SCAN claims\n" not in plan and "SCAN k\n" not in plan, plan
    if where.speaker_id is not None and not broad:
        assert "idx_claims_speaker" in plan, plan
    if where.tag is not None and not broad:
        assert "idx_claim_tags_tag_said" in plan, plan


def test_when_many_claims_match_the_most_recently_recorded_are_ranked_and_the_rest_follow(db_path, monkeypatch):
    import claimtrack.store.search as search

    monkeypatch.setattr(search, "RANKED", 3)
    for text in ("cold", "cold cold cold", "cold", "cold cold", "cold", "cold cold cold cold"):
        add(text, "A")
    hits = json.loads(ok("search", "cold", "--json").stdout)
    # Claims 6, 5, 4 are ranked (6 has the word most often, then 4); 3, 2, 1 follow newest first, unranked.
    assert [h["id"] for h in hits] == [6, 4, 5, 3, 2, 1]
    assert [h["rank"] is None for h in hits] == [False] * 3 + [True] * 3
    assert found("cold", "--limit", "4") == [6, 4, 5, 3]
    assert found("cold", "--limit", "2") == [6, 4]
    monkeypatch.setattr(search, "RANKED", 10)
    assert found("cold") == [6, 2, 4, 5, 3, 1]


def test_a_search_that_finds_nothing_says_so_and_suggests_close_words_and_speakers(db_path):
    add("a barrel of cold water poured down China's head", "Zhou Hongyi")
    add("the water is cold", "Yann LeCun")
    result = ok("search", "watr")
    assert result.stdout.strip() == "" or "Nothing found" in result.stdout
    assert "No claims match 'watr'." in result.stderr and "Close words in the claims: water." in result.stderr
    assert json.loads(ok("search", "barel coold", "--json").stdout) == []
    assert "barrel, cold" in ok("search", "barel coold", "--json").stderr
    # Accents and case as the index holds them; a speaker's name misspelt.
    assert "water" in ok("search", "WÁTR").stderr
    assert "Speakers with close names: Zhou Hongyi." in ok("search", "Zhou Hongyl").stderr
    assert "with these filters" in ok("search", "barrel", "--speaker", "Yann").stderr
    assert "Try fewer" in ok("search", "qqqqqq").stderr
    assert ok("search", "water").stderr == ""


def test_an_upgraded_database_gets_the_search_vocabulary_and_keeps_everything(tmp_path, fixtures):
    import sqlite3

    for dump in sorted(fixtures.glob("schema-v*.sql")):
        path = tmp_path / f"{dump.stem}.db"
        conn = sqlite3.connect(path)
        conn.executescript(dump.read_text(encoding="utf-8"))
        before = conn.execute("SELECT id, text FROM claims ORDER BY id").fetchall()
        conn.close()
        listed = json.loads(ok("--db", str(path), "list", "--json").stdout)
        assert sorted((c["id"], c["text"]) for c in listed) == before
        word = before[0][1].split()[0].lower()
        hits = json.loads(ok("--db", str(path), "search", word, "--json").stdout)
        assert before[0][0] in [h["id"] for h in hits]
        if len(word) >= 4:
            assert word in ok("--db", str(path), "search", word[:-1] + "q").stderr
        conn = sqlite3.connect(path)
        assert conn.execute("SELECT count(*) FROM claims_vocab").fetchone()[0] > 0
        conn.close()
