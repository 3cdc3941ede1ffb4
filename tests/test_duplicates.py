"""The same words by the same speaker are noticed, however the copy differs in case, punctuation or quotes."""

from __future__ import annotations

import json
import sqlite3

import pytest

from conftest import add, invoke, ok
from test_terminal import in_terminal

from claimtrack import names

ORIGINAL = "a barrel of cold water poured down China's head"


@pytest.mark.parametrize("copy", [
    "A barrel of cold water poured down China's head.",          # case and a final full stop
    "a barrel of “cold water” poured down China’s head",         # curly quotes, a curly apostrophe
    "«a barrel of cold water» poured down China's head",         # guillemets
    "a barrel of cold water, poured down China's head!",          # a comma, an exclamation mark
    "a barrel of cold-water — poured down  China's head …",       # a hyphen, a dash, an ellipsis, spaces
])
def test_a_copy_that_differs_only_in_case_punctuation_or_quotes_is_noticed(copy):
    add(ORIGINAL, "Zhou Hongyi")
    result = invoke("add", "--speaker", "zhou hongyi", "--", copy)
    assert result.exit_code == 0, result.stderr
    assert "claim 1 has the same text by the same speaker" in result.stderr
    assert "--appearance-of 1" in result.stderr
    assert result.stdout.strip() == "2"  # in a pipe it is added all the same, with the warning


@pytest.mark.parametrize("speaker, other", [
    ("Zhou Hongyi", "a barrel of hot water poured down China's head"),   # other words
    ("Zhou Hongyi", "a barrel of cold water poured down China's head, and then some"),  # more words
    ("Yin Ye", ORIGINAL),                                               # another speaker
])
def test_other_words_or_another_speaker_are_not_a_duplicate(speaker, other):
    add(ORIGINAL, "Zhou Hongyi")
    result = invoke("add", "--speaker", speaker, "--", other)
    assert result.exit_code == 0 and "same text" not in result.stderr, result.stderr


def test_a_copy_with_a_final_full_stop_in_a_terminal_can_become_an_appearance():
    add(ORIGINAL, "Zhou Hongyi", "--source", "https://example.com/first")
    code, out = in_terminal("add", "A barrel of cold water, poured down China's head.", "--speaker", "Zhou Hongyi",
                            "--source", "https://example.com/second", answers=["y"])
    assert code == 0 and "another appearance of claim 1" in out, out
    claims = json.loads(ok("list", "--json").stdout)
    assert len(claims) == 1
    assert [a["url"] for a in claims[0]["appearances"]] == ["https://example.com/first", "https://example.com/second"]


def test_a_copy_with_different_punctuation_in_a_terminal_answered_no_is_a_new_claim_with_the_warning():
    add(ORIGINAL, "Zhou Hongyi", "--source", "https://example.com/first")
    code, out = in_terminal("add", "A barrel of “cold water” poured down China’s head!", "--speaker", "Zhou Hongyi",
                            "--source", "https://example.com/second", answers=["n"])
    assert code == 0 and "added a new claim anyway" in out, out
    assert len(json.loads(ok("list", "--json").stdout)) == 2


@pytest.mark.parametrize("dump", ["schema-v1.sql", "schema-v5.sql"])
def test_after_an_upgrade_a_copy_of_an_older_claim_is_noticed(fixtures, db_path, dump):
    conn = sqlite3.connect(db_path)
    conn.executescript((fixtures / dump).read_text(encoding="utf-8"))
    old_text, old_key = conn.execute(
        "SELECT text, text_key FROM claims WHERE text LIKE 'If OpenAI has other%'"
    ).fetchone()
    conn.close()
    copy = "if OpenAI has other “secret weapons” the gap between China and the US in AI could be even wider than thought"
    # The fingerprint stored by the older schema does not match the copy: only a recomputed one can.
    assert old_key != names.text_hash(copy) and names.text_hash(old_text) == names.text_hash(copy)
    result = invoke("add", "--speaker", "Zhou Hongyi", "--", copy)
    assert result.exit_code == 0, result.stderr
    assert "claim 2 has the same text by the same speaker" in result.stderr
    conn = sqlite3.connect(db_path)
    rows = conn.execute("SELECT text, text_key FROM claims").fetchall()
    conn.close()
    assert all(key == names.text_hash(text) for text, key in rows)
