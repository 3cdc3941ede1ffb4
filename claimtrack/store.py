"""The SQLite store: opening, upgrading, reading and writing claims. All SQL lives here.

Reads run on the standard library's sqlite3 connection; sqlite-utils is imported
only for writes and migrations, so everyday read commands start fast.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import stat
import uuid as uuidlib
from pathlib import Path
from typing import Iterator

from claimtrack import names
from claimtrack.dates import PartialDate, from_parts
from claimtrack.errors import ClaimtrackError
from claimtrack.model import (
    MARK_END, MARK_START, UNSET, Claim, ClaimDraft, ClaimFilter, ClaimPatch, SearchHit, Speaker, SourceDraft,
)
from claimtrack.urls import normalize_url

SCHEMA_VERSION = 1
BUSY_TIMEOUT_SECONDS = 30
SQLITE_HEADER = b"SQLite format 3\x00"
_FTS_SYNTAX = set('"()*^:')
_FTS_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
_UNIT_SEPARATOR = "\x1f"

_CLAIM_COLUMNS = """
    c.id, c.uuid, c.kind, c.text, c.speaker_id, c.role,
    c.said_on, c.said_precision, c.said_text, c.said_approximate, c.said_qualifier,
    c.context, c.note, c.created_at, c.updated_at,
    s.name AS speaker,
    src.url AS source_url, src.outlet, src.title, src.published_on, src.published_precision,
    src.published_text, src.published_approximate, src.published_qualifier,
    (SELECT group_concat(t.name, char(31)) FROM claim_tags ct JOIN tags t ON t.id = ct.tag_id
     WHERE ct.claim_id = c.id) AS tags
"""
_CLAIM_JOINS = "JOIN speakers s ON s.id = c.speaker_id LEFT JOIN sources src ON src.id = c.source_id"


def now() -> str:
    """The current UTC time as stored: ISO 8601 to the second."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@contextlib.contextmanager
def open_store(path: str | os.PathLike, *, write: bool) -> Iterator["Store"]:
    """Open the database at PATH for reading or writing; a new file made by a failed write is removed."""
    path = Path(path)
    created = _check_path(path, write)
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_SECONDS)
    except sqlite3.Error as error:
        raise ClaimtrackError(f"Cannot open the database {path}: {error}.") from None
    store = Store(conn, path)
    try:
        store.prepare(write=write, created=created)
        yield store
    except BaseException:
        conn.close()
        if created:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        raise
    else:
        conn.close()


def _check_path(path: Path, write: bool) -> bool:
    """Refuse paths that cannot be a claimtrack database; return True when the file is new."""
    if path.is_dir():
        raise ClaimtrackError(f"{path} is a directory, not a database file. Give a file path with --db.")
    if not path.exists():
        if not write:
            raise ClaimtrackError(
                f"No database at {path}. Add a claim first (claimtrack add ...), or point --db or "
                "CLAIMTRACK_DB at an existing claims.db."
            )
        if not path.parent.is_dir():
            raise ClaimtrackError(f"Cannot create {path}: the folder {path.parent} does not exist.")
        if not os.access(path.parent, os.W_OK):
            raise ClaimtrackError(f"Cannot create {path}: the folder {path.parent} is not writable.")
        return True
    if not path.is_file():
        raise ClaimtrackError(f"{path} is not a regular file. Give the path of a claimtrack database with --db.")
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise ClaimtrackError(f"Cannot read {path}: {error.strerror}.") from None
    if header and header != SQLITE_HEADER:
        raise ClaimtrackError(f"{path} is not a SQLite database. Check the --db path or CLAIMTRACK_DB.")
    if write and _read_only(path):
        raise ClaimtrackError(f"{path} is read-only. Make it writable (chmod u+w) or work on a copy.")
    return False


def _read_only(path: Path) -> bool:
    """True when the file may not be written, or its owner has made it read-only (even for root)."""
    return not os.access(path, os.W_OK) or not path.stat().st_mode & stat.S_IWUSR


