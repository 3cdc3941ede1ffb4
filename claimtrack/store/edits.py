"""Claims written: adding, editing and deleting them, and the pages (sources) they cite."""

from __future__ import annotations

import uuid as uuidlib
from typing import Callable, Optional

from claimtrack import names
from claimtrack.dates import PartialDate
from claimtrack.errors import ClaimtrackError
from claimtrack.model import DEFAULT_ATTRIBUTION, DEFAULT_VERDICT, UNSET, Claim, ClaimDraft, ClaimPatch, SourceDraft
from claimtrack.store.base import now
from claimtrack.store.claims import published_from
from claimtrack.urls import normalize_url

# The details of a page (a source) that a claim's edit can set, with the columns each is stored in.
_PAGE_DETAILS = {
    "outlet": ("outlet", "outlet_key"),
    "title": ("title",),
    "published": ("published_on", "published_precision", "published_approximate", "published_qualifier",
                  "published_text"),
    "archived_url": ("archived_url",),
}
# The claims that cite a page other than as their first source, and the history field that says so.
_CITING_PAGE = (
    ("appearance", "SELECT DISTINCT claim_id FROM appearances WHERE source_id = ? ORDER BY claim_id"),
    ("evidence", "SELECT DISTINCT claim_id FROM evidence WHERE source_id = ? ORDER BY claim_id"),
)
# How a relative said-date is read, given the publication date it counts from.
SaidFrom = Callable[[Optional[PartialDate]], Optional[PartialDate]]
# The claim-object fields whose every change lands in the history.
TRACKED_FIELDS = (
    "text", "kind", "speaker", "role", "said_on", "said_precision", "said_qualifier", "source_url", "outlet",
    "title", "published_on", "tags", "context", "note",
)


