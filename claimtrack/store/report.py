"""The queries behind the citation report: claims in group order, a chunk at a time, and the counts."""

from __future__ import annotations

from typing import Iterator

from claimtrack.dates import from_parts
from claimtrack.model import VERDICTS, Change, Claim, ClaimFilter
from claimtrack.store.claims import (
    _CLAIM_JOINS, _STANDING_AS_OF, EVIDENCE_BY_THEN, _columns, claim_conditions,
)
from claimtrack.store.export import CHUNK
from claimtrack.store.standing import _EVIDENCE_COLUMNS, _evidence


def _marks(ids: list[int]) -> str:
    """Named placeholders :r0, :r1, ... for IDS (passed as r0=..., r1=...)."""
    return ", ".join(f":r{n}" for n in range(len(ids)))


# The identity of a source in a report: its page, or for a page without URL what is known of it.
SOURCE_KEY = (
    "coalesce(url_key, 'no-url|' || ifnull(outlet, '') || '|' || ifnull(title, '') || '|' || ifnull(published_on, ''))"
)


class ReportMixin:
    """Reading claims for the report."""

    def report_claims(self, where: ClaimFilter, group_by: str) -> Iterator[tuple[str | None, Claim]]:
        """(group, claim) pairs in report order: groups in order, claims oldest said first, undated last."""
        source, conditions, params, _, _ = claim_conditions(where)
        verdict = (_STANDING_AS_OF.format(field="verdict", default="unverified")
                   if where.as_of else "c.verdict")
        group, extra_join, group_order = {
            "speaker": ("CAST(c.speaker_id AS TEXT)", "", "s.name COLLATE NOCASE, c.speaker_id"),
            "outlet": ("src.outlet", "", "src.outlet IS NULL, src.outlet_key"),
            "tag": ("gt.name", "LEFT JOIN claim_tags gct ON gct.claim_id = c.id LEFT JOIN tags gt ON gt.id = gct.tag_id",
                    "gt.name IS NULL, gt.name"),
            "verdict": (verdict, "", "CASE " + " ".join(
                f"WHEN {verdict} = '{v}' THEN {n}" for n, v in enumerate(VERDICTS)) + " END"),
            "none": ("NULL", "", "1"),
        }[group_by]
        sql = f"SELECT c.id, {group} AS grp FROM {source} {_CLAIM_JOINS} {extra_join}"
        if conditions:
            sql += " WHERE " + " AND ".join(conditions)
        sql += f" ORDER BY {group_order}, c.said_start IS NULL, c.said_start, c.id"
        cursor = self.conn.execute(sql, params)
        cards: dict[str, object] = {}
        while rows := cursor.fetchmany(CHUNK):
            claims = self._full_claims([r[0] for r in rows], where.as_of)
            for claim_id, grp in rows:
                if group_by == "speaker":
                    # A speaker's section opens with their card: name, role, aliases.
                    if grp not in cards:
                        cards.clear()
                        cards[grp] = self.speakers(only=int(grp))[0]
                    yield cards[grp], claims[claim_id]
                else:
                    yield grp, claims[claim_id]

    def _full_claims(self, ids: list[int], as_of: str | None) -> dict[int, Claim]:
        """Claims with their evidence (published by AS_OF, when given), by id."""
        marks = ", ".join("?" for _ in ids)
        params: dict = {f"i{n}": i for n, i in enumerate(ids)}
        named = ", ".join(f":i{n}" for n in range(len(ids)))
        if as_of:
            params["as_of"] = as_of
        rows = self.conn.execute(
            f"SELECT {_columns(as_of is not None)} FROM claims c {_CLAIM_JOINS} WHERE c.id IN ({named})", params
        ).fetchall()
        claims = {c.id: c for c in self._with_appearances(rows)}
        evidence: dict[int, list] = {}
        for row in self.conn.execute(
            f"SELECT {_EVIDENCE_COLUMNS} FROM evidence e JOIN sources src ON src.id = e.source_id "
            f"WHERE e.claim_id IN ({marks}) ORDER BY coalesce(src.published_on, substr(e.added_at, 1, 10)), e.id",
            ids,
        ):
            item = _evidence(row)
            if as_of and (item.published.value if item.published else item.added_at[:10]) > as_of:
                continue
            evidence.setdefault(item.claim_id, []).append(item)
        for items in evidence.values():
            items[:] = self.with_retractions(items)
        # The verdict and attribution changes in effect by then, for their notes (retracted ones too, marked).
        history: dict[int, list] = {}
        by_then = " AND h.effective_start <= :as_of" if as_of else ""
        for row in self.conn.execute(
            "SELECT h.*, (SELECT group_concat(evidence_id) FROM history_evidence WHERE history_id = h.id) AS cited "
            f"FROM history h WHERE h.claim_id IN ({named}) AND h.field IN ('verdict', 'attribution', 'verification'){by_then} "
            "ORDER BY h.claim_id, h.effective_start, h.at, h.id",
            params,
        ):
            history.setdefault(row["claim_id"], []).append(Change(
                row["uuid"], row["at"], from_parts(row["effective_on"], row["effective_precision"]), row["field"],
                row["old"], row["new"], row["note"],
                tuple(sorted(int(i) for i in row["cited"].split(","))) if row["cited"] else (),
                0, row["retracted_at"], row["retraction_note"],
            ))
        return {i: c._replace(evidence=tuple(evidence.get(i, ())), history=tuple(history.get(i, ())))
                for i, c in claims.items()}

    def report_counts(self, where: ClaimFilter, with_retracted: bool = False) -> tuple[int, int]:
        """How many claims a report covers, and how many distinct sources it cites (the sources of retracted
        evidence only WITH_RETRACTED)."""
        source, conditions, params, _, _ = claim_conditions(where)
        selected = f"SELECT c.id FROM {source} {_CLAIM_JOINS}"
        if conditions:
            selected += " WHERE " + " AND ".join(conditions)
        claims = self.conn.execute(f"SELECT count(*) FROM ({selected})", params).fetchone()[0]
        evidence_by_then = EVIDENCE_BY_THEN if where.as_of else ""
        hidden = [] if with_retracted else self.retracted_evidence_ids()
        if hidden:
            evidence_by_then += f" AND e.id NOT IN ({_marks(hidden)})"
            params = {**params, **{f"r{n}": i for n, i in enumerate(hidden)}}
        sources = self.conn.execute(
            f"SELECT count(DISTINCT {SOURCE_KEY}) FROM sources WHERE id IN ("
            f"SELECT source_id FROM claims WHERE id IN ({selected}) "
            f"UNION SELECT source_id FROM appearances WHERE claim_id IN ({selected}) "
            f"UNION SELECT e.source_id FROM evidence e WHERE e.claim_id IN ({selected}){evidence_by_then})",
            params,
        ).fetchone()[0]
        return claims, sources
