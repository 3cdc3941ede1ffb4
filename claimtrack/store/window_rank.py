"""Ranking a search's newest matches when exact BM25 would read too much of the index.

FTS5's bm25() weighs each phrase of a query by its rarity over the whole index, and works that out by reading
every row the phrase matches: for a phrase of very common words (`"a of"`) or several of them, that is most of
the index, whatever LIMIT says. When the query's words are that common, the newest matches (already found,
cheaply, newest first) are copied into a temporary full-text table of the same columns and tokenizer, and
ranked there by BM25 with the same weights: word rarity and average length measured over those claims.
"""

from __future__ import annotations

import re
import sqlite3

# Above this many index entries (estimated: the claims the query's words are in, word by word), a query is
# ranked among its newest matches. One word in nearly every claim of a million (`the`) is ranked exactly.
EXACT_RANK_MOST = 1_000_000
# The newest claims whose share of each word gives the estimate, and the most words estimated.
_SAMPLE = 10_000
_MOST_WORDS = 16
_WORDS = re.compile(r"(\w+)(\*?)")
_NOT_WORDS = {"AND", "OR", "NOT", "NEAR"}


def exact_rank_cost(conn: sqlite3.Connection, fts_query: str) -> int:
    """About how many index entries bm25() reads for FTS_QUERY: each word's claims, from its share of the newest."""
    words = [(w, star) for w, star in _WORDS.findall(_without_columns(fts_query)) if w not in _NOT_WORDS]
    if len(words) > _MOST_WORDS:
        return EXACT_RANK_MOST + 1  # (each word costs a look-up to estimate: beyond this many, assume the worst)
    newest = conn.execute("SELECT max(id) FROM claims").fetchone()[0] or 0
    sample = min(newest, _SAMPLE)
    total = 0
    for word, star in dict.fromkeys(words):
        term = f"{word}*" if star else '"' + word + '"'
        seen = conn.execute(
            "SELECT count(*) FROM claims_fts WHERE claims_fts MATCH :term AND rowid > :low",
            {"term": term, "low": newest - _SAMPLE},
        ).fetchone()[0]
        total += seen * newest // max(sample, 1)
    return total


def _without_columns(fts_query: str) -> str:
    """The query without column names (`text:` or `{text_grams context_grams} :`), which are not words."""
    if ":" not in fts_query:
        return fts_query
    # (\b: a long word is tried once, not from each of its letters)
    return re.sub(r"\{[^{}]*\}\s*:|\b\w+\s*:", " ", fts_query)


def rank_among(conn: sqlite3.Connection, ids: list[int], fts_query: str, rank: str) -> dict[int, float]:
    """BM25 of claims IDS (rows of claims_fts) for FTS_QUERY, over those claims alone; RANK is the claims_fts
    bm25() call whose weights apply."""
    _fill_window(conn, ids)
    window_rank = rank.replace("bm25(claims_fts", "bm25(search_window")
    return dict(conn.execute(
        f"SELECT rowid, {window_rank} FROM temp.search_window WHERE search_window MATCH :query",
        {"query": fts_query},
    ))


def matches_among(conn: sqlite3.Connection, ids: list[int], fts_query: str) -> list[int]:
    """Those of claims IDS that FTS_QUERY matches, newest recorded first: found in a temporary index of those
    claims alone, which costs the same for a common word as for a rare one (asking claims_fts for each id
    costs a seek into every word's entries per id)."""
    _fill_window(conn, ids)
    return [row[0] for row in conn.execute(
        "SELECT rowid FROM temp.search_window WHERE search_window MATCH :query ORDER BY rowid DESC",
        {"query": fts_query},
    )]


def _fill_window(conn: sqlite3.Connection, ids: list[int]) -> None:
    """The temporary index holds claims IDS, copied from claims_fts, and nothing else. It keeps no copy of their
    text (contentless), so emptying it is one step, not a removal of each row's words."""
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_window USING fts5(text, context, speaker, text_grams, "
        "context_grams, speaker_grams, tokenize = 'unicode61 remove_diacritics 2', content = '')"
    )
    conn.execute("INSERT INTO temp.search_window (search_window) VALUES ('delete-all')")
    conn.execute(
        "INSERT INTO temp.search_window (rowid, text, context, speaker, text_grams, context_grams, speaker_grams) "
        "SELECT rowid, text, context, speaker, text_grams, context_grams, speaker_grams FROM claims_fts "
        "WHERE rowid IN (SELECT value FROM json_each(:ids))",
        {"ids": "[" + ",".join(map(str, ids)) + "]"},
    )
