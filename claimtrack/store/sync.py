"""What claimtrack sync asks of the database: the link to a shared repository, what changed since the last sync,
and each claim's and speaker's record as the working copy holds it. Triggers (migration m018) mark the claims
and speakers a write touches while the database is linked."""

from __future__ import annotations

from typing import Iterator

from claimtrack import names
from claimtrack.store.export import RECORD_JSON

# Keys of the link in claimtrack_meta: the repository, the working copy, and the last commit read back.
LINK_KEYS = ("sync_repository", "sync_path", "sync_commit")
CHUNK = 500


def _marks(values) -> str:
    return ", ".join("?" for _ in values)


class SyncMixin:
    """The sync link and the records it writes and reads."""

    # Who is writing (CLAIMTRACK_USER, else git's user.name): recorded on each history entry made here.
    author: str | None = None

    def sync_link(self) -> dict[str, str | None]:
        """The link to a shared repository: repository, path, commit (each None when not linked)."""
        found = dict(self.conn.execute(
            f"SELECT key, value FROM claimtrack_meta WHERE key IN ({_marks(LINK_KEYS)})", LINK_KEYS
        ).fetchall())
        return {key.removeprefix("sync_"): found.get(key) for key in LINK_KEYS}

    def set_sync_link(self, repository: str, path: str) -> None:
        """Link the database to REPOSITORY, its working copy at PATH; every claim and speaker is to be written."""
        with self.write(f"linked to {repository} for sync"):
            for key, value in (("sync_repository", repository), ("sync_path", path)):
                self.conn.execute("INSERT OR REPLACE INTO claimtrack_meta (key, value) VALUES (?, ?)", (key, value))
            self.conn.execute("DELETE FROM claimtrack_meta WHERE key = 'sync_commit'")
            self.conn.execute("INSERT OR IGNORE INTO sync_pending (uuid) SELECT uuid FROM claims")
            self.conn.execute("INSERT OR IGNORE INTO sync_pending (uuid) SELECT uuid FROM trash")
            self.conn.execute("INSERT OR IGNORE INTO sync_trash (uuid, changes) SELECT uuid, 1 FROM trash")
            self.conn.execute("INSERT OR IGNORE INTO sync_pending_speakers (key) SELECT key FROM speakers")
            self.conn.execute("INSERT OR IGNORE INTO sync_pending_speakers (key) SELECT key FROM aliases")

    def set_sync_commit(self, commit: str) -> None:
        """Remember COMMIT as the last one whose records are read into the database."""
        self.conn.execute("INSERT OR REPLACE INTO claimtrack_meta (key, value) VALUES ('sync_commit', ?)", (commit,))

    def pending_counts(self) -> tuple[int, int]:
        """How many claims and speakers changed here since the last sync."""
        return self.conn.execute(
            "SELECT (SELECT count(*) FROM sync_pending), (SELECT count(*) FROM sync_pending_speakers)"
        ).fetchone()

    def pending_claims(self) -> list[str]:
        """The uuids of the claims changed here since the last sync, in order."""
        return [row[0] for row in self.conn.execute("SELECT uuid FROM sync_pending ORDER BY uuid")]

    def pending_speakers(self) -> list[str]:
        """The keys of the speakers (and aliases) changed here since the last sync."""
        return [row[0] for row in self.conn.execute("SELECT key FROM sync_pending_speakers ORDER BY key")]

    def clear_pending(self, uuids: list[str], keys: list[str]) -> None:
        """The claims UUIDS and speakers KEYS are written: no longer waiting."""
        for start in range(0, len(uuids), CHUNK):
            chunk = uuids[start:start + CHUNK]
            self.conn.execute(f"DELETE FROM sync_pending WHERE uuid IN ({_marks(chunk)})", chunk)
        for start in range(0, len(keys), CHUNK):
            chunk = keys[start:start + CHUNK]
            self.conn.execute(f"DELETE FROM sync_pending_speakers WHERE key IN ({_marks(chunk)})", chunk)

    def claim_lines(self, uuids: list[str]) -> Iterator[tuple[str, str]]:
        """(uuid, interchange record as JSON) of those of UUIDS that are claims here (not in the trash)."""
        for start in range(0, len(uuids), CHUNK):
            chunk = uuids[start:start + CHUNK]
            yield from self.conn.execute(
                f"SELECT c.uuid, {RECORD_JSON} FROM claims c WHERE c.uuid IN ({_marks(chunk)})", chunk
            ).fetchall()

    def trash_changes(self, uuids: list[str]) -> dict[str, int]:
        """How often each of UUIDS went to the trash or came back (odd: it is there now); 0s left out."""
        found: dict[str, int] = {}
        for start in range(0, len(uuids), CHUNK):
            chunk = uuids[start:start + CHUNK]
            found.update(self.conn.execute(
                f"SELECT uuid, changes FROM sync_trash WHERE uuid IN ({_marks(chunk)})", chunk).fetchall())
        return found

    def in_trash(self, uuid: str) -> int | None:
        """The id of the claim UUID if it is in the trash."""
        row = self.conn.execute("SELECT claim_id FROM trash WHERE uuid = ?", (uuid,)).fetchone()
        return row[0] if row else None

    def claim_id_of(self, uuid: str) -> int | None:
        """The id of the claim UUID, if it is a claim here."""
        row = self.conn.execute("SELECT id FROM claims WHERE uuid = ?", (uuid,)).fetchone()
        return row[0] if row else None

    def set_trash_changes(self, uuid: str, changes: int) -> None:
        """Take the count of trash moves of claim UUID from the shared record, when it is the higher."""
        self.conn.execute(
            "INSERT INTO sync_trash (uuid, changes) VALUES (?, ?) ON CONFLICT (uuid) DO UPDATE SET "
            "changes = max(changes, excluded.changes)", (uuid, changes),
        )

    def speaker_record(self, key: str) -> dict | None:
        """The speaker whose name has KEY, as its record: name and aliases; a name that became another speaker's
        alias (a merge): name and merged_into; None for a name no one has."""
        row = self.conn.execute("SELECT id, name FROM speakers WHERE key = ?", (key,)).fetchone()
        if row is not None:
            aliases = [r[0] for r in self.conn.execute(
                "SELECT alias FROM aliases WHERE speaker_id = ? ORDER BY alias", (row[0],))]
            return {"name": row[1], "aliases": aliases}
        row = self.conn.execute(
            "SELECT a.alias, s.name FROM aliases a JOIN speakers s ON s.id = a.speaker_id WHERE a.key = ?", (key,)
        ).fetchone()
        if row is not None:
            return {"name": row[0], "merged_into": row[1]}
        return None

    def speaker_moved_to(self, name: str) -> str | None:
        """The name of the speaker that the claims of NAME, a speaker no longer here, went to (merged or renamed):
        the latest such change in any claim's history; None when none says."""
        row = self.conn.execute(
            "SELECT new FROM history WHERE field = 'speaker' AND old = ? ORDER BY at DESC, id DESC LIMIT 1", (name,)
        ).fetchone()
        if row is None or row[0] is None:
            return None
        speaker_id = self.find_speaker(row[0])
        return self.speaker_name(speaker_id) if speaker_id is not None else None

    def set_aliases(self, name: str, aliases: list[str]) -> bool:
        """Make ALIASES the aliases of the speaker NAME, as far as no other speaker has one as its name; whether
        anything changed. A speaker not here is left to the claims that name it."""
        speaker_id = self.find_speaker(name)
        if speaker_id is None or names.speaker_key(self.speaker_name(speaker_id)) != names.speaker_key(name):
            return False
        wanted = {names.speaker_key(alias) for alias in aliases}
        extra = [row[0] for row in self.conn.execute(
            "SELECT id FROM aliases WHERE speaker_id = ? ORDER BY id", (speaker_id,)).fetchall()
            if names.speaker_key(self._alias_text(row[0])) not in wanted]
        for alias_id in extra:
            self.conn.execute("DELETE FROM aliases WHERE id = ?", (alias_id,))
        added = self._add_aliases(speaker_id, sorted(aliases))
        if extra:
            self._reindex_words(speaker_id)
        return added or bool(extra)

    def _alias_text(self, alias_id: int) -> str:
        return self.conn.execute("SELECT alias FROM aliases WHERE id = ?", (alias_id,)).fetchone()[0]

    def speaker_is_own(self, name: str) -> bool:
        """Whether NAME is a speaker's own name here (not an alias, not unknown)."""
        return self.conn.execute("SELECT 1 FROM speakers WHERE key = ?", (names.speaker_key(name),)).fetchone() is not None
