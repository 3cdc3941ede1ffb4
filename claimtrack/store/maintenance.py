"""Checking a database and repairing what can be rebuilt; consistent backups."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from claimtrack.errors import ClaimtrackError


@dataclass
class CheckReport:
    """What `check` found: problems fail the check, notices do not."""

    problems: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)


_UNCITED = (
    "SELECT id FROM sources WHERE id NOT IN (SELECT source_id FROM claims WHERE source_id IS NOT NULL) "
    "AND id NOT IN (SELECT source_id FROM appearances) AND id NOT IN (SELECT source_id FROM evidence)"
)


class MaintenanceMixin:
    """check, repair, backup."""

    def check(self) -> CheckReport:
        """Integrity, foreign keys, and the full-text index against its tables."""
        report = CheckReport()
        integrity = [row[0] for row in self.conn.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            report.problems += [f"integrity: {line}" for line in integrity[:20]]
        for table, rowid, parent, _ in self.conn.execute("PRAGMA foreign_key_check").fetchall()[:20]:
            report.problems.append(f"foreign key: {table} row {rowid} points at a missing {parent} row")
        report.problems += self._search_index_problems()
        uncited = len(self.conn.execute(_UNCITED).fetchall())
        if uncited:
            report.notices.append(
                f"{uncited} source{'s' if uncited != 1 else ''} no claim or evidence cites any more "
                "(check --repair removes them)."
            )
        return report

    def _search_index_problems(self) -> list[str]:
        from claimtrack.migrations import SPEAKER_NAMES

        problems = []
        try:
            self.conn.execute("INSERT INTO claims_fts (claims_fts) VALUES ('integrity-check')")
        except Exception as error:  # noqa: BLE001 - any failure here is the finding itself
            problems.append(f"full-text index: {error}")
        missing = self.conn.execute(
            "SELECT count(*) FROM claims c WHERE NOT EXISTS (SELECT 1 FROM claims_fts f WHERE f.rowid = c.id)"
        ).fetchone()[0]
        extra = self.conn.execute(
            "SELECT count(*) FROM claims_fts f WHERE NOT EXISTS (SELECT 1 FROM claims c WHERE c.id = f.rowid)"
        ).fetchone()[0]
        stale = self.conn.execute(
            "SELECT count(*) FROM claims c JOIN claims_fts f ON f.rowid = c.id WHERE f.text IS NOT c.text "
            f"OR f.context IS NOT coalesce(c.context, '') OR f.speaker IS NOT {SPEAKER_NAMES.format('c.speaker_id')}"
        ).fetchone()[0]
        for count, what in ((missing, "claims missing from"), (extra, "rows of deleted claims in"),
                            (stale, "claims out of date in")):
            if count:
                problems.append(f"full-text index: {count} {what} the search index (check --repair rebuilds it)")
        return problems

    def repair(self) -> list[str]:
        """Rebuild the full-text index and remove uncited sources, in one transaction."""
        from claimtrack.migrations import SPEAKER_NAMES

        with self.write():
            self.conn.execute("DELETE FROM claims_fts")
            rebuilt = self.conn.execute(
                "INSERT INTO claims_fts (rowid, text, context, speaker) SELECT c.id, c.text, coalesce(c.context, ''), "
                f"{SPEAKER_NAMES.format('c.speaker_id')} FROM claims c"
            ).rowcount
            removed = self.conn.execute(f"DELETE FROM sources WHERE id IN ({_UNCITED})").rowcount
        return [f"rebuilt the search index ({rebuilt} claims)", f"removed {removed} uncited sources"]

    def backup(self, target: Path, *, force: bool = False) -> None:
        """A consistent owner-only copy at TARGET; an existing file only with FORCE."""
        if target.is_dir():
            raise ClaimtrackError(f"{target} is a directory. Give the path of the backup file.")
        if not target.parent.is_dir():
            raise ClaimtrackError(f"Cannot write {target}: the folder {target.parent} does not exist.")
        if target.resolve() == self.path.resolve():
            raise ClaimtrackError("The backup would overwrite the database itself. Give another path.")
        if target.exists() and not force:
            raise ClaimtrackError(f"{target} exists already. Add --force to overwrite it.")
        partial = target.with_name(f".{target.name}.partial")
        partial.unlink(missing_ok=True)
        self.backup_to(partial)
        partial.replace(target)
