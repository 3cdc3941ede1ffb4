"""Two versions of one record file merged into one: pure rules on the files' JSON, no git, no database.

A claim merges as import merges it (claimtrack.merge): each group of fields from the side that changed it
later, as the history says; the history, evidence and appearances the union of both (an entry both hold keeps
either retraction, an item both hold the later correction); verdict and attribution what the merged history
leaves in effect; the trash count the higher. A speaker's aliases are the union; a page takes the earlier time
it was recorded. The result does not depend on which side is which: git may call the driver either way round.
"""

from __future__ import annotations

import json

from claimtrack import dates
from claimtrack.merge import (
    GROUPS, STANDING_FIELDS, evidence_value, in_effect, later, merge_groups, merged_retraction,
)
from claimtrack.sync.layout import TRASH


def _canonical(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def merge_claim(mine: dict, theirs: dict) -> dict:
    """The claim file that both MINE and THEIRS (two versions of one claim's file) become."""
    if mine == theirs:
        return mine
    # Which side is "mine" must not matter: the rules below are symmetric, and where one side is taken whole
    # as the base, it is the one that sorts first.
    if _canonical(theirs) < _canonical(mine):
        mine, theirs = theirs, mine
    merged = dict(mine)
    for group in merge_groups(mine, theirs):
        for field in GROUPS[group][0]:
            merged[field] = theirs.get(field)
    merged["created_at"] = min(mine["created_at"], theirs["created_at"])
    merged["updated_at"] = max(mine["updated_at"], theirs["updated_at"])
    merged["history"] = _merged_history(mine["history"], theirs["history"])
    merged["evidence"] = _merged_items(mine.get("evidence", []), theirs.get("evidence", []), _merged_evidence)
    merged["appearances"] = _merged_items(mine.get("appearances", []), theirs.get("appearances", []),
                                          lambda a, b: min(a, b, key=_canonical))
    for field, default in STANDING_FIELDS.items():
        changes = [(_start(h), h["at"], h["uuid"], h.get("old"), h["new"], h.get("retracted_at"))
                   for h in merged["history"] if h["field"] == field]
        merged[field] = in_effect(changes) or default
    trash = max(int(mine.get(TRASH) or 0), int(theirs.get(TRASH) or 0))
    merged.pop(TRASH, None)
    if trash:
        merged[TRASH] = trash
    return merged


def _start(change: dict) -> str:
    return dates.from_iso(change["effective_on"], change["effective_precision"]).start.isoformat()


def _merged_history(mine: list[dict], theirs: list[dict]) -> list[dict]:
    """The union of two histories by uuid, in effect order (as export writes it)."""
    entries = {h["uuid"]: h for h in mine}
    for change in theirs:
        ours = entries.get(change["uuid"])
        if ours is None:
            entries[change["uuid"]] = change
            continue
        entry = dict(min(ours, change, key=_canonical))
        entry.pop("retracted_at", None)
        entry.pop("retraction_note", None)
        at, note = merged_retraction(ours, change)
        if at:
            entry["retracted_at"], entry["retraction_note"] = at, note
        author = ours.get("author") or change.get("author")
        if author:
            entry["author"] = author
        entries[change["uuid"]] = entry
    return sorted(entries.values(), key=lambda h: (_start(h), h["at"], h["uuid"]))


def _merged_evidence(ours: dict, theirs: dict) -> dict:
    """One piece of evidence both sides hold: the later correction, and the latest time it was corrected."""
    if ours == theirs:
        return ours
    first, second = sorted((ours, theirs), key=_canonical)
    item = dict(second if later(second, first, evidence_value) else first)
    item["updated_at"] = max(filter(None, (ours.get("updated_at"), theirs.get("updated_at"))), default=None)
    return item


def _merged_items(mine: list[dict], theirs: list[dict], both) -> list[dict]:
    """The union of two lists of items by uuid (BOTH merges an item the two hold), in (added_at, uuid) order."""
    items = {item["uuid"]: item for item in mine}
    for item in theirs:
        items[item["uuid"]] = both(items[item["uuid"]], item) if item["uuid"] in items else item
    return sorted(items.values(), key=lambda item: (item["added_at"], item["uuid"]))


def merge_speaker(mine: dict, theirs: dict) -> dict:
    """A speaker's file from two versions: the aliases of both; merged into another speaker if either says so."""
    if mine == theirs:
        return mine
    name = min(mine.get("name") or "", theirs.get("name") or "")
    merged_into = sorted(filter(None, (mine.get("merged_into"), theirs.get("merged_into"))))
    if merged_into:
        return {"name": name, "merged_into": merged_into[0]}
    aliases = sorted(set(mine.get("aliases") or []) | set(theirs.get("aliases") or []))
    return {"name": name, "aliases": aliases}


def merge_source(mine: dict, theirs: dict) -> dict:
    """A page's file from two versions: the details of the one that sorts last, recorded the earlier time."""
    if mine == theirs:
        return mine
    merged = dict(max(mine, theirs, key=_canonical))
    times = [t for t in (mine.get("recorded_at"), theirs.get("recorded_at")) if t]
    merged["recorded_at"] = min(times) if times else None
    return merged
