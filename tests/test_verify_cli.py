"""claimtrack verify: quotes checked against their sources' snapshots (pages served on 127.0.0.1 here),
each result kept in the claim's history, shown, reported and filtered on."""

from __future__ import annotations

import json
import sqlite3

import pytest

from conftest import add, fails, invoke, ok
from pages import Pages, rows
from test_terminal import in_terminal

ARTICLE = """<html><head><title>Zhou on Sora</title><meta property="og:site_name" content="tech360.tv"></head>
<body><article><h1>Zhou Hongyi says Sora is cold water</h1>
<p>Zhou Hongyi, the founder of 360 Security Technology, said the release of Sora was "a barrel of cold water
poured down China's head" and that the gap with the United States was not narrowing.</p>
<p>"We will never give up on building our own large models, and we expect to release 3 new models this year,"
he said at a forum in Beijing.</p></article></body></html>"""

COPY = """<html><head><title>Copy</title><meta property="og:site_name" content="Daily Copy"></head><body><article>
<h1>Sora shock</h1><p>Zhou Hongyi said the release was "a bucket of cold water poured on China's head", according
to reports from the forum this week.</p><p>Other matters were discussed at length by the panel.</p>
</article></body></html>"""


@pytest.fixture
def pages():
    server = Pages({"/zhou": (ARTICLE.encode(), "text/html; charset=utf-8"),
                    "/copy": (COPY.encode(), "text/html; charset=utf-8")}).start()
    yield server
    server.stop()


def quote(pages, text: str, *options: str) -> int:
    return add(text, "Zhou Hongyi", "--source", pages.url("/zhou"), *options)


CASES = [
    ("a barrel of cold water poured down China's head", "verbatim", [], []),
    ("A Barrel of Cold Water poured down China’s head", "form", [], []),
    ("We will never give up on building our own large models ... this year", "marked-edits", [], ["number"]),
    ("We will always give up on building our own large models", "altered",
     [{"op": "change", "source": "never", "quote": "always"}], ["negation"]),
    ("Sora proves that America has already won the race for video models", "not-found", [], []),
]


def test_each_quote_is_classified_against_its_snapshot_fetched_first_and_recorded(pages, db_path):
    ids = [quote(pages, text) for text, *_ in CASES]
    result = ok("verify", *map(str, ids), "--json")
    outcomes = {o["claim_id"]: o for o in json.loads(result.stdout)}
    assert rows(db_path, "SELECT count(*) FROM snapshots") == [(1,)]  # fetched once, first
    sha = rows(db_path, "SELECT sha256 FROM snapshots")[0][0]
    for claim_id, (text, expected, differences, flags) in zip(ids, CASES):
        outcome = outcomes[claim_id]
        assert outcome["result"] == expected, (text, outcome)
        assert outcome["snapshot"] == sha and outcome["checked_at"].endswith("Z")
        assert set(outcome) >= {"claim_id", "result", "passage", "differences", "meaning_flags", "snapshot",
                                "checked_at"}
        if differences:
            assert outcome["differences"] == differences
        assert outcome["meaning_flags"] == flags, (text, outcome)
    assert outcomes[ids[0]]["passage"] == "a barrel of cold water poured down China's head"
    assert rows(db_path, "SELECT claim_id, result FROM verifications WHERE latest = 1 ORDER BY claim_id") == [
        (i, case[1]) for i, case in zip(ids, CASES)]
    assert "claimtrack attribution" in result.stderr  # altered and not found: the suggestion, in a pipe


