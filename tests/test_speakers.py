"""Speaker matching, listing, aliases and merging."""

from __future__ import annotations

import json

import pytest

from conftest import add, fails, file_hash, ok


def speaker_ids(name: str) -> set[int]:
    return {c["speaker_id"] for c in json.loads(ok("list", "--speaker", name, "--json").stdout)}


@pytest.mark.parametrize("typed", ["Zhou Hongyi", "zhou hongyi", "  ZHOU   Hongyi ", "hongyi zhou", "Zhōu Hóngyī"])
def test_names_match_whatever_the_case_accents_spacing_or_word_order(typed):
    add("x", "Zhou Hongyi")
    assert add("y", typed) == 2
    assert speaker_ids(typed) == {1}
    assert len(json.loads(ok("speakers", "--json").stdout)) == 1


def test_non_latin_names_and_aliases_work_everywhere():
    add("x", "周鸿祎")
    ok("speakers", "alias", "周鸿祎", "Zhou Hongyi")
    assert speaker_ids("周鸿祎") == {1} == speaker_ids("zhou") == speaker_ids("周")
    assert add("y", "Zhou Hongyi") == 2
    assert json.loads(ok("show", "2", "--json").stdout)["speaker"] == "周鸿祎"


def test_a_unique_word_prefix_finds_a_speaker_and_exact_match_wins():
    add("x", "Zhou Hongyi")
    add("y", "Zhou")
    add("z", "Yann LeCun")
    assert speaker_ids("Zhou") == {2}  # exact beats the prefix of "Zhou Hongyi"
    assert speaker_ids("hong") == {1}
    assert speaker_ids("lecu") == {3}


def test_an_ambiguous_filter_lists_the_candidates():
    add("x", "Zhou Hongyi")
    add("y", "Zhou Enlai")
    err = fails("list", "--speaker", "zho").stderr
    assert "Zhou Hongyi" in err and "Zhou Enlai" in err and "several" in err


def test_an_unknown_speaker_names_the_closest_ones():
    add("x", "Zhou Hongyi")
    err = fails("list", "--speaker", "Zhu Hongyi").stderr
    assert "No speaker matches 'Zhu Hongyi'" in err and "Zhou Hongyi" in err


def test_speakers_json_has_counts_dates_and_the_latest_role():
    add("a", "Zhou Hongyi", "--role", "founder of Qihoo 360", "--said", "2023")
    add("b", "Zhou Hongyi", "--role", "CEO of 360 Security Technology", "--said", "February 2024")
    add("c", "Zhou Hongyi", "--said", "December 2023")
    ok("speakers", "alias", "Zhou Hongyi", "周鸿祎")
    [speaker] = json.loads(ok("speakers", "--json").stdout)
    assert speaker == {
        "id": 1, "name": "Zhou Hongyi", "kind": "person", "role": "CEO of 360 Security Technology", "aliases": ["周鸿祎"],
        "claims": 3, "first_said": "2023", "last_said": "2024-02",
    }
    assert "Zhou Hongyi" in ok("speakers").stdout


def test_an_alias_that_names_another_speaker_is_refused(db_path):
    add("x", "Zhou Hongyi")
    add("y", "Yann LeCun")
    before = file_hash(db_path)
    err = fails("speakers", "alias", "Zhou Hongyi", "New Name", "yann lecun").stderr
    assert "already names Yann LeCun" in err and "merge" in err
    assert file_hash(db_path) == before


def test_merge_moves_claims_and_aliases_and_keeps_the_old_name():
    add("supplying weapons for the ongoing AI war", "Meta's chief scientist")
    add("y", "Yann LeCun")
    ok("speakers", "alias", "Meta's chief scientist", "Meta AI chief")
    ok("speakers", "merge", "Meta's chief scientist", "Yann LeCun")
    speakers = json.loads(ok("speakers", "--json").stdout)
    assert [s["name"] for s in speakers] == ["Yann LeCun"]
    assert set(speakers[0]["aliases"]) == {"Meta's chief scientist", "Meta AI chief"}
    assert speakers[0]["claims"] == 2
    assert speaker_ids("meta's chief scientist") == {speakers[0]["id"]}
    # Both claims are now found through the aliases the merge brought along.
    assert [h["speaker"] for h in json.loads(ok("search", "chief", "--json").stdout)] == ["Yann LeCun"] * 2


def test_merging_a_speaker_into_itself_is_an_error(db_path):
    add("x", "Zhou Hongyi")
    before = file_hash(db_path)
    fails("speakers", "merge", "Zhou Hongyi", "hongyi zhou")
    assert file_hash(db_path) == before


def test_merging_an_already_merged_pair_says_so_plainly(db_path):
    add("x", "Z. Hongyi")
    add("y", "Zhou Hongyi")
    ok("speakers", "merge", "Z. Hongyi", "Zhou Hongyi")
    before = file_hash(db_path)
    message = fails("speakers", "merge", "Z. Hongyi", "Zhou Hongyi").stderr
    assert "already the same speaker, Zhou Hongyi" in message and len(message.strip().splitlines()) == 1
    assert file_hash(db_path) == before
