"""Merging a record of a claim the database already has: by time, by the rules of claimtrack.merge.

Databases exchanging exports agree whatever the order and however often: each group of fields comes from the
side that changed it last, as its history says; each piece of evidence from the side that corrected it last;
the history, appearances and a speaker's names are the union of both. Nothing merged gets a random uuid or
the time of the import: a change a record brings without history is recorded under a uuid and at a time that
the record itself gives.
"""

from __future__ import annotations

from claimtrack import dates, names
from claimtrack.merge import (
    GIVEN, MADE, SOURCE_FIELDS, STANDING_FIELDS, comparable, evidence_value, later, merge_groups,
    merged_retraction, told, with_ungiven_kept,
)
from claimtrack.store.interchange import _SOURCE_ROW, _page, _said

# A page's details: what a merge that takes a claim's source takes for a page it already knows.
PAGE_DETAILS = tuple(column for column in (*SOURCE_FIELDS, "outlet_key") if column != "url")


def _derived_uuid(*parts: str) -> str:
    """interchange.derived_uuid, imported only when a merge needs it: everyday reads load this module, not that one."""
    from claimtrack.interchange import derived_uuid

    return derived_uuid(*parts)


def _assignments(columns) -> str:
    """"a = ?, b = ?" for COLUMNS: the names of columns this module sets, never user text."""
    return ", ".join(f"{column} = ?" for column in columns)


