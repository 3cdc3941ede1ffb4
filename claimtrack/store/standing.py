"""A claim's standing: evidence, repeat appearances, verdicts, attribution, and the dated history."""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib

from claimtrack.dates import PartialDate, from_parts
from claimtrack.errors import ClaimtrackError
from claimtrack.model import (
    ATTRIBUTIONS, DEFAULT_ATTRIBUTION, DEFAULT_VERDICT, STANCES, UNSET, VERDICTS, Change, Claim, Evidence, SourceDraft,
)
from claimtrack.store.base import now
from claimtrack.store.claims import published_from
from claimtrack.store.retraction import with_entries

_DEFAULTS = {"verdict": DEFAULT_VERDICT, "attribution": DEFAULT_ATTRIBUTION}
_CHOICES = {"verdict": VERDICTS, "attribution": ATTRIBUTIONS}
_EVIDENCE_COLUMNS = (
    "e.id, e.uuid, e.claim_id, e.stance, e.quote, e.note, e.added_at, e.updated_at, src.url, src.outlet, src.title, "
    "src.published_on, src.published_precision, src.published_text, src.published_approximate, "
    "src.published_qualifier, src.archived_url"
)


def local_day(stamp: str) -> PartialDate:
    """The day on the user's own calendar at STAMP (a stored UTC time): what "today" means to them.

    The UTC date would be tomorrow for a New York user in the evening, and yesterday in Auckland each morning.
    """
    moment = dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc).astimezone()
    day = moment.date().isoformat()
    return PartialDate(day, "day", text=day)