def test_the_result_is_in_show_the_report_list_and_undo(pages, db_path):
    good = quote(pages, "a barrel of cold water poured down China's head")
    bad = quote(pages, "We will always give up on building our own large models")
    never = add("An unverified quote here", "Someone")
    ok("verify", str(good), str(bad))
    shown = ok("show", str(bad)).stdout
    assert "verified" in shown and "altered in tech360.tv as fetched on" in shown and "‘never’ → ‘always’" in shown
    report = ok("report").stdout
    assert "Verification: verbatim in tech360.tv as fetched on" in report
    assert [line.split("\t")[0] for line in ok("list", "--verification", "altered").stdout.splitlines()] == [str(bad)]
    assert [line.split("\t")[0] for line in ok("list", "--verification", "none").stdout.splitlines()] == [str(never)]
    history = json.loads(ok("show", str(good), "--json").stdout)["history"]
    assert any(h["field"] == "verification" and h["new"] == "verbatim" for h in history)
    # One run is one change: undo takes its results back together.
    assert "verify of 2 claims" in ok("undo", "--yes").stdout
    assert rows(db_path, "SELECT count(*) FROM verifications") == [(0,)]


def test_the_verification_filter_reads_its_index(pages, db_path):
    quote(pages, "a barrel of cold water poured down China's head")
    conn = sqlite3.connect(db_path)
    plan = " ".join(r[-1] for r in conn.execute(
        "EXPLAIN QUERY PLAN SELECT claim_id FROM verifications WHERE latest = 1 AND result = 'altered'"))
    conn.close()
    assert "idx_verifications_latest" in plan


def test_a_source_that_cannot_be_fetched_is_unavailable_and_recorded(pages, db_path):
    claim = add("Words from a page that went away", "Zhou Hongyi", "--source", pages.url("/gone"))
    result = ok("verify", str(claim))
    assert "source unavailable" in result.stdout and "Cannot fetch" in result.stderr
    assert rows(db_path, "SELECT result FROM verifications") == [("unavailable",)]


@pytest.mark.parametrize("options, message", [
    (["--kind", "claim"], "is a statement (kind claim), not a quote"),
    ([], "is a quote of one word"),
])
def test_statements_and_one_word_quotes_are_not_verified(pages, db_path, options, message):
    text = "Nvidia supplies weapons for the AI war" if options else "Unprecedented"
    claim = add(text, "Zhou Hongyi", "--source", pages.url("/zhou"), *options)
    before = rows(db_path, "SELECT count(*) FROM changes")
    assert message in fails("verify", str(claim)).stderr
    assert rows(db_path, "SELECT count(*) FROM verifications") == [(0,)]
    assert rows(db_path, "SELECT count(*) FROM changes") == before


def test_a_snapshot_without_text_and_a_claim_without_a_page_are_plain_messages(pages, db_path, tmp_path):
    image = tmp_path / "shot.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    claim = add("Words on a screenshot only", "Zhou Hongyi", "--source", "https://paywalled.example/a")
    ok("source", "attach", "https://paywalled.example/a", str(image))
    assert "has no text to compare with" in fails("verify", str(claim)).stderr
    bare = add("Words with no page at all", "Zhou Hongyi")
    assert "has no source page to check against" in fails("verify", str(bare)).stderr
    assert rows(db_path, "SELECT count(*) FROM verifications") == [(0,)]


def test_against_compares_with_a_transcript_the_user_names(pages, db_path, tmp_path):
    transcript = tmp_path / "forum.txt"
    transcript.write_text("MODERATOR: Your view?\n\nZHOU HONGYI: We will never give up on building our own large "
                          "models. Never.\n", encoding="utf-8")
    claim = quote(pages, "We will never give up on building our own large models")
    [outcome] = json.loads(ok("verify", str(claim), "--against", str(transcript), "--json").stdout)
    assert outcome["result"] == "verbatim" and outcome["against"] == str(transcript)
    assert rows(db_path, "SELECT count(*) FROM snapshots") == [(0,)]  # the source was not fetched
    assert "There is no file" in fails("verify", str(claim), "--against", str(tmp_path / "nope.txt")).stderr


def test_a_chinese_quote_of_an_english_source_is_another_language(pages, db_path):
    claim = quote(pages, "给中国人的头上泼了一桶冷水")
    [outcome] = json.loads(ok("verify", str(claim), "--json").stdout)
    assert outcome["result"] == "other-language"


