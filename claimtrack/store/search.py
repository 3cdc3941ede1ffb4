"""Full-text search over claims: the query read as words or FTS5 syntax, ranked matches with their words marked.

Ranking is bounded: the matches are read newest recorded first (highest claim id), and the first RANKED
of them are ordered by BM25; any older matches follow, newest first. When fewer claims match, all are
ranked: exact BM25. So the cost of a search grows with the rows it shows, not with how common its words are.
"""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

from claimtrack.errors import ClaimtrackError
from claimtrack.model import MARK_END, MARK_START, ClaimFilter, EvidenceMatch, SearchHit, SearchResults
from claimtrack.store.claims import claim_conditions
from claimtrack.store.window_rank import EXACT_RANK_MOST, exact_rank_cost, matches_among, rank_among

# How many of the most recently recorded matches are ranked by BM25.
RANKED = 1000
# A filter that keeps fewer claims than this is read whole, by its index, and the search's matches are found
# among its claims (newest_kept_matches); a broader one is checked on each match, newest first (it keeps at
# least 1 in 50 claims of a million, so few matches are read before RANKED pass it).
FILTER_READ_WHOLE = 20_000
# The newest claims a filter keeps are searched first in a temporary index of their own (WINDOW of them);
# while the share that matches says the missing matches are among the next ones, more are, up to WINDOW_MOST
# in all. Past that the query's words are rarer among them: the full-text index's older matches are checked
# against the filter, and they are few.
WINDOW = 2_000
WINDOW_MOST = 4_000
_FTS_SYNTAX = set('"()*^:')
_GRAM_COLUMNS = "text_grams context_grams speaker_grams"
_FTS_OPERATORS = {"AND", "OR", "NOT", "NEAR"}


