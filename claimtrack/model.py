"""The values that flow from the user to the store and from the store to a renderer.

Immutable named tuples: they cost a tenth of what dataclasses cost to define, and every command
imports this module at start-up.
"""

from __future__ import annotations

from typing import NamedTuple

from claimtrack.dates import PartialDate

KINDS = ("quote", "claim")
STANCES = ("supports", "refutes", "context", "correction")
VERDICTS = ("unverified", "supported", "mixed", "misleading", "refuted", "unprovable")
ATTRIBUTIONS = ("reported", "confirmed", "disputed", "misattributed")
DEFAULT_VERDICT, DEFAULT_ATTRIBUTION = "unverified", "reported"
# Private-use characters mark search matches; renderers turn them into styles.
MARK_START, MARK_END = "\ue000", "\ue001"


class Unset:
    """Marks an edit option that was not given (as opposed to one given empty, which clears)."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET = Unset()


class SourceDraft(NamedTuple):
    """Where a claim appeared, as the user gave it (URL already checked)."""

    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: PartialDate | None = None
    archived_url: str | None = None


class ClaimDraft(NamedTuple):
    """A new claim, parsed and validated, ready for the store."""

    text: str
    speaker: str
    kind: str = "quote"
    role: str | None = None
    said: PartialDate | None = None
    source: SourceDraft = SourceDraft()
    tags: tuple[str, ...] = ()
    context: str | None = None
    note: str | None = None


class ClaimPatch(NamedTuple):
    """Changes to a claim: UNSET leaves a field alone, None clears it."""

    text: object = UNSET
    speaker: object = UNSET
    kind: object = UNSET
    role: object = UNSET
    said: object = UNSET
    url: object = UNSET
    outlet: object = UNSET
    title: object = UNSET
    published: object = UNSET
    context: object = UNSET
    note: object = UNSET
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()


class Appearance(NamedTuple):
    """A page a claim appeared in: the first source, or a later repeat."""

    url: str | None
    outlet: str | None
    title: str | None
    published: PartialDate | None
    archived_url: str | None = None

    def to_dict(self) -> dict:
        """The appearance object of the JSON output."""
        return {
            "url": self.url,
            "outlet": self.outlet,
            "title": self.title,
            "published_on": self.published.value if self.published else None,
        }


class Evidence(NamedTuple):
    """A later source that supports, refutes, puts in context or corrects a claim."""

    id: int
    uuid: str
    claim_id: int
    stance: str
    url: str | None
    title: str | None
    outlet: str | None
    published: PartialDate | None
    quote: str | None
    note: str | None
    added_at: str
    archived_url: str | None = None
    # When it was last corrected; None: never, it is as added.
    updated_at: str | None = None
    # The history entry that added it (numbered as `show` numbers them; None: not known), and its retraction.
    entry: int | None = None
    retracted_at: str | None = None
    retraction_note: str | None = None

    def to_dict(self) -> dict:
        """The evidence object of the JSON output."""
        return {
            "id": self.id,
            "uuid": self.uuid,
            "claim_id": self.claim_id,
            "stance": self.stance,
            "url": self.url,
            "title": self.title,
            "outlet": self.outlet,
            "published_on": self.published.value if self.published else None,
            "quote": self.quote,
            "note": self.note,
            "added_at": self.added_at,
            "updated_at": self.updated_at,
            "retracted_at": self.retracted_at,
            "retraction_note": self.retraction_note,
        }


class Change(NamedTuple):
    """One row of a claim's history: what changed, when it was recorded and when it took effect."""

    uuid: str
    at: str
    effective: PartialDate
    field: str
    old: str | None
    new: str | None
    note: str | None
    evidence_ids: tuple[int, ...] = ()
    # Its number among the claim's entries in the order recorded (by `at`, then as stored): what `retract` takes.
    entry: int = 0
    # When and why it was withdrawn as a mistake (None: it counts).
    retracted_at: str | None = None
    retraction_note: str | None = None
    # Who made it (CLAIMTRACK_USER or git's user.name at the time; None: not known).
    author: str | None = None

    def to_dict(self) -> dict:
        """The history object of the JSON output."""
        return {
            "entry": self.entry,
            "uuid": self.uuid,
            "at": self.at,
            "effective_on": self.effective.value,
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "note": self.note,
            "evidence": list(self.evidence_ids),
            "retracted_at": self.retracted_at,
            "retraction_note": self.retraction_note,
            "author": self.author,
        }


