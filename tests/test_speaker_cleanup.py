"""Correcting speakers: rename, unalias, delete, edit (kind, role), merges that drop a misspelling,
the guessed kind and its ClaimReview author type, and check's notice of speakers with no claims."""

from __future__ import annotations

import json
import sqlite3

import pytest
from hypothesis import given, strategies as st

from claimtrack import names
from conftest import add, fails, file_hash, ok


def speakers() -> list[dict]:
    return json.loads(ok("speakers", "--json").stdout)


def speaker_ids(name: str) -> set[int]:
    return {c["speaker_id"] for c in json.loads(ok("list", "--speaker", name, "--json").stdout)}


def searched(words: str) -> list[int]:
    return [hit["id"] for hit in json.loads(ok("search", words, "--json").stdout)]


def history(claim_id: int, field: str) -> list[tuple]:
    claim = json.loads(ok("show", str(claim_id), "--json").stdout)
    return [(h["old"], h["new"], h["note"]) for h in claim["history"] if h["field"] == field]


# -- rename ------------------------------------------------------------------------------------

def test_rename_changes_the_name_everywhere_and_drops_the_old_one():
    add("a barrel of cold water", "Zhou Hongi")
    out = ok("speakers", "rename", "Zhou Hongi", "Zhou Hongyi").stdout
    assert "Renamed Zhou Hongi to Zhou Hongyi" in out
    [speaker] = speakers()
    assert (speaker["name"], speaker["aliases"]) == ("Zhou Hongyi", [])
    assert json.loads(ok("show", "1", "--json").stdout)["speaker"] == "Zhou Hongyi"
    # The search index and the word prefixes follow the new name; the old spelling finds nothing.
    assert searched("hongyi") == [1] and searched("hongi") == []
    assert speaker_ids("hongy") == {1}
    fails("list", "--speaker", "Zhou Hongi")
    assert history(1, "speaker") == [("Zhou Hongi", "Zhou Hongyi", "speaker renamed")]
    assert "OK" in ok("check").stdout


def test_rename_with_keep_alias_keeps_the_old_name_as_an_alias():
    add("x", "EU Commission")
    ok("speakers", "rename", "EU Commission", "European Commission", "--keep-alias")
    [speaker] = speakers()
    assert (speaker["name"], speaker["aliases"]) == ("European Commission", ["EU Commission"])
    assert speaker_ids("EU Commission") == {speaker["id"]} and searched("EU") == [1]


def test_rename_to_an_alias_makes_it_the_name():
    add("x", "Z. Hongyi")
    ok("speakers", "alias", "Z. Hongyi", "Zhou Hongyi")
    ok("speakers", "rename", "Z. Hongyi", "zhou hongyi")
    [speaker] = speakers()
    assert (speaker["name"], speaker["aliases"]) == ("zhou hongyi", [])


def test_a_rename_that_only_fixes_capitals_is_not_a_change_of_speaker_in_the_history():
    add("x", "zhou hongyi")
    ok("speakers", "rename", "zhou hongyi", "Zhou Hongyi", "--keep-alias")
    [speaker] = speakers()
    assert (speaker["name"], speaker["aliases"]) == ("Zhou Hongyi", [])
    assert history(1, "speaker") == []


def test_rename_to_another_speakers_name_is_refused_and_suggests_merge(db_path):
    add("x", "Zhou Hongi")
    add("y", "Zhou Hongyi")
    ok("speakers", "alias", "Zhou Hongyi", "周鸿祎")
    before = file_hash(db_path)
    for taken in ("Zhou Hongyi", "周鸿祎", "hongyi ZHOU"):
        err = fails("speakers", "rename", "Zhou Hongi", taken).stderr
        assert 'claimtrack speakers merge "Zhou Hongi" "Zhou Hongyi"' in err
    assert "nothing to rename" in fails("speakers", "rename", "Zhou Hongi", "Zhou Hongi").stderr
    fails("speakers", "rename", "Zhou Hongi", " ... ")
    fails("speakers", "rename", "Nobody Known", "Somebody")
    assert file_hash(db_path) == before


