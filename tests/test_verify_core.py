"""claimtrack.verify: a quote checked against its source's text, on plain strings (no database, no network)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claimtrack.verify import FOUND_AT, RESULTS, Verification, classify_drift, verify_quote

FIXTURES = Path(__file__).parent / "fixtures" / "verify"
CASES = json.loads((FIXTURES / "cases.json").read_text(encoding="utf-8"))
SORA = (FIXTURES / "sora-cold-water.txt").read_text(encoding="utf-8")
NVIDIA = (FIXTURES / "nvidia-weapons.txt").read_text(encoding="utf-8")


def source(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


# The labelled set

def test_the_labelled_set_is_large_and_covers_every_class():
    assert len(CASES) >= 60
    assert len({case["id"] for case in CASES}) == len(CASES)
    expected = {case["expected"] for case in CASES}
    assert expected == set(RESULTS) - {"unavailable"}
    assert len(source("long-briefing.txt").split()) >= 20000
    notes = " ".join(case["note"] for case in CASES)
    for kind in ("swapped", "paraphrase", "joined", "translation", "[sic]", "spelling", "hyphen"):
        assert kind in notes, kind


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_every_case_of_the_labelled_set(case):
    found = verify_quote(case["quote"], source(case["source"]))
    assert (found.result, list(found.meaning_flags)) == (case["expected"], case["meaning_flags"]), found


def test_accuracy_on_the_labelled_set_is_one():
    right = sum(
        (found := verify_quote(case["quote"], source(case["source"]))).result == case["expected"]
        and list(found.meaning_flags) == case["meaning_flags"]
        for case in CASES
    )
    assert right == len(CASES)


def test_the_long_source_is_the_one_make_long_writes(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_long", FIXTURES / "make_long.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write(tmp_path / "long.txt")
    assert (tmp_path / "long.txt").read_text(encoding="utf-8") == source("long-briefing.txt")


# Each class

def test_verbatim_gives_the_passage_exactly_as_in_the_source():
    found = verify_quote("a barrel of cold water\n poured down China's head", SORA)
    assert found.result == "verbatim"
    assert found.passage == "a barrel of cold water poured down China's head"
    assert SORA[found.span[0]:found.span[1]] == found.passage
    assert found.differences == () and found.edits == () and found.meaning_flags == ()


def test_verbatim_is_not_a_piece_of_a_longer_word():
    assert verify_quote("old water poured down", SORA).result != "verbatim"


def test_form_lists_no_differences_and_points_at_the_source():
    found = verify_quote("“We Recognize That The Technology Is Moving Faster Than The Rules”",
                         source("uk-regulator.txt"))
    assert found.result == "form"
    assert found.passage == "We recognise that the technology is moving faster than the rules"
    assert found.differences == ()


@pytest.mark.parametrize("quote", [
    "a barrel of cold-water poured down China's head",  # a hyphen added
    "a barrel of cold water poured down China's head!",  # punctuation
    "a barrel of cold water poured down China’s head",  # apostrophe style
    "A BARREL OF COLD WATER POURED DOWN CHINA'S HEAD",  # case
])
def test_each_change_of_form(quote):
    assert verify_quote(quote, SORA).result == "form"


def test_a_dropped_currency_sign_is_not_form():
    assert verify_quote("It cost 5 million", "It cost $5 million.").result == "altered"


def test_marked_edits_list_each_mark_with_the_source_words_it_stands_for():
    found = verify_quote("I am ... saying we cannot catch up", SORA)
    assert found.result == "marked-edits"
    assert found.edits == ({"kind": "ellipsis", "quote": "...", "source": "not"},)
    assert found.meaning_flags == ("negation",)
    assert found.passage == "I am not saying we cannot catch up"


def test_a_bracket_replacing_words_and_sic():
    found = verify_quote("It will be a colleague, and then [AI] will be a competitor", SORA)
    assert found.result == "marked-edits" and found.meaning_flags == ()
    assert found.edits == ({"kind": "bracket", "quote": "[AI]", "source": "it"},)
    sic = verify_quote("Salaries has [sic] doubled since January", source("panel-transcript.txt"))
    assert sic.edits == ({"kind": "bracket", "quote": "[sic]", "source": ""},)


def test_an_ellipsis_may_skip_a_long_stretch_in_order():
    found = verify_quote("Zhou Hongyi, the founder and chairman of 360 Security Technology ... It wakes us up", SORA)
    assert found.result == "marked-edits"
    assert found.meaning_flags == ("negation", "number")  # what was left out holds both
    assert found.passage.startswith("Zhou Hongyi") and found.passage.endswith("It wakes us up")


def test_altered_lists_added_removed_and_changed_words():
    found = verify_quote("Nvidia is choosing sides. It is selling weapons for the AI war", NVIDIA)
    assert found.result == "altered"
    assert found.differences == (
        {"op": "remove", "source": "not", "quote": ""},
        {"op": "change", "source": "supplying", "quote": "selling"},
        {"op": "remove", "source": "ongoing", "quote": ""},
    )
    assert found.meaning_flags == ("negation",)
    assert found.passage == "Nvidia is not choosing sides. It is supplying weapons for the ongoing AI war"


def test_an_added_word_and_a_changed_number():
    found = verify_quote("We need new ideas, and we really need them in the next 10 years", NVIDIA)
    assert found.result == "altered"
    assert {"op": "add", "source": "", "quote": "really"} in found.differences
    assert {"op": "change", "source": "five", "quote": "10"} in found.differences
    assert found.meaning_flags == ("number",)


def test_a_quote_joined_from_two_places_shows_what_lies_between():
    found = verify_quote("The gap may be widening. We should not tell ourselves a comforting story", SORA)
    assert found.result == "altered"
    assert found.differences == ({"op": "remove", "source": "I am not saying we cannot catch up, but", "quote": ""},)


def test_not_found_has_no_passage():
    found = verify_quote("We will double our investment in quantum computing", SORA)
    assert found == Verification("not-found")
    assert found.to_dict() == {"result": "not-found", "passage": None, "span": None, "differences": [],
                               "meaning_flags": [], "edits": []}


def test_other_language_by_script_by_words_and_by_the_given_tags():
    assert verify_quote("Sora是一桶浇在中国头上的冷水", SORA).result == "other-language"
    assert verify_quote("Nvidia fournit des armes pour la guerre de l'IA en cours", NVIDIA).result == "other-language"
    # Given tags decide, both ways.
    assert verify_quote("a bucket of cold water", SORA, quote_language="fr", source_language="en").result \
        == "other-language"
    assert verify_quote("a bucket of cold water", SORA, quote_language="en-GB", source_language="en").result \
        == "altered"
    # Found word for word, a quote is verbatim whatever the tags say.
    assert verify_quote("a barrel of cold water", SORA, quote_language="fr", source_language="en").result \
        == "verbatim"


def test_to_dict_is_json_ready():
    found = verify_quote("I used to think AGI would take … years", SORA)
    data = json.loads(json.dumps(found.to_dict()))
    assert data["result"] == "marked-edits" and data["meaning_flags"] == ["number"]
    assert data["span"] == list(found.span) and data["edits"][0]["source"] == "ten"


def test_the_threshold_is_documented_and_sits_between_the_sets_scores():
    assert 0 < FOUND_AT < 1


@pytest.mark.parametrize("quote, text", [
    ("", SORA), ("   ", SORA), ("a quote", ""), ("...", SORA), ("[sic]", SORA), ("[", "]"), ("…", "…"),
    ("!!!", "!!!"), ("a", "a"), ("the", SORA),
])
def test_odd_inputs_give_a_result(quote, text):
    assert verify_quote(quote, text).result in RESULTS


# Drift between two versions of a quote

def test_drift_compares_whole_versions():
    assert classify_drift("a barrel of cold water poured down China's head",
                          "a barrel of cold water poured down China's head").result == "verbatim"
    assert classify_drift("a barrel of cold water poured down China's head",
                          "A barrel of cold water poured down China’s head.").result == "form"
    later = classify_drift("We are not behind in applications, and the gap is not closing",
                           "We are not behind in applications, and the gap is closing")
    assert later.result == "altered" and later.meaning_flags == ("negation",)
    shortened = classify_drift("Sora will not kill film companies, but it will change how every film is made",
                               "Sora will not kill film companies")
    assert shortened.result == "altered"
    assert shortened.differences == (
        {"op": "remove", "source": "but it will change how every film is made", "quote": ""},)


# Properties

WORDS = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N")), min_size=1, max_size=8)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200), st.text(max_size=400))
@example("[…] . . . [", "… …")
@example("don't … [s]he", "she don't")
def test_verify_quote_never_raises(quote, text):
    found = verify_quote(quote, text)
    assert found.result in RESULTS
    if found.span:
        assert text[found.span[0]:found.span[1]] == found.passage
    classify_drift(text, quote)


MARKS = ["the", "not", "[", "]", "...", "…", ". . .", "[sic]", "[s]he", "10", "Sora", "“", "”", "'", "-", "—",
         "\n", "中", "不", ",", ".", "n't", "colour", "color", "e-mail", "email", "[the company]", "(...)"]
MARKED = st.lists(st.sampled_from(MARKS), max_size=40).map(" ".join)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(MARKED, MARKED)
def test_quotes_full_of_marks_never_raise(quote, text):
    found = verify_quote(quote, text)
    assert found.result in RESULTS
    if found.span:
        assert text[found.span[0]:found.span[1]] == found.passage
    for edit in found.edits:
        assert edit["quote"] in quote and edit["source"] in text


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(WORDS, min_size=3, max_size=60), st.data())
def test_a_cut_of_the_source_at_word_boundaries_is_verbatim(words, data):
    separators = data.draw(st.lists(st.sampled_from([" ", ", ", "; ", ".\n", " — "]),
                                    min_size=len(words) - 1, max_size=len(words) - 1))
    text = words[0] + "".join(sep + word for sep, word in zip(separators, words[1:]))
    first = data.draw(st.integers(0, len(words) - 1))
    last = data.draw(st.integers(first, len(words) - 1))
    quote = words[first] + "".join(sep + word for sep, word in zip(separators[first:last], words[first + 1:last + 1]))
    found = verify_quote(quote, text)
    assert found.result == "verbatim", found
    assert found.passage == quote
    assert text[found.span[0]:found.span[1]] == quote


ASCII_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=8)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ASCII_WORDS, min_size=3, max_size=60), st.data())
def test_changing_case_or_quotation_marks_of_a_cut_gives_form(words, data):
    text = " ".join(words)
    first = data.draw(st.integers(0, len(words) - 1))
    last = data.draw(st.integers(first, len(words) - 1))
    quote = " ".join(words[first:last + 1])
    changed = data.draw(st.sampled_from(["upper", "title", "curly", "straight-single"]))
    if changed == "upper":
        altered = quote.upper()
    elif changed == "title":
        altered = quote.title()
    elif changed == "curly":
        altered = "“" + quote + "”"
    else:
        altered = "'" + quote + "'"
    if altered == quote:
        return
    found = verify_quote(altered, text)
    # Only case or marks differ: form, unless the altered text also occurs as such elsewhere.
    assert found.result in ("form", "verbatim"), found
    if found.result == "verbatim":
        assert altered in text
    assert found.passage.split() == quote.split()


def test_the_benchmark_prints_its_section():
    import subprocess
    import sys

    script = Path(__file__).parent.parent / "benchmarks" / "verify.py"
    out = subprocess.run([sys.executable, str(script), "--runs", "40"], check=True, capture_output=True,
                         text=True, timeout=600).stdout
    assert out.startswith("## Quote verification")
    assert f"**{len(CASES)}/{len(CASES)}** (1.00)" in out
    assert "40 verifications" in out and "| not-found | 6 |" in out


def test_a_bracket_at_the_start_stands_for_the_words_it_replaces():
    repeated = verify_quote("[Sora] was a barrel of cold water poured down China's head", SORA)
    assert repeated.edits == ({"kind": "bracket", "quote": "[Sora]", "source": "Sora"},)
    assert repeated.passage.startswith("Sora was")
    pronoun = verify_quote("[AI] will no longer be a tool", SORA)
    assert pronoun.edits == ({"kind": "bracket", "quote": "[AI]", "source": "it"},)
    ending = verify_quote("It is not impossible, but it will not happen [with current chips]", SORA)
    assert ending.edits == ({"kind": "bracket", "quote": "[with current chips]", "source": "without more computing"},)
    assert ending.meaning_flags == ("negation",)
