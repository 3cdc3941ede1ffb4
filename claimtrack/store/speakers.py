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
_SUMMARY_COLUMNS = """
    SELECT s.id, s.name, s.kind,
      (SELECT role FROM claims WHERE speaker_id = s.id AND role IS NOT NULL
       ORDER BY said_start DESC, id DESC LIMIT 1) AS role,
      (SELECT group_concat(alias, char(31)) FROM aliases WHERE speaker_id = s.id) AS aliases,
      (SELECT count(*) FROM claims WHERE speaker_id = s.id) AS claims,
      (SELECT said_on FROM claims WHERE speaker_id = s.id AND said_start IS NOT NULL
       ORDER BY said_start, id LIMIT 1) AS first_said,
      (SELECT said_on FROM claims WHERE speaker_id = s.id AND said_start IS NOT NULL
       ORDER BY said_start DESC, id DESC LIMIT 1) AS last_said
"""
SPEAKER_SUMMARY = _SUMMARY_COLUMNS + "FROM speakers s ORDER BY s.name COLLATE NOCASE, s.id"
# One speaker, found by id (a report's card for each speaker: "? IS NULL OR s.id = ?" read every speaker).
ONE_SPEAKER_SUMMARY = _SUMMARY_COLUMNS + "FROM speakers s WHERE s.id = ?"


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

    def prefix_speakers(self, name: str) -> list[int]:
        """The speakers whose words NAME's words begin (zhou: Zhou Hongyi and Zhou Enlai), by id."""
        words = names.name_words(name)
        return self._prefix_matches(words) if words else []

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
        if only is None:
            rows = self.conn.execute(SPEAKER_SUMMARY).fetchall()
        else:
            rows = self.conn.execute(ONE_SPEAKER_SUMMARY, (only,)).fetchall()
        return [
            Speaker(r["id"], r["name"], r["role"], split_joined(r["aliases"]), r["claims"], r["first_said"],
                    r["last_said"], r["kind"] or names.guess_speaker_kind(r["name"]))
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
            {"name": name, "key": names.speaker_key(name), "created_at": now(), "kind": names.guess_speaker_kind(name)}
        ).last_pk
        self._index_words(speaker_id, name)
        return speaker_id

    def close_speaker(self, name: str) -> str | None:
        """The known speaker NAME most likely means when no name or alias is NAME itself: the one speaker
        its words begin (zhou: Zhou Hongyi), else the closest spelling (Zhou Hongi: Zhou Hongyi); or None."""
        if not names.name_words(name) or self.find_speaker(name) is not None:
            return None
        matches = self._prefix_matches(names.name_words(name))
        if len(matches) == 1:
            return self.speaker_name(matches[0])
        rows = self.conn.execute(
            "SELECT name, name FROM speakers UNION ALL "
            "SELECT a.alias, s.name FROM aliases a JOIN speakers s ON s.id = a.speaker_id"
        ).fetchall()
        owners = {spelling: owner for spelling, owner in rows}
        closest = names.closest_spelling(name, list(owners))
        return owners[closest] if closest is not None else None

    def speaker_kinds(self) -> dict[str, str]:
        """Each speaker's name with its kind, as said or else guessed from the name."""
        return {name: kind or names.guess_speaker_kind(name)
                for name, kind in self.conn.execute("SELECT name, kind FROM speakers")}

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

    def merge_speakers(self, duplicate: str, keep: str, *, keep_alias: bool = False) -> tuple[int, str | None]:
        """Move every claim and alias of DUPLICATE onto KEEP; DUPLICATE's name becomes an alias, unless it is
        only a misspelling of KEEP's name (then it is dropped, and returned) and KEEP_ALIAS is false.

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
            old_name, keep_name = self.speaker_name(duplicate_id), self.speaker_name(keep_id)
            # A misspelt name kept as an alias would be printed in every report as another name of the speaker.
            dropped = old_name if not keep_alias and names.close_spelling(old_name, keep_name) else None
            moved = self.conn.execute(
                "SELECT alias, key FROM aliases WHERE speaker_id = ?", (duplicate_id,)
            ).fetchall()
            self.conn.execute("DELETE FROM aliases WHERE speaker_id = ?", (duplicate_id,))
            self.conn.execute("DELETE FROM name_words WHERE speaker_id = ?", (duplicate_id,))
            key = self.conn.execute("SELECT key FROM speakers WHERE id = ?", (duplicate_id,)).fetchone()[0]
            for alias, alias_key in ([] if dropped else [(old_name, key)]) + [tuple(row) for row in moved]:
                self.db.table("aliases").insert({"speaker_id": keep_id, "alias": alias, "key": alias_key})
                self._index_words(keep_id, alias)
            self._move_claims(duplicate_id, keep_id, old_name, keep_name, "speakers merged")
            self.conn.execute("DELETE FROM speakers WHERE id = ?", (duplicate_id,))
            self.describe_change(f"speaker {old_name} merged into {keep_name}"
                                 + (" (the misspelt name not kept as an alias)" if dropped else ""))
        return keep_id, dropped

    def _move_claims(self, from_id: int, to_id: int, old_name: str, new_name: str, note: str) -> None:
        """Give FROM_ID's claims to TO_ID (the same id: a rename), each change in the claim's history."""
        moved_claims = [r[0] for r in self.conn.execute("SELECT id FROM claims WHERE speaker_id = ?", (from_id,))]
        self.conn.execute(
            "UPDATE claims SET speaker_id = ?, updated_at = ? WHERE speaker_id = ?", (to_id, now(), from_id)
        )
        for claim_id in moved_claims:
            self.record_change(claim_id, "speaker", old_name, new_name, note=note)

    def _reindex_words(self, speaker_id: int) -> None:
        """The words of the speaker's name and aliases as they now are, for prefix matching."""
        self.conn.execute("DELETE FROM name_words WHERE speaker_id = ?", (speaker_id,))
        for (spelling,) in self.conn.execute(
            "SELECT name FROM speakers WHERE id = ? UNION ALL SELECT alias FROM aliases WHERE speaker_id = ?",
            (speaker_id, speaker_id),
        ).fetchall():
            self._index_words(speaker_id, spelling)

    def rename_speaker(self, name: str, new_name: str, *, keep_alias: bool = False) -> tuple[int, str]:
        """Call the speaker NAME by NEW_NAME (the old name kept as an alias only with KEEP_ALIAS); return the
        speaker id and the old name. Each claim whose speaker now reads differently records the change."""
        with self.write(f"speaker {name} renamed to {new_name}"):
            speaker_id = self.resolve_speaker(name)
            new_name = names.clean(new_name, "new name")
            if not names.name_words(new_name):
                raise ClaimtrackError(f"'{new_name}' is not a speaker name. Give a name with letters or digits.")
            old_name = self.speaker_name(speaker_id)
            if new_name == old_name:
                raise ClaimtrackError(f"The speaker is called {old_name} already; nothing to rename.")
            owner = self.find_speaker(new_name)
            if owner is not None and owner != speaker_id:
                other = self.speaker_name(owner)
                named = f"{other} is another speaker" if other == new_name else \
                    f"'{new_name}' already names another speaker, {other}"
                raise ClaimtrackError(
                    f"{named}. To make the two one speaker: "
                    f"claimtrack speakers merge \"{old_name}\" \"{other}\"."
                )
            old_key, new_key = names.speaker_key(old_name), names.speaker_key(new_name)
            # A new name that was an alias stops being one; an old name that reads the same is no alias.
            self.conn.execute("DELETE FROM aliases WHERE speaker_id = ? AND key = ?", (speaker_id, new_key))
            kept = keep_alias and old_key != new_key
            if kept:
                self.db.table("aliases").insert({"speaker_id": speaker_id, "alias": old_name, "key": old_key})
            self.conn.execute("UPDATE speakers SET name = ?, key = ? WHERE id = ?", (new_name, new_key, speaker_id))
            self._reindex_words(speaker_id)
            if old_key != new_key:
                # Recorded on each claim, as a merge is: another database merging an export learns of it.
                self._move_claims(speaker_id, speaker_id, old_name, new_name, "speaker renamed")
            self.describe_change(f"speaker {old_name} renamed to {new_name}"
                                 + (", the old name kept as an alias" if kept else ""))
        return speaker_id, old_name

    def remove_alias(self, name: str, alias: str) -> tuple[int, str]:
        """Take ALIAS from the speaker NAME; return the speaker id and the alias as it was spelt."""
        with self.write(f"alias {alias} removed from {name}"):
            speaker_id = self.resolve_speaker(name)
            speaker = self.speaker_name(speaker_id)
            key = names.speaker_key(alias)
            row = self.conn.execute(
                "SELECT id, alias FROM aliases WHERE speaker_id = ? AND key = ?", (speaker_id, key)
            ).fetchone()
            if row is None:
                if key == names.speaker_key(speaker):
                    raise ClaimtrackError(
                        f"'{alias}' is {speaker}'s name, not an alias. To change it: "
                        f"claimtrack speakers rename \"{speaker}\" NEW_NAME."
                    )
                aliases = [r[0] for r in self.conn.execute(
                    "SELECT alias FROM aliases WHERE speaker_id = ? ORDER BY alias", (speaker_id,))]
                known = f"Its aliases: {'; '.join(aliases)}." if aliases else "It has no aliases."
                raise ClaimtrackError(f"{speaker} has no alias '{alias}'. {known}")
            self.conn.execute("DELETE FROM aliases WHERE id = ?", (row[0],))
            self._reindex_words(speaker_id)
            self.describe_change(f"alias {row[1]} removed from {speaker}")
        return speaker_id, row[1]

    def delete_speaker(self, name: str) -> str:
        """Delete the speaker NAME, with its aliases, if no claim names it; return its name."""
        with self.write(f"speaker {name} deleted"):
            speaker_id = self.resolve_speaker(name)
            speaker = self.speaker_name(speaker_id)
            count = self.conn.execute("SELECT count(*) FROM claims WHERE speaker_id = ?", (speaker_id,)).fetchone()[0]
            if count:
                raise ClaimtrackError(
                    f"{speaker} has {count} claim{'s' if count != 1 else ''}; only a speaker with no claims can be "
                    f"deleted. Merge it into another speaker (claimtrack speakers merge \"{speaker}\" OTHER) or "
                    "give its claims another speaker (claimtrack edit ID --speaker NAME)."
                )
            for table in ("aliases", "name_words"):
                self.conn.execute(f"DELETE FROM {table} WHERE speaker_id = ?", (speaker_id,))
            self.conn.execute("DELETE FROM speakers WHERE id = ?", (speaker_id,))
            self.describe_change(f"speaker {speaker} deleted")
        return speaker

    def edit_speaker(self, name: str, *, kind: str | None = None, role: str | None = None) -> tuple[int, int]:
        """Set the speaker's KIND, and give ROLE to each of its claims that gives none; return the speaker id
        and how many claims got the role.

        A role belongs to a claim (what the speaker was when they said it), so a role already given is kept.
        """
        if kind is None and role is None:
            raise ClaimtrackError("Nothing to change. Give --kind person|organisation or --role TEXT.")
        with self.write(f"speaker {name} edited"):
            speaker_id = self.resolve_speaker(name)
            speaker = self.speaker_name(speaker_id)
            done = []
            if kind is not None:
                self.conn.execute("UPDATE speakers SET kind = ? WHERE id = ?", (kind, speaker_id))
                done.append(f"is an {kind}" if kind == "organisation" else f"is a {kind}")
            filled: list[int] = []
            if role is not None:
                role = names.clean(role, "role")
                filled = [r[0] for r in self.conn.execute(
                    "SELECT id FROM claims WHERE speaker_id = ? AND role IS NULL ORDER BY id", (speaker_id,))]
                if not filled:
                    raise ClaimtrackError(self._no_role_to_fill(speaker_id, speaker))
                stamp = now()
                self.conn.executemany("UPDATE claims SET role = ?, updated_at = ? WHERE id = ?",
                                      [(role, stamp, claim_id) for claim_id in filled])
                for claim_id in filled:
                    self.record_change(claim_id, "role", None, role, note="role given to the speaker's claims",
                                       at=stamp)
                done.append(f"role {role} given to {len(filled)} claim{'s' if len(filled) != 1 else ''}")
            self.describe_change(f"speaker {speaker}: {', '.join(done)}")
        return speaker_id, len(filled)

    def _no_role_to_fill(self, speaker_id: int, speaker: str) -> str:
        count = self.conn.execute("SELECT count(*) FROM claims WHERE speaker_id = ?", (speaker_id,)).fetchone()[0]
        if not count:
            return (f"{speaker} has no claims, and a role is recorded with each claim. "
                    "Give it when adding one: claimtrack add TEXT --speaker NAME --role TEXT.")
        return (f"Every claim of {speaker} gives a role already, and a role given is kept (it is what the speaker "
                "was when they said it). Change one claim's with claimtrack edit ID --role TEXT.")