def test_undo_takes_a_rename_back(db_path):
    add("x", "Zhou Hongi")
    ok("speakers", "alias", "Zhou Hongi", "周鸿祎")
    before = ok("export", "--format", "jsonl").stdout
    ok("speakers", "rename", "Zhou Hongi", "Zhou Hongyi")
    ok("undo", "--yes")
    assert ok("export", "--format", "jsonl").stdout == before
    assert searched("hongi") == [1] and speaker_ids("hongi") == {1}


# -- unalias -----------------------------------------------------------------------------------

def test_unalias_takes_an_alias_away_from_the_speaker_search_and_prefixes():
    add("x", "Yann LeCun")
    ok("speakers", "alias", "Yann LeCun", "Meta's chief scientist", "Meta AI chief")
    out = ok("speakers", "unalias", "lecun", "META'S CHIEF SCIENTIST").stdout
    assert "Removed the alias Meta's chief scientist from Yann LeCun" in out
    assert speakers()[0]["aliases"] == ["Meta AI chief"]
    assert searched("scientist") == [] and searched("chief") == [1]
    fails("list", "--speaker", "Meta's chief scientist")
    assert "No speaker matches" in fails("list", "--speaker", "scien").stderr
    assert "OK" in ok("check").stdout


def test_unalias_of_an_unknown_alias_or_of_the_name_says_what_to_do(db_path):
    add("x", "Yann LeCun")
    ok("speakers", "alias", "Yann LeCun", "Meta AI chief")
    before = file_hash(db_path)
    err = fails("speakers", "unalias", "Yann LeCun", "Meta chief").stderr
    assert "has no alias 'Meta chief'" in err and "Meta AI chief" in err
    assert "speakers rename" in fails("speakers", "unalias", "Yann LeCun", "yann lecun").stderr
    assert file_hash(db_path) == before


# -- delete ------------------------------------------------------------------------------------

def test_delete_removes_a_speaker_with_no_claims_and_undo_brings_it_back():
    add("x", "Zhou Hongyi")
    add("y", "Zhou Hongi")
    ok("speakers", "alias", "Zhou Hongi", "Z. Hongi")
    ok("delete", "2", "--yes")
    assert "Deleted the speaker Zhou Hongi" in ok("speakers", "delete", "Zhou Hongi").stdout
    assert [s["name"] for s in speakers()] == ["Zhou Hongyi"]
    fails("list", "--speaker", "Z. Hongi")
    ok("undo", "--yes")
    assert [s["name"] for s in speakers()] == ["Zhou Hongi", "Zhou Hongyi"]


def test_delete_of_a_speaker_with_claims_is_refused_saying_how_many(db_path):
    add("x", "Zhou Hongyi")
    add("y", "Zhou Hongyi")
    before = file_hash(db_path)
    err = fails("speakers", "delete", "Zhou Hongyi").stderr
    assert "has 2 claims" in err and "speakers merge" in err and "edit ID --speaker" in err
    assert file_hash(db_path) == before


def test_a_deleted_speaker_comes_back_when_a_claim_of_theirs_is_restored():
    add("x", "Zhou Hongi")
    ok("delete", "1", "--yes")
    ok("speakers", "delete", "Zhou Hongi")
    ok("restore", "1")
    assert json.loads(ok("show", "1", "--json").stdout)["speaker"] == "Zhou Hongi"


# -- edit: kind and role -----------------------------------------------------------------------

def test_kind_is_guessed_when_added_and_shown_in_speakers(db_path):
    add("x", "European Commission")
    add("y", "Zhou Hongyi")
    stored = dict(sqlite3.connect(db_path).execute("SELECT name, kind FROM speakers").fetchall())
    assert stored == {"European Commission": "organisation", "Zhou Hongyi": "person"}
    assert {s["name"]: s["kind"] for s in speakers()} == stored
    assert "organisation" in ok("speakers").stdout


def test_a_kind_nobody_gave_is_guessed_when_shown(db_path):
    add("x", "Reuters")
    add("y", "Zhou Hongyi")
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE speakers SET kind = NULL")
    assert {s["name"]: s["kind"] for s in speakers()} == {"Reuters": "organisation", "Zhou Hongyi": "person"}


