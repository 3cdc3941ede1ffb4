"""Claims: reading them with every filter, full-text search, and adding, editing, deleting."""

from __future__ import annotations

import sqlite3
import uuid as uuidlib
from typing import Callable, Optional

from claimtrack import names
from claimtrack.dates import PartialDate, from_parts
from claimtrack.errors import ClaimtrackError
from claimtrack.model import (
    DEFAULT_ATTRIBUTION, DEFAULT_VERDICT, MARK_END, MARK_START, UNSET, Appearance, Claim, ClaimDraft,
    ClaimFilter, ClaimPatch, SearchHit, SourceDraft,
)
from claimtrack.store.base import now
from claimtrack.store.speakers import split_joined
from claimtrack.urls import normalize_url

_FTS_SYNTAX = set('"()*^:')
# The details of a page (a source) that a claim's edit can set, with the columns each is stored in.
_PAGE_DETAILS = {
    "outlet": ("outlet", "outlet_key"),
    "title": ("title",),
    "published": ("published_on", "published_precision", "published_approximate", "published_qualifier",
                  "published_text"),
}
# The claims that cite a page other than as their first source, and the history field that says so.
_CITING_PAGE = (
    ("appearance", "SELECT DISTINCT claim_id FROM appearances WHERE source_id = ? ORDER BY claim_id"),
    ("evidence", "SELECT DISTINCT claim_id FROM evidence WHERE source_id = ? ORDER BY claim_id"),
)
# How a relative said-date is read, given the publication date it counts from.
SaidFrom = Callable[[Optional[PartialDate]], Optional[PartialDate]]
_FTS_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
# The claim-object fields whose every change lands in the history.
TRACKED_FIELDS = (
    "text", "kind", "speaker", "role", "said_on", "said_precision", "said_qualifier", "source_url", "outlet",
    "title", "published_on", "tags", "context", "note",
)

# The standing of a claim as of a date: the latest change that had taken effect by then.
_STANDING_AS_OF = (
    "coalesce((SELECT h.new FROM history h WHERE h.claim_id = c.id AND h.field = '{field}' "
    "AND h.effective_start <= :as_of ORDER BY h.effective_start DESC, h.at DESC, h.id DESC LIMIT 1), '{default}')"
)
# Evidence counts as of a date once published, or, undated, once added.
EVIDENCE_BY_THEN = (
    " AND coalesce((SELECT published_on FROM sources WHERE id = e.source_id), substr(e.added_at, 1, 10))"
    " <= :as_of"
)
_CLAIM_COLUMNS = """
    c.id, c.uuid, c.kind, c.text, c.speaker_id, c.role,
    c.said_on, c.said_precision, c.said_text, c.said_approximate, c.said_qualifier,
    c.context, c.note, c.created_at, c.updated_at, c.source_id,
    {verdict} AS verdict, {attribution} AS attribution,
    s.name AS speaker,
    src.url AS source_url, src.outlet, src.title, src.published_on, src.published_precision,
    src.published_text, src.published_approximate, src.published_qualifier, src.archived_url,
    (SELECT group_concat(t.name, char(31)) FROM claim_tags ct JOIN tags t ON t.id = ct.tag_id
     WHERE ct.claim_id = c.id) AS tags
"""
_CLAIM_JOINS = "JOIN speakers s ON s.id = c.speaker_id LEFT JOIN sources src ON src.id = c.source_id"


def _columns(as_of: bool) -> str:
    if not as_of:
        return _CLAIM_COLUMNS.format(verdict="c.verdict", attribution="c.attribution")
    return _CLAIM_COLUMNS.format(
        verdict=_STANDING_AS_OF.format(field="verdict", default=DEFAULT_VERDICT),
        attribution=_STANDING_AS_OF.format(field="attribution", default=DEFAULT_ATTRIBUTION),
    )


