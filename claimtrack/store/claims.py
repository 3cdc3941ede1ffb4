"""Claims read back: one claim, every filter, and the rows they are made of (search: claimtrack.store.search)."""

from __future__ import annotations

import sqlite3

from claimtrack import names
from claimtrack.dates import PartialDate, from_parts
from claimtrack.errors import ClaimtrackError
from claimtrack.model import (
    DEFAULT_ATTRIBUTION, DEFAULT_VERDICT, Appearance, Claim, ClaimDraft, ClaimFilter,
)
from claimtrack.store.speakers import split_joined

# The standing of a claim as of a date: the latest change that had taken effect by then (retracted ones do not count).
_STANDING_AS_OF = (
    "coalesce((SELECT h.new FROM history h WHERE h.claim_id = c.id AND h.field = '{field}' "
    "AND h.effective_start <= :as_of AND h.retracted_at IS NULL ORDER BY h.effective_start DESC, h.at DESC, h.id DESC LIMIT 1), '{default}')"
)
# Evidence counts as of a date once published, or, undated, once added.
EVIDENCE_BY_THEN = (
    " AND coalesce((SELECT published_on FROM sources WHERE id = e.source_id), substr(e.added_at, 1, 10))"
    " <= :as_of"
)
_CLAIM_COLUMNS = """
    c.id, c.uuid, c.kind, c.text, c.speaker_id, c.role,
    c.said_on, c.said_precision, c.said_text, c.said_approximate, c.said_qualifier,
    c.context, c.note, c.created_at, c.updated_at, c.source_id,
    {verdict} AS verdict, {attribution} AS attribution,
    s.name AS speaker,
    src.url AS source_url, src.outlet, src.title, src.published_on, src.published_precision,
    src.published_text, src.published_approximate, src.published_qualifier, src.archived_url,
    (SELECT group_concat(t.name, char(31)) FROM claim_tags ct JOIN tags t ON t.id = ct.tag_id
     WHERE ct.claim_id = c.id) AS tags
"""
_CLAIM_JOINS = "JOIN speakers s ON s.id = c.speaker_id LEFT JOIN sources src ON src.id = c.source_id"


def _columns(as_of: bool) -> str:
    if not as_of:
        return _CLAIM_COLUMNS.format(verdict="c.verdict", attribution="c.attribution")
    return _CLAIM_COLUMNS.format(
        verdict=_STANDING_AS_OF.format(field="verdict", default=DEFAULT_VERDICT),
        attribution=_STANDING_AS_OF.format(field="attribution", default=DEFAULT_ATTRIBUTION),
    )


