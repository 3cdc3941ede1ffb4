"""Retraction of a dated entry: a verdict, an attribution change or a piece of evidence entered by mistake.

The entry stays in the claim's history, marked with when and why it was withdrawn, and no longer counts: the
verdict and attribution are worked out without it (now and as of any date), and the evidence it added is shown
as retracted. Entries are numbered per claim in the order recorded (by `at`, then as stored), as `show` prints
them.

Evidence and the history entry that added it share no key: the entry is the claim's 'evidence' entry with no
old value recorded in the same second as the evidence was added. Several added in one second are paired by
what the entry says ("supports: URL"), then in the order they were stored.
"""

from __future__ import annotations

from claimtrack.dates import PartialDate
from claimtrack.errors import ClaimtrackError
from claimtrack.model import Change, Claim, Evidence
from claimtrack.store.base import now

# The fields whose entries can be retracted; 'evidence' only for the entry that added a piece of evidence.
RETRACTABLE = ("verdict", "attribution", "evidence")
_STANDING = ("verdict", "attribution")


def adds_evidence(change: Change) -> bool:
    """Whether CHANGE is the history entry that added a piece of evidence (not a correction or a removal)."""
    return change.field == "evidence" and change.old is None and change.new is not None


def evidence_label(stance: str, url: str | None) -> str:
    """What the entry that adds evidence says of it (as StandingMixin.add_evidence writes it)."""
    return f"{stance}: {url}"


def pair_added(evidence: list[tuple[int, str, str]], history: list[Change]) -> dict[int, Change]:
    """Which of one claim's HISTORY entries added each piece of its EVIDENCE, given as (id, added_at, label):
    evidence id -> entry. Evidence without such an entry (imported from a format without history) is left out."""
    entries: dict[str, list[Change]] = {}
    for change in sorted(history, key=lambda c: c.entry):
        if adds_evidence(change):
            entries.setdefault(change.at, []).append(change)
    items: dict[str, list[tuple[int, str]]] = {}
    for evidence_id, added_at, label in sorted(evidence):
        items.setdefault(added_at, []).append((evidence_id, label))
    paired: dict[int, Change] = {}
    for second, changes in entries.items():
        waiting = list(items.get(second, ()))
        left = []
        for change in changes:
            match = next((item for item in waiting if item[1] == change.new), None)
            if match is None:
                left.append(change)
            else:
                waiting.remove(match)
                paired[match[0]] = change
        for (evidence_id, _), change in zip(waiting, left):
            paired[evidence_id] = change
    return paired


def with_entries(items: list[Evidence], history: list[Change]) -> list[Evidence]:
    """One claim's evidence ITEMS (all of them), each with the entry of HISTORY that added it and its retraction."""
    paired = pair_added([(e.id, e.added_at, evidence_label(e.stance, e.url)) for e in items], history)
    return [
        e._replace(entry=change.entry, retracted_at=change.retracted_at, retraction_note=change.retraction_note)
        if (change := paired.get(e.id)) else e
        for e in items
    ]


class RetractionMixin:
    """Retracting history entries, and the evidence whose adding was retracted."""

    def retract(self, claim_id: int, entry: int, note: str | None = None) -> tuple[Change, Claim]:
        """Mark entry ENTRY of a claim's history retracted (now, with NOTE); the entry as retracted and the claim."""
        with self.write(f"entry {entry} of claim {claim_id} retracted"):
            self.claim_to_change(claim_id)
            history = self.history(claim_id)
            change = next((c for c in history if c.entry == entry), None)
            if change is None:
                raise ClaimtrackError(
                    f"Claim {claim_id} has no entry {entry}: its entries are numbered 1 to {len(history)}. "
                    f"See the numbers in claimtrack show {claim_id}."
                )
            if change.retracted_at is not None:
                raise ClaimtrackError(
                    f"Entry {entry} of claim {claim_id} was already retracted on "
                    f"{PartialDate(change.retracted_at[:10], 'day').describe()}. Nothing was changed."
                )
            if change.field == "created":
                raise ClaimtrackError(
                    f"Entry {entry} of claim {claim_id} records that the claim was added; it cannot be retracted. "
                    f"To remove the claim, use claimtrack delete {claim_id}."
                )
            if change.field not in RETRACTABLE or (change.field == "evidence" and not adds_evidence(change)):
                what = "a correction or removal of evidence" if change.field == "evidence" else f"a change of {change.field}"
                raise ClaimtrackError(
                    f"Entry {entry} of claim {claim_id} is {what}; only a verdict, an attribution change or added "
                    f"evidence can be retracted. Correct it with claimtrack edit or claimtrack evidence, or "
                    "claimtrack undo if it was the last change."
                )
            stamp = now()
            self.conn.execute(
                "UPDATE history SET retracted_at = ?, retraction_note = ? WHERE uuid = ?", (stamp, note, change.uuid)
            )
            if change.field in _STANDING:
                self._refresh_standing(claim_id, change.field)
                self.describe_change(f"{change.field} {change.new} of claim {claim_id} retracted (entry {entry})")
            else:
                self.describe_change(f"evidence of claim {claim_id} retracted (entry {entry})")
            return change._replace(retracted_at=stamp, retraction_note=note), self.claim(claim_id, full=True)

    def entry_in_effect(self, claim: Claim, field: str) -> Change | None:
        """The entry of CLAIM's history (loaded) that leaves its current verdict or attribution: the latest to take
        effect that is not retracted and set that value."""
        changes = [c for c in claim.history or () if c.field == field and c.retracted_at is None
                   and c.new == getattr(claim, field)]
        return max(changes, key=lambda c: (c.effective.start, c.at, c.entry), default=None)

    def with_retractions(self, items: list[Evidence]) -> list[Evidence]:
        """ITEMS with the retraction of those whose adding was retracted (and the entry that added them)."""
        linked = self._retracted_claims_evidence(sorted({e.claim_id for e in items}))
        return [
            e._replace(entry=change.entry, retracted_at=change.retracted_at, retraction_note=change.retraction_note)
            if (change := linked.get(e.id)) else e
            for e in items
        ]

    def retracted_evidence_ids(self) -> list[int]:
        """The ids of all evidence whose adding was retracted."""
        return sorted(i for i, change in self._retracted_claims_evidence(None).items() if change.retracted_at)

    def _retracted_claims_evidence(self, claim_ids: list[int] | None) -> dict[int, Change]:
        """Evidence id -> the entry that added it, for the claims among CLAIM_IDS (None: all) with a retracted
        one: mistakes are few, so the pairing is worked out only where it matters."""
        sql = ("SELECT DISTINCT claim_id FROM history WHERE field = 'evidence' AND old IS NULL "
                 "AND retracted_at IS NOT NULL")
        if claim_ids is None:
            found = [row[0] for row in self.conn.execute(sql)]
        else:
            found = []
            for start in range(0, len(claim_ids), 500):
                chunk = claim_ids[start:start + 500]
                found += [row[0] for row in self.conn.execute(
                    f"{sql} AND claim_id IN ({', '.join('?' for _ in chunk)})", chunk)]
        linked: dict[int, Change] = {}
        for claim_id in found:
            rows = self.conn.execute(
                "SELECT e.id, e.added_at, e.stance, src.url FROM evidence e "
                "LEFT JOIN sources src ON src.id = e.source_id WHERE e.claim_id = ?", (claim_id,),
            ).fetchall()
            linked.update(pair_added([(r[0], r[1], evidence_label(r[2], r[3])) for r in rows], self.history(claim_id)))
        return linked