class ClaimsMixin:
    """The claims half of the store."""

    # -- reading -------------------------------------------------------------------------

    def claim(self, claim_id: int, *, full: bool = False) -> Claim:
        """The claim with id CLAIM_ID (FULL: with its evidence and history), or an error naming the id."""
        row = self.conn.execute(
            f"SELECT {_columns(False)} FROM claims c {_CLAIM_JOINS} WHERE c.id = :id", {"id": claim_id}
        ).fetchone()
        if row is None:
            raise ClaimtrackError(f"There is no claim with id {claim_id}. Find ids with claimtrack list.")
        claim = self._with_appearances([row])[0]
        if full:
            claim = claim._replace(evidence=tuple(self.evidence(claim_id)), history=tuple(self.history(claim_id)))
        return claim

    def claims(self, where: ClaimFilter, limit: int | None = None) -> list[Claim]:
        """Claims matching WHERE, newest said first, undated last."""
        if where.as_of is None:
            sql, params = _claims_query(where, limit)
            return self._with_appearances(self.conn.execute(sql, params).fetchall())
        # As of a date, the dated claims are one range of the date index, read from that date down;
        # the undated ones follow. (One query with an OR of the two would scan from the newest claim.)
        rows: list[sqlite3.Row] = []
        for part in ("dated", "undated"):
            left = None if limit is None else limit - len(rows)
            if left == 0:
                break
            sql, params = _claims_query(where, left, part)
            rows += self.conn.execute(sql, params).fetchall()
        return self._with_appearances(rows)

    def query_plan(self, where: ClaimFilter, limit: int | None = 50) -> list[str]:
        """How SQLite would run `claims(where)`: for checking that every filter uses an index."""
        parts = ("dated", "undated") if where.as_of is not None else (None,)
        plan = []
        for part in parts:
            sql, params = _claims_query(where, limit, part)
            plan += [row[3] for row in self.conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
        return plan

    def _with_appearances(self, rows: list[sqlite3.Row]) -> list[Claim]:
        """Claims from rows, each with its appearances: the first source, then the repeats in date order."""
        ids = [row["id"] for row in rows]
        repeats: dict[int, list[Appearance]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ", ".join("?" for _ in chunk)
            for r in self.conn.execute(
                "SELECT a.claim_id, src.url, src.outlet, src.title, src.published_on, src.published_precision, "
                "src.published_text, src.published_approximate, src.published_qualifier, src.archived_url "
                f"FROM appearances a JOIN sources src ON src.id = a.source_id WHERE a.claim_id IN ({marks}) "
                "ORDER BY src.published_on IS NULL, src.published_on, a.id",
                chunk,
            ):
                repeats.setdefault(r["claim_id"], []).append(_appearance(r))
        claims = []
        for row in rows:
            first = [_appearance(row)] if row["source_id"] is not None else []
            claims.append(_claim_from_row(row, tuple(first + repeats.get(row["id"], []))))
        return claims

    def search(self, query: str, limit: int | None = None) -> list[SearchHit]:
        """Claims whose text, context or speaker names match QUERY, best first."""
        fts_query = to_fts_query(query)
        sql = (
            "SELECT rowid, bm25(claims_fts, 10.0, 2.0, 5.0) AS rank, "
            "highlight(claims_fts, 0, :start, :end) AS marked, snippet(claims_fts, -1, :start, :end, '…', 16) "
            "AS snippet FROM claims_fts WHERE claims_fts MATCH :query ORDER BY rank"
        )
        params: dict = {"start": MARK_START, "end": MARK_END, "query": fts_query}
        if limit is not None:
            sql += " LIMIT :limit"
            params["limit"] = limit
        try:
            rows = self.conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as error:
            raise ClaimtrackError(
                f"Cannot read the search query {query!r}: {error}. Put words in double quotes to search "
                "for them literally, or leave out the operators."
            ) from None
        return [SearchHit(self.claim(r["rowid"]), r["rank"], r["snippet"], r["marked"]) for r in rows]

    def find_duplicate(self, draft: ClaimDraft) -> int | None:
        """The id of a claim with the same text by the same speaker, if there is one."""
        speaker_id = self.find_speaker(draft.speaker)
        if speaker_id is None:
            return None
        key = names.text_key(draft.text)
        for claim_id, text in self.conn.execute(
            "SELECT id, text FROM claims WHERE speaker_id = ? AND text_key = ? ORDER BY id",
            (speaker_id, names.text_hash(draft.text)),
        ):
            if names.text_key(text) == key:
                return claim_id
        return None

    # -- writing -------------------------------------------------------------------------

    def add_claim(self, draft: ClaimDraft, *, said_from: SaidFrom | None = None) -> int:
        """Store a new claim in one transaction; return its id.

        SAID_FROM reads a relative said-date from the publication date of the page, given with the draft or
        else as the database knows the page: it is read inside the transaction, as it is when written.
        """
        with self.write():
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
        return claim_id

    def edit_claim(self, claim_id: int, patch: ClaimPatch | Callable[[Claim], ClaimPatch]) -> Claim:
        """Apply PATCH to a claim in one transaction, with a history row for every field that changed.

        PATCH may be a function that makes the patch from the claim as it is inside the transaction (a
        relative date counts from its publication date then), so no other process's change in between is
        lost. Returns the claim as changed.
        """
        with self.write():
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
        """Remove a claim with its tags, evidence, appearances and history; return it as it was.

        UNCHANGED_FROM is the claim as the user was shown it when asked to confirm: if it has changed since,
        nothing is deleted.
        """
        with self.write():
            claim = self.claim_to_change(claim_id)
            if unchanged_from is not None and claim != unchanged_from:
                raise ClaimtrackError(
                    f"Claim {claim_id} was changed while you were asked; nothing was deleted. "
                    "Look at it again (claimtrack show) and run the delete again."
                )
            self.conn.execute("DELETE FROM claim_tags WHERE claim_id = ?", (claim_id,))
            self.conn.execute(
                "DELETE FROM history_evidence WHERE evidence_id IN (SELECT id FROM evidence WHERE claim_id = ?)",
                (claim_id,),
            )
            self.conn.execute("DELETE FROM claims WHERE id = ?", (claim_id,))
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
            return page
        return self.db.table("sources").insert({**_source_columns(draft), "created_at": now()}).last_pk

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
        shown = SourceDraft(old["url"], old["outlet"], old["title"], published_from(old))
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


def _claims_query(where: ClaimFilter, limit: int | None, part: str | None = None) -> tuple[str, dict]:
    """The SELECT behind `claims`: fixed fragments joined, every value a named parameter.

    PART narrows an --as-of filter to the "dated" or the "undated" claims it keeps.
    """
    source, conditions, params, order_column, id_column = claim_conditions(where, part)
    sql = f"SELECT {_columns(where.as_of is not None)} FROM {source} {_CLAIM_JOINS}"
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
    sql += f" ORDER BY {order_column} DESC, {id_column} DESC"
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    return sql, params


def claim_conditions(where: ClaimFilter, part: str | None = None) -> tuple[str, list[str], dict, str, str]:
    """FROM clause, WHERE conditions, parameters and order columns for a filter (joins: _CLAIM_JOINS)."""
    conditions: list[str] = []
    params: dict = {}
    if where.tag is not None:
        # Drive from the tag index: it holds said_start, so the range and the order come from it.
        source = "claim_tags k JOIN claims c ON c.id = k.claim_id"
        order_column, id_column = "k.said_start", "k.claim_id"
        conditions.append("k.tag_id = (SELECT id FROM tags WHERE name = :tag)")
        params["tag"] = names.tag_name(where.tag)
    else:
        source = "claims c"
        order_column, id_column = "c.said_start", "c.id"
    if where.speaker_id is not None:
        conditions.append("c.speaker_id = :speaker_id")
        params["speaker_id"] = where.speaker_id
    if where.kind is not None:
        conditions.append("c.kind = :kind")
        params["kind"] = where.kind
    if where.outlet is not None:
        conditions.append("c.source_id IN (SELECT id FROM sources WHERE outlet_key = :outlet)")
        params["outlet"] = names.fold(where.outlet)
    if where.since is not None:
        conditions.append(f"{order_column} >= :since")
        params["since"] = where.since
    if where.until is not None:
        conditions.append(f"{order_column} <= :until")
        params["until"] = where.until
    as_of = where.as_of is not None
    if as_of:
        params["as_of"] = where.as_of
        # Left out: claims said after the date, or undated ones published after it. A reduced ISO
        # date compares with a day as its first day does, so "2024-02" <= "2024-02-01".
        dated = f"{order_column} <= :as_of"
        undated = "c.said_start IS NULL AND (src.published_on IS NULL OR src.published_on <= :as_of)"
        conditions.append({"dated": dated, "undated": undated}.get(part, f"({dated} OR ({undated}))"))
    for field, default in (("verdict", DEFAULT_VERDICT), ("attribution", DEFAULT_ATTRIBUTION)):
        wanted = getattr(where, field)
        if wanted is not None:
            column = _STANDING_AS_OF.format(field=field, default=default) if as_of else f"c.{field}"
            conditions.append(f"{column} = :{field}")
            params[field] = wanted
    if where.has_evidence is not None:
        by_then = EVIDENCE_BY_THEN if as_of else ""
        exists = f"EXISTS (SELECT 1 FROM evidence e WHERE e.claim_id = c.id{by_then})"
        conditions.append(exists if where.has_evidence else f"NOT {exists}")
    return source, conditions, params, order_column, id_column


def to_fts_query(query: str) -> str:
    """A plain query matches each word literally; one with FTS5 syntax is passed on as written."""
    text = query.strip()
    if not text:
        raise ClaimtrackError("The search query is empty. Give some words to search for.")
    if "\x00" in text:
        raise ClaimtrackError("The search query contains a NUL character. Remove it and try again.")
    if any(c in _FTS_SYNTAX for c in text) or _FTS_OPERATORS & set(text.split()):
        return text
    phrases = ['"' + chunk.replace('"', '""') + '"' for chunk in text.split() if any(c.isalnum() for c in chunk)]
    if not phrases:
        raise ClaimtrackError(f"The search query {query!r} has no words in it. Give some words to search for.")
    return " ".join(phrases)


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
    }


def published_from(row: sqlite3.Row) -> PartialDate | None:
    """The publication date of the source columns in ROW."""
    return from_parts(row["published_on"], row["published_precision"], row["published_approximate"],
                      row["published_qualifier"], row["published_text"])


def _appearance(row: sqlite3.Row) -> Appearance:
    return Appearance(row["source_url"] if "source_url" in row.keys() else row["url"], row["outlet"],
                      row["title"], published_from(row), row["archived_url"])


def _claim_from_row(row: sqlite3.Row, appearances: tuple[Appearance, ...]) -> Claim:
    return Claim(
        id=row["id"],
        uuid=row["uuid"],
        kind=row["kind"],
        text=row["text"],
        speaker=row["speaker"],
        speaker_id=row["speaker_id"],
        role=row["role"],
        said=from_parts(row["said_on"], row["said_precision"], row["said_approximate"],
                        row["said_qualifier"], row["said_text"]),
        source_url=row["source_url"],
        outlet=row["outlet"],
        title=row["title"],
        published=published_from(row),
        tags=tuple(sorted(split_joined(row["tags"]))),
        context=row["context"],
        note=row["note"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        verdict=row["verdict"],
        attribution=row["attribution"],
        appearances=appearances,
    )