class SearchMixin:
    """The search half of the store."""

    def search(self, query: str, where: ClaimFilter | None = None, limit: int | None = None,
               within: str = "claims", exact_rank_most: int = EXACT_RANK_MOST) -> SearchResults:
        """Claims whose text, context or speaker names match QUERY (and WHERE), best first.

        WITHIN "evidence": the claims that evidence matching QUERY (quoted passage, note, source title) bears
        on, each with the evidence that matched; "all": both, a claim ranked by its better match.
        EXACT_RANK_MOST: see store.window_rank.
        """
        fts_query = to_fts_query(query)
        evidence_query = to_fts_query(query, grams=False)
        found: dict[int, float | None] = {}
        complete = True
        try:
            for index in (CLAIMS, EVIDENCE) if within == "all" else (EVIDENCE,) if within == "evidence" else (CLAIMS,):
                # (evidence_fts holds no pieces of unspaced text: there, a run is matched as a whole word)
                matches, whole = self._matches(index, fts_query if index is CLAIMS else evidence_query, where, limit,
                                               exact_rank_most)
                complete &= whole
                for claim_id, rank in matches:
                    if claim_id not in found or (rank is not None and (found[claim_id] is None or rank < found[claim_id])):
                        found[claim_id] = rank
        except sqlite3.OperationalError as error:
            raise ClaimtrackError(
                f"Cannot read the search query {query!r}: {error}. Put words in double quotes to search "
                "for them literally, or leave out the operators."
            ) from None
        # Best first, equal ranks newest first; then the unranked, newest first.
        ids = sorted(found.items(), key=lambda item: (item[1] is None, item[1] or 0.0, -item[0]))
        if limit is not None:
            ids = ids[:limit]
        runs = unspaced_runs(query, fts_query)
        evidence = evidence_query if within != "claims" else None
        return SearchResults([self._hit(claim_id, rank, fts_query, runs, evidence) for claim_id, rank in ids],
                             complete)

    def _matches(self, index: _Index, fts_query: str, where: ClaimFilter | None, limit: int | None,
                 exact_rank_most: int = EXACT_RANK_MOST) -> tuple[list[tuple[int, float | None]], bool]:
        """The claims INDEX finds for the query, as (claim id, rank): the RANKED matches recorded last with
        their BM25 rank, then older ones (rank None, newest first) up to LIMIT claims; and whether all were ranked.
        When bm25() would read more than EXACT_RANK_MOST index entries, the BM25 is over the ranked matches alone."""
        plan = self._search_plan(where, index)
        params = {**plan.params, "query": fts_query}
        window = {**params, "window": RANKED + 1}  # one more tells whether any match is left unranked
        if plan.kept is not None:
            # Within a filter: its newest matches, ranked among themselves.
            newest = self._newest_kept_matches(plan.kept, fts_query)
            ranks = rank_among(self.conn, newest[:RANKED], fts_query, index.rank)
            ranked = [(row_id, ranks.get(row_id, 0.0), row_id) for row_id in newest]
        elif index is CLAIMS and exact_rank_cost(self.conn, fts_query) > exact_rank_most:
            # Words this common: the newest matches are found without ranks, then ranked among themselves.
            newest = self.conn.execute(plan.sql.format(rank="NULL", before="") + " LIMIT :window", window).fetchall()
            ranks = rank_among(self.conn, [row[0] for row in newest[:RANKED]], fts_query, index.rank)
            ranked = [(row_id, ranks.get(row_id, 0.0), claim_id) for row_id, _, claim_id in newest]
        else:
            ranked = self.conn.execute(plan.sql.format(rank=index.rank, before="") + " LIMIT :window", window).fetchall()
        complete = len(ranked) <= RANKED
        ranked = ranked[:RANKED]
        found = [(claim_id, rank) for _, rank, claim_id in ranked]
        claims = {claim_id for claim_id, _ in found}
        wanted = None if limit is None else limit - len(claims)
        if not complete and (wanted is None or wanted > 0):
            older = plan.sql.format(rank="NULL", before="AND f.rowid < :before ")
            # Rows are matches (several pieces of evidence may bear on one claim): read until enough claims.
            for _, _, claim_id in self.conn.execute(older, {**params, "before": ranked[-1][0]}):
                if claim_id not in claims:
                    claims.add(claim_id)
                    found.append((claim_id, None))
                    if wanted is not None and len(claims) >= limit:
                        break
        return found, complete

    def _newest_kept_matches(self, kept: list[int], fts_query: str) -> list[int]:
        """The RANKED + 1 newest of claims KEPT (newest first) that FTS_QUERY matches, newest first.

        A word in many of them is found by searching the newest in a temporary index (a few milliseconds a
        thousand claims, whatever the word); a rarer one by reading its older matches in the full-text index
        and keeping those in the list (a tenth of a microsecond a match, and a rare word has few)."""
        found: list[int] = []
        read, size = 0, WINDOW
        while read < len(kept):
            part = kept[read:read + size]
            found += matches_among(self.conn, part, fts_query)
            read += len(part)
            missing = RANKED + 1 - len(found)
            if missing <= 0:
                return found[:RANKED + 1]
            # At the share matched so far, the claims still to read for the missing matches.
            more = missing * read // len(found) + 1 if found else WINDOW_MOST
            if read + more > WINDOW_MOST:
                break
            size = min(more + more // 4, WINDOW_MOST - read)
        if read < len(kept):
            found += [row[0] for row in self.conn.execute(
                "SELECT f.rowid FROM claims_fts f WHERE claims_fts MATCH :query AND f.rowid < :before "
                "AND +f.rowid IN (SELECT value FROM json_each(:rest)) ORDER BY f.rowid DESC LIMIT :missing",
                {"query": fts_query, "before": kept[read - 1], "missing": RANKED + 1 - len(found),
                 "rest": "[" + ",".join(map(str, kept[read:])) + "]"},
            )]
        return found

    def _hit(self, claim_id: int, rank: float | None, fts_query: str, runs: list[str],
             evidence_query: str | None = None) -> SearchHit:
        """One row shown: its claim, and the matching words marked (worked out for the rows shown only); with
        EVIDENCE_QUERY, the claim's evidence that matches it."""
        claim = self.claim(claim_id)
        row = self.conn.execute(
            "SELECT highlight(claims_fts, 0, :start, :end), highlight(claims_fts, 1, :start, :end), "
            "highlight(claims_fts, 2, :start, :end), snippet(claims_fts, 0, :start, :end, '…', 16), "
            "snippet(claims_fts, 1, :start, :end, '…', 16), snippet(claims_fts, 2, :start, :end, '…', 16) "
            "FROM claims_fts WHERE claims_fts MATCH :query AND rowid = :id",
            {"start": MARK_START, "end": MARK_END, "query": fts_query, "id": claim_id},
        ).fetchone()
        if row is None:  # (found by its evidence only)
            marked, snippet = claim.text, claim.text
        else:
            from claimtrack.scripts import mark_runs, window

            columns = [mark_runs(text, runs) for text in row[:3]]
            marked = columns[0]
            # The first of text, context and speaker names with a match: FTS5's snippet of it, or, for words
            # found inside unspaced text (which FTS5 does not see), the text around the first of them.
            snippets = [window(text) if runs else snippet for text, snippet in zip(columns, row[3:])]
            snippet = next((piece for piece in snippets if MARK_START in piece), snippets[0])
        matched = ()
        if evidence_query is not None:
            matched = tuple(EvidenceMatch(*r) for r in self.conn.execute(
                "SELECT e.id, e.stance, snippet(evidence_fts, -1, :start, :end, '…', 16) FROM evidence_fts f "
                "JOIN evidence e ON e.id = f.rowid WHERE evidence_fts MATCH :query "
                "AND f.rowid IN (SELECT id FROM evidence WHERE claim_id = :id) ORDER BY e.id",
                {"start": MARK_START, "end": MARK_END, "query": evidence_query, "id": claim_id},
            ))
        return SearchHit(claim, rank, snippet, marked, matched)

    def _search_plan(self, where: ClaimFilter | None, index: _Index | None = None) -> _Plan:
        """The statement that reads INDEX's matches newest first, as (row id, rank, claim id): {rank} and
        {before} left to fill."""
        index = index or CLAIMS
        select = f"SELECT f.rowid, {{rank}}, {index.claim} FROM {index.table} f"
        match = f"{index.table} MATCH :query"
        order = "ORDER BY f.rowid DESC"
        if where is None or where == ClaimFilter():
            return _Plan(f"{select} WHERE {match} {{before}}{order}", {})
        source, conditions, params, order_column, id_column = claim_conditions(where)
        if id_column != "c.id" and not any("c." in condition for condition in conditions):
            source = "claim_tags k"  # a tag (and dates) alone: the tag index holds all it needs
        if any("src." in condition for condition in conditions):  # (as of a date, undated claims by publication)
            source += " LEFT JOIN sources src ON src.id = c.source_id"
        # In the order list reads them: SQLite then picks the index list uses (the tag's, when there is one).
        kept = f"SELECT {id_column} FROM {source} WHERE " + " AND ".join(conditions) + f" ORDER BY {order_column}"
        sql = f"{kept} LIMIT :most"
        ids = [row[0] for row in self.conn.execute(sql, {**params, "most": FILTER_READ_WHOLE})]
        if len(ids) < FILTER_READ_WHOLE:
            # The unary + keeps the list out of the full-text index's hands: one pass over the matches,
            # each looked up in the list SQLite builds once (asking the index row by row would seek into
            # each word's entries again for every row).
            return _Plan(f"{select} WHERE {match} AND +{index.claim} IN ({kept}) {{before}}{order}", params,
                         sorted(ids, reverse=True) if index is CLAIMS else None)
        # Each match, newest first, is looked up by its id until enough pass the filter.
        kept_here = f"SELECT 1 FROM {source} WHERE {id_column} = {index.claim} AND " + " AND ".join(conditions)
        return _Plan(f"{select} WHERE {match} AND EXISTS ({kept_here}) {{before}}{order}", params)

    def search_plan(self, where: ClaimFilter | None) -> list[str]:
        """How SQLite would run `search` with WHERE: for checking that a filter is read by its indexes."""
        plan = self._search_plan(where)
        sql = plan.sql.format(rank=CLAIMS.rank, before="") + " LIMIT 1000"
        return [row[3] for row in self.conn.execute("EXPLAIN QUERY PLAN " + sql, {**plan.params, "query": '"x"'})]


    def suggestions(self, query: str) -> tuple[list[str], list[str]]:
        """For a search that found nothing: indexed words close to QUERY's words, and speakers with close names
        (store.suggest: each reads a bounded part of the database)."""
        from claimtrack.store.suggest import close_speakers, close_words

        return close_words(self.conn, query), close_speakers(self.conn, query)


class _Index(NamedTuple):
    """A full-text index searched: its table, its rank, and the claim a row of it bears on."""

    table: str
    rank: str
    claim: str


# Weights: text, context, speaker names; for evidence: quoted passage, note, source title.
# The pieces of unspaced text weigh as the text, context and names they come from.
CLAIMS = _Index("claims_fts", "bm25(claims_fts, 10.0, 2.0, 5.0, 10.0, 2.0, 5.0)", "f.rowid")
EVIDENCE = _Index("evidence_fts", "bm25(evidence_fts, 10.0, 3.0, 5.0)",
                  "(SELECT claim_id FROM evidence WHERE id = f.rowid)")


class _Plan:
    """A search statement and its parameters; KEPT: the claims a filter keeps, newest first, when it keeps
    fewer than FILTER_READ_WHOLE and the claims' own index is searched (their matches are then found by
    _newest_kept_matches; evidence matches are checked against the filter by the statement)."""

    def __init__(self, sql: str, params: dict, kept: list[int] | None = None):
        self.sql = sql
        self.params = params
        self.kept = kept


def to_fts_query(query: str, grams: bool = True) -> str:
    """A plain query matches each word literally; one with FTS5 syntax is passed on as written. GRAMS: a run of
    unspaced text (Chinese, Japanese, Thai) is found inside longer runs, by the index's pieces of them."""
    text = query.strip()
    if not text:
        raise ClaimtrackError("The search query is empty. Give some words to search for.")
    if "\x00" in text:
        raise ClaimtrackError("The search query contains a NUL character. Remove it and try again.")
    if any(c in _FTS_SYNTAX for c in text) or _FTS_OPERATORS & set(text.split()):
        return text
    grams = grams and not text.isascii()  # (most queries: claimtrack.scripts is not even imported)
    if grams:
        from claimtrack.scripts import gram_tokens, has_unspaced, query_runs
    phrases = []
    for chunk in text.split():
        if not grams or not has_unspaced(chunk):
            if any(c.isalnum() for c in chunk):
                phrases.append(_phrase(chunk))
            continue
        # A run of Chinese, Japanese or Thai is the phrase of its two-character pieces, found in the pieces'
        # columns; the rest of the word, a word.
        for kind, piece in query_runs(chunk):
            phrases.append(f"{{{_GRAM_COLUMNS}}} : {_phrase(' '.join(gram_tokens(piece)))}" if kind == "grams"
                           else _phrase(piece))
    if not phrases:
        raise ClaimtrackError(f"The search query {query!r} has no words in it. Give some words to search for.")
    return " ".join(phrases)


def _phrase(words: str) -> str:
    return '"' + words.replace('"', '""') + '"'


def unspaced_runs(query: str, fts_query: str) -> list[str]:
    """The runs of unspaced text (two characters or more) that QUERY, read as FTS_QUERY, looks for."""
    if _GRAM_COLUMNS not in fts_query:  # (none, or a query in FTS5 syntax: passed on as written)
        return []
    from claimtrack.scripts import query_runs

    return [piece for chunk in query.split() for kind, piece in query_runs(chunk) if kind == "grams"]