class ClaimsMixin:
    """The claims half of the store."""

    # -- reading -------------------------------------------------------------------------

    def claim(self, claim_id: int, *, full: bool = False) -> Claim:
        """The claim with id CLAIM_ID (FULL: with its evidence and history), or an error naming the id."""
        row = self.conn.execute(
            f"SELECT {_columns(False)} FROM claims c {_CLAIM_JOINS} WHERE c.id = :id", {"id": claim_id}
        ).fetchone()
        if row is None:
            raise ClaimtrackError(f"There is no claim with id {claim_id}. Find ids with claimtrack list.")
        claim = self._with_appearances([row])[0]
        if full:
            claim = claim._replace(evidence=tuple(self.evidence(claim_id)), history=tuple(self.history(claim_id)))
        return claim

    def claims(self, where: ClaimFilter, limit: int | None = None) -> list[Claim]:
        """Claims matching WHERE, newest said first, undated last."""
        if where.as_of is None:
            sql, params = _claims_query(where, limit)
            return self._with_appearances(self.conn.execute(sql, params).fetchall())
        # As of a date, the dated claims are one range of the date index, read from that date down;
        # the undated ones follow. (One query with an OR of the two would scan from the newest claim.)
        rows: list[sqlite3.Row] = []
        for part in ("dated", "undated"):
            left = None if limit is None else limit - len(rows)
            if left == 0:
                break
            sql, params = _claims_query(where, left, part)
            rows += self.conn.execute(sql, params).fetchall()
        return self._with_appearances(rows)

    def query_plan(self, where: ClaimFilter, limit: int | None = 50) -> list[str]:
        """How SQLite would run `claims(where)`: for checking that every filter uses an index."""
        parts = ("dated", "undated") if where.as_of is not None else (None,)
        plan = []
        for part in parts:
            sql, params = _claims_query(where, limit, part)
            plan += [row[3] for row in self.conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
        return plan

    def _with_appearances(self, rows: list[sqlite3.Row]) -> list[Claim]:
        """Claims from rows, each with its appearances: the first source, then the repeats in date order."""
        ids = [row["id"] for row in rows]
        repeats: dict[int, list[Appearance]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ", ".join("?" for _ in chunk)
            for r in self.conn.execute(
                "SELECT a.claim_id, src.url, src.outlet, src.title, src.published_on, src.published_precision, "
                "src.published_text, src.published_approximate, src.published_qualifier, src.archived_url "
                f"FROM appearances a JOIN sources src ON src.id = a.source_id WHERE a.claim_id IN ({marks}) "
                "ORDER BY src.published_on IS NULL, src.published_on, a.id",
                chunk,
            ):
                repeats.setdefault(r["claim_id"], []).append(_appearance(r))
        claims = []
        for row in rows:
            first = [_appearance(row)] if row["source_id"] is not None else []
            claims.append(_claim_from_row(row, tuple(first + repeats.get(row["id"], []))))
        return claims

    def find_duplicate(self, draft: ClaimDraft) -> int | None:
        """The id of a claim with the same text by the same speaker, if there is one."""
        speaker_id = self.find_speaker(draft.speaker)
        if speaker_id is None:
            return None
        key = names.words_key(draft.text)
        for claim_id, text in self.conn.execute(
            "SELECT id, text FROM claims WHERE speaker_id = ? AND text_key = ? ORDER BY id",
            (speaker_id, names.text_hash(draft.text)),
        ):
            if names.words_key(text) == key:
                return claim_id
        return None

def _claims_query(where: ClaimFilter, limit: int | None, part: str | None = None) -> tuple[str, dict]:
    """The SELECT behind `claims`: fixed fragments joined, every value a named parameter.

    PART narrows an --as-of filter to the "dated" or the "undated" claims it keeps.
    """
    source, conditions, params, order_column, id_column = claim_conditions(where, part)
    sql = f"SELECT {_columns(where.as_of is not None)} FROM {source} {_CLAIM_JOINS}"
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
    sql += f" ORDER BY {order_column} DESC, {id_column} DESC"
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    return sql, params


def claim_conditions(where: ClaimFilter, part: str | None = None) -> tuple[str, list[str], dict, str, str]:
    """FROM clause, WHERE conditions, parameters and order columns for a filter (joins: _CLAIM_JOINS)."""
    conditions: list[str] = []
    params: dict = {}
    if where.tag is not None:
        # Drive from the tag index: it holds said_start, so the range and the order come from it.
        source = "claim_tags k JOIN claims c ON c.id = k.claim_id"
        order_column, id_column = "k.said_start", "k.claim_id"
        conditions.append("k.tag_id = (SELECT id FROM tags WHERE name = :tag)")
        params["tag"] = names.tag_name(where.tag)
    else:
        source = "claims c"
        order_column, id_column = "c.said_start", "c.id"
    if where.speaker_id is not None:
        conditions.append("c.speaker_id = :speaker_id")
        params["speaker_id"] = where.speaker_id
    if where.kind is not None:
        conditions.append("c.kind = :kind")
        params["kind"] = where.kind
    if where.outlet is not None:
        conditions.append("c.source_id IN (SELECT id FROM sources WHERE outlet_key = :outlet)")
        params["outlet"] = names.fold(where.outlet)
    if where.since is not None:
        conditions.append(f"{order_column} >= :since")
        params["since"] = where.since
    if where.until is not None:
        conditions.append(f"{order_column} <= :until")
        params["until"] = where.until
    as_of = where.as_of is not None
    if as_of:
        params["as_of"] = where.as_of
        # Left out: claims said after the date, or undated ones published after it. A reduced ISO
        # date compares with a day as its first day does, so "2024-02" <= "2024-02-01".
        dated = f"{order_column} <= :as_of"
        undated = "c.said_start IS NULL AND (src.published_on IS NULL OR src.published_on <= :as_of)"
        conditions.append({"dated": dated, "undated": undated}.get(part, f"({dated} OR ({undated}))"))
    for field, default in (("verdict", DEFAULT_VERDICT), ("attribution", DEFAULT_ATTRIBUTION)):
        wanted = getattr(where, field)
        if wanted is not None:
            column = _STANDING_AS_OF.format(field=field, default=default) if as_of else f"c.{field}"
            conditions.append(f"{column} = :{field}")
            params[field] = wanted
    if where.verification == "none":
        conditions.append("NOT EXISTS (SELECT 1 FROM verifications v WHERE v.claim_id = c.id AND v.latest = 1)")
    elif where.verification is not None:
        conditions.append("c.id IN (SELECT claim_id FROM verifications WHERE latest = 1 AND result = :verification)")
        params["verification"] = where.verification
    if where.changed_by is not None or where.changed_since is not None:
        # Driven from the history's author or time index (m018), never from every claim's history.
        changed = [f"{column} {test}" for column, test, value in (
            ("author", "= :changed_by", where.changed_by), ("at", ">= :changed_since", where.changed_since),
        ) if value is not None]
        conditions.append(f"c.id IN (SELECT claim_id FROM history WHERE {' AND '.join(changed)})")
        params.update(changed_by=where.changed_by, changed_since=where.changed_since)
    if where.has_evidence is not None:
        by_then = EVIDENCE_BY_THEN if as_of else ""
        exists = f"EXISTS (SELECT 1 FROM evidence e WHERE e.claim_id = c.id{by_then})"
        conditions.append(exists if where.has_evidence else f"NOT {exists}")
    return source, conditions, params, order_column, id_column


def published_from(row: sqlite3.Row) -> PartialDate | None:
    """The publication date of the source columns in ROW."""
    return from_parts(row["published_on"], row["published_precision"], row["published_approximate"],
                      row["published_qualifier"], row["published_text"])


def _appearance(row: sqlite3.Row) -> Appearance:
    return Appearance(row["source_url"] if "source_url" in row.keys() else row["url"], row["outlet"],
                      row["title"], published_from(row), row["archived_url"])


def _claim_from_row(row: sqlite3.Row, appearances: tuple[Appearance, ...]) -> Claim:
    return Claim(
        id=row["id"],
        uuid=row["uuid"],
        kind=row["kind"],
        text=row["text"],
        speaker=row["speaker"],
        speaker_id=row["speaker_id"],
        role=row["role"],
        said=from_parts(row["said_on"], row["said_precision"], row["said_approximate"],
                        row["said_qualifier"], row["said_text"]),
        source_url=row["source_url"],
        outlet=row["outlet"],
        title=row["title"],
        published=published_from(row),
        tags=tuple(sorted(split_joined(row["tags"]))),
        context=row["context"],
        note=row["note"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        verdict=row["verdict"],
        attribution=row["attribution"],
        appearances=appearances,
    )
