"""Import of interchange records: checked records applied a batch at a time, new claims inserted in bulk.

A record of a claim the database already has is merged by time (claimtrack.store.merging); records go out
through claimtrack.store.export.
"""

from __future__ import annotations

import contextlib
from array import array
from typing import Iterator

from claimtrack import dates, names
from claimtrack.merge import SOURCE_FIELDS, in_effect
from claimtrack.model import DEFAULT_ATTRIBUTION, DEFAULT_VERDICT
from claimtrack.store.base import now
from claimtrack.urls import normalize_url

# The search index's buffer of pending terms: FTS5's default, and what a bulk load uses (8 MiB).
FTS_BUFFER = 1024 * 1024
FTS_LOAD_BUFFER = 8 * 1024 * 1024
def _marks(values) -> str:
    return ", ".join("?" for _ in values)


class InterchangeMixin:
    """Import of interchange records."""

    @contextlib.contextmanager
    def bulk_import(self) -> Iterator[None]:
        """Inside a write transaction: new claims indexed for search a batch at a time, not row by row.

        Into a database with no claims yet, the lookup indexes of claims, tags, evidence and history are
        also built once at the end (one sort each) instead of row by row; they come back at once if
        the import meets a claim it already holds, which needs them to merge.
        """
        # A larger page cache keeps the indexes a big import touches in memory (64 MiB).
        self.conn.execute("PRAGMA cache_size = -65536")
        empty = self.no_claims()
        # Each speaker's names for the search index are worked out once, not once per claim ("names"); into
        # an empty database an alias does not refresh the search rows of its speaker's claims on the way
        # (that looks claims up by speaker, an index set aside): the speakers it renames do, at the end.
        self._caches = {"speaker": {}, "tag": {}, "page": {}, "names": {}, "renamed": set()}
        triggers = self._drop_triggers(("claims_fts_insert", "aliases_fts_insert") if empty else ("claims_fts_insert",))
        self._set_aside_sql = self._drop_lookup_indexes() if empty else []
        # ... and the unique index of claim uuids: 63 of their random bits, kept in memory, tell whether
        # the file repeats a claim (16 MiB for a million claims).
        self._claim_keys = _KeySet() if empty else None
        # Pending search terms are held in memory until this much is gathered: fewer segments to merge.
        self.conn.execute("INSERT INTO claims_fts (claims_fts, rank) VALUES ('hashsize', ?)", (FTS_LOAD_BUFFER,))
        with self.inserts_logged_as_ranges() if self._change is not None else contextlib.nullcontext():
            yield
        # The indexes are built by sorting, which takes memory in proportion to the page cache: a small
        # cache now builds them faster and in a third of the memory.
        self.conn.execute("PRAGMA cache_size = -16384")
        self.conn.execute("PRAGMA threads = 1")  # the index builds' sorts may use a second core
        self._restore_indexes()
        self.conn.execute("PRAGMA threads = 0")
        if empty:
            from claimtrack.search_schema import SPEAKER_NAMES, SPEAKER_REFRESH

            refresh = SPEAKER_REFRESH.format(names=SPEAKER_NAMES.format("?1"), who="?1")
            for speaker_id in sorted(self._caches["renamed"]):
                self.conn.execute(refresh, (speaker_id,))
                self.conn.execute("UPDATE claims_fts SET speaker_grams = claimtrack_grams(speaker) "
                                  "WHERE rowid IN (SELECT id FROM claims WHERE speaker_id = ?)", (speaker_id,))
        self.conn.execute("INSERT INTO claims_fts (claims_fts, rank) VALUES ('hashsize', ?)", (FTS_BUFFER,))
        for sql in triggers:
            self.conn.execute(sql)
        self._caches = None

    def _drop_triggers(self, triggers: tuple[str, ...]) -> list[str]:
        """Drop the named triggers; their definitions, to restore."""
        rows = self.conn.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({_marks(triggers)})", triggers
        ).fetchall()
        for name, _ in rows:
            self.conn.execute(f'DROP TRIGGER "{name}"')
        return [sql for _, sql in rows]

    def _drop_lookup_indexes(self) -> list[str]:
        """Drop the indexes a bulk load would update row by row (the non-unique ones and that of claim uuids);
        their definitions, to restore."""
        rows = self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({_marks(BULK_TABLES)}) AND (upper(sql) NOT LIKE 'CREATE UNIQUE %' OR name = ?) "
            f"AND name NOT IN ({_marks(LOAD_LOOKUPS)}) ORDER BY name",
            (*BULK_TABLES, CLAIM_UUIDS, *LOAD_LOOKUPS),
        ).fetchall()
        for name, _ in rows:
            self.conn.execute(f'DROP INDEX "{name}"')
        return [sql for _, sql in rows]

    def _restore_indexes(self) -> None:
        for sql in getattr(self, "_set_aside_sql", ()):
            self.conn.execute(sql)
        self._set_aside_sql = []
        self._claim_keys = None

    def apply_records(self, records: list[dict], complete=None) -> list[str]:
        """Apply a batch of validated records (no uuid twice): new claims in bulk, known ones merged one by one.

        A record may hold just "uuid", "speaker" and its prepared "_rows"; COMPLETE then gives the whole
        record, which merging a known claim needs.
        """
        complete = complete or (lambda record: record)
        trashed = self.trashed_uuids([r["uuid"] for r in records])
        if trashed:
            # A claim deleted here stays deleted: restoring it is the user's call (claimtrack restore).
            kept = [r for r in records if r["uuid"] not in trashed]
            outcomes = iter(self.apply_records(kept, complete) if kept else [])
            return ["trashed" if r["uuid"] in trashed else next(outcomes) for r in records]
        keys = getattr(self, "_claim_keys", None)
        if keys is not None:
            # Loading into an empty database: only this load's own claims can be known. At the first key
            # met again (a repeated claim, or very rarely another uuid with the same 63 bits) the indexes
            # come back and uuids are compared whole from then on.
            if keys.add_new([_claim_key(r["uuid"]) for r in records]):
                self._insert_new(records)
                return ["added"] * len(records)
            self._restore_indexes()
        known = dict(self.conn.execute(
            f"SELECT uuid, id FROM claims WHERE uuid IN ({_marks(records)})", [r["uuid"] for r in records]
        ).fetchall())
        if known:
            self._restore_indexes()  # merging looks a claim's tags, evidence and history up by claim id
        outcomes = []
        fresh = [r for r in records if r["uuid"] not in known]
        if fresh:
            self._insert_new(fresh)
        for record in records:
            outcomes.append("added" if record["uuid"] not in known else self.apply_record(complete(record)))
        return outcomes

    def _insert_new(self, records: list[dict]) -> None:
        """Insert claims that are not in the database yet, with all that belongs to them, in few statements."""
        next_evidence, next_history, next_appearance = self.conn.execute(
            "SELECT (SELECT coalesce(max(id), 0) FROM evidence), (SELECT coalesce(max(id), 0) FROM history), "
            "(SELECT coalesce(max(id), 0) FROM appearances)"
        ).fetchone()
        next_claim = self.last_claim_id()
        claims, tags, appearances, evidence, history, cited = [], [], [], [], [], []
        prepared = [record.get("_rows") or prepare(record) for record in records]
        bulk = getattr(self, "_caches", None) is not None
        if bulk:
            self.conn.executemany(
                f"INSERT INTO sources (id, {', '.join(_SOURCE_ROW)}) VALUES ({_marks(range(len(_SOURCE_ROW) + 1))})",
                self._prefetch_sources(prepared),
            )
        prefetched = self._caches["page"] if bulk else None
        source_id = lambda page: self._page_id(page, prefetched)  # noqa: E731
        for record, (claim, said_start, source, tag_names, seen_in, items, changes) in zip(records, prepared):
            next_claim += 1
            speaker = record["speaker"]
            speaker_id = self._cached("speaker", speaker["name"], tuple(speaker["aliases"]),
                                      lambda: self._speaker_for_record(speaker))
            claims.append((next_claim, *claim, speaker_id, source_id(source)))
            for tag in tag_names:
                tags.append((self._cached("tag", tag, (), lambda: self._tag_id(tag)), next_claim, said_start))
            for uuid, page, added_at in seen_in:
                next_appearance += 1
                appearances.append((next_appearance, uuid, next_claim, source_id(page), added_at))
            evidence_ids = {}
            for uuid, page, *rest in items:
                next_evidence += 1
                evidence_ids[uuid] = next_evidence
                evidence.append((next_evidence, uuid, next_claim, source_id(page), *rest))
            for change, evidence_uuids in changes:
                next_history += 1
                history.append((next_history, change[0], next_claim, *change[1:]))
                cited += [(next_history, evidence_ids[u]) for u in evidence_uuids if u in evidence_ids]
        self.conn.executemany(
            "INSERT INTO claims (id, uuid, kind, text, text_key, role, said_on, said_precision, said_text, "
            "said_approximate, said_qualifier, said_start, context, note, created_at, updated_at, verdict, "
            "attribution, speaker_id, source_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            claims,
        )
        if bulk:  # (outside a bulk import the claims_fts_insert trigger makes each claim's search row)
            from claimtrack.search_schema import FTS_COLUMNS

            # Names as they stand once the batch's speakers and aliases are in: id, text, context, speaker id.
            # (claimtrack_grams returns at once for text with no unspaced letters: most claims)
            self.conn.executemany(
                f"INSERT INTO claims_fts ({FTS_COLUMNS}) VALUES (?1, ?2, ?3, ?4, claimtrack_grams(?2), "
                "claimtrack_grams(?3), claimtrack_grams(?4))",
                [(row[0], row[3], row[12] or "", self._search_names(row[-2])) for row in claims],
            )
        self.conn.executemany("INSERT OR IGNORE INTO claim_tags (tag_id, claim_id, said_start) VALUES (?, ?, ?)", tags)
        self.conn.executemany(
            "INSERT OR IGNORE INTO appearances (id, uuid, claim_id, source_id, added_at) VALUES (?, ?, ?, ?, ?)",
            appearances,
        )
        self.conn.executemany(
            "INSERT INTO evidence (id, uuid, claim_id, source_id, stance, quote, note, added_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            evidence,
        )
        self.conn.executemany(
            "INSERT INTO history (id, uuid, claim_id, at, effective_on, effective_precision, effective_start, "
            "field, old, new, note, retracted_at, retraction_note, author) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            history,
        )
        self.conn.executemany("INSERT INTO history_evidence (history_id, evidence_id) VALUES (?, ?)", cited)

    def _cached(self, kind: str, key, extra, make):
        """An id from this import's cache, made once (outside a bulk import: made every time)."""
        caches = getattr(self, "_caches", None)
        if caches is None:
            return make()
        cache = caches[kind]
        if (key, extra) not in cache:
            cache[(key, extra)] = make()
        return cache[(key, extra)]

    def _search_names(self, speaker_id: int) -> str:
        """A speaker's names as the search index holds them (as the claims_fts_insert trigger writes them)."""
        cache = self._caches["names"]
        if speaker_id not in cache:
            from claimtrack.search_schema import SPEAKER_NAMES

            cache[speaker_id] = self.conn.execute(f"SELECT {SPEAKER_NAMES.format('?')}", (speaker_id,)).fetchone()[0]
        return cache[speaker_id]

    def _prefetch_sources(self, prepared: list[tuple]) -> list[tuple]:
        """Ids for every page a batch cites: known ones in one query, new ones numbered for one insert."""
        # Only this batch's pages are kept: earlier ones are in the database now, found by the query below.
        cache = self._caches["page"]
        cache.clear()
        wanted: dict[str, tuple] = {}
        for _, _, source, _, seen_in, items, _ in prepared:
            for page in (source, *(a[1] for a in seen_in), *(e[1] for e in items)):
                if page and page[0] is not None:
                    wanted.setdefault(page[0], page[1])
        keys = list(wanted)
        for start in range(0, len(keys), 900):
            chunk = keys[start:start + 900]
            for key, source_id, recorded_at in self.conn.execute(
                f"SELECT url_key, id, created_at FROM sources WHERE url_key IN ({_marks(chunk)})", chunk
            ):
                cache[key] = source_id
                self._recorded_earlier(source_id, recorded_at, wanted[key][-1])
        next_id = self.conn.execute("SELECT coalesce(max(id), 0) FROM sources").fetchone()[0]
        rows = []
        for key, row in wanted.items():
            if key not in cache:
                next_id += 1
                cache[key] = next_id
                rows.append((next_id, *row))
        return rows

    def _page_id(self, page: tuple | None, prefetched: dict | None = None) -> int | None:
        """The id of a prepared page's source: by its address (from PREFETCHED, a bulk import's batch, if given)
        or, without one, by its details; made if new."""
        if page is None:
            return None
        url_key, row, source = page
        if url_key is not None and prefetched is not None:
            return prefetched[url_key]
        found = self._known_source(page)
        row = row or _source_row(source, None)
        if found is not None:
            self._recorded_earlier(found, None, row[-1])
            return found
        return self.conn.execute(f"INSERT INTO sources ({', '.join(_SOURCE_ROW)}) VALUES ({_marks(row)})", row).lastrowid

    def _known_source(self, page: tuple) -> int | None:
        """The id of the source a prepared page is, if the database has it: by its address, else its details."""
        url_key, _, source = page
        if url_key is not None:
            found = self.conn.execute("SELECT id FROM sources WHERE url_key = ?", (url_key,)).fetchone()
        else:
            found = self.conn.execute(
                UNADDRESSED_SOURCE, (source.get("outlet"), source.get("title"), source.get("published_on"))
            ).fetchone()
        return found[0] if found else None

    def _recorded_earlier(self, source_id: int, stored: str | None, recorded_at: str | None) -> bool:
        """A page is recorded when either database first recorded it: the earlier time of the two, whichever
        side imports the other (STORED: the page's time as stored, if known); whether that changed it."""
        if stored is None:
            stored = self.conn.execute("SELECT created_at FROM sources WHERE id = ?", (source_id,)).fetchone()[0]
        if recorded_at is None or recorded_at >= stored:
            return False
        self.conn.execute("UPDATE sources SET created_at = ? WHERE id = ?", (recorded_at, source_id))
        return True

    def _tag_id(self, tag: str) -> int:
        self.conn.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", (tag,))
        return self.conn.execute("SELECT id FROM tags WHERE name = ?", (tag,)).fetchone()[0]

    def _speaker_for_record(self, speaker: dict) -> int:
        names_given = [speaker["name"], *speaker.get("aliases", [])]
        speaker_id = next((found for n in names_given if (found := self.find_speaker(n)) is not None), None)
        if speaker_id is None:
            speaker_id = self.conn.execute(
                "INSERT INTO speakers (name, key, created_at) VALUES (?, ?, ?)",
                (speaker["name"], names.speaker_key(speaker["name"]), now()),
            ).lastrowid
            self._index_words(speaker_id, speaker["name"])
        self._add_aliases(speaker_id, names_given)
        return speaker_id

    def _add_aliases(self, speaker_id: int, given: list[str]) -> bool:
        """Make each of the names GIVEN that no speaker has yet an alias of SPEAKER_ID; whether any was new."""
        added = False
        for alias in given:
            if self.find_speaker(alias) is None:
                self.conn.execute(
                    "INSERT INTO aliases (speaker_id, alias, key) VALUES (?, ?, ?)",
                    (speaker_id, alias, names.speaker_key(alias)),
                )
                self._index_words(speaker_id, alias)
                self._renamed(speaker_id)
                added = True
        return added

    def _renamed(self, speaker_id: int) -> None:
        """In a bulk import: the speaker's claims already indexed for search have its old names."""
        caches = getattr(self, "_caches", None)
        if caches is not None and caches["names"].pop(speaker_id, None) is not None:
            caches["renamed"].add(speaker_id)

