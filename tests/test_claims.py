"""add, list, show, search, edit and delete through the real CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import add, fails, file_hash, invoke, ok

CLAIM_FIELDS = {
    "id", "uuid", "kind", "text", "speaker", "speaker_id", "role", "said_on", "said_precision", "said_text",
    "said_approximate", "said_qualifier", "source_url", "outlet", "title", "published_on", "tags", "context",
    "note", "created_at", "updated_at",
}


def listed(*options: str) -> list[dict]:
    return json.loads(ok("list", "--json", *options).stdout)


def ids(*options: str) -> list[int]:
    return [c["id"] for c in listed(*options)]


def test_add_prints_the_new_id_and_json_gives_the_claim_object():
    assert add("first", "Zhou Hongyi") == 1
    result = ok(
        "add", "a barrel of cold water poured down China's head", "--speaker", "Zhou Hongyi",
        "--role", "founder of 360 Security Technology", "--said", "early December 2023",
        "--source", "https://example.com/story", "--outlet", "Reuters", "--title", "Sora",
        "--published", "2024-02-21", "--tag", "Sora", "--tag", "china-ai", "--context", "On Sora",
        "--note", "check the translation", "--json",
    )
    claim = json.loads(result.stdout)
    assert CLAIM_FIELDS <= set(claim)
    assert claim["id"] == 2 and claim["kind"] == "quote" and claim["speaker_id"] == 1
    assert (claim["said_on"], claim["said_precision"], claim["said_qualifier"], claim["said_approximate"]) == (
        "2023-12", "month", "early", True,
    )
    assert claim["said_text"] == "early December 2023"
    assert claim["published_on"] == "2024-02-21"
    assert claim["tags"] == ["china-ai", "sora"]
    assert claim["source_url"] == "https://example.com/story"


def test_relative_said_date_counts_from_the_publication_date():
    claim = json.loads(ok("add", "embrace the profound changes brought about by AI", "--speaker", "SASAC",
                          "--said", "Monday", "--published", "2024-02-21", "--json").stdout)
    assert (claim["said_on"], claim["said_precision"], claim["said_text"]) == ("2024-02-19", "day", "Monday")


def test_relative_said_date_against_a_month_of_publication_is_an_error(db_path):
    result = fails("add", "x", "--speaker", "A", "--said", "last Monday", "--published", "February 2024")
    assert "exact publication date" in result.stderr
    assert not db_path.exists()


def test_future_said_date_is_a_warning_not_an_error():
    result = ok("add", "x", "--speaker", "A", "--said", "2999")
    assert "future" in result.stderr


def test_list_orders_by_said_newest_first_ties_by_id_and_undated_last():
    undated = add("undated", "A")
    dec = add("december", "A", "--said", "December 2023")
    year = add("year", "A", "--said", "2023")
    day = add("day", "A", "--said", "2024-02-19")
    dec2 = add("december again", "A", "--said", "2023-12-01")
    assert ids() == [day, dec2, dec, year, undated]
    assert ids("--limit", "2") == [day, dec2]


def test_since_and_until_cover_whole_periods():
    dec = add("december", "A", "--said", "December 2023")
    year = add("year", "A", "--said", "2023")
    first = add("first of december", "A", "--said", "2023-12-01")
    last = add("last of december", "A", "--said", "2023-12-31")
    jan = add("january", "A", "--said", "2024-01-01")
    add("undated", "A")
    assert set(ids("--since", "December 2023")) == {dec, first, last, jan}
    assert set(ids("--until", "December 2023")) == {dec, year, first, last}
    assert set(ids("--since", "December 2023", "--until", "December 2023")) == {dec, first, last}
    assert year not in ids("--since", "December 2023")


def test_list_filters_by_speaker_tag_outlet_and_kind():
    a = add("one", "Zhou Hongyi", "--tag", "sora", "--outlet", "Reuters")
    b = add("two", "Zhou Hongyi", "--kind", "claim", "--tag", "chips")
    c = add("three", "Yin Ye", "--tag", "Sora", "--outlet", "reuters ")
    assert ids("--speaker", "zhou") == [b, a]
    assert ids("--tag", "SORA") == [c, a]
    assert ids("--outlet", "REUTERS") == [c, a]
    assert ids("--kind", "claim") == [b]
    assert ids("--speaker", "Zhou Hongyi", "--tag", "sora") == [a]
    assert ids("--tag", "nothing-tagged") == []


def test_list_in_a_pipe_is_plain_tab_separated_text():
    add("supplying weapons for the ongoing AI war", "Meta's chief scientist", "--said", "December 2023")
    out = ok("list").stdout
    assert out == "1\tDecember 2023\tMeta's chief scientist\tquote\tsupplying weapons for the ongoing AI war\t\t\tunverified\treported\n"


def test_show_gives_everything_about_one_claim():
    add("cold water", "Zhou Hongyi", "--role", "founder", "--said", "February 2024", "--outlet", "Reuters",
        "--tag", "sora", "--note", "translated")
    out = ok("show", "1").stdout
    for expected in ("cold water", "Zhou Hongyi, founder", "February 2024", "Reuters", "sora", "translated"):
        assert expected in out
    assert json.loads(ok("show", "1", "--json").stdout)["note"] == "translated"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1).filter(lambda t: t.strip() and "\x00" not in t))
def test_any_unicode_text_is_stored_and_shown_unchanged(text, db_path):
    db_path.unlink(missing_ok=True)
    claim_id = add(text, "周鸿祎")
    shown = json.loads(ok("show", str(claim_id), "--json").stdout)
    assert shown["text"] == text.strip()
    assert shown["speaker"] == "周鸿祎"


def test_search_matches_words_literally_and_highlights_them():
    meta = add("supplying weapons for the ongoing AI war", "Meta's chief scientist", "--context", "On NVIDIA in mid-2023")
    add("a barrel of cold water", "Zhou Hongyi")
    hits = json.loads(ok("search", "Meta's", "--json").stdout)
    assert [h["id"] for h in hits] == [meta]
    assert [h["id"] for h in json.loads(ok("search", "mid-2023", "--json").stdout)] == [meta]
    hit = json.loads(ok("search", "weapons", "--json").stdout)[0]
    assert "**weapons**" in hit["snippet"] and isinstance(hit["rank"], float)
    assert "weapons" in ok("search", "weapons").stdout


def test_search_ranks_and_takes_fts_syntax():
    a = add("cold water", "A")
    b = add("cold water, cold water, cold", "B")
    add("hot air", "C")
    assert [h["id"] for h in json.loads(ok("search", "cold", "--json").stdout)] == [b, a]
    assert len(json.loads(ok("search", "cold OR hot", "--json").stdout)) == 3
    assert len(json.loads(ok("search", "cold", "--limit", "1", "--json").stdout)) == 1
    assert len(json.loads(ok("search", "wat*", "--json").stdout)) == 2


def test_search_finds_speakers_by_name_and_alias_ignoring_accents():
    claim = add("On the move", "José Martí")
    ok("speakers", "alias", "jose marti", "El Apóstol")
    assert [h["id"] for h in json.loads(ok("search", "jose", "--json").stdout)] == [claim]
    assert [h["id"] for h in json.loads(ok("search", "apostol", "--json").stdout)] == [claim]


def test_search_with_broken_fts_syntax_is_an_error(db_path):
    add("cold water", "A")
    before = file_hash(db_path)
    assert "search query" in fails("search", '"cold AND').stderr
    assert file_hash(db_path) == before


def test_edit_changes_fields_tags_and_clears_with_empty_values():
    add("cold watr", "Zhou Hongyi", "--said", "2024", "--tag", "misc", "--note", "typo", "--published", "2024-02-21")
    ok("edit", "1", "--text", "cold water", "--tag", "sora", "--untag", "misc", "--note", "")
    claim = json.loads(ok("show", "1", "--json").stdout)
    assert claim["text"] == "cold water" and claim["tags"] == ["sora"] and claim["note"] is None
    ok("edit", "1", "--said", "Monday")  # relative to the stored publication date
    assert json.loads(ok("show", "1", "--json").stdout)["said_on"] == "2024-02-19"
    ok("edit", "1", "--said", "")
    assert json.loads(ok("show", "1", "--json").stdout)["said_on"] is None
    assert [h["id"] for h in json.loads(ok("search", "water", "--json").stdout)] == [1]
    assert json.loads(ok("search", "watr", "--json").stdout) == []


def test_edit_moves_a_claim_to_another_speaker_and_source():
    add("x", "A", "--source", "https://example.com/a", "--outlet", "Reuters")
    ok("edit", "1", "--speaker", "B", "--source", "https://example.com/b")
    claim = json.loads(ok("show", "1", "--json").stdout)
    assert claim["speaker"] == "B" and claim["source_url"] == "https://example.com/b"
    ok("edit", "1", "--source", "", "--outlet", "")
    claim = json.loads(ok("show", "1", "--json").stdout)
    assert claim["source_url"] is None and claim["outlet"] is None


def test_edit_without_changes_is_an_error(db_path):
    add("x", "A")
    before = file_hash(db_path)
    fails("edit", "1")
    assert file_hash(db_path) == before


def test_delete_needs_yes_without_a_terminal(db_path):
    add("x", "A")
    before = file_hash(db_path)
    assert "--yes" in fails("delete", "1").stderr
    assert file_hash(db_path) == before
    ok("delete", "1", "--yes")
    assert listed() == []
    assert json.loads(ok("search", "x", "--json").stdout) == []


def test_missing_text_or_speaker_without_a_terminal_is_a_usage_error(db_path):
    assert "TEXT" in fails("add", "--speaker", "A", code=2).stderr
    assert "--speaker" in fails("add", "words", code=2).stderr
    assert not db_path.exists()


def test_db_option_wins_over_environment(tmp_path, monkeypatch):
    other = tmp_path / "other.db"
    ok("--db", str(other), "add", "x", "--speaker", "A")
    assert other.exists() and not (tmp_path / "claims.db").exists()
    monkeypatch.delenv("CLAIMTRACK_DB")
    ok("add", "y", "--speaker", "B")
    assert (tmp_path / "claims.db").exists()


def test_python_dash_m_and_version(tmp_path):
    out = subprocess.run([sys.executable, "-m", "claimtrack", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("claimtrack ")
    assert invoke("--version").stdout == out.stdout


def test_a_deleted_claims_id_is_never_given_to_another(tmp_path):
    add("first", "A")
    assert add("second", "A") == 2
    ok("delete", "2", "--yes")
    assert add("third", "A") == 3
    path = tmp_path / "more.jsonl"
    path.write_text(json.dumps({"text": "imported", "speaker": "B"}) + "\n", encoding="utf-8")
    ok("delete", "3", "--yes")
    ok("import", str(path))
    assert [c["id"] for c in json.loads(ok("list", "--json", "--speaker", "B").stdout)] == [4]
    # A lower id deleted later must not lower the mark (values are compared as numbers, not text).
    ok("delete", "4", "--yes")
    ok("delete", "1", "--yes")
    assert add("fifth", "A") == 5


def shown(claim_id: int) -> dict:
    return json.loads(ok("show", str(claim_id), "--json").stdout)


def test_a_relative_said_date_on_add_counts_from_the_known_pages_publication_date():
    add("first", "A", "--source", "https://example.com/story", "--published", "2024-02-21")
    claim = json.loads(ok("add", "second", "--speaker", "B", "--source", "https://EXAMPLE.com/story/",
                          "--said", "Monday", "--json").stdout)
    assert (claim["said_on"], claim["published_on"]) == ("2024-02-19", "2024-02-21")
    # A page the database does not know: a relative date counts from today, as before.
    today = json.loads(ok("add", "third", "--speaker", "C", "--source", "https://example.com/new", "--said", "today",
                          "--json").stdout)["said_on"]
    assert today == json.loads(ok("add", "fourth", "--speaker", "D", "--said", "today", "--json").stdout)["said_on"]


def test_pointing_a_claim_at_a_known_page_leaves_that_pages_details_alone():
    add("first", "A", "--source", "https://example.com/a", "--outlet", "Reuters", "--title", "Chips",
        "--published", "2024-02-21")
    add("second", "B", "--source", "https://example.com/b", "--outlet", "AP", "--title", "Other")
    ok("edit", "2", "--source", "https://example.com/a")
    add("third", "C", "--source", "https://example.com/a")
    for claim_id in (1, 2, 3):
        claim = shown(claim_id)
        assert (claim["outlet"], claim["title"], claim["published_on"]) == ("Reuters", "Chips", "2024-02-21")
    assert [h["field"] for h in shown(1)["history"]] == ["created"]


def test_a_change_to_a_shared_pages_details_is_in_the_history_of_every_claim_citing_it():
    page = "https://example.com/a"
    add("first", "A", "--source", page, "--outlet", "Reuters")
    add("second", "B", "--source", page)
    add("third", "C", "--source", "https://example.com/c")
    ok("appearance", "add", "3", "--url", page)
    add("fourth", "D")
    ok("evidence", "add", "4", "--url", page, "--stance", "supports")
    ok("edit", "2", "--outlet", "Reuters UK", "--title", "Chips")
    for claim_id in (1, 2):
        claim = shown(claim_id)
        assert (claim["outlet"], claim["title"]) == ("Reuters UK", "Chips")
        changes = {(h["field"], h["old"], h["new"]) for h in claim["history"]}
        assert {("outlet", "Reuters", "Reuters UK"), ("title", None, "Chips")} <= changes
    assert shown(1)["updated_at"] >= shown(1)["created_at"]
    for claim_id, field in ((3, "appearance"), (4, "evidence")):
        rows = [(h["old"], h["new"]) for h in shown(claim_id)["history"] if h["field"] == field and h["old"]]
        assert ("outlet: Reuters", "outlet: Reuters UK") in rows and ("title: None", "title: Chips") in rows
    # Details given on purpose with a known page (add, evidence) correct it, and say so everywhere too.
    add("fifth", "E", "--source", page, "--outlet", "Reuters")
    assert ("outlet", "Reuters UK", "Reuters") in {(h["field"], h["old"], h["new"]) for h in shown(2)["history"]}
    assert shown(5)["outlet"] == "Reuters"


def test_a_delete_confirmed_on_a_claim_that_changed_meanwhile_deletes_nothing(db_path):
    from claimtrack.errors import ClaimtrackError
    from claimtrack.store import open_store

    add("x", "A")
    with open_store(db_path, write=False) as store:
        asked_about = store.claim(1)  # what the question showed
    ok("edit", "1", "--text", "y")
    with open_store(db_path, write=True) as store, pytest.raises(ClaimtrackError, match="changed while you were asked"):
        store.delete_claim(1, unchanged_from=asked_about)
    assert ids() == [1]


def test_fixed_choices_accept_any_case():
    ok("add", "--speaker", "Unnamed reporter", "--kind", "CLAIM", "--", "chips are scarce")
    ok("verdict", "1", "Refuted")
    ok("evidence", "add", "1", "--url", "https://example.com/rule", "--stance", "Supports")
    ok("attribution", "1", "CONFIRMED")
    listed = json.loads(ok("list", "--kind", "Claim", "--verdict", "REFUTED", "--attribution", "Confirmed",
                           "--json").stdout)
    assert [(c["kind"], c["verdict"], c["attribution"]) for c in listed] == [("claim", "refuted", "confirmed")]
    assert ok("export", "--format", "JSONL").stdout.count("\n") == 1
    assert ok("evidence", "list", "--stance", "SUPPORTS").stdout.startswith("1\t1\tsupports")
    fails("add", "--speaker", "A", "--kind", "quotation", "--", "x", code=2)
