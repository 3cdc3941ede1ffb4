"""Speakers: finding them by any spelling, listing, aliases and merges."""

from __future__ import annotations

from claimtrack import names
from claimtrack.errors import ClaimtrackError
from claimtrack.model import Speaker
from claimtrack.store.base import now

_UNIT_SEPARATOR = "\x1f"


def split_joined(joined: str | None) -> tuple[str, ...]:
    """Values that SQL group_concat joined with the unit separator."""
    return tuple(joined.split(_UNIT_SEPARATOR)) if joined else ()


# Every speaker with the figures `speakers` shows. Each subquery runs on an index: the role on the partial
# index of claims that give one, so a speaker who never had a role costs nothing however many claims they have.
SPEAKER_SUMMARY = """
    SELECT s.id, s.name,
      (SELECT role FROM claims WHERE speaker_id = s.id AND role IS NOT NULL
       ORDER BY said_start DESC, id DESC LIMIT 1) AS role,
      (SELECT group_concat(alias, char(31)) FROM aliases WHERE speaker_id = s.id) AS aliases,
      (SELECT count(*) FROM claims WHERE speaker_id = s.id) AS claims,
      (SELECT said_on FROM claims WHERE speaker_id = s.id AND said_start IS NOT NULL
       ORDER BY said_start, id LIMIT 1) AS first_said,
      (SELECT said_on FROM claims WHERE speaker_id = s.id AND said_start IS NOT NULL
       ORDER BY said_start DESC, id DESC LIMIT 1) AS last_said
    FROM speakers s WHERE ? IS NULL OR s.id = ? ORDER BY s.name COLLATE NOCASE, s.id
"""


class SpeakersMixin:
    """The speaker half of the store."""

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

    def speaker_name(self, speaker_id: int) -> str:
        """The name of one speaker (without the claim counts `speakers` works out)."""
        return self.conn.execute("SELECT name FROM speakers WHERE id = ?", (speaker_id,)).fetchone()[0]

    def _speaker_names(self, ids: list[int]) -> list[str]:
        return [self.speaker_name(i) for i in ids]

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

    def speakers(self, only: int | None = None) -> list[Speaker]:
        """Every speaker (or ONLY that one) with aliases, displayed role and claim counts, by name."""
        rows = self.conn.execute(SPEAKER_SUMMARY, (only, only)).fetchall()
        return [
            Speaker(r["id"], r["name"], r["role"], split_joined(r["aliases"]), r["claims"], r["first_said"], r["last_said"])
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
        with self.write(f"aliases added to {name}: {', '.join(aliases)}"):
            speaker_id = self.resolve_speaker(name)
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
        """Move every claim and alias of DUPLICATE onto KEEP; DUPLICATE's name becomes an alias.

        Both names are resolved inside the transaction: a merge that another claimtrack made meanwhile is
        found as such, not half-repeated.
        """
        with self.write(f"speaker {duplicate} merged into {keep}"):
            duplicate_id, keep_id = self.resolve_speaker(duplicate), self.resolve_speaker(keep)
            if duplicate_id == keep_id:
                raise ClaimtrackError(
                    f"'{duplicate}' and '{keep}' are already the same speaker, {self.speaker_name(keep_id)}; "
                    "nothing to merge."
                )
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
            keep_name = self._speaker_names([keep_id])[0]
            moved_claims = [r[0] for r in self.conn.execute("SELECT id FROM claims WHERE speaker_id = ?", (duplicate_id,))]
            self.conn.execute(
                "UPDATE claims SET speaker_id = ?, updated_at = ? WHERE speaker_id = ?",
                (keep_id, now(), duplicate_id),
            )
            for claim_id in moved_claims:
                self.record_change(claim_id, "speaker", old_name, keep_name, note="speakers merged")
            self.conn.execute("DELETE FROM speakers WHERE id = ?", (duplicate_id,))
        return keep_id