class Store:
    """A claimtrack database: queries return model objects, writes take drafts and patches."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path
        self.conn.row_factory = sqlite3.Row
        self._db = None

    # -- opening -------------------------------------------------------------------------

    def prepare(self, *, write: bool, created: bool) -> None:
        """Set connection pragmas, then check the schema version and upgrade if needed."""
        try:
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
            self.conn.execute("PRAGMA foreign_keys = ON")
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise ClaimtrackError(f"{self.path} is not a usable SQLite database ({error}).") from None
        if version > SCHEMA_VERSION:
            raise ClaimtrackError(
                f"{self.path} was written by a newer claimtrack (schema version {version}); this claimtrack "
                f"understands up to version {SCHEMA_VERSION}. Upgrade claimtrack to use it."
            )
        if version == 0 and not created and self._has_foreign_tables():
            raise ClaimtrackError(
                f"{self.path} is a SQLite database, but not a claimtrack one. Give another path with --db."
            )
        if version == 0 and not write:
            raise ClaimtrackError(f"{self.path} holds no claims yet. Add one with claimtrack add.")
        if version < SCHEMA_VERSION:
            if _read_only(self.path):
                raise ClaimtrackError(
                    f"{self.path} needs upgrading to schema version {SCHEMA_VERSION}, but it is read-only."
                )
            self._set_wal()
            from claimtrack.migrations import upgrade

            upgrade(self.db)
        elif write:
            self._set_wal()

    def _has_foreign_tables(self) -> bool:
        row = self.conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()
        return row[0] > 0

    def _set_wal(self) -> None:
        # WAL lets readers go on while a writer works; it is kept in the file once set.
        if self.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            self.conn.execute("PRAGMA journal_mode = WAL")

    @property
    def db(self):
        """The sqlite-utils view of the same connection, for writes and migrations."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn, execute_plugins=False)
        return self._db

    @contextlib.contextmanager
    def write(self) -> Iterator[None]:
        """One write transaction, taken at once (BEGIN IMMEDIATE) so writers queue instead of failing."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise _storage_error(error, self.path) from None
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as error:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise _storage_error(error, self.path) from None

    # -- speakers ------------------------------------------------------------------------

    def find_speaker(self, name: str) -> int | None:
        """The id of the speaker whose name or alias is NAME (any case, accents, word order)."""
        key = names.speaker_key(name)
        row = self.conn.execute(
            "SELECT id FROM speakers WHERE key = ? UNION ALL SELECT speaker_id FROM aliases WHERE key = ? LIMIT 1",
            (key, key),
        ).fetchone()
        return row[0] if row else None

    def resolve_speaker(self, name: str) -> int:
        """The one speaker a filter names: exact name or alias first, else a unique word prefix."""
        if not names.name_words(name):
            raise ClaimtrackError(f"'{name}' is not a speaker name. Give a name with letters or digits.")
        found = self.find_speaker(name)
        if found is not None:
            return found
        matches = self._prefix_matches(names.name_words(name))
        if len(matches) == 1:
            return matches[0]
        if matches:
            listed = "; ".join(self._speaker_names(matches[:10]))
            raise ClaimtrackError(f"'{name}' matches several speakers: {listed}. Give more of the name.")
        closest = self._closest_names(name)
        hint = f" Closest: {'; '.join(closest)}." if closest else ""
        raise ClaimtrackError(f"No speaker matches '{name}'.{hint} See them all with claimtrack speakers.")

    def _prefix_matches(self, words: list[str]) -> list[int]:
        first = max(words, key=len)
        rows = self.conn.execute(
            "SELECT DISTINCT speaker_id FROM name_words WHERE word >= ? AND word < ?",
            (first, first + "\U0010ffff"),
        ).fetchall()
        matches = []
        for (speaker_id,) in rows:
            own = [r[0] for r in self.conn.execute("SELECT word FROM name_words WHERE speaker_id = ?", (speaker_id,))]
            if all(any(w.startswith(q) for w in own) for q in words):
                matches.append(speaker_id)
        return sorted(matches)

    def _speaker_names(self, ids: list[int]) -> list[str]:
        return [self.conn.execute("SELECT name FROM speakers WHERE id = ?", (i,)).fetchone()[0] for i in ids]

    def _closest_names(self, name: str) -> list[str]:
        import difflib

        candidates: dict[str, str] = {}
        for display, key in self.conn.execute(
            "SELECT name, key FROM speakers UNION ALL "
            "SELECT s.name, a.key FROM aliases a JOIN speakers s ON s.id = a.speaker_id"
        ):
            candidates.setdefault(key, display)
        close = difflib.get_close_matches(names.speaker_key(name), list(candidates), n=3, cutoff=0.5)
        return list(dict.fromkeys(candidates[key] for key in close))

    def speakers(self) -> list[Speaker]:
        """Every speaker with aliases, displayed role and claim counts, by name."""
        rows = self.conn.execute(
            """
            SELECT s.id, s.name,
              (SELECT role FROM claims WHERE speaker_id = s.id AND role IS NOT NULL
               ORDER BY said_start DESC, id DESC LIMIT 1) AS role,
              (SELECT group_concat(alias, char(31)) FROM aliases WHERE speaker_id = s.id) AS aliases,
              (SELECT count(*) FROM claims WHERE speaker_id = s.id) AS claims,
              (SELECT said_on FROM claims WHERE speaker_id = s.id AND said_start IS NOT NULL
               ORDER BY said_start, id LIMIT 1) AS first_said,
              (SELECT said_on FROM claims WHERE speaker_id = s.id AND said_start IS NOT NULL
               ORDER BY said_start DESC, id DESC LIMIT 1) AS last_said
            FROM speakers s ORDER BY s.name COLLATE NOCASE, s.id
            """
        ).fetchall()
        return [
            Speaker(r["id"], r["name"], r["role"], _split(r["aliases"]), r["claims"], r["first_said"], r["last_said"])
            for r in rows
        ]

    def _speaker_id_for(self, name: str) -> int:
        """Reuse the speaker called NAME, or create one."""
        found = self.find_speaker(name)
        if found is not None:
            return found
        if not names.name_words(name):
            raise ClaimtrackError(f"'{name}' is not a speaker name. Give a name with letters or digits.")
        speaker_id = self.db.table("speakers").insert(
            {"name": name, "key": names.speaker_key(name), "created_at": now()}
        ).last_pk
        self._index_words(speaker_id, name)
        return speaker_id

    def _index_words(self, speaker_id: int, name: str) -> None:
        self.conn.executemany(
            "INSERT OR IGNORE INTO name_words (word, speaker_id) VALUES (?, ?)",
            [(word, speaker_id) for word in names.name_words(name)],
        )

    def add_aliases(self, name: str, aliases: list[str]) -> int:
        """Give the speaker NAME more names; return the speaker id."""
        speaker_id = self.resolve_speaker(name)
        with self.write():
            for alias in aliases:
                alias = names.clean(alias, "alias")
                key = names.speaker_key(alias)
                if not key:
                    raise ClaimtrackError(f"'{alias}' is not a name. Give an alias with letters or digits.")
                owner = self.find_speaker(alias)
                if owner == speaker_id:
                    continue
                if owner is not None:
                    other = self._speaker_names([owner])[0]
                    raise ClaimtrackError(
                        f"'{alias}' already names {other}. Merge the two with "
                        f"claimtrack speakers merge \"{other}\" \"{self._speaker_names([speaker_id])[0]}\"."
                    )
                self.db.table("aliases").insert({"speaker_id": speaker_id, "alias": alias, "key": key})
                self._index_words(speaker_id, alias)
        return speaker_id

    def merge_speakers(self, duplicate: str, keep: str) -> int:
        """Move every claim and alias of DUPLICATE onto KEEP; DUPLICATE's name becomes an alias."""
        duplicate_id, keep_id = self.resolve_speaker(duplicate), self.resolve_speaker(keep)
        if duplicate_id == keep_id:
            raise ClaimtrackError(f"'{duplicate}' and '{keep}' are the same speaker; nothing to merge.")
        with self.write():
            old_name = self._speaker_names([duplicate_id])[0]
            moved = self.conn.execute(
                "SELECT alias, key FROM aliases WHERE speaker_id = ?", (duplicate_id,)
            ).fetchall()
            self.conn.execute("DELETE FROM aliases WHERE speaker_id = ?", (duplicate_id,))
            self.conn.execute("DELETE FROM name_words WHERE speaker_id = ?", (duplicate_id,))
            key = self.conn.execute("SELECT key FROM speakers WHERE id = ?", (duplicate_id,)).fetchone()[0]
            for alias, alias_key in [(old_name, key), *moved]:
                self.db.table("aliases").insert({"speaker_id": keep_id, "alias": alias, "key": alias_key})
                self._index_words(keep_id, alias)
            self.conn.execute(
                "UPDATE claims SET speaker_id = ?, updated_at = ? WHERE speaker_id = ?",
                (keep_id, now(), duplicate_id),
            )
            self.conn.execute("DELETE FROM speakers WHERE id = ?", (duplicate_id,))
        return keep_id

    # -- claims: reading -----------------------------------------------------------------

    def claim(self, claim_id: int) -> Claim:
        """The claim with id CLAIM_ID, or an error naming the id."""
        row = self.conn.execute(
            f"SELECT {_CLAIM_COLUMNS} FROM claims c {_CLAIM_JOINS} WHERE c.id = ?", (claim_id,)
        ).fetchone()
        if row is None:
            raise ClaimtrackError(f"There is no claim with id {claim_id}. Find ids with claimtrack list.")
        return _claim_from_row(row)

    def claims(self, where: ClaimFilter, limit: int | None = None) -> list[Claim]:
        conditions: list[str] = []
        sql, params = _claims_query(where, limit)
        return [_claim_from_row(row) for row in self.conn.execute(sql, params)]

    def query_plan(self, where: ClaimFilter, limit: int | None = 50) -> list[str]:
        """How SQLite would run `claims(where)`: for checking that every filter uses an index."""
        sql, params = _claims_query(where, limit)
        return [row[3] for row in self.conn.execute("EXPLAIN QUERY PLAN " + sql, params)]

    def search(self, query: str, limit: int | None = None) -> list[SearchHit]:
        """Claims whose text, context or speaker names match QUERY, best first."""
        fts_query = to_fts_query(query)
        sql = (
            "SELECT rowid, bm25(claims_fts, 10.0, 2.0, 5.0) AS rank, "
            "highlight(claims_fts, 0, ?, ?) AS marked, snippet(claims_fts, -1, ?, ?, '…', 16) AS snippet "
            "FROM claims_fts WHERE claims_fts MATCH ? ORDER BY rank"
        )
        params: list = [MARK_START, MARK_END, MARK_START, MARK_END, fts_query]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        try:
            rows = self.conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as error:
            raise ClaimtrackError(
                f"Cannot read the search query {query!r}: {error}. Put words in double quotes to search "
                "for them literally, or leave out the operators."
            ) from None
        return [SearchHit(self.claim(r["rowid"]), r["rank"], r["snippet"], r["marked"]) for r in rows]

    # -- claims: writing -----------------------------------------------------------------

    def add_claim(self, draft: ClaimDraft) -> int:
        """Store a new claim in one transaction; return its id."""
        with self.write():
            speaker_id = self._speaker_id_for(draft.speaker)
            source_id = self._source_id_for(draft.source)
            stamp = now()
            claim_id = self.db.table("claims").insert(
                {
                    "uuid": str(uuidlib.uuid4()),
                    "kind": draft.kind,
                    "text": draft.text,
                    "text_key": names.text_key(draft.text),
                    "speaker_id": speaker_id,
                    "role": draft.role,
                    **_said_columns(draft.said),
                    "source_id": source_id,
                    "context": draft.context,
                    "note": draft.note,
                    "created_at": stamp,
                    "updated_at": stamp,
                }
            ).last_pk
            self._tag(claim_id, draft.tags)
        return claim_id

    def edit_claim(self, claim_id: int, patch: ClaimPatch) -> None:
        """Apply PATCH to a claim in one transaction."""
        current = self.claim(claim_id)
        with self.write():
            changes: dict = {}
            if patch.text is not UNSET:
                changes["text"] = patch.text
                changes["text_key"] = names.text_key(patch.text)
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
                changes["source_id"] = self._edited_source(claim_id, current, source_fields)
            changes["updated_at"] = now()
            self.db.table("claims").update(claim_id, changes)
            self._tag(claim_id, patch.add_tags)
            for tag in patch.remove_tags:
                self.conn.execute(
                    "DELETE FROM claim_tags WHERE claim_id = ? AND tag_id = (SELECT id FROM tags WHERE name = ?)",
                    (claim_id, tag),
                )

    def delete_claim(self, claim_id: int) -> None:
        """Remove a claim and its tags."""
        self.claim(claim_id)
        with self.write():
            self.conn.execute("DELETE FROM claim_tags WHERE claim_id = ?", (claim_id,))
            self.conn.execute("DELETE FROM claims WHERE id = ?", (claim_id,))

    def _tag(self, claim_id: int, tags: tuple[str, ...]) -> None:
        for tag in tags:
            self.conn.execute("INSERT OR IGNORE INTO tags (name) VALUES (?)", (tag,))
            self.conn.execute(
                "INSERT OR IGNORE INTO claim_tags (tag_id, claim_id, said_start) "
                "SELECT t.id, c.id, c.said_start FROM tags t, claims c WHERE t.name = ? AND c.id = ?",
                (tag, claim_id),
            )

    def _source_id_for(self, draft: SourceDraft) -> int | None:
        """The source a draft names: the same page (by normalised URL) is one source."""
        if draft == SourceDraft():
            return None
        columns = _source_columns(draft)
        if draft.url:
            row = self.conn.execute("SELECT id FROM sources WHERE url_key = ?", (columns["url_key"],)).fetchone()
            if row:
                # What the user adds about a known page fills in or corrects it.
                known = {k: v for k, v in columns.items() if v is not None and k not in ("url", "url_key")}
                if known:
                    self.db.table("sources").update(row[0], known)
                return row[0]
        return self.db.table("sources").insert({**columns, "created_at": now()}).last_pk

    def _edited_source(self, claim_id: int, current: Claim, fields: dict) -> int | None:
        """The source id after an edit of its URL, outlet, title or publication date."""
        merged = {
            "url": current.source_url, "outlet": current.outlet,
            "title": current.title, "published": current.published, **fields,
        }
        draft = SourceDraft(**merged)
        if draft == SourceDraft():
            return None
        row = self.conn.execute("SELECT source_id FROM claims WHERE id = ?", (claim_id,)).fetchone()
        if "url" not in fields and row[0] is not None:
            columns = _source_columns(draft)
            self.db.table("sources").update(row[0], {k: v for k, v in columns.items() if k not in ("url", "url_key")})
            return row[0]
        return self._source_id_for(draft)


