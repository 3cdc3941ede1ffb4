"""What a search that found nothing suggests: indexed words one letter away, speakers with close names.

Both read a bounded part of the database, however large: the index is asked whether each spelling one letter
away exists (it never counts a word's claims beyond a cap), and only speakers with a name word beginning as a
word of the query does, the nearest in alphabetical order, are compared.
"""

from __future__ import annotations

import sqlite3
import string

# The most spellings looked up for one search (about 290 for a five-letter word, 650 for a twelve-letter one):
# the first words of a long query only.
MOST_SPELLINGS = 1_500
# Claims counted for a close word, to put the commoner of two equally close words first.
_COUNT_MOST = 10_000
# Name words read either side of each query word, among those with its first two letters.
_NAME_WORDS_EACH_SIDE = 200
_LOOKUPS_A_STATEMENT = 200  # (SQLite allows 500 terms in a compound SELECT)


def close_words(conn: sqlite3.Connection, query: str) -> list[str]:
    """Indexed words one letter away from QUERY's words (inserted, dropped, changed, or two swapped), three at
    most a word: the closest first (difflib's ratio), the commoner of two equally close first."""
    import difflib
    import re

    from claimtrack import names

    words: list[str] = []
    budget = MOST_SPELLINGS
    for word in dict.fromkeys(names.fold(w) for w in re.findall(r"\w+", query)):
        # (a word has about 52 spellings a letter: one too long for the bound is not even spelt out)
        spellings = sorted(_one_letter_away(word)) if 2 <= len(word) <= MOST_SPELLINGS // 52 else []
        if not spellings or len(spellings) > budget or _indexed(conn, [word]):
            continue  # (a word the index holds needs no other spelling: another word found nothing)
        budget -= len(spellings)
        counts = {w: _claims_with(conn, w) for w in _indexed(conn, spellings)}
        close = sorted(counts, key=lambda w: (-round(difflib.SequenceMatcher(None, word, w).ratio(), 1),
                                              -counts[w], w))
        words += [w for w in close[:3] if w not in words]
    return words


def _one_letter_away(word: str) -> set[str]:
    """Every spelling one letter from WORD: a letter dropped, two neighbours swapped, a letter changed or added
    (a to z, the digits when WORD has some, and WORD's own letters)."""
    letters = set(string.ascii_lowercase) | set(word)
    if any(c.isdigit() for c in word):
        letters |= set(string.digits)
    letters = {c for c in letters if c.isalnum()}
    cuts = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    found = {head + tail[1:] for head, tail in cuts if tail}
    found |= {head + tail[1] + tail[0] + tail[2:] for head, tail in cuts if len(tail) > 1}
    found |= {head + c + tail[1:] for head, tail in cuts if tail for c in letters}
    found |= {head + c + tail for head, tail in cuts for c in letters}
    found.discard(word)
    return {w for w in found if len(w) >= 2}


def _indexed(conn: sqlite3.Connection, spellings: list[str]) -> list[str]:
    """The SPELLINGS the search index holds as words (each looked up in its list, none counted)."""
    found = []
    for start in range(0, len(spellings), _LOOKUPS_A_STATEMENT):
        chunk = spellings[start:start + _LOOKUPS_A_STATEMENT]
        sql = " UNION ALL ".join(
            "SELECT ? WHERE EXISTS (SELECT 1 FROM claims_fts WHERE claims_fts MATCH ?)" for _ in chunk
        )
        found += [row[0] for row in conn.execute(sql, [v for w in chunk for v in (w, '"' + w + '"')])]
    return found


def _claims_with(conn: sqlite3.Connection, word: str) -> int:
    """The claims with WORD, counted up to _COUNT_MOST."""
    return conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM claims_fts WHERE claims_fts MATCH ? LIMIT ?)",
        ('"' + word + '"', _COUNT_MOST),
    ).fetchone()[0]


def close_speakers(conn: sqlite3.Connection, query: str) -> list[str]:
    """Speakers whose name or an alias is close to QUERY (difflib's ratio of the folded, sorted names at least
    0.5), three at most, closest first; compared are the speakers with a name word beginning as one of QUERY's
    words does, the nearest in alphabetical order."""
    import difflib

    from claimtrack import names

    speaker_ids: set[int] = set()
    for word in names.name_words(query):
        low, high = word[:2], word[:2] + "\U0010ffff"
        for sql in ("SELECT speaker_id FROM name_words WHERE word >= :low AND word < :word ORDER BY word DESC LIMIT :n",
                    "SELECT speaker_id FROM name_words WHERE word >= :word AND word < :high ORDER BY word LIMIT :n"):
            speaker_ids.update(r[0] for r in conn.execute(
                sql, {"low": low, "high": high, "word": word, "n": _NAME_WORDS_EACH_SIDE}))
    if not speaker_ids:
        return []
    candidates: dict[str, str] = {}
    for display, key in conn.execute(
        "SELECT name, key FROM speakers WHERE id IN (SELECT value FROM json_each(:ids)) UNION ALL "
        "SELECT s.name, a.key FROM aliases a JOIN speakers s ON s.id = a.speaker_id "
        "WHERE a.speaker_id IN (SELECT value FROM json_each(:ids)) ORDER BY 1",
        {"ids": "[" + ",".join(map(str, sorted(speaker_ids))) + "]"},
    ):
        candidates.setdefault(key, display)
    close = difflib.get_close_matches(names.speaker_key(query), list(candidates), n=3, cutoff=0.5)
    return list(dict.fromkeys(candidates[key] for key in close))
