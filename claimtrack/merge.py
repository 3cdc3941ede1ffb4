"""How two records of one claim merge: pure rules on interchange records, no database.

Databases exchanging exports must agree whatever the order and however often. Each group of a claim's
fields (GROUPS) comes from the side that changed it last, as its history says; each piece of evidence
from the side that corrected it last; a verdict or attribution from the history both sides hold
(in_effect). The store applies what these rules decide (claimtrack.store.merging).
"""

from __future__ import annotations

import json

from claimtrack import names
from claimtrack.model import DEFAULT_ATTRIBUTION, DEFAULT_VERDICT
from claimtrack.urls import normalize_url

# The key that marks a history entry made up for a record that had none (see claimtrack.interchange): a merge
# into a known claim leaves such entries out.
MADE = "_made"
# The key under which a record keeps the names of the top-level fields its file gave: a merge into a known
# claim keeps its own values of the others.
GIVEN = "_given"
# A page's fields in a record.
SOURCE_FIELDS = (
    "url", "outlet", "title", "published_on", "published_precision", "published_text",
    "published_approximate", "published_qualifier", "archived_url",
)
# The fields of a record that merge as one (by the name of the group), each group with the history
# fields that record its changes: a merge takes a group whole from the side that changed it last.
GROUPS = {
    "kind": (("kind",), ("kind",)),
    "text": (("text",), ("text",)),
    "role": (("role",), ("role",)),
    "said": (("said_on", "said_precision", "said_text", "said_approximate", "said_qualifier"),
             ("said_on", "said_precision", "said_qualifier")),
    "context": (("context",), ("context",)),
    "note": (("note",), ("note",)),
    "speaker": (("speaker",), ("speaker",)),
    "source": (("source",), ("source_url", "outlet", "title", "published_on")),
    "tags": (("tags",), ("tags",)),
}
# The fields the history decides, with the value a claim has before any change.
STANDING_FIELDS = {"verdict": DEFAULT_VERDICT, "attribution": DEFAULT_ATTRIBUTION}


def with_ungiven_kept(record: dict, current: dict) -> dict:
    """RECORD with the claim fields its file did not give (GIVEN) taken from CURRENT, the claim as stored: a
    format that carries only some fields leaves the others as they are. A said date given without the words
    it was written in keeps the stored words only when it is the same date."""
    given = record.get(GIVEN)
    if given is None:
        return record
    kept = {field: current.get(field) for group in GROUPS.values() for field in group[0] if field not in given}
    if "said_text" in kept and any(record.get(f) != current.get(f) for f in ("said_on", "said_precision")):
        kept["said_text"] = None
    return {**record, **kept} if kept else record


def told(record: dict) -> bool:
    """Whether RECORD brings a history of its own (not just the entries made up for it on import)."""
    return any(not change.get(MADE) for change in record["history"])


def merge_groups(mine: dict, theirs: dict) -> list[str]:
    """The groups of fields (GROUPS) that a merge of record THEIRS into record MINE takes from THEIRS.

    A group is taken when its values differ and THEIRS changed it later: when its history entries for the
    group include all of MINE's and more; when neither side's include the other's, by the time of each
    side's latest entry for the group (no entry: when the claim was made, or, for a record with no history
    at all, its updated_at); at the same time, by the values themselves, so that either order of merging
    two records gives the same result.
    """
    won = []
    for group, (fields, logged) in GROUPS.items():
        if values_of(theirs, fields) == values_of(mine, fields):
            continue
        ours = {h["uuid"]: h["at"] for h in mine["history"] if h["field"] in logged and not h.get(MADE)}
        given = {h["uuid"]: h["at"] for h in theirs["history"] if h["field"] in logged and not h.get(MADE)}
        if told(theirs) and told(mine):
            if given.keys() < ours.keys():
                continue
            if ours.keys() < given.keys():
                won.append(group)
                continue

        def when(record: dict, entries: dict) -> str:
            return max(entries.values(), default=record["created_at"] if told(record) else record["updated_at"])

        if (when(theirs, given), values_of(theirs, fields)) > (when(mine, ours), values_of(mine, fields)):
            won.append(group)
    return won


def values_of(record: dict, fields: tuple[str, ...]) -> str:
    """A group of RECORD's fields as compared for a merge: canonical JSON, so ordered the same everywhere."""
    return json.dumps([comparable(field, record.get(field)) for field in fields], ensure_ascii=False,
                      sort_keys=True, separators=(",", ":"))


def evidence_value(item: dict) -> str:
    return json.dumps([item["stance"], item.get("quote"), item.get("note"), comparable("source", item["source"])],
                      ensure_ascii=False, separators=(",", ":"))


def later(theirs: dict, mine: dict, value) -> bool:
    """Whether the item THEIRS differs from MINE and was changed later: corrected when MINE never was (it is as
    added), or corrected later (updated_at); at the same time, the greater VALUE."""
    if value(theirs) == value(mine):
        return False

    def when(item: dict) -> tuple:
        return (item.get("updated_at") is not None, item.get("updated_at") or item["added_at"], value(item))

    return when(theirs) > when(mine)


def in_effect(changes: list[tuple]) -> str | None:
    """The value a verdict's or attribution's CHANGES leave in effect (None if there are none); each change is
    (effective start, recorded at, uuid, old, new), optionally followed by when it was retracted: a retracted
    change does not count.

    The latest to take effect wins, then the latest recorded. Times are kept to the second, so changes made
    in one second are told apart by what they say, never by the order a database happened to store them in,
    so that every database holding the same changes shows the same value: one after another, each starts
    from the value the one before it left, so the last leaves a value that more of them leave than start
    from (the value left counts +1, the value started from -1). Changes that come back to where they started
    leave the value before them; two databases' changes in one second, the one with the greater uuid.
    """
    changes = sorted(change[:5] for change in changes if len(change) < 6 or not change[5])
    while changes:
        top = changes[-1][:2]
        tied = [change for change in changes if change[:2] == top]
        if len(tied) == 1:
            return tied[0][4]
        balance: dict = {}
        for _, _, _, old, new in tied:
            balance[new] = balance.get(new, 0) + 1
            balance[old] = balance.get(old, 0) - 1
        ends = [change for change in tied if balance[change[4]] > 0]
        if ends:
            return max(ends, key=lambda change: change[2])[4]
        changes = changes[:-len(tied)]
    return None


def merged_retraction(mine: dict, theirs: dict) -> tuple[str | None, str | None]:
    """The retraction (time, note) of one history entry as two records of it hold it: retracted on either side
    means retracted (an older record without it never takes it back); on both, the earlier with its note."""
    sides = [(h["retracted_at"], h.get("retraction_note") or "") for h in (mine, theirs) if h.get("retracted_at")]
    if not sides:
        return None, None
    at, note = min(sides)
    return at, note or None


def comparable(field: str, value):
    """Values as compared for an update: a source by its page and details, a speaker by name."""
    if field == "speaker":
        return names.speaker_key(value["name"]) if value else None
    if field == "source":
        if not value:
            return None
        return tuple(value.get(f) for f in SOURCE_FIELDS if f != "url") + (
            normalize_url(value["url"]) if value.get("url") else None,
        )
    if field == "said_approximate":
        return bool(value)
    if field == "tags":
        return sorted(value or [])
    return value