class MergingMixin:
    """Import's merge of a known claim (InterchangeMixin.apply_records hands such records to apply_record)."""

    def _merge_pages(self, record: dict) -> bool:
        """The pages a record cites that the database knows take the earlier time recorded; whether any did."""
        changed = False
        for source in (record.get("source"), *(a["source"] for a in record.get("appearances", ())),
                       *(e["source"] for e in record.get("evidence", ()))):
            page = _page(source)
            found = None if page is None else self._known_source(page)
            if found is not None:
                changed |= self._recorded_earlier(found, None, source.get("recorded_at"))
        return changed

    def apply_record(self, record: dict) -> str:
        """Add or merge one validated record inside the caller's transaction: 'added', 'updated' or 'unchanged'.

        A known claim is merged by time (see merge_groups): each side keeps what it changed last, the
        history is the union of both, and merging the same record again changes nothing.
        """
        row = self.conn.execute("SELECT id FROM claims WHERE uuid = ?", (record["uuid"],)).fetchone()
        if row is None:
            self._insert_new([record])
            return "added"
        claim_id = row[0]
        current = self._record(claim_id)
        record = with_ungiven_kept(record, current)
        changed = self._merge_pages(record)
        changed |= self._merge_record(claim_id, current, record)
        changed |= self._merge_evidence(claim_id, current, record)
        changed |= self._merge_appearances(claim_id, record)
        standing = self._merge_history(claim_id, record)
        standing |= self._merge_standing(claim_id, current, record)
        for field in sorted(standing & STANDING_FIELDS.keys()):
            self._refresh_standing(claim_id, field)
        return "updated" if changed or standing else "unchanged"

    def _merge_record(self, claim_id: int, current: dict, record: dict) -> bool:
        """Take the claim's fields from RECORD where it changed them later than CURRENT (the claim as stored);
        whether anything changed. A record without history of its own (CSV) has its changes recorded here."""
        won = merge_groups(current, record)
        updates: dict = {}
        for group in won:
            if group == "said":
                said = _said(record)
                updates.update({
                    "said_on": said.value if said else None, "said_precision": said.precision if said else None,
                    "said_text": said.text if said else None, "said_approximate": int(said.approximate) if said else 0,
                    "said_qualifier": said.qualifier if said else None,
                    "said_start": said.start.isoformat() if said else None,
                })
            elif group == "text":
                updates.update(text=record["text"], text_key=names.text_hash(record["text"]))
            elif group == "speaker":
                updates["speaker_id"] = self._speaker_for_record(record["speaker"])
            elif group == "source":
                updates["source_id"] = self._merged_page(record["source"])
            elif group != "tags":
                updates[group] = record.get(group)
        changed = False
        if "speaker" not in won and comparable("speaker", record["speaker"]) == comparable("speaker", current["speaker"]):
            # The same speaker on both sides: the names either knows for them are all kept.
            speaker_id = self.conn.execute("SELECT speaker_id FROM claims WHERE id = ?", (claim_id,)).fetchone()[0]
            changed = self._add_aliases(speaker_id, [record["speaker"]["name"], *record["speaker"]["aliases"]])
        for key, value in (("updated_at", max(current["updated_at"], record["updated_at"])),
                           ("created_at", min(current["created_at"], record["created_at"]))):
            # A record that gives no time of its own is stamped with the import's: that time counts only
            # for a change it brings.
            if value != current[key] and (won or key in record.get(GIVEN, (key,))):
                updates[key] = value
        if not updates and not won:
            return changed
        before = self.claim(claim_id) if won and not told(record) else None
        if updates:
            self.conn.execute(
                f"UPDATE claims SET {_assignments(updates)} WHERE id = ?",
                (*updates.values(), claim_id),
            )
        if "tags" in won:
            self.conn.execute("DELETE FROM claim_tags WHERE claim_id = ?", (claim_id,))
            self._tag(claim_id, tuple(record["tags"]))
        if before is not None:
            # Nothing in the record says when or how it changed: the change is recorded at the record's own
            # time, under a uuid its content gives, so that every database importing it records the same row.
            from claimtrack.store.edits import TRACKED_FIELDS, _history_value

            old, new = before.to_dict(), self.claim(claim_id).to_dict()
            at = record["updated_at"]
            for field in TRACKED_FIELDS:
                if old[field] != new[field]:
                    value = _history_value(new[field])
                    self._add_change(claim_id, {
                        "uuid": _derived_uuid(record["uuid"], field, str(value), at), "at": at,
                        "effective_on": at[:10], "effective_precision": "day", "field": field,
                        "old": _history_value(old[field]), "new": value, "note": "imported",
                    })
        return True

    def _merged_page(self, source: dict | None) -> int | None:
        """The id of the page a winning SOURCE names; a known page with an address takes its details."""
        page = _page(source)
        source_id = self._page_id(page)
        if page is not None and page[0] is not None:
            row = page[1]
            details = dict(zip(_SOURCE_ROW, row))
            stored = self.conn.execute(
                f"SELECT {', '.join(PAGE_DETAILS)} FROM sources WHERE id = ?", (source_id,)
            ).fetchone()
            if tuple(stored) != tuple(details[column] for column in PAGE_DETAILS):
                self.conn.execute(
                    f"UPDATE sources SET {_assignments(PAGE_DETAILS)} WHERE id = ?",
                    (*(details[column] for column in PAGE_DETAILS), source_id),
                )
        return source_id

    def _merge_evidence(self, claim_id: int, current: dict, record: dict) -> bool:
        """Add the evidence this database lacks and take each item's corrections from whichever side made them
        later (its updated_at, or added_at if never corrected); whether anything changed."""
        mine = {item["uuid"]: item for item in current["evidence"]}
        changed = False
        for item in record.get("evidence", ()):
            ours = mine.get(item["uuid"])
            if ours is None:
                if self.conn.execute("SELECT 1 FROM evidence WHERE uuid = ?", (item["uuid"],)).fetchone():
                    continue  # (another claim's: uuids are the record's own to choose)
                self.conn.execute(
                    "INSERT INTO evidence (uuid, claim_id, source_id, stance, quote, note, added_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (item["uuid"], claim_id, self._page_id(_page(item["source"])), item["stance"],
                     item.get("quote"), item.get("note"), item["added_at"], item.get("updated_at")),
                )
                changed = True
                continue
            updates = {}
            if later(item, ours, evidence_value):
                updates = {"stance": item["stance"], "quote": item.get("quote"), "note": item.get("note")}
                if comparable("source", item["source"]) != comparable("source", ours["source"]):
                    updates["source_id"] = self._page_id(_page(item["source"]))
            updated_at = max(filter(None, (ours.get("updated_at"), item.get("updated_at"))), default=None)
            if updated_at != ours.get("updated_at"):
                updates["updated_at"] = updated_at
            if updates:
                self.conn.execute(
                    f"UPDATE evidence SET {_assignments(updates)} WHERE uuid = ?",
                    (*updates.values(), item["uuid"]),
                )
                changed = True
        return changed

    def _merge_appearances(self, claim_id: int, record: dict) -> bool:
        """Add the appearances this database does not have yet; whether there were any."""
        changed = False
        for appearance in record.get("appearances", ()):
            if self.conn.execute("SELECT 1 FROM appearances WHERE uuid = ?", (appearance["uuid"],)).fetchone():
                continue
            self.conn.execute(
                "INSERT OR IGNORE INTO appearances (uuid, claim_id, source_id, added_at) VALUES (?, ?, ?, ?)",
                (appearance["uuid"], claim_id, self._page_id(_page(appearance["source"])), appearance["added_at"]),
            )
            changed = True
        return changed

    def _merge_history(self, claim_id: int, record: dict) -> set[str]:
        """Add the history entries this database does not have yet, but none made up for a record that had no
        history (they describe a claim new to the database: see claimtrack.interchange.MADE).

        Returns the fields whose entries were added, {""} for one that decides no standing: verdict and
        attribution are then worked out again.
        """
        added: set[str] = set()
        for change in record.get("history", ()):
            if change.get(MADE):
                continue
            stored = self.conn.execute(
                "SELECT claim_id, retracted_at, retraction_note FROM history WHERE uuid = ?", (change["uuid"],)
            ).fetchone()
            if stored is None:
                self._add_change(claim_id, change)
            elif stored["claim_id"] != claim_id or not self._merge_retraction(change, dict(stored)):
                continue
            added.add(change["field"] if change["field"] in STANDING_FIELDS else "")
        return added

    def _merge_retraction(self, change: dict, stored: dict) -> bool:
        """Take a retraction a record's history entry brings for an entry stored here (claimtrack.merge's rule:
        retracted wins, the earlier retraction is kept); whether it changed anything."""
        merged = merged_retraction(stored, change)
        if merged == (stored["retracted_at"], stored["retraction_note"]):
            return False
        self.conn.execute(
            "UPDATE history SET retracted_at = ?, retraction_note = ? WHERE uuid = ?", (*merged, change["uuid"])
        )
        return True

    def _merge_standing(self, claim_id: int, current: dict, record: dict) -> set[str]:
        """For a record without history of its own (CSV): a verdict or attribution it gives that differs from the
        claim's, given later, as the change that sets it (recorded at the record's time, under a uuid its
        content gives). The fields so changed."""
        if told(record):
            return set()
        changed = set()
        for field in STANDING_FIELDS:
            value = record.get(field)
            if value is None or value == current[field]:
                continue
            ours = [h["at"] for h in current["history"] if h["field"] == field and not h.get("retracted_at")]
            at = record["updated_at"]
            if (at, value) <= (max(ours, default=current["created_at"]), current[field]):
                continue
            made = next((h for h in record["history"] if h.get(MADE) and h["field"] == field), None)
            self._add_change(claim_id, {
                "uuid": _derived_uuid(record["uuid"], field, value, at), "at": at,
                "effective_on": made["effective_on"] if made else at[:10],
                "effective_precision": made["effective_precision"] if made else "day",
                "field": field, "old": current[field], "new": value, "note": "imported",
            })
            changed.add(field)
        return changed

    def _add_change(self, claim_id: int, change: dict) -> None:
        """Store a history entry of an interchange record (one with this uuid already stored is left as it is)."""
        effective = dates.from_iso(change["effective_on"], change["effective_precision"])
        cursor = self.conn.execute(
            "INSERT OR IGNORE INTO history (uuid, claim_id, at, effective_on, effective_precision, effective_start, "
            "field, old, new, note, retracted_at, retraction_note, author) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (change["uuid"], claim_id, change["at"], effective.value, effective.precision,
             effective.start.isoformat(), change["field"], change.get("old"), change.get("new"), change.get("note"),
             change.get("retracted_at"), change.get("retraction_note"), change.get("author")),
        )
        if not cursor.rowcount:
            if change.get("author"):
                # The same entry from a record that knows who made it (an older record did not say).
                self.conn.execute("UPDATE history SET author = ? WHERE uuid = ? AND author IS NULL",
                                  (change["author"], change["uuid"]))
            return
        history_id = cursor.lastrowid
        for evidence_uuid in change.get("evidence", ()):
            self.conn.execute(
                "INSERT OR IGNORE INTO history_evidence (history_id, evidence_id) SELECT ?, id FROM evidence WHERE uuid = ?",
                (history_id, evidence_uuid),
            )