_SOURCE_ROW = (*SOURCE_FIELDS, "url_key", "outlet_key", "created_at")
# Tables whose non-unique indexes a load into an empty database builds once at the end.
BULK_TABLES = ("claims", "claim_tags", "sources", "evidence", "history", "appearances", "history_evidence")
# ... and the unique index of claim uuids (apply_records keeps their track in memory instead) ...
CLAIM_UUIDS = "idx_claims_uuid"
# ... except those the load itself looks things up by.
LOAD_LOOKUPS = ("idx_sources_unaddressed",)
# A source without a URL is the same source when outlet, title and date agree. INDEXED BY: without
# statistics SQLite would pick the url_key index and read every unaddressed source for each lookup.
UNADDRESSED_SOURCE = (
    "SELECT id FROM sources INDEXED BY idx_sources_unaddressed "
    "WHERE url_key IS NULL AND outlet IS ? AND title IS ? AND published_on IS ?"
)


def _claim_key(uuid: str) -> int:
    """64 bits of a canonical uuid that are random in every version (not its version or variant digits)."""
    return int(uuid[:8] + uuid[9:13] + uuid[15:18] + uuid[20], 16)


class _KeySet:
    """A set of 64-bit keys in one flat array (open addressing): a tenth of the memory of a set of ints."""

    def __init__(self) -> None:
        self._slots = array("Q", bytes(8 * 1024))
        self._count = 0

    def add_new(self, keys: list[int]) -> bool:
        """Add KEYS and return True; False as soon as one is there already (the set is then left unfinished)."""
        slots = self._slots
        mask = len(slots) - 1
        for key in keys:
            key |= 1  # 0 marks an empty slot (so keys are 63 bits)
            at = key & mask
            while slots[at]:
                if slots[at] == key:
                    return False
                at = (at + 1) & mask
            slots[at] = key
        self._count += len(keys)
        if self._count * 2 > mask:
            self._grow()
        return True

    def _grow(self) -> None:
        old = self._slots
        self._slots = array("Q", bytes(16 * len(old)))
        mask = len(self._slots) - 1
        for key in filter(None, old):
            at = key & mask
            while self._slots[at]:
                at = (at + 1) & mask
            self._slots[at] = key


