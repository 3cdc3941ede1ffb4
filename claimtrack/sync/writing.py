"""Writing the working copy: the claims and speakers changed since the last sync, from the database's export.

Only what the triggers marked is written (store.pending_claims), so a sync after a few changes to a large
desk touches a few files. A file is rewritten only when its text differs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from claimtrack.sync import layout
from claimtrack.sync.records import merge_claim, merge_source

# How the commit message names each kind of change, one and many.
_WORDS = {
    "added": ("claim added", "claims added"), "edited": ("claim edited", "claims edited"),
    "verdict": ("verdict", "verdicts"), "attribution": ("attribution", "attributions"),
    "evidence": ("evidence", "evidence"), "appearance": ("appearance", "appearances"),
    "retracted": ("retraction", "retractions"), "deleted": ("claim deleted", "claims deleted"),
    "restored": ("claim restored", "claims restored"), "speaker": ("speaker", "speakers"),
    "source": ("page", "pages"),
}


@dataclass
class Written:
    """What a write of the working copy changed: files, and changes counted by kind for the commit message."""

    files: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    # Whether a claim's file holds more than the database (kept from the shared record): to be read back.
    beyond: bool = False

    def count(self, kind: str, n: int = 1) -> None:
        """Count N changes of KIND."""
        if n:
            self.counts[kind] = self.counts.get(kind, 0) + n

    def add(self, other: Written) -> None:
        """Add what OTHER wrote."""
        self.files += other.files
        self.beyond |= other.beyond
        for kind, n in other.counts.items():
            self.count(kind, n)

    def message(self) -> str:
        """The commit message: "3 claims added, 1 verdict, 2 evidence"."""
        parts = [f"{n} {_WORDS[kind][n != 1]}" for kind, n in sorted(self.counts.items(), key=_in_order) if n]
        return ", ".join(parts) or "records rewritten"


def _in_order(item: tuple[str, int]) -> int:
    return list(_WORDS).index(item[0])


def flush(store, root: Path, *, write: bool = True) -> tuple[Written, tuple[list[str], list[str]]]:
    """Write every claim and speaker changed here since the last sync into the working copy at ROOT (only count
    them, unless WRITE); what was written, and the uuids and speaker keys done."""
    written = Written()
    uuids, keys = store.pending_claims(), store.pending_speakers()
    trash = store.trash_changes(uuids)
    lines = dict(store.claim_lines(uuids))
    pages: dict[str, dict] = {}
    for uuid in uuids:
        relative = layout.claim_path(uuid)
        old = layout.read_json(root, relative)
        record = None
        if uuid in lines:
            record = json.loads(lines[uuid])
            new = layout.claim_file(record, trash.get(uuid, 0))
            if old is not None and old != new:
                # What the shared record holds that this database does not (a change it has not read yet, or
                # lost to a restore of an older copy) is kept: sync reads it back in.
                ours, new = new, merge_claim(old, new)
                written.beyond |= new != ours
        elif old is not None and trash.get(uuid, 0) > int(old.get(layout.TRASH) or 0):
            new = {**old, layout.TRASH: trash[uuid]}  # in the trash here: its record stays as shared
        else:
            continue  # never shared, or gone for good here: the shared record keeps what it has
        # (compared as values first: most records read back are what the database holds already)
        if new != old and _put(root, relative, layout.dumps(new), write):
            written.files += 1
            _describe(old, new, written)
            for page in layout.pages_of(record or {}):
                pages.setdefault(layout.source_path(page), page)
    for relative, page in sorted(pages.items()):
        old = layout.read_json(root, relative)
        new = merge_source(old, page) if old else page
        if new != old and _put(root, relative, layout.dumps(new), write):
            written.files += 1
            written.count("source")
    for key in keys:
        record = store.speaker_record(key)
        relative = layout.speaker_path(key)
        if record is None:
            # A speaker gone from here (merged into another without keeping its name, or renamed): its file
            # says where its claims went, so that claims others add under the old name follow them.
            shared = layout.read_json(root, relative)
            target = store.speaker_moved_to(shared["name"]) if isinstance(shared, dict) and shared.get("name") else None
            record = {"name": shared["name"], "merged_into": target} if target else None
        if record is not None and record != layout.read_json(root, relative) and \
                _put(root, relative, layout.dumps(record), write):
            written.files += 1
            written.count("speaker")
    return written, (uuids, keys)


def _put(root: Path, relative: str, text: str, write: bool) -> bool:
    if write:
        return layout.write_text(root, relative, text)
    try:
        return (root / relative).read_text(encoding="utf-8") != text
    except FileNotFoundError:
        return True


def _describe(old: dict | None, new: dict, written: Written) -> None:
    """Count what changed between two versions of a claim's file."""
    if old is None:
        written.count("added")
        if new.get(layout.TRASH, 0) % 2:
            written.count("deleted")
        return
    before, after = int(old.get(layout.TRASH) or 0), int(new.get(layout.TRASH) or 0)
    if after != before:
        written.count("deleted" if after % 2 else "restored")
    seen = {h["uuid"]: h for h in old.get("history", ())}
    edited = False
    for change in new.get("history", ()):
        known = seen.get(change["uuid"])
        if known is None:
            if change["field"] in ("verdict", "attribution"):
                written.count(change["field"])
            elif change["field"] not in ("created", "evidence"):
                edited = True
        elif change.get("retracted_at") and not known.get("retracted_at"):
            written.count("retracted")
    old_evidence = {e["uuid"] for e in old.get("evidence", ())}
    written.count("evidence", sum(1 for e in new.get("evidence", ()) if e["uuid"] not in old_evidence))
    old_appearances = {a["uuid"] for a in old.get("appearances", ())}
    written.count("appearance", sum(1 for a in new.get("appearances", ()) if a["uuid"] not in old_appearances))
    if edited:
        written.count("edited")
