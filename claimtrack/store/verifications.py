"""The store's side of `claimtrack verify`: what a quote is checked against, and each result recorded.

A verification is a row of `verifications` (the passage, the word differences, the snapshot's hash and date)
and an entry of the claim's history (field "verification", the result, and a note saying against what:
"verbatim in tech360.tv as fetched on 28 November 2026"), so `show`, the report and the interchange record
carry it. The latest row of a claim is marked, for `list --verification`.
"""

from __future__ import annotations

import json
from typing import NamedTuple

from claimtrack.errors import ClaimtrackError


class Target(NamedTuple):
    """A claim to verify, and the page and latest snapshot it is checked against by default."""

    claim_id: int
    kind: str
    text: str
    source_id: int | None
    url: str | None
    outlet: str | None
    snapshot_id: int | None
    sha256: str | None
    fetched_at: str | None
    has_text: bool
    language: str | None
    content_type: str | None
    snapshot_kind: str | None


class Version(NamedTuple):
    """The quote as one page of the claim printed it: for drift across appearances."""

    source_id: int
    url: str | None
    outlet: str | None
    published: str | None
    sha256: str | None
    fetched_at: str | None
    snapshot_text: str | None


_TARGET = (
    "SELECT c.id, c.kind, c.text, c.source_id, s.url, s.outlet, n.id, n.sha256, n.fetched_at, "
    "coalesce(length(trim(n.text)), 0) > 0, n.language, n.content_type, n.kind FROM claims c LEFT JOIN sources s ON s.id = c.source_id "
    "LEFT JOIN snapshots n ON n.id = (SELECT max(id) FROM snapshots WHERE source_id = c.source_id) "
)


class VerificationsMixin:
    """Targets of verification, each result recorded, and the versions of a quote across its appearances."""

    def verification_target(self, claim_id: int) -> Target:
        """The claim and its source's latest snapshot; an error naming the claim when there is none."""
        row = self.conn.execute(_TARGET + "WHERE c.id = ?", (claim_id,)).fetchone()
        if row is None:
            raise ClaimtrackError(f"There is no claim {claim_id}. claimtrack list shows the ids.")
        return Target(*row)

    def verification_ids(self, where) -> list[int]:
        """The ids of the claims WHERE (a ClaimFilter) selects, oldest first."""
        from claimtrack.store.claims import _CLAIM_JOINS, claim_conditions

        source, conditions, params, _, id_column = claim_conditions(where)
        sql = f"SELECT {id_column} FROM {source} {_CLAIM_JOINS}"
        if conditions:
            sql += " WHERE " + " AND ".join(conditions)
        return sorted(r[0] for r in self.conn.execute(sql, params))

    def similar_claim(self, speaker: str, text: str, *, at_least: float = 85.0) -> tuple[int, str] | None:
        """The speaker's quote closest to TEXT in wording (rapidfuzz's ratio of the folded words at least
        AT_LEAST of 100), among their 5,000 latest claims: the same quote printed with other words."""
        from rapidfuzz import fuzz, process

        from claimtrack import names

        speaker_id = self.find_speaker(speaker)
        if speaker_id is None:
            return None
        rows = self.conn.execute("SELECT id, text FROM claims WHERE speaker_id = ? AND kind = 'quote' "
                                 "ORDER BY id DESC LIMIT 5000", (speaker_id,)).fetchall()
        choices = {row[0]: names.words_key(row[1]) for row in rows}
        best = process.extractOne(names.words_key(text), choices, scorer=fuzz.ratio, score_cutoff=at_least)
        if best is None:
            return None
        claim_id = best[2]
        return claim_id, next(row[1] for row in rows if row[0] == claim_id)

    def record_verification(self, claim_id: int, outcome: dict, *, at: str, note: str,
                            effective=None) -> int:
        """Keep OUTCOME (result, passage, differences, meaning_flags, edits, snapshot_sha256, snapshot_at,
        source_url, outlet, against, appearance_of) as the claim's latest verification, with its history entry
        (NOTE says against what); a drift row (appearance_of set) is kept beside it, not as the latest."""
        with self.write(f"claim {claim_id} verified: {outcome['result']}"):
            drift = outcome.get("appearance_of") is not None
            before = self.latest_verification(claim_id)
            if not drift:
                self.conn.execute("UPDATE verifications SET latest = 0 WHERE claim_id = ? AND latest = 1", (claim_id,))
            values = {
                "claim_id": claim_id, "checked_at": at, "result": outcome["result"], "passage": outcome.get("passage"),
                "differences": json.dumps(outcome.get("differences", []), ensure_ascii=False),
                "meaning_flags": json.dumps(outcome.get("meaning_flags", [])),
                "edits": json.dumps(outcome.get("edits", []), ensure_ascii=False),
                "snapshot_sha256": outcome.get("snapshot_sha256"), "snapshot_at": outcome.get("snapshot_at"),
                "source_url": outcome.get("source_url"), "outlet": outcome.get("outlet"),
                "against": outcome.get("against"), "appearance_of": outcome.get("appearance_of"),
                "latest": 0 if drift else 1,
            }
            row_id = self.conn.execute(
                f"INSERT INTO verifications ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                list(values.values())).lastrowid
            self.record_change(claim_id, "drift" if drift else "verification",
                               None if drift else (before["result"] if before else None), outcome["result"],
                               note=note, at=at, effective=effective)
            self.conn.execute("UPDATE claims SET updated_at = ? WHERE id = ?", (at, claim_id))
        return row_id

    def latest_verification(self, claim_id: int) -> dict | None:
        """The claim's latest verification (not counting drift rows), as a dict; None if never verified."""
        row = self.conn.execute("SELECT * FROM verifications WHERE claim_id = ? AND latest = 1", (claim_id,)).fetchone()
        return _plain(row) if row else None

    def verifications_of(self, claim_id: int) -> list[dict]:
        """Every verification of the claim, drift rows included, oldest first."""
        return [_plain(r) for r in self.conn.execute(
            "SELECT * FROM verifications WHERE claim_id = ? ORDER BY id", (claim_id,))]

    def versions_of(self, claim_id: int) -> list[Version]:
        """Every page the claim appeared in (first source, then appearances), each with its latest snapshot,
        earliest published first (pages without a date last, in the order recorded)."""
        rows = self.conn.execute(
            "SELECT s.id, s.url, s.outlet, s.published_on, n.sha256, n.fetched_at, n.text, o.ord FROM ("
            "  SELECT source_id, 0 AS ord FROM claims WHERE id = ? AND source_id IS NOT NULL"
            "  UNION ALL SELECT source_id, id AS ord FROM appearances WHERE claim_id = ?) o "
            "JOIN sources s ON s.id = o.source_id "
            "LEFT JOIN snapshots n ON n.id = (SELECT max(id) FROM snapshots WHERE source_id = s.id)",
            (claim_id, claim_id)).fetchall()
        rows.sort(key=lambda r: (r[3] is None, r[3] or "", r[7]))
        return [Version(*r[:7]) for r in rows]


def _plain(row) -> dict:
    data = dict(row)
    for key in ("differences", "meaning_flags", "edits"):
        data[key] = json.loads(data[key] or "[]")
    return data
