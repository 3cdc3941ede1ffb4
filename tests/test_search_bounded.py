"""search stays bounded: very common words ranked among the newest matches, suggestions from a bounded read."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimtrack import names
from claimtrack.model import MARK_END, MARK_START, ClaimFilter
from claimtrack.store import open_store
from claimtrack.store.search import RANKED
from claimtrack.store.suggest import MOST_SPELLINGS, _one_letter_away
from claimtrack.store.window_rank import exact_rank_cost
from conftest import add, ok

CLAIMS = RANKED + 120


def times(n: int) -> int:
    """How often claim N says the phrase: 1 to 4 times, in an order that is not the claims' order."""
    return (n * 7) % 4 + 1


@pytest.fixture
def crowded(db_path, tmp_path):
    """More claims than are ranked, each saying "a of" 1 to 4 times, by five speakers."""
    lines = [json.dumps({"text": " ".join(["a of"] * times(n) + ["filler"] * (8 - 2 * times(n))) + f" n{n}",
                         "speaker": {"name": f"Speaker {'ABCDE'[n % 5]}"}})
             for n in range(1, CLAIMS + 1)]
    (tmp_path / "crowd.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ok("import", str(tmp_path / "crowd.jsonl"))
    return db_path


def expected(ids: list[int]) -> list[int]:
    """Claims IDS in the order the ranking gives them: the phrase more often first, then newest first."""
    return sorted(ids, key=lambda n: (-times(n), -n))


@pytest.mark.parametrize("most", [0, 10**12])  # every query ranked among its matches; none
def test_very_common_words_are_ranked_among_the_newest_matches_and_older_ones_follow(crowded, most):
    with open_store(crowded, write=False) as store:
        found = store.search('"a of"', exact_rank_most=most)
    ids = [hit.claim.id for hit in found.hits]
    newest = list(range(CLAIMS, CLAIMS - RANKED, -1))
    assert not found.complete
    assert ids[:RANKED] == expected(newest)
    assert ids[RANKED:] == list(range(CLAIMS - RANKED, 0, -1))  # older ones, newest first, unranked
    assert all(hit.rank is not None for hit in found.hits[:RANKED])
    assert all(hit.rank is None for hit in found.hits[RANKED:])
    assert found.hits[0].marked_text.count(MARK_START + "a of" + MARK_END) == times(ids[0]) == 4


def test_a_limit_and_a_filter_keep_the_order_when_ranked_among_the_matches(crowded):
    with open_store(crowded, write=False) as store:
        speaker = store.find_speaker("Speaker B")
        limited = store.search('"a of"', limit=20, exact_rank_most=0)
        filtered = store.search('"a of"', ClaimFilter(speaker_id=speaker), exact_rank_most=0)
        both = store.search("a of filler", limit=5, exact_rank_most=0)
    assert [hit.claim.id for hit in limited.hits] == expected(list(range(CLAIMS, CLAIMS - RANKED, -1)))[:20]
    of_b = [n for n in range(1, CLAIMS + 1) if n % 5 == 1]
    assert [hit.claim.id for hit in filtered.hits] == expected(of_b) and filtered.complete
    assert {hit.claim.speaker for hit in filtered.hits} == {"Speaker B"}
    assert len(both.hits) == 5 and all("filler" in hit.claim.text for hit in both.hits)


def test_the_cost_estimate_grows_with_how_common_the_words_are(crowded):
    with open_store(crowded, write=False) as store:
        rare, phrase, words = (exact_rank_cost(store.conn, q) for q in ('"n17"', '"a of"', '"a" "of" "filler"'))
        column = exact_rank_cost(store.conn, '{text_grams context_grams speaker_grams} : "人工"')
    assert rare == 1 and phrase == 2 * CLAIMS and words > phrase and column == 0


def test_a_search_of_very_common_words_in_the_cli_is_ranked_and_says_older_ones_follow(crowded):
    result = ok("search", '"a of"', "--limit", "3", "--json")
    hits = json.loads(result.stdout)
    assert [h["id"] for h in hits] == expected(list(range(CLAIMS, CLAIMS - RANKED, -1)))[:3]
    assert "More than 1,000 claims match" in result.stderr


def test_close_words_are_the_indexed_words_one_letter_away(db_path):
    add("a barrel of cold water poured down China's head", "Zhou Hongyi")
    add("the bare facts, and the barrels", "Yann LeCun")
    with open_store(db_path, write=False) as store:
        # bare and barrel are as close (0.9) and as common: the alphabet decides; then the commoner first.
        assert store.suggestions("barel coold")[0] == ["bare", "barrel", "cold"]
    add("one more barrel", "Yann LeCun")
    with open_store(db_path, write=False) as store:
        assert store.suggestions("barel coold")[0] == ["barrel", "bare", "cold"]
        assert store.suggestions("barrel watr")[0] == ["water"]  # (barrel is a word of the index: not respelt)
        # A long query: spellings are looked up for its first words only, as many as the bound allows
        # (387, 389 and 439 spellings for the first three: the fourth's 337 would pass 1,500).
        assert store.suggestions("barrelx pouredx barrelsx chinax")[0] == ["barrel", "barrels", "poured"]
        assert store.suggestions("chinax")[0] == ["china"]
        many = " ".join(f"w{n}ordlongenough" for n in range(40))
        assert sum(len(_one_letter_away(names.fold(w))) for w in many.split()) > MOST_SPELLINGS
        assert store.suggestions(many) == ([], [])
        assert store.suggestions("x" * 1_000_000)[0] == []  # (not spelt out: too long for the bound)


def test_close_speakers_are_found_among_many_with_the_same_first_name(db_path):
    for n in range(300):
        add(f"claim {n}", f"Zhou Person{n:03d}")
    add("a barrel of cold water", "Zhou Hongyi")
    result = ok("search", "Zhou Hongyl")
    assert "Speakers with close names: Zhou Hongyi" in result.stderr


@given(st.text(alphabet="abcdefghij", min_size=2, max_size=8), st.data())
def test_every_spelling_one_letter_away_is_looked_up_and_no_other(word, data):
    spellings = _one_letter_away(word)
    assert word not in spellings
    assert all(names._edits_apart_at_most_one(word, other) for other in spellings)
    i = data.draw(st.integers(0, len(word) - 1))
    letter = data.draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz"))
    for other in (word[:i] + word[i + 1:], word[:i] + letter + word[i:], word[:i] + letter + word[i + 1:],
                  word[:i] + word[i + 1:i + 2] + word[i] + word[i + 2:]):
        assert other == word or len(other) < 2 or other in spellings
