"""search in every script: words inside Chinese, Japanese and Thai runs found, ranked and marked; prefixes read
from the index's prefix lists; the indexes kept in step through undo, imports and upgrades."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
from hypothesis import given, strategies as st

from claimtrack.model import MARK_END, MARK_START
from claimtrack.scripts import gram_tokens, grams, has_unspaced, mark_runs
from conftest import add, ok


def found(*args: str) -> list[int]:
    return [h["id"] for h in json.loads(ok("search", *args, "--json").stdout)]


def fts_integrity(path, table: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")
    conn.close()


def test_a_prefix_search_finds_every_word_it_begins_from_the_prefix_index(db_path):
    add("chips made in China", "Zhou Hongyi")
    add("a chilly morning", "Yann LeCun")
    add("the cheapest option", "Yann LeCun")
    add("Chinese exports", "Li Wei", "--context", "chiefly steel")
    assert sorted(found("chi*")) == [1, 2, 4]
    assert sorted(found("ch*")) == [1, 2, 3, 4]
    assert sorted(found("chin*")) == [1, 4]
    assert sorted(found("CHÍ*")) == [1, 2, 4]  # accents and case as for whole words
    conn = sqlite3.connect(db_path)
    assert "prefix = '2 3'" in conn.execute("SELECT sql FROM sqlite_master WHERE name = 'claims_fts'").fetchone()[0]
    conn.close()


def test_an_upgraded_database_gets_the_prefix_index_and_keeps_every_claim_findable(tmp_path, fixtures):
    for dump in sorted(fixtures.glob("schema-v*.sql")):
        path = tmp_path / f"{dump.stem}.db"
        conn = sqlite3.connect(path)
        conn.executescript(dump.read_text(encoding="utf-8"))
        before = conn.execute("SELECT id, text FROM claims ORDER BY id").fetchall()
        conn.close()
        assert sorted((c["id"], c["text"]) for c in json.loads(ok("--db", str(path), "list", "--json").stdout)) == before
        for claim_id, text in before:
            word = max(text.split(), key=len).strip(".,;:!?\"'()“”").lower()
            hits = [h["id"] for h in json.loads(ok("--db", str(path), "search", word[:3] + "*", "--json").stdout)]
            assert claim_id in hits, (word, hits)
        conn = sqlite3.connect(path)
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'claims_fts'").fetchone()[0]
        assert "prefix = '2 3'" in sql
        assert conn.execute("SELECT count(*) FROM claims_fts").fetchone()[0] == len(before)
        assert conn.execute("SELECT count(*) FROM claims_vocab").fetchone()[0] > 0
        conn.close()
        fts_integrity(path, "claims_fts")


# -- words inside Chinese, Japanese and Thai text -----------------------------------------------------
# Sentences written for these tests (no one said them), by made-up speakers.



def marked(*args: str) -> list[tuple[int, str]]:
    """(id, text with matches in **) for each row of a search, in a pipe."""
    lines = ok("search", *args).stdout.splitlines()
    return [(int(line.split("\t")[0]), line.split("\t")[3]) for line in lines]


def index_in_step(path) -> None:
    """FTS5's own check, and every claim's pieces as claimtrack.scripts cuts them now."""
    fts_integrity(path, "claims_fts")
    conn = sqlite3.connect(path)
    for text, context, speaker, *stored in conn.execute(
            "SELECT text, context, speaker, text_grams, context_grams, speaker_grams FROM claims_fts"):
        assert stored == [grams(text), grams(context), grams(speaker)], text
    assert conn.execute("SELECT count(*) FROM claims_fts").fetchone()[0] == \
        conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    conn.close()


@pytest.fixture
def scripts(db_path):
    add("新的规则明天开始实施，人工智能芯片的出口将受到限制", "王经理")         # 1
    add("人工智能的发展很快，人工智能的应用也很多", "Example Analyst")        # 2
    add("東京の天気は明日も晴れるでしょう", "田中さん", "--context", "天気予報のテスト")  # 3
    add("ภาษาไทยเป็นภาษาที่สวยงามมาก", "Example Teacher")                   # 4
    add("Le café est fermé; AI芯片 rules were announced", "Example Reporter")  # 5
    add("artificial intelligence chips face export rules", "Example Reporter")  # 6
    return db_path


def test_a_chinese_substring_is_found_ranked_and_marked(scripts):
    # Any two or more characters inside a run; the claim that holds the words twice ranks first.
    assert marked("人工智能") == [(2, "**人工智能**的发展很快，**人工智能**的应用也很多"),
                                 (1, "新的规则明天开始实施，**人工智能**芯片的出口将受到限制")]
    assert marked("芯片") == [(1, "新的规则明天开始实施，人工智能**芯片**的出口将受到限制"),
                              (5, "Le café est fermé; AI**芯片** rules were announced")] or \
        sorted(marked("芯片")) == [(1, "新的规则明天开始实施，人工智能**芯片**的出口将受到限制"),
                                   (5, "Le café est fermé; AI**芯片** rules were announced")]
    assert [i for i, _ in marked("出口将")] == [1]
    assert marked("智能芯片的出口") == [(1, "新的规则明天开始实施，人工**智能芯片的出口**将受到限制")]
    assert marked("芯片人工") == []  # the pieces must follow each other
    # A speaker's name inside their name, and words with English around them.
    assert [i for i, _ in marked("经理")] == [1]
    assert [i for i, _ in marked("rules 芯片")] == [5]
    assert [i for i, _ in marked("AI芯片")] == [5]
    assert [i for i, _ in marked("ai")] == [5]


def test_japanese_and_thai_words_are_found_inside_their_runs(scripts):
    assert marked("天気") == [(3, "東京の**天気**は明日も晴れるでしょう")]
    assert marked("晴れる") == [(3, "東京の天気は明日も**晴れる**でしょう")]
    hit = json.loads(ok("search", "予報", "--json").stdout)
    assert [h["id"] for h in hit] == [3] and hit[0]["snippet"] == "天気**予報**のテスト"  # (in the context)
    assert [i for i, _ in marked("田中")] == [3]
    # Thai keeps its vowel and tone marks with their letters.
    assert marked("ที่สวย") == [(4, "ภาษาไทยเป็นภาษา**ที่สวย**งามมาก")]
    assert marked("ภาษา") == [(4, "**ภาษา**ไทยเป็น**ภาษา**ที่สวยงามมาก")]
    assert marked("สวยงามมาก") == [(4, "ภาษาไทยเป็นภาษาที่**สวยงามมาก**")]


def test_accents_and_case_still_do_not_matter_and_english_is_as_before(scripts):
    assert [i for i, _ in marked("CAFE 芯片")] == [5]
    assert marked("export RULES") == [(6, "artificial intelligence chips face **export** **rules**")]
    assert [i for i, _ in marked("ｱｲ")] == []  # half-width kana folded like full-width: no such words here
    ok("add", "--speaker", "Example Reporter", "--", "ハーフ幅のテスト")
    assert [i for i, _ in marked("ﾊｰﾌ")] == [7]


def test_undo_of_an_add_an_edit_and_a_delete_keeps_the_pieces_in_step(scripts):
    index_in_step(scripts)
    ok("add", "--speaker", "新华社记者", "--", "记者会见在北京举行")
    index_in_step(scripts)
    assert [i for i, _ in marked("会见")] == [7]
    ok("edit", "7", "--text", "记者会见改在上海举行")
    index_in_step(scripts)
    assert marked("北京") == [] and [i for i, _ in marked("上海")] == [7]
    ok("delete", "1", "--yes")
    index_in_step(scripts)
    assert [i for i, _ in marked("芯片")] == [5]
    ok("undo", "--yes")
    index_in_step(scripts)
    assert sorted(i for i, _ in marked("芯片")) == [1, 5]
    ok("undo", "--yes")
    index_in_step(scripts)
    assert [i for i, _ in marked("北京")] == [7] and marked("上海") == []
    ok("undo", "--yes")
    index_in_step(scripts)
    assert marked("会见") == []
    ok("redo", "--yes")
    index_in_step(scripts)
    assert [i for i, _ in marked("新华")] == [7]  # (the speaker's name)


def test_a_renamed_speaker_and_an_imported_file_are_cut_into_pieces_too(scripts, tmp_path):
    ok("speakers", "rename", "王经理", "王总经理")
    index_in_step(scripts)
    assert [i for i, _ in marked("总经理")] == [1]
    exported = tmp_path / "out.jsonl"
    exported.write_text(ok("export", "--format", "jsonl").stdout, encoding="utf-8")
    other = tmp_path / "other.db"
    ok("--db", str(other), "import", str(exported))
    index_in_step(other)
    found = json.loads(ok("--db", str(other), "search", "天気", "--json").stdout)
    assert [h["text"] for h in found] == ["東京の天気は明日も晴れるでしょう"]


def test_an_upgraded_database_gets_the_pieces_and_keeps_its_claims(tmp_path, fixtures):
    path = tmp_path / "v5.db"
    conn = sqlite3.connect(path)
    conn.executescript((fixtures / "schema-v5.sql").read_text(encoding="utf-8"))
    # A claim in Chinese, as an older claimtrack indexed it (the dump holds no triggers).
    for table, key in (("claims", "id"), ("claims_fts", "rowid")):
        conn.execute(f"UPDATE {table} SET text = '一个测试句子，人工智能' WHERE {key} = 1")
    conn.commit()
    # Every column as it was (but text_key, which schema 8 computes anew).
    columns = ", ".join(c[1] for c in conn.execute("PRAGMA table_info(claims)") if c[1] != "text_key")
    before = conn.execute(f"SELECT {columns} FROM claims ORDER BY id").fetchall()
    conn.close()
    assert [h["id"] for h in json.loads(ok("--db", str(path), "search", "智能", "--json").stdout)] == [1]
    index_in_step(path)
    conn = sqlite3.connect(path)
    assert conn.execute(f"SELECT {columns} FROM claims ORDER BY id").fetchall() == before
    conn.close()


# -- the pieces themselves --------------------------------------------------------------------------

_HAN = st.sampled_from("人工智能芯片出口规则天気晴東京の")
_WORDS = st.lists(st.one_of(st.text(_HAN, min_size=1, max_size=8), st.sampled_from(["AI", "chips", " ", "，"])),
                  max_size=8).map("".join)


@given(_WORDS, st.data())
def test_every_substring_of_a_run_is_the_phrase_of_consecutive_pieces(text, data):
    held = grams(text)
    assert held == "" or has_unspaced(text)
    runs = [r for r in re.findall("[人工智能芯片出口规则天気晴東京の]+", text) if len(r) >= 2]
    if runs:
        run = data.draw(st.sampled_from(runs))
        start = data.draw(st.integers(0, len(run) - 2))
        end = data.draw(st.integers(start + 2, len(run)))
        assert f" {' '.join(gram_tokens(run[start:end]))} " in f" {held} "


@given(_WORDS, st.lists(st.text(_HAN, min_size=2, max_size=3), max_size=3))
def test_marking_runs_only_adds_marks_around_what_was_asked(text, runs):
    result = mark_runs(text, runs)
    assert result.replace(MARK_START, "").replace(MARK_END, "") == text
    for piece in result.split(MARK_START)[1:]:
        assert any(r in piece.split(MARK_END)[0] for r in runs)


def test_text_written_by_another_program_is_cut_into_pieces_by_the_next_claimtrack_write(scripts):
    # The triggers need nothing but SQLite: another program's write goes through, and notes the claim.
    conn = sqlite3.connect(scripts)
    with conn:
        conn.execute("UPDATE claims SET text = '会议推迟到下周举行' WHERE id = 6")
        conn.execute("INSERT INTO aliases (speaker_id, alias, key) SELECT speaker_id, '报道员', '报道员' FROM claims "
                     "WHERE id = 6")
    conn.close()
    assert marked("下周") == []  # (not cut yet)
    ok("verdict", "1", "mixed")
    index_in_step(scripts)
    assert marked("下周") == [(6, "会议推迟到**下周**举行")]
    assert sorted(i for i, _ in marked("道员")) == [5, 6]