def test_edit_kind_accepts_any_case_and_sticks(db_path):
    add("x", "Meta")
    assert speakers()[0]["kind"] == "person"
    assert "Meta is an organisation" in ok("speakers", "edit", "meta", "--kind", "ORGANISATION").stdout
    assert speakers()[0]["kind"] == "organisation"
    before = file_hash(db_path)
    fails("speakers", "edit", "meta", "--kind", "company", code=2)
    assert "Nothing to change" in fails("speakers", "edit", "meta").stderr
    assert file_hash(db_path) == before


def test_edit_role_fills_in_the_claims_without_one_and_keeps_the_others(db_path):
    add("a", "Zhou Hongyi", "--role", "founder of Qihoo 360", "--said", "2023")
    add("b", "Zhou Hongyi", "--said", "February 2024")
    add("c", "Zhou Hongyi")
    out = ok("speakers", "edit", "zhou", "--role", "CEO of 360 Security Technology").stdout
    assert "to 2 claims of Zhou Hongyi" in out
    roles = {c["id"]: c["role"] for c in json.loads(ok("list", "--json").stdout)}
    ceo = "CEO of 360 Security Technology"
    assert roles == {1: "founder of Qihoo 360", 2: ceo, 3: ceo}
    assert history(2, "role") == [(None, "CEO of 360 Security Technology", "role given to the speaker's claims")]
    assert speakers()[0]["role"] == "CEO of 360 Security Technology"
    before = file_hash(db_path)
    assert "gives a role already" in fails("speakers", "edit", "zhou", "--role", "other").stderr
    assert file_hash(db_path) == before
    ok("undo", "--yes")
    assert {c["id"]: c["role"] for c in json.loads(ok("list", "--json").stdout)}[2] is None


def test_edit_role_of_a_speaker_with_no_claims_says_where_a_role_goes(db_path):
    add("x", "Zhou Hongyi")
    ok("delete", "1", "--yes")
    before = file_hash(db_path)
    assert "has no claims" in fails("speakers", "edit", "Zhou Hongyi", "--role", "CEO", "--kind", "person").stderr
    assert file_hash(db_path) == before


def test_claimreview_writes_an_organisation_as_organization(tmp_path):
    add("Sora is not a world simulator", "OpenAI Technical Report")
    add("a barrel of cold water", "Zhou Hongyi")
    add("chips are fine", "Meta")
    ok("speakers", "edit", "Meta", "--kind", "organisation")
    for claim_id in ("1", "2", "3"):
        ok("verdict", claim_id, "refuted")
    out = ok("export", "--format", "claimreview", "--publisher", "Desk", "--base-url", "https://desk.example/r").stdout
    authors = {r["itemReviewed"]["author"]["name"]: r["itemReviewed"]["author"]["@type"] for r in json.loads(out)}
    assert authors == {"OpenAI Technical Report": "Organization", "Zhou Hongyi": "Person", "Meta": "Organization"}


@pytest.mark.parametrize("name", ["European Commission", "Ministry of Foreign Affairs", "Qihoo 360 Technology Co. Ltd.",
                                  "The New York Times", "Reuters", "OpenAI Technical Report", "BGI Group",
                                  "Bank of England", "Supreme People's Court", "Tsinghua University"])
def test_names_of_bodies_are_guessed_organisations(name):
    assert names.guess_speaker_kind(name) == "organisation"


@pytest.mark.parametrize("name", ["Zhou Hongyi", "Yann LeCun", "Meta's chief scientist", "周鸿祎", "Timothy Posting",
                                  "Ross Newsome"])
def test_names_of_people_are_guessed_persons(name):
    assert names.guess_speaker_kind(name) == "person"


PERSON_WORD = st.text(alphabet="bcdfghjklmnpqrstvwxz" + "aeiou", min_size=2, max_size=9).filter(
    lambda w: names.guess_speaker_kind(w) == "person")


@given(st.lists(PERSON_WORD, min_size=1, max_size=3), st.sampled_from(["Commission", "LTD.", "times", "Ministry"]),
       st.integers(0, 3))