class Claim(NamedTuple):
    """A claim or quote as stored, with its speaker, source and tags."""

    id: int
    uuid: str
    kind: str
    text: str
    speaker: str
    speaker_id: int
    role: str | None
    said: PartialDate | None
    source_url: str | None
    outlet: str | None
    title: str | None
    published: PartialDate | None
    tags: tuple[str, ...]
    context: str | None
    note: str | None
    created_at: str
    updated_at: str
    verdict: str = DEFAULT_VERDICT
    attribution: str = DEFAULT_ATTRIBUTION
    appearances: tuple[Appearance, ...] = ()
    # Loaded only for `show`: None means "not loaded", not "none".
    evidence: tuple[Evidence, ...] | None = None
    history: tuple[Change, ...] | None = None

    def to_dict(self) -> dict:
        """The claim object of the JSON output."""
        said = self.said
        data = {
            "id": self.id,
            "uuid": self.uuid,
            "kind": self.kind,
            "text": self.text,
            "speaker": self.speaker,
            "speaker_id": self.speaker_id,
            "role": self.role,
            "said_on": said.value if said else None,
            "said_precision": said.precision if said else None,
            "said_text": said.text if said else None,
            "said_approximate": said.approximate if said else False,
            "said_qualifier": said.qualifier if said else None,
            "source_url": self.source_url,
            "outlet": self.outlet,
            "title": self.title,
            "published_on": self.published.value if self.published else None,
            "published_precision": self.published.precision if self.published else None,
            "tags": list(self.tags),
            "context": self.context,
            "note": self.note,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "verdict": self.verdict,
            "attribution": self.attribution,
            "appearances": [a.to_dict() for a in self.appearances],
        }
        if self.evidence is not None:
            data["evidence"] = [e.to_dict() for e in self.evidence]
        if self.history is not None:
            data["history"] = [h.to_dict() for h in self.history]
        return data


class SearchHit(NamedTuple):
    """A claim found by full-text search, with its rank (None: beyond the ranked matches) and the words marked."""

    claim: Claim
    rank: float | None
    snippet: str
    marked_text: str
    evidence: tuple[EvidenceMatch, ...] = ()  # (search --in evidence|all) the evidence that matched


class EvidenceMatch(NamedTuple):
    """A piece of evidence a search matched: its id, its stance, and its matching words marked."""

    id: int
    stance: str
    snippet: str


class SearchResults(NamedTuple):
    """What a search found; COMPLETE: every match was ranked (else the most recently recorded were)."""

    hits: list[SearchHit]
    complete: bool


class Speaker(NamedTuple):
    """A speaker with aliases and a summary of their claims."""

    id: int
    name: str
    role: str | None
    aliases: tuple[str, ...]
    claims: int
    first_said: str | None
    last_said: str | None
    kind: str = "person"

    def to_dict(self) -> dict:
        """The speaker object of the JSON output."""
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "role": self.role,
            "aliases": list(self.aliases),
            "claims": self.claims,
            "first_said": self.first_said,
            "last_said": self.last_said,
        }


class ClaimFilter(NamedTuple):
    """What `list` narrows to; dates are the inclusive bounds of said_start."""

    speaker_id: int | None = None
    tag: str | None = None
    outlet: str | None = None
    kind: str | None = None
    since: str | None = None
    until: str | None = None
    verdict: str | None = None
    attribution: str | None = None
    has_evidence: bool | None = None
    as_of: str | None = None
    # The claim's latest verification result, or "none": never verified.
    verification: str | None = None
    # Claims with a history entry by this author, or recorded at or after this time (ISO 8601, UTC).
    changed_by: str | None = None
    changed_since: str | None = None