def test_all_with_filters_verifies_the_quotes_and_skips_statements(pages, db_path):
    quote(pages, "a barrel of cold water poured down China's head")
    add("Chips are weapons now", "Zhou Hongyi", "--kind", "claim", "--source", pages.url("/zhou"))
    add("Unrelated words spoken elsewhere", "Someone Else", "--source", pages.url("/zhou"))
    result = ok("verify", "--all", "--speaker", "Zhou Hongyi")
    assert result.stdout.count("verbatim in tech360.tv") == 1
    assert "is a statement" in result.stderr
    fails("verify", code=2)
    fails("verify", "1", "--all", code=2)


def test_drift_across_appearances_is_recorded_at_each_page_and_shown_oldest_first(pages, db_path):
    claim = quote(pages, "a barrel of cold water poured down China's head", "--published", "2024-02-18")
    ok("appearance", "add", str(claim), "--url", pages.url("/copy"), "--published", "2024-02-25", "--fetch")
    ok("source", "fetch", pages.url("/zhou"))
    [outcome] = json.loads(ok("verify", str(claim), "--appearances", "--json").stdout)
    assert outcome["result"] == "altered"
    assert {"op": "change", "source": "barrel", "quote": "bucket"} in outcome["differences"]
    timeline = ok("show", str(claim)).stdout.split("Timeline:")[1]
    assert timeline.index("published") < timeline.index("25 February 2024  wording")
    assert "as Daily Copy printed it: altered against the earliest, tech360.tv" in timeline
    # Drift is not the claim's own verification.
    assert rows(db_path, "SELECT latest, appearance_of IS NOT NULL FROM verifications") == [(0, 1)]


def test_at_a_terminal_an_altered_quote_offers_to_dispute_the_attribution(pages, db_path):
    claim = quote(pages, "We will always give up on building our own large models")
    code, output = in_terminal("--db", str(db_path), "verify", str(claim), answers=["y"])
    assert code == 0, output
    assert "Set its attribution to disputed" in output
    assert rows(db_path, f"SELECT attribution FROM claims WHERE id = {claim}") == [("disputed",)]
    note = rows(db_path, "SELECT note FROM history WHERE field = 'attribution'")[0][0]
    assert note.startswith("verify ") and "altered in tech360.tv" in note


def test_extract_marks_a_known_quote_printed_with_other_words(pages, db_path, tmp_path):
    claim = quote(pages, "a barrel of cold water poured down China's head")
    article = tmp_path / "copy.txt"
    article.write_text("Headline\n\nZhou Hongyi, the founder of 360, said Sora was \"a bucket of cold water poured on "
                       "China's head\" for the industry.\n", encoding="utf-8")
    result = ok("extract", str(article), "--yes", "--source", "https://copy.example/a")
    assert f"1 appearance(s) of claims already recorded ({claim})" in result.stdout
    [drift] = rows(db_path, "SELECT result, passage FROM verifications")
    assert drift == ("altered", "a bucket of cold water poured on China's head")
    assert invoke("show", str(claim)).stdout.count("wording") == 1


def test_a_long_run_is_written_a_chunk_of_claims_at_a_time(pages, db_path, monkeypatch):
    from claimtrack.cli import verify_run

    monkeypatch.setattr(verify_run._Chunks, "CHUNK", 2)
    ids = [quote(pages, f"a barrel of cold water poured down China's head {n}") for n in range(5)]
    before = rows(db_path, "SELECT count(*) FROM changes")[0][0]
    ok("verify", "--all")
    summaries = [r[0] for r in rows(db_path, f"SELECT summary FROM changes WHERE id > {before} ORDER BY id")]
    assert summaries[-3:] == [f"verify of 2 claims ({ids[0]}–{ids[1]})", f"verify of 2 claims ({ids[2]}–{ids[3]})",
                              f"claim {ids[4]} verified: altered"]