class StandingMixin:
    """The standing half of the store."""

    # -- history -------------------------------------------------------------------------

    def record_change(
        self, claim_id: int, field: str, old: str | None, new: str | None, *,
        note: str | None = None, effective: PartialDate | None = None, at: str | None = None,
    ) -> int:
        """Append one history row; a change takes effect on the (local) day it is recorded unless told otherwise."""
        at = at or now()
        effective = effective or local_day(at)
        return self.db.table("history").insert(
            {
                "uuid": str(uuidlib.uuid4()), "claim_id": claim_id, "at": at,
                "effective_on": effective.value, "effective_precision": effective.precision,
                "effective_start": effective.start.isoformat(),
                "field": field, "old": old, "new": new, "note": note, "author": self.author,
            }
        ).last_pk

    def history(self, claim_id: int) -> list[Change]:
        """Every change to a claim, in the order it took effect (ties: the order recorded)."""
        rows = self.conn.execute(
            "SELECT h.*, (SELECT group_concat(evidence_id) FROM history_evidence WHERE history_id = h.id) AS cited, "
            "row_number() OVER (ORDER BY at, id) AS entry "
            "FROM history h WHERE claim_id = ? ORDER BY effective_start, at, id",
            (claim_id,),
        ).fetchall()
        return [
            Change(
                r["uuid"], r["at"], from_parts(r["effective_on"], r["effective_precision"]), r["field"],
                r["old"], r["new"], r["note"],
                tuple(sorted(int(i) for i in r["cited"].split(","))) if r["cited"] else (),
                r["entry"], r["retracted_at"], r["retraction_note"], r["author"],
            )
            for r in rows
        ]

    # -- verdicts and attribution --------------------------------------------------------

    def set_standing(
        self, claim_id: int, field: str, value: str, *, note: str | None = None,
        effective: PartialDate | None = None, evidence_ids: tuple[int, ...] = (),
    ) -> Claim:
        """Record a verdict or attribution change, effective on EFFECTIVE (default: the user's today), citing
        evidence; return the claim as changed."""
        if value not in _CHOICES[field]:
            raise ClaimtrackError(f"'{value}' is not a {field}. Use one of: {', '.join(_CHOICES[field])}.")
        with self.write(f"{field} of claim {claim_id} set to {value}"):
            self.claim_to_change(claim_id)
            for evidence_id in evidence_ids:
                if self.evidence_item(evidence_id).claim_id != claim_id:
                    raise ClaimtrackError(
                        f"Evidence {evidence_id} belongs to another claim. See claimtrack evidence list {claim_id}."
                    )
            stamp = now()
            effective = effective or local_day(stamp)
            # The old value is the one in effect just before this change, even when it is dated back.
            row = self.conn.execute(
                "SELECT new FROM history WHERE claim_id = ? AND field = ? AND effective_start <= ? "
                "AND retracted_at IS NULL ORDER BY effective_start DESC, at DESC, id DESC LIMIT 1",
                (claim_id, field, effective.start.isoformat()),
            ).fetchone()
            old = row[0] if row else _DEFAULTS[field]
            history_id = self.record_change(claim_id, field, old, value, note=note, effective=effective, at=stamp)
            self.conn.executemany(
                "INSERT OR IGNORE INTO history_evidence (history_id, evidence_id) VALUES (?, ?)",
                [(history_id, evidence_id) for evidence_id in evidence_ids],
            )
            self._refresh_standing(claim_id, field)
            return self.claim(claim_id)

    def _refresh_standing(self, claim_id: int, field: str) -> None:
        """Cache on the claim the verdict or attribution its history leaves in effect (claimtrack.merge.in_effect:
        the latest to take effect, then the latest recorded; changes of one second told apart by what they say,
        so that databases holding the same history show the same value). A retracted change does not count."""
        from claimtrack.merge import in_effect

        changes = self.conn.execute(
            "SELECT effective_start, at, uuid, old, new FROM history WHERE claim_id = ? AND field = ? "
            "AND retracted_at IS NULL", (claim_id, field)
        ).fetchall()
        value = in_effect([tuple(change) for change in changes]) or _DEFAULTS[field]
        # field is one of two fixed names, never user text.
        self.conn.execute(f"UPDATE claims SET {field} = ? WHERE id = ?", (value, claim_id))

    # -- evidence ------------------------------------------------------------------------

    def add_evidence(
        self, claim_id: int, source: SourceDraft, stance: str, *, quote: str | None = None, note: str | None = None
    ) -> int:
        """Link a claim to a source that supports, refutes, puts in context or corrects it."""
        with self.write(f"evidence ({stance}) added to claim {claim_id}"):
            self.claim_to_change(claim_id)
            stamp = now()
            evidence_id = self.db.table("evidence").insert(
                {
                    "uuid": str(uuidlib.uuid4()), "claim_id": claim_id,
                    "source_id": self._source_id_for(source, at=stamp), "stance": stance,
                    "quote": quote, "note": note, "added_at": stamp,
                }
            ).last_pk
            self.record_change(
                claim_id, "evidence", None, f"{stance}: {source.url}", note=note,
                effective=source.published, at=stamp,
            )
        return evidence_id

    def evidence_item(self, evidence_id: int) -> Evidence:
        """One piece of evidence, or an error naming the id."""
        row = self.conn.execute(
            f"SELECT {_EVIDENCE_COLUMNS} FROM evidence e JOIN sources src ON src.id = e.source_id WHERE e.id = ?",
            (evidence_id,),
        ).fetchone()
        if row is None:
            raise ClaimtrackError(f"There is no evidence with id {evidence_id}. Find ids with claimtrack evidence list.")
        return self.with_retractions([_evidence(row)])[0]

    def evidence(self, claim_id: int | None = None, stance: str | None = None) -> list[Evidence]:
        """Evidence for one claim or all, oldest published first (undated by when added)."""
        conditions, params = [], []
        if claim_id is not None:
            self.claim(claim_id)
            conditions.append("e.claim_id = ?")
            params.append(claim_id)
        if stance is not None:
            conditions.append("e.stance = ?")
            params.append(stance)
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        rows = self.conn.execute(
            f"SELECT {_EVIDENCE_COLUMNS} FROM evidence e JOIN sources src ON src.id = e.source_id {where} "
            "ORDER BY e.claim_id, coalesce(src.published_on, substr(e.added_at, 1, 10)), e.id",
            params,
        ).fetchall()
        items = [_evidence(r) for r in rows]
        if claim_id is not None:
            return with_entries(items, self.history(claim_id))  # each with the entry that added it, for `show`
        return self.with_retractions(items)

    def edit_evidence(
        self, evidence_id: int, *, stance=UNSET, quote=UNSET, note=UNSET, title=UNSET, outlet=UNSET,
        published=UNSET, at: str | None = None,
    ) -> Evidence:
        """Correct a piece of evidence (UNSET leaves a field alone, None clears any but the stance); return it as now.

        Stance, quote and note are the evidence's own; title, outlet and published (a PartialDate) describe the
        page it cites. A page is one source however many claims cite it (one row by its URL), so they are
        corrected on the page, as `evidence add` with new details of a known page does, and every claim citing
        it gets the correction in its history. The evidence gets a change time of its own (AT, default now), by
        which a merge takes the correction, and its claim a history row for a change of its own fields; all in
        one transaction that reads the evidence inside it. Giving the values it already has changes nothing.
        """
        if stance is not UNSET and stance not in STANCES:
            raise ClaimtrackError(f"'{stance}' is not a stance. Use one of: {', '.join(STANCES)}.")
        own = {name: value for name, value in (("stance", stance), ("quote", quote), ("note", note))
               if value is not UNSET}
        page = {name: value for name, value in (("title", title), ("outlet", outlet), ("published", published))
                if value is not UNSET}
        if not own and not page:
            raise ClaimtrackError("Nothing to change. Give --stance, --quote, --note, --title, --outlet or --published.")
        with self.write(f"evidence {evidence_id} edited"):
            item = self.evidence_item(evidence_id)
            changed = {name: value for name, value in own.items() if getattr(item, name) != value}
            corrected = {name: value for name, value in page.items() if getattr(item, name) != value}
            if not changed and not corrected:
                return item
            stamp = at or now()
            self.db.table("evidence").update(evidence_id, {**changed, "updated_at": stamp})
            if corrected:
                source_id = self.conn.execute("SELECT source_id FROM evidence WHERE id = ?", (evidence_id,)).fetchone()[0]
                others = [claim_id for (claim_id,) in self.conn.execute(
                    "SELECT id FROM claims WHERE source_id = :s UNION SELECT claim_id FROM appearances WHERE "
                    "source_id = :s UNION SELECT claim_id FROM evidence WHERE source_id = :s ORDER BY 1",
                    {"s": source_id},
                ) if claim_id != item.claim_id]
                # The page's history rows on every claim that cites it, this one included (store.edits).
                self._change_page(source_id, corrected, at=stamp)
            if changed:
                self.record_change(
                    item.claim_id, "evidence", f"{item.stance}: {item.url}", f"{changed.get('stance', item.stance)}: "
                    f"{item.url}", note=f"evidence {evidence_id} corrected: {', '.join(changed)}", at=stamp,
                )
            summary = f"evidence {evidence_id} edited: {', '.join([*changed, *corrected])}"
            if corrected and others:
                summary += f" (its page is cited by claim{'s' if len(others) > 1 else ''} "
                summary += f"{', '.join(map(str, others))} too)"
            self.describe_change(summary)
            after = self.evidence_item(evidence_id)
        return after

    def remove_evidence(self, evidence_id: int, *, force: bool = False, unchanged_from: Evidence | None = None) -> Evidence:
        """Remove evidence; evidence that a verdict or attribution change cites needs FORCE.

        UNCHANGED_FROM is the evidence as the user was shown it when asked to confirm: if it has changed
        since, nothing is removed.
        """
        with self.write(f"evidence {evidence_id} removed"):
            item = self.evidence_item(evidence_id)
            if unchanged_from is not None and item != unchanged_from:
                raise ClaimtrackError(
                    f"Evidence {evidence_id} was changed while you were asked; nothing was removed. "
                    "Look at it again (claimtrack evidence list) and run the removal again."
                )
            cited = self.conn.execute(
                "SELECT h.field, h.new FROM history_evidence x JOIN history h ON h.id = x.history_id "
                "WHERE x.evidence_id = ? ORDER BY h.id",
                (evidence_id,),
            ).fetchall()
            if cited and not force:
                uses = ", ".join(f"{field} '{value}'" for field, value in cited)
                raise ClaimtrackError(
                    f"Evidence {evidence_id} is cited by the {uses} of claim {item.claim_id}. "
                    "Removing it would leave that change without its evidence; add --force to remove it anyway."
                )
            self.conn.execute("DELETE FROM history_evidence WHERE evidence_id = ?", (evidence_id,))
            self.conn.execute("DELETE FROM evidence WHERE id = ?", (evidence_id,))
            self.record_change(
                item.claim_id, "evidence", f"{item.stance}: {item.url}", None,
                note="removed although cited" if cited else "removed",
            )
        return item

    # -- appearances ---------------------------------------------------------------------

    def add_appearance(self, claim_id: int, source: SourceDraft) -> int:
        """Record that a claim appeared in another source; return the appearance id."""
        with self.write(f"appearance added to claim {claim_id}"):
            self.claim_to_change(claim_id)
            stamp = now()
            source_id = self._source_id_for(source, at=stamp)
            first = self.conn.execute("SELECT source_id FROM claims WHERE id = ?", (claim_id,)).fetchone()[0]
            known = self.conn.execute(
                "SELECT 1 FROM appearances WHERE claim_id = ? AND source_id = ?", (claim_id, source_id)
            ).fetchone()
            if source_id == first or known:
                raise ClaimtrackError(f"Claim {claim_id} already lists {source.url or 'that source'}.")
            appearance_id = self.db.table("appearances").insert(
                {"uuid": str(uuidlib.uuid4()), "claim_id": claim_id, "source_id": source_id, "added_at": stamp}
            ).last_pk
            self.record_change(
                claim_id, "appearance", None, source.url or source.outlet or source.title,
                effective=source.published, at=stamp,
            )
        return appearance_id


def _evidence(row) -> Evidence:
    return Evidence(
        id=row["id"], uuid=row["uuid"], claim_id=row["claim_id"], stance=row["stance"], url=row["url"],
        title=row["title"], outlet=row["outlet"], published=published_from(row), quote=row["quote"],
        note=row["note"], added_at=row["added_at"], archived_url=row["archived_url"], updated_at=row["updated_at"],
    )