class EditsMixin:
    """The writing half of the claims: every method is one transaction that reads what it changes inside it."""

    def add_claim(self, draft: ClaimDraft, *, said_from: SaidFrom | None = None) -> int:
        """Store a new claim in one transaction; return its id.

        SAID_FROM reads a relative said-date from the publication date of the page, given with the draft or
        else as the database knows the page: it is read inside the transaction, as it is when written.
        """
        with self.write("claim added"):
            if said_from is not None:
                published = draft.source.published or self._known_published(draft.source.url)
                draft = draft._replace(said=said_from(published))
            speaker_id = self._speaker_id_for(draft.speaker)
            stamp = now()
            source_id = self._source_id_for(draft.source, at=stamp)
            claim_id = self.db.table("claims").insert(
                {
                    "id": self.last_claim_id() + 1,
                    "uuid": str(uuidlib.uuid4()),
                    "kind": draft.kind,
                    "text": draft.text,
                    "text_key": names.text_hash(draft.text),
                    "speaker_id": speaker_id,
                    "role": draft.role,
                    **_said_columns(draft.said),
                    "source_id": source_id,
                    "context": draft.context,
                    "note": draft.note,
                    "created_at": stamp,
                    "updated_at": stamp,
                    "verdict": DEFAULT_VERDICT,
                    "attribution": DEFAULT_ATTRIBUTION,
                }
            ).last_pk
            self._tag(claim_id, draft.tags)
            self.record_change(claim_id, "created", None, draft.kind, at=stamp)
            self.describe_change(f"claim {claim_id} added ({draft.speaker})")
        return claim_id

    def edit_claim(self, claim_id: int, patch: ClaimPatch | Callable[[Claim], ClaimPatch]) -> Claim:
        """Apply PATCH to a claim in one transaction, with a history row for every field that changed.

        PATCH may be a function that makes the patch from the claim as it is inside the transaction (a
        relative date counts from its publication date then), so no other process's change in between is
        lost. Returns the claim as changed.
        """
        with self.write(f"claim {claim_id} edited"):
            before = self.claim_to_change(claim_id)
            if callable(patch):
                patch = patch(before)
            stamp = now()
            changes: dict = {}
            if patch.text is not UNSET:
                changes["text"] = patch.text
                changes["text_key"] = names.text_hash(patch.text)
            if patch.speaker is not UNSET:
                changes["speaker_id"] = self._speaker_id_for(patch.speaker)
            for name in ("kind", "role", "context", "note"):
                value = getattr(patch, name)
                if value is not UNSET:
                    changes[name] = value
            if patch.said is not UNSET:
                changes.update(_said_columns(patch.said))
            source_fields = {
                name: getattr(patch, name)
                for name in ("url", "outlet", "title", "published")
                if getattr(patch, name) is not UNSET
            }
            if source_fields:
                changes["source_id"] = self._edited_source(claim_id, before, source_fields, at=stamp)
            changes["updated_at"] = stamp
            self.db.table("claims").update(claim_id, changes)
            self._tag(claim_id, patch.add_tags)
            for tag in patch.remove_tags:
                self.conn.execute(
                    "DELETE FROM claim_tags WHERE claim_id = ? AND tag_id = (SELECT id FROM tags WHERE name = ?)",
                    (claim_id, tag),
                )
            after = self.claim(claim_id)
            self._record_differences(before, after, at=stamp)
            old, new = before.to_dict(), after.to_dict()
            changed = [f for f in TRACKED_FIELDS if old[f] != new[f]]
            if changed:
                self.describe_change(f"claim {claim_id} edited: {', '.join(changed)}")
        return after

    def claim_to_change(self, claim_id: int) -> Claim:
        """The claim a write is about, read inside the write's transaction; a deleted one is named as such."""
        try:
            return self.claim(claim_id)
        except ClaimtrackError:
            if not 0 < claim_id <= self.last_claim_id():
                raise
        # Its id was given out, so it existed: most likely another claimtrack deleted it meanwhile.
        raise ClaimtrackError(f"There is no claim with id {claim_id}: it was deleted. Nothing was changed.")

    def _record_differences(self, before: Claim, after: Claim, *, at: str, note: str | None = None,
                            skip: set = frozenset()) -> None:
        """A history row for each tracked field that differs, but those SKIP already holds as (field, new)."""
        old, new = before.to_dict(), after.to_dict()
        for field in TRACKED_FIELDS:
            value = _history_value(new[field])
            if old[field] != new[field] and (field, value) not in skip:
                self.record_change(before.id, field, _history_value(old[field]), value, note=note, at=at)

    def delete_claim(self, claim_id: int, *, unchanged_from: Claim | None = None) -> Claim:
        """Move a claim, with its tags, evidence, appearances and history, to the trash; return it as it was.

        UNCHANGED_FROM is the claim as the user was shown it when asked to confirm: if it has changed since,
        nothing is deleted.
        """
        with self.write(f"claim {claim_id} deleted"):
            claim = self.claim_to_change(claim_id)
            if unchanged_from is not None and claim != unchanged_from:
                raise ClaimtrackError(
                    f"Claim {claim_id} was changed while you were asked; nothing was deleted. "
                    "Look at it again (claimtrack show) and run the delete again."
                )
            self._to_trash(claim_id, claim.speaker, claim.text)
            # A deleted claim's id is never given to another claim: citations of "#5" stay true.
            self.conn.execute(
                "INSERT INTO claimtrack_meta (key, value) VALUES ('claim_id_high_water', ?) ON CONFLICT (key) "
                "DO UPDATE SET value = max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))",
                (claim_id,),
            )
        return claim

    def last_claim_id(self) -> int:
        """The highest id any claim has had, deleted ones included."""
        return self.conn.execute(
            "SELECT max(coalesce((SELECT max(id) FROM claims), 0), coalesce((SELECT CAST(value AS INTEGER) "
            "FROM claimtrack_meta WHERE key = 'claim_id_high_water'), 0))"
        ).fetchone()[0]

    def _tag(self, claim_id: int, tags: tuple[str, ...]) -> None:
        for tag in tags:
            self.conn.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", (tag,))
            self.conn.execute(
                "INSERT OR IGNORE INTO claim_tags (tag_id, claim_id, said_start) "
                "SELECT t.id, c.id, c.said_start FROM tags t, claims c WHERE t.name = ? AND c.id = ?",
                (tag, claim_id),
            )

    # -- sources -------------------------------------------------------------------------

    def _known_page(self, url: str | None) -> int | None:
        """The source that is the page at URL (by normalised URL), if the database knows it."""
        if not url:
            return None
        row = self.conn.execute("SELECT id FROM sources WHERE url_key = ?", (normalize_url(url),)).fetchone()
        return row[0] if row else None

    def _known_published(self, url: str | None) -> PartialDate | None:
        """The publication date the database knows for the page at URL."""
        page = self._known_page(url)
        if page is None:
            return None
        return published_from(self.conn.execute("SELECT * FROM sources WHERE id = ?", (page,)).fetchone())

    def _source_id_for(self, draft: SourceDraft, *, at: str | None = None) -> int | None:
        """The source a draft names: the same page (by normalised URL) is one source.

        Of a known page, only the details the draft gives are changed (what is not given stays as it is), and
        every claim citing the page has the change in its history.
        """
        if draft == SourceDraft():
            return None
        page = self._known_page(draft.url)
        if page is not None:
            given = {name: getattr(draft, name) for name in _PAGE_DETAILS if getattr(draft, name) is not None}
            self._change_page(page, given, at=at)
        else:
            page = self.db.table("sources").insert({**_source_columns(draft), "created_at": now()}).last_pk
        if draft.archived_url:
            self._note_archive(page, draft.archived_url, archived_at=None, via="given", job_id=None, at=at or now())
        return page

    def _edited_source(self, claim_id: int, current: Claim, fields: dict, *, at: str) -> int | None:
        """The source id after an edit of its URL, outlet, title or publication date (None in FIELDS clears).

        Without a new URL the claim's page itself is corrected. A new URL that the database knows is that
        page, changed only in what FIELDS gives; a new one keeps the details the claim had.
        """
        details = {name: value for name, value in fields.items() if name != "url"}
        row = self.conn.execute("SELECT source_id FROM claims WHERE id = ?", (claim_id,)).fetchone()
        if "url" not in fields and row[0] is not None:
            self._change_page(row[0], details, at=at, edited_claim=claim_id)
            return row[0]
        page = self._known_page(fields.get("url"))
        if page is not None:
            self._change_page(page, details, at=at, edited_claim=claim_id)
            return page
        draft = SourceDraft(**{
            "url": current.source_url, "outlet": current.outlet, "title": current.title,
            "published": current.published, **fields,
        })
        if draft == SourceDraft():
            return None
        return self.db.table("sources").insert({**_source_columns(draft), "created_at": now()}).last_pk

    def _change_page(self, source_id: int, details: dict, *, at: str | None = None,
                     edited_claim: int | None = None) -> None:
        """Set the DETAILS given (outlet, title, published) of a page, and record the change on every claim
        that cites it: as first source, appearance or evidence.

        EDITED_CLAIM is the claim being edited onto this page: its own history rows come from the edit.
        """
        if not details:
            return
        old = self.conn.execute("SELECT * FROM sources WHERE id = ?", (source_id,)).fetchone()
        shown = SourceDraft(old["url"], old["outlet"], old["title"], published_from(old), old["archived_url"])
        new = _source_columns(shown._replace(**details))
        updates = {
            column: new[column] for name in details for column in _PAGE_DETAILS[name] if old[column] != new[column]
        }
        if not updates:
            return
        self.db.table("sources").update(source_id, updates)
        # In the claims' histories as `show` names them: outlet, title, published_on.
        changes = [
            (columns[0], old[columns[0]], new[columns[0]])
            for name, columns in _PAGE_DETAILS.items() if name in details
            and any(old[c] != new[c] for c in columns if c not in ("outlet_key", "published_text"))
        ]
        if not changes:
            return
        stamp = at or now()
        note = f"details of {old['url'] or 'the source'} changed"
        for claim_id in [r[0] for r in self.conn.execute("SELECT id FROM claims WHERE source_id = ?", (source_id,))]:
            if claim_id == edited_claim:
                continue
            for field, before, after in changes:
                self.record_change(claim_id, field, before, after, note=note, at=stamp)
            self.conn.execute("UPDATE claims SET updated_at = ? WHERE id = ?", (stamp, claim_id))
        for kind, citing in _CITING_PAGE:
            for (claim_id,) in self.conn.execute(citing, (source_id,)).fetchall():
                for field, before, after in changes:
                    self.record_change(claim_id, kind, f"{field}: {before}", f"{field}: {after}", note=note, at=stamp)


def _history_value(value) -> str | None:
    if isinstance(value, list):
        return ", ".join(value) if value else None
    return None if value is None else str(value)


def _said_columns(said: PartialDate | None) -> dict:
    return {
        "said_on": said.value if said else None,
        "said_precision": said.precision if said else None,
        "said_text": said.text if said else None,
        "said_approximate": int(said.approximate) if said else 0,
        "said_qualifier": said.qualifier if said else None,
        "said_start": said.start.isoformat() if said else None,
    }


def _source_columns(draft: SourceDraft) -> dict:
    published = draft.published
    return {
        "url": draft.url,
        "url_key": normalize_url(draft.url) if draft.url else None,
        "outlet": draft.outlet,
        "outlet_key": names.fold(draft.outlet) if draft.outlet else None,
        "title": draft.title,
        "published_on": published.value if published else None,
        "published_precision": published.precision if published else None,
        "published_text": published.text if published else None,
        "published_approximate": int(published.approximate) if published else None,
        "published_qualifier": published.qualifier if published else None,
        "archived_url": draft.archived_url,
    }
