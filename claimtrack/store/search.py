"""Full-text search over claims: the query read as words or FTS5 syntax, ranked matches with their words marked."""

from __future__ import annotations

import sqlite3

from claimtrack.errors import ClaimtrackError
from claimtrack.model import MARK_END, MARK_START, SearchHit

_FTS_SYNTAX = set('"()*^:')
_FTS_OPERATORS = {"AND", "OR", "NOT", "NEAR"}


class SearchMixin:
    """The search half of the store."""

    def search(self, query: str, limit: int | None = None) -> list[SearchHit]:
        """Claims whose text, context or speaker names match QUERY, best first."""
        fts_query = to_fts_query(query)
        sql = (
            "SELECT rowid, bm25(claims_fts, 10.0, 2.0, 5.0) AS rank, "
            "highlight(claims_fts, 0, :start, :end) AS marked, snippet(claims_fts, -1, :start, :end, '…', 16) "
            "AS snippet FROM claims_fts WHERE claims_fts MATCH :query ORDER BY rank"
        )
        params: dict = {"start": MARK_START, "end": MARK_END, "query": fts_query}
        if limit is not None:
            sql += " LIMIT :limit"
            params["limit"] = limit
        try:
            rows = self.conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as error:
            raise ClaimtrackError(
                f"Cannot read the search query {query!r}: {error}. Put words in double quotes to search "
                "for them literally, or leave out the operators."
            ) from None
        return [SearchHit(self.claim(r["rowid"]), r["rank"], r["snippet"], r["marked"]) for r in rows]


def to_fts_query(query: str) -> str:
    """A plain query matches each word literally; one with FTS5 syntax is passed on as written."""
    text = query.strip()
    if not text:
        raise ClaimtrackError("The search query is empty. Give some words to search for.")
    if "\x00" in text:
        raise ClaimtrackError("The search query contains a NUL character. Remove it and try again.")
    if any(c in _FTS_SYNTAX for c in text) or _FTS_OPERATORS & set(text.split()):
        return text
    phrases = ['"' + chunk.replace('"', '""') + '"' for chunk in text.split() if any(c.isalnum() for c in chunk)]
    if not phrases:
        raise ClaimtrackError(f"The search query {query!r} has no words in it. Give some words to search for.")
    return " ".join(phrases)