def _claims_query(where: ClaimFilter, limit: int | None) -> tuple[str, list]:
    """The SELECT behind `Store.claims`: fixed fragments joined, every value a parameter."""
    conditions: list[str] = []
    params: list = []
    if where.tag is not None:
        # Drive from the tag index: it holds said_start, so the range and the order come from it.
        source = "claim_tags k JOIN claims c ON c.id = k.claim_id"
        order_column, id_column = "k.said_start", "k.claim_id"
        conditions.append("k.tag_id = (SELECT id FROM tags WHERE name = ?)")
        params.append(names.tag_name(where.tag))
    else:
        source = "claims c"
        order_column, id_column = "c.said_start", "c.id"
    if where.speaker_id is not None:
        conditions.append("c.speaker_id = ?")
        params.append(where.speaker_id)
    if where.kind is not None:
        conditions.append("c.kind = ?")
        params.append(where.kind)
    if where.outlet is not None:
        conditions.append("c.source_id IN (SELECT id FROM sources WHERE outlet_key = ?)")
        params.append(names.fold(where.outlet))
    if where.since is not None:
        conditions.append(f"{order_column} >= ?")
        params.append(where.since)
    if where.until is not None:
        conditions.append(f"{order_column} <= ?")
        params.append(where.until)
    sql = f"SELECT {_CLAIM_COLUMNS} FROM {source} {_CLAIM_JOINS}"
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
    sql += f" ORDER BY {order_column} DESC, {id_column} DESC"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return sql, params


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


def _split(joined: str | None) -> tuple[str, ...]:
    return tuple(joined.split(_UNIT_SEPARATOR)) if joined else ()


def _claim_from_row(row: sqlite3.Row) -> Claim:
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
        published=from_parts(row["published_on"], row["published_precision"], row["published_approximate"],
                             row["published_qualifier"], row["published_text"]),
        tags=tuple(sorted(_split(row["tags"]))),
        context=row["context"],
        note=row["note"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _storage_error(error: sqlite3.Error, path: Path) -> ClaimtrackError:
    text = str(error)
    if "locked" in text or "busy" in text:
        return ClaimtrackError(f"{path} is busy: another claimtrack kept it locked too long. Try again.")
    if "readonly" in text or "read-only" in text:
        return ClaimtrackError(f"{path} is read-only. Make it writable (chmod u+w) or work on a copy.")
    if "full" in text:
        return ClaimtrackError(f"Cannot write to {path}: the disk is full. Free some space and try again.")
    return ClaimtrackError(f"Cannot write to {path}: {text}.")
