"""search within a filter: the filter's newest matches, found in a window of its claims or in the full-text index,
ranked among themselves; the older ones follow newest first. The same rows whichever way they were found."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import claimtrack.store.search as search
from claimtrack.model import ClaimFilter
from claimtrack.store import open_store
from conftest import ok

CLAIMS = 240
WORDS = {"w2": 2, "w3": 3, "w5": 5, "w7": 7, "w13": 13, "w37": 37}  # claim N has word W when N % WORDS[W] == 0
LENGTH = 14  # every claim has as many words: BM25 then orders by how often "cold" is said


def cold(n: int) -> int:
    """How often claim N says "cold": 1 to 4 times, in an order that is not the claims' order."""
    return (n * 5) % 4 + 1


def text(n: int) -> str:
    words = [word for word, step in WORDS.items() if n % step == 0] + ["cold"] * cold(n) + [f"n{n}"]
    return " ".join(words + ["filler"] * (LENGTH - len(words)))


@pytest.fixture
def desk(db_path, tmp_path):
    """CLAIMS claims by four speakers, tagged t0 to t2; claim N says the words N is a multiple of."""
    lines = [json.dumps({"text": text(n), "speaker": {"name": f"Speaker {n % 4}"}, "tags": [f"t{n % 3}"]})
             for n in range(1, CLAIMS + 1)]
    (tmp_path / "desk.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ok("import", str(tmp_path / "desk.jsonl"))
    return db_path


def kept_by(store, by: str, which: int) -> tuple[ClaimFilter, set[int]]:
    if by == "speaker":
        return (ClaimFilter(speaker_id=store.find_speaker(f"Speaker {which % 4}")),
                {n for n in range(1, CLAIMS + 1) if n % 4 == which % 4})
    return ClaimFilter(tag=f"t{which % 3}"), {n for n in range(1, CLAIMS + 1) if n % 3 == which % 3}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(word=st.sampled_from(sorted(WORDS)), by=st.sampled_from(["speaker", "tag"]), which=st.integers(0, 11),
       ranked=st.integers(1, 40), window=st.integers(1, 30), most=st.integers(0, 80), limit=st.integers(1, 12))
def test_a_filter_s_newest_matches_are_ranked_however_they_are_found(desk, word, by, which, ranked, window, most,
                                                                     limit):
    # Small windows and few ranked rows: some searches find every match in the window of the filter's claims,
    # some read more windows, some go on to the full-text index's older matches. The rows are the same.
    with pytest.MonkeyPatch.context() as patch, open_store(desk, write=False) as store:
        patch.setattr(search, "RANKED", ranked)
        patch.setattr(search, "WINDOW", window)
        patch.setattr(search, "WINDOW_MOST", window + most)
        where, kept = kept_by(store, by, which)
        found = store.search(f"{word} cold", where)
        first = store.search(f"{word} cold", where, limit=limit)
    matches = sorted((n for n in kept if n % WORDS[word] == 0), reverse=True)
    newest, older = matches[:ranked], matches[ranked:]
    ids = [hit.claim.id for hit in found.hits]
    # The newest matches ranked (saying "cold" more often first, then newest first), older ones newest first.
    assert ids == sorted(newest, key=lambda n: (-cold(n), -n)) + older
    assert [hit.rank is None for hit in found.hits] == [False] * len(newest) + [True] * len(older)
    assert found.complete == (not older)
    assert [hit.claim.id for hit in first.hits] == ids[:limit]


def test_a_filter_keeping_a_word_s_claims_and_a_rare_word_find_the_same_as_list(desk, monkeypatch):
    # One window holds every match of a common word; a rare word is read from the full-text index.
    monkeypatch.setattr(search, "WINDOW", 8)
    monkeypatch.setattr(search, "WINDOW_MOST", 16)
    for word in ("w2", "w37"):
        listed = {c["id"] for c in json.loads(ok("list", "--json", "--speaker", "Speaker 2").stdout)}
        hits = json.loads(ok("search", word, "--speaker", "Speaker 2", "--json").stdout)
        assert {h["id"] for h in hits} == {n for n in listed if n % WORDS[word] == 0}, word
        assert all(h["rank"] is not None for h in hits)
