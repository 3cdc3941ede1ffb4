"""The store's side of `claimtrack extract`: the quotes accepted from one article, written as one change."""

from __future__ import annotations

from claimtrack.model import ClaimDraft, SourceDraft
from claimtrack.store.base import now

# The page details an article's own metadata can fill when the page has none.
FILLABLE_DETAILS = ("outlet", "title", "published")


class ExtractedMixin:
    """An article's accepted quotes, its page, and its snapshot, in one transaction (one undo)."""

    def add_extracted(self, given: SourceDraft, found: SourceDraft, drafts: list[ClaimDraft],
                      repeats: list[int], *, label: str, snapshot: tuple[dict, object] | None = None,
                      drifts: dict | None = None) -> dict:
        """Add DRAFTS as claims of the article's page and REPEATS (ids of claims it repeats) as appearances; DRIFTS
        (claim id -> (outcome, note)) marks those it prints with other words, as verify records drift.

        GIVEN holds the page details the user gave (they are set as given); FOUND those the article says of
        itself, which only fill what the page lacks: what was typed is never overwritten. SNAPSHOT, when the
        article was fetched for this, is the row and text (claimtrack.sources.capture) kept of the page.
        Returns the ids added: {"claims": [...], "appearances": [...], "already": [claims that list the page
        already], "source": id or None}.
        """
        added: dict = {"claims": [], "appearances": [], "already": [], "source": None}
        with self.write(f"extract of {label}"):
            url = given.url or found.url
            source_id = None
            if url:
                source_id = self._source_id_for(given._replace(url=url))
                self._fill_from(source_id, found)
                page = SourceDraft(url=url)
            else:
                # A page without an address is known by its details alone: each claim names them, as add does.
                page = given._replace(**{name: getattr(found, name) for name in FILLABLE_DETAILS
                                         if getattr(given, name) is None and getattr(found, name)})
            added["source"] = source_id
            for draft in drafts:
                added["claims"].append(self.add_claim(draft._replace(source=page)))
            for claim_id in repeats:
                if self._cites(claim_id, source_id, page):
                    added["already"].append(claim_id)  # the same article read again
                    continue
                added["appearances"].append(self.add_appearance(claim_id, page))
                if drifts and claim_id in drifts:
                    # The article prints the quote with other words: the drift is kept as verify keeps it.
                    outcome, note = drifts[claim_id]
                    self.record_verification(claim_id, {**outcome, "appearance_of": source_id, "source_url": url,
                                                         "outlet": given.outlet or found.outlet},
                                             at=now(), note=note, effective=given.published or found.published)
            if snapshot is not None and source_id is not None:
                self.record_snapshot(source_id, *snapshot)
            parts = [f"{len(added['claims'])} claim{'s' if len(added['claims']) != 1 else ''} added"]
            if added["appearances"]:
                parts.append(f"{len(added['appearances'])} appearance{'s' if len(added['appearances']) != 1 else ''}")
            self.describe_change(f"extract of {label}: {', '.join(parts)}")
        return added

    def _fill_from(self, source_id: int, found: SourceDraft) -> None:
        """Set the page's empty outlet, title and publication date from FOUND."""
        row = self.conn.execute("SELECT outlet, title, published_on FROM sources WHERE id = ?", (source_id,)).fetchone()
        current = {"outlet": row[0], "title": row[1], "published": row[2]}
        details = {name: getattr(found, name) for name in FILLABLE_DETAILS
                   if current[name] in (None, "") and getattr(found, name)}
        self._change_page(source_id, details)

    def _cites(self, claim_id: int, source_id: int | None, page: SourceDraft) -> bool:
        """True when the claim has the page as its first source or an appearance (a page without an address:
        one with the same outlet, title and publication date)."""
        cited = self.conn.execute(
            "SELECT source_id FROM claims WHERE id = ? AND source_id IS NOT NULL UNION "
            "SELECT source_id FROM appearances WHERE claim_id = ?", (claim_id, claim_id)).fetchall()
        if source_id is not None:
            return any(row[0] == source_id for row in cited)
        published = page.published.value if page.published else None
        for (cited_id,) in cited:
            row = self.conn.execute("SELECT url, outlet, title, published_on FROM sources WHERE id = ?",
                                    (cited_id,)).fetchone()
            if row[0] is None and (row[1], row[2], row[3]) == (page.outlet, page.title, published):
                return True
        return False
