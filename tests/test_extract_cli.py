"""claimtrack extract: articles in, reviewed quotes out as claims of their source, in one change.

Articles are written here; pages are served by a real HTTP server on 127.0.0.1 (test_sources_fetch's site).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import add, fails, ok
from pages import Pages, rows
from test_terminal import in_terminal

ARTICLE = """\
Chinese tech founder says Sora is a wake-up call

BEIJING, Feb 20 (Wire) - Zhou Hongyi, the founder of 360 Security Technology, said on Monday that OpenAI's \
Sora was "a barrel of cold water poured down China's head" for the country's AI industry.

"The gap between China and the United States may be widening," Zhou said in a video posted on Weibo.

Wang Lei, an analyst at Pinecrest Securities, told reporters last week that Chinese models "trail Sora by at \
least twelve months on clip length and coherence."
"""


@pytest.fixture
def article(tmp_path) -> Path:
    path = tmp_path / "zhou.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_json_prints_import_records_writes_nothing_and_import_reads_them_from_standard_input(article, db_path):
    result = ok("extract", str(article), "--json", "--published", "2024-02-21", "--source", "https://wire.example/zhou")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert not db_path.exists()
    by_text = {r["text"]: r for r in records}
    zhou = by_text["a barrel of cold water poured down China's head"]
    assert zhou["speaker"] == {"name": "Zhou Hongyi"}
    assert zhou["role"] == "founder of 360 Security Technology"
    assert (zhou["said_on"], zhou["said_precision"]) == ("2024-02-19", "day")
    assert zhou["source"]["url"] == "https://wire.example/zhou" and zhou["source"]["published_on"] == "2024-02-21"
    assert 0 < zhou["confidence"] <= 1 and "barrel of cold water" in zhou["sentence"]
    # The comma that hands the quote to its attribution is not kept.
    assert "The gap between China and the United States may be widening" in by_text
    imported = ok("import", "-", input=result.stdout)
    assert f"Imported {len(records)} records (jsonl) from standard input: {len(records)} added" in imported.stdout
    assert rows(db_path, "SELECT count(*) FROM claims") == [(len(records),)]
    assert "0 added" in ok("import", "-", input=result.stdout).stdout


def test_yes_adds_the_quotes_as_claims_of_the_source_in_one_change_and_a_second_run_adds_nothing(article, db_path):
    add("Earlier words", "Zhou Hongyi")
    result = ok("extract", str(article), "--yes", "--published", "2024-02-21", "--source", "https://wire.example/zhou",
                "--outlet", "Wire")
    assert "3 claims added" in result.stdout
    claims = rows(db_path, "SELECT c.text, s.name, c.role, c.said_on, src.url, src.outlet FROM claims c "
                           "JOIN speakers s ON s.id = c.speaker_id LEFT JOIN sources src ON src.id = c.source_id "
                           "WHERE c.id > 1 ORDER BY c.id")
    assert ("a barrel of cold water poured down China's head", "Zhou Hongyi", "founder of 360 Security Technology",
            "2024-02-19", "https://wire.example/zhou", "Wire") in claims
    # The speaker already recorded is the one the quotes go to: no second Zhou Hongyi.
    assert rows(db_path, "SELECT count(*) FROM speakers WHERE name = 'Zhou Hongyi'") == [(1,)]
    assert "1 already recorded" not in result.stdout
    again = ok("extract", str(article), "--yes", "--source", "https://wire.example/zhou")
    assert "0 claims added; 3 already recorded from this article" in again.stdout
    assert rows(db_path, "SELECT count(*) FROM claims") == [(4,)]
    # The second run changed nothing; one undo takes the article back.
    undone = ok("undo", "--yes")
    assert "extract of" in undone.stdout
    assert rows(db_path, "SELECT count(*) FROM claims") == [(1,)]


def test_words_already_recorded_from_another_page_become_an_appearance(article, db_path):
    first = add("a barrel of cold water poured down China's head", "Zhou Hongyi", "--source", "https://first.example/a")
    result = ok("extract", str(article), "--yes", "--source", "https://wire.example/zhou")
    assert f"1 appearance(s) of claims already recorded ({first})" in result.stdout
    assert rows(db_path, f"SELECT s.url FROM appearances a JOIN sources s ON s.id = a.source_id "
                         f"WHERE a.claim_id = {first}") == [("https://wire.example/zhou",)]


def test_min_confidence_keeps_only_the_sure_ones(article):
    every = ok("extract", str(article), "--json", "--min-confidence", "0").stdout.splitlines()
    sure = ok("extract", str(article), "--json", "--min-confidence", "1").stdout.splitlines()
    assert len(sure) < len(every)
    fails("extract", str(article), "--json", "--min-confidence", "1.5", code=2)


def _page(text: str) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n")[1:])
    return (f'<html><head><title>Sora is a wake-up call</title><meta property="og:site_name" content="Wire">'
            f'<meta property="article:published_time" content="2024-02-21T08:00:00Z"></head><body><article>'
            f"<h1>Chinese tech founder says Sora is a wake-up call</h1>{paragraphs}</article></body></html>").encode()


@pytest.fixture
def pages():
    server = Pages({"/zhou": (_page(ARTICLE), "text/html; charset=utf-8")}).start()
    yield server
    server.stop()


def test_a_url_is_fetched_its_page_fills_the_details_and_it_is_kept_as_a_snapshot(pages, db_path):
    url = pages.url("/zhou")
    ok("extract", url, "--json")
    assert not db_path.exists()
    result = ok("extract", url, "--yes")
    assert "claims added" in result.stdout
    assert rows(db_path, "SELECT url, outlet, published_on FROM sources") == [(url, "Wire", "2024-02-21")]
    assert rows(db_path, "SELECT count(*) FROM snapshots") == [(1,)]
    said = dict(rows(db_path, "SELECT text, said_on FROM claims"))
    assert said["a barrel of cold water poured down China's head"] == "2024-02-19"
    # Read again, the page comes from its snapshot, as it was: the site changing does not matter.
    pages.pages["/zhou"] = (b"<html><body><p>Nothing to see.</p></body></html>", "text/html")
    before = pages.requests
    assert "already recorded from this article" in ok("extract", url, "--yes").stdout
    assert pages.requests == before
    # The claims, the page and its snapshot were one change.
    ok("undo", "--yes")
    assert rows(db_path, "SELECT count(*) FROM snapshots") == [(0,)]
    assert rows(db_path, "SELECT count(*) FROM claims") == [(0,)]
    assert "Cannot fetch" in fails("extract", pages.url("/gone"), "--yes").stderr


@pytest.mark.parametrize("content, message", [
    (b"", "is empty: there is no article to read"),
    (b"\x00\x01\x02PK\x03\x04" * 100, "is not text (a binary file)"),
])
def test_bad_files_are_plain_messages_and_nothing_is_written(tmp_path, db_path, content, message):
    add("x", "A")
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    before = rows(db_path, "SELECT count(*) FROM changes")
    assert message in fails("extract", str(path), "--yes").stderr
    assert rows(db_path, "SELECT count(*) FROM changes") == before


def test_a_huge_file_a_missing_file_and_an_empty_folder_are_refused(tmp_path):
    huge = tmp_path / "dump.txt"
    with open(huge, "wb") as out:
        out.truncate(50 * 1024 * 1024)
    assert "larger than any article claimtrack reads" in fails("extract", str(huge), "--yes").stderr
    assert "There is no file" in fails("extract", str(tmp_path / "nope.txt"), "--yes").stderr
    (tmp_path / "empty").mkdir()
    assert "folder with no article" in fails("extract", str(tmp_path / "empty"), "--yes").stderr


def test_an_article_without_quotes_or_in_another_language_adds_nothing(tmp_path, db_path):
    plain = tmp_path / "markets.txt"
    plain.write_text("Shares in chip makers rose on Tuesday. The index closed 2 percent higher.\n", encoding="utf-8")
    result = ok("extract", str(plain), "--yes")
    assert "No quote found in" in result.stderr and "Nothing added" in result.stderr
    other = tmp_path / "zh.txt"
    other.write_text("周鸿祎表示，Sora的发布给中国人工智能行业泼了一盆冷水。\n", encoding="utf-8")
    assert "No quote found" in ok("extract", str(other), "--yes").stderr
    assert not db_path.exists() or rows(db_path, "SELECT count(*) FROM claims") == [(0,)]


def test_a_pipe_needs_yes_or_json_and_source_names_one_article(article, tmp_path):
    assert "In a pipe, give --yes" in fails("extract", str(article), code=2).stderr
    other = tmp_path / "other.txt"
    other.write_text(ARTICLE, encoding="utf-8")
    assert "--source names one article's page" in fails(
        "extract", str(article), str(other), "--yes", "--source", "https://a.example/x", code=2).stderr


def test_a_folder_is_a_batch_with_a_line_per_article_and_a_bad_file_does_not_stop_it(tmp_path, db_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "b.md").write_text("# Note\n\n\"We will publish the figures in March,\" said Ana Ruiz, the minister.\n",
                                 encoding="utf-8")
    (folder / "c.html").write_bytes(b"\x00\x00binary")
    result = fails("extract", str(folder), "--yes")
    assert "a.txt: 3 claims added" in result.stdout and "b.md: 1 claim added" in result.stdout
    assert "c.html: " in result.stderr and "1 of 3 article(s) could not be read" in result.stderr
    assert rows(db_path, "SELECT count(*) FROM changes") == [(2,)]


def test_at_a_terminal_each_quote_is_accepted_skipped_or_the_review_stopped(article, db_path):
    add("x", "A")
    code, output = in_terminal("--db", str(db_path), "extract", str(article), "--published", "2024-02-21",
                               answers=["a", "s", "q"])
    assert code == 0, output
    assert "(1/3, confidence" in output and "Speaker: Zhou Hongyi, founder of 360 Security Technology" in output
    assert "Said:    19 February 2024" in output
    assert "1 claim added" in output
    assert rows(db_path, "SELECT text FROM claims WHERE id > 1") == [("a barrel of cold water poured down China's head",)]


def test_edit_opens_the_quote_in_the_editor_before_it_is_added(article, db_path, tmp_path):
    add("x", "A")
    editor = tmp_path / "editor.py"
    editor.write_text("import sys\np = sys.argv[1]\ns = open(p).read().replace('role: founder of 360 Security "
                      "Technology', 'role: chairman of 360')\nopen(p, 'w').write(s)\n", encoding="utf-8")
    code, output = in_terminal("--db", str(db_path), "extract", str(article), answers=["e", "q"],
                               env={"EDITOR": f"python3 {editor}"})
    assert code == 0, output
    assert rows(db_path, "SELECT role FROM claims WHERE id > 1") == [("chairman of 360",)]