def prepare(record: dict) -> tuple:
    """What a new claim's rows need that does not depend on the database, worked out once.

    Runs where the record is parsed (in the parsing processes of a large import), and is kept on the
    record as "_rows": (claim columns, said_start, page, tags, appearances, evidence, history), where
    a page is (url key, source columns, None) or, for a source without an address, (None, None, source),
    and history is ((uuid, columns...), cited evidence uuids).
    """
    said = _said(record)
    said_start = said.start.isoformat() if said else None
    history = []
    # The verdict and attribution changes, for the value the history leaves in effect (in_effect).
    standing: dict[str, list] = {"verdict": [], "attribution": []}
    for change in record["history"]:
        effective = dates.from_iso(change["effective_on"], change["effective_precision"])
        start = effective.start.isoformat()
        field = change["field"]
        retracted_at = change.get("retracted_at")
        history.append((
            (change["uuid"], change["at"], effective.value, effective.precision, start,
             field, change.get("old"), change.get("new"), change.get("note"),
             retracted_at, change.get("retraction_note"), change.get("author")),
            tuple(change["evidence"]),
        ))
        if field in standing:
            standing[field].append((start, change["at"], change["uuid"], change.get("old"), change["new"], retracted_at))
    claim = (
        record["uuid"], record["kind"], record["text"], names.text_hash(record["text"]), record.get("role"),
        said.value if said else None, said.precision if said else None, said.text if said else None,
        int(said.approximate) if said else 0, said.qualifier if said else None, said_start,
        record.get("context"), record.get("note"), record["created_at"], record["updated_at"],
        in_effect(standing["verdict"]) or DEFAULT_VERDICT, in_effect(standing["attribution"]) or DEFAULT_ATTRIBUTION,
    )
    rows = (
        claim, said_start, _page(record.get("source")), tuple(record["tags"]),
        tuple((a["uuid"], _page(a["source"]), a["added_at"]) for a in record["appearances"]),
        tuple((e["uuid"], _page(e["source"]), e["stance"], e.get("quote"), e.get("note"), e["added_at"],
               e.get("updated_at")) for e in record["evidence"]),
        tuple(history),
    )
    record["_rows"] = rows
    return rows


def _page(source: dict | None) -> tuple | None:
    if not source:
        return None
    url_key = normalize_url(source["url"]) if source.get("url") else None
    if url_key:
        return (url_key, _source_row(source, url_key), None)  # the row is all a page with an address needs
    return (None, None, source)  # one without is looked up by its details


def _source_row(source: dict, url_key: str | None) -> tuple:
    """The column values of a new source row, in the order of _SOURCE_ROW."""
    values = [source.get(field) for field in SOURCE_FIELDS]
    published_approximate = SOURCE_FIELDS.index("published_approximate")
    values[published_approximate] = int(bool(values[published_approximate])) if source.get("published_on") else None
    outlet = source.get("outlet")
    return (*values, url_key, names.fold(outlet) if outlet else None, source.get("recorded_at") or now())


def _said(record: dict):
    if not record.get("said_on"):
        return None
    return dates.from_iso(
        record["said_on"], record.get("said_precision"), approximate=record.get("said_approximate"),
        qualifier=record.get("said_qualifier"), text=record.get("said_text"),
    )