def test_a_word_of_a_body_anywhere_in_a_name_makes_an_organisation(words, body, where):
    assert names.guess_speaker_kind(" ".join(words)) == "person"
    words.insert(min(where, len(words)), body)
    assert names.guess_speaker_kind(" ".join(words)) == "organisation"


# -- merge and misspellings --------------------------------------------------------------------

def test_merge_drops_a_misspelt_name_unless_keep_alias():
    add("x", "Zhou Hongyi")
    add("y", "Zhou Hongi")
    out = ok("speakers", "merge", "Zhou Hongi", "Zhou Hongyi").stdout
    assert "Zhou Hongi is not kept as an alias" in out and "--keep-alias" in out
    [speaker] = speakers()
    assert (speaker["aliases"], speaker["claims"]) == ([], 2)
    fails("list", "--speaker", "Zhou Hongi")
    assert history(2, "speaker") == [("Zhou Hongi", "Zhou Hongyi", "speakers merged")]
    add("z", "Yann LeKun")
    add("w", "Yann LeCun")
    ok("speakers", "merge", "Yann LeKun", "Yann LeCun", "--keep-alias")
    assert [s["aliases"] for s in speakers() if s["name"] == "Yann LeCun"] == [["Yann LeKun"]]


def test_merge_keeps_a_name_that_is_more_than_a_typo():
    add("x", "Z. Hongyi")
    add("y", "Zhou Hongyi")
    ok("speakers", "alias", "Z. Hongyi", "Zhou Hongi")
    out = ok("speakers", "merge", "Z. Hongyi", "Zhou Hongyi").stdout
    assert "not kept" not in out
    # The duplicate's own aliases come along whatever they are: they were given on purpose.
    assert speakers()[0]["aliases"] == ["Z. Hongyi", "Zhou Hongi"]


@pytest.mark.parametrize("typed, known", [("Zhou Hongi", "Zhou Hongyi"), ("Zhou Hongiy", "Zhou Hongyi"),
                                          ("Lech Walesa", "Lech Wałęsa"), ("Yan LeCun", "Yann LeCun"),
                                          ("Hongyi Zhuo", "Zhou Hongyi"), ("Li Wen", "Li Wei")])
def test_close_spellings(typed, known):
    assert names.close_spelling(typed, known) and names.close_spelling(known, typed)


@pytest.mark.parametrize("typed, known", [("Z. Hongyi", "Zhou Hongyi"), ("Yin Ye", "Yann LeCun"), ("Bo", "Bob"),
                                          ("Zhou Enlai", "Zhou Hongyi"), ("hongyi ZHOU", "Zhou Hongyi")])
def test_names_that_are_not_close_spellings(typed, known):
    assert not names.close_spelling(typed, known)


NAME = st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=10), min_size=1, max_size=3)


@given(NAME.filter(lambda words: len(" ".join(words)) >= 5), st.data())
def test_one_slip_of_a_letter_in_a_name_is_a_close_spelling(words, data):
    name = " ".join(words)
    at = data.draw(st.integers(0, len(name) - 1).filter(lambda i: name[i] != " "))
    letter = data.draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz"))
    slip = data.draw(st.sampled_from(["replace", "insert", "drop"]))
    typed = {"replace": name[:at] + letter + name[at + 1:], "insert": name[:at] + letter + name[at:],
             "drop": name[:at] + name[at + 1:]}[slip]
    if names.speaker_key(typed) == names.speaker_key(name) or not typed.strip():
        return
    assert names.close_spelling(typed, name) and names.close_spelling(name, typed)


@given(NAME)
def test_the_same_name_in_other_case_or_word_order_is_no_misspelling(words):
    assert not names.close_spelling(" ".join(words), " ".join(reversed(words)).upper())


# -- check -------------------------------------------------------------------------------------

def test_check_lists_speakers_with_no_claims_as_a_notice():
    add("x", "Zhou Hongyi")
    add("y", "Zhou Hongi")
    ok("edit", "2", "--speaker", "Zhou Hongyi")
    result = ok("check")
    assert "Notice: 1 speaker with no claims: Zhou Hongi" in result.stdout and "OK" in result.stdout
    ok("speakers", "delete", "Zhou Hongi")
    assert "speaker" not in ok("check").stdout.split("OK")[0]
