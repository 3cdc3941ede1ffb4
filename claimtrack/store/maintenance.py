"""Checking a database and repairing what can be rebuilt; consistent backups."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from claimtrack import dates
from claimtrack.errors import ClaimtrackError
from claimtrack.model import ATTRIBUTIONS, KINDS, STANCES, VERDICTS


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
        report.problems += self._value_problems()
        uncited = len(self.conn.execute(_UNCITED).fetchall())
        if uncited:
            report.notices.append(
                f"{uncited} source{'s' if uncited != 1 else ''} no claim or evidence cites any more "
                "(check --repair removes them)."
            )
        report.notices += self._idle_speaker_notices()
        return report

    def _idle_speaker_notices(self, shown: int = 10) -> list[str]:
        """Speakers no claim names (left by a delete, an edit or a merge elsewhere): a notice, not a problem."""
        idle = [row[0] for row in self.conn.execute(
            "SELECT name FROM speakers s WHERE NOT EXISTS (SELECT 1 FROM claims c WHERE c.speaker_id = s.id) "
            "ORDER BY name COLLATE NOCASE, id"
        )]
        if not idle:
            return []
        listed = "; ".join(idle[:shown]) + (f" and {len(idle) - shown} more" if len(idle) > shown else "")
        return [
            f"{len(idle)} speaker{'s' if len(idle) != 1 else ''} with no claims: {listed} "
            "(claimtrack speakers delete NAME removes one)."
        ]

    def _value_problems(self, shown: int = 20) -> list[str]:
        """Stored values that later commands read but that do not parse (a row changed outside claimtrack):
        one pass over each table, the first SHOWN named and the rest counted."""
        found: list[str] = []
        for sql, named, columns in _VALUE_QUERIES:
            names = [name for name, _ in columns]
            for row in self.conn.execute(sql):
                values = dict(zip(names, row[1:]))
                for name, check in columns:
                    reason = check(values[name], values)
                    if reason:
                        found.append(f"{named(row[0], values)}: {name} {_shown(values[name])} {reason}")
        if len(found) > shown:
            return found[:shown] + [f"{len(found) - shown} more stored values that do not parse"]
        return found

    def _search_index_problems(self) -> list[str]:
        from claimtrack.search_schema import SPEAKER_NAMES

        problems = []
        try:
            self.conn.execute("INSERT INTO claims_fts (claims_fts) VALUES ('integrity-check')")
        except Exception as error:  # noqa: BLE001 - any failure here is the finding itself
            if "readonly" not in str(error):  # (FTS5 runs its own check as a write: not on a read-only file)
                problems.append(f"full-text index: {error}")
        missing = self.conn.execute(
            "SELECT count(*) FROM claims c WHERE NOT EXISTS (SELECT 1 FROM claims_fts f WHERE f.rowid = c.id)"
        ).fetchone()[0]
        extra = self.conn.execute(
            "SELECT count(*) FROM claims_fts f WHERE NOT EXISTS (SELECT 1 FROM claims c WHERE c.id = f.rowid)"
        ).fetchone()[0]
        stale = self.conn.execute(
            "SELECT count(*) FROM claims c JOIN claims_fts f ON f.rowid = c.id WHERE f.text IS NOT c.text "
            f"OR f.context IS NOT coalesce(c.context, '') OR f.speaker IS NOT {SPEAKER_NAMES.format('c.speaker_id')} "
            "OR f.text_grams IS NOT claimtrack_grams(f.text) OR f.context_grams IS NOT claimtrack_grams(f.context) "
            "OR f.speaker_grams IS NOT claimtrack_grams(f.speaker)"
        ).fetchone()[0]
        for count, one, many in ((missing, "claim missing from", "claims missing from"),
                                 (extra, "row of a deleted claim in", "rows of deleted claims in"),
                                 (stale, "claim out of date in", "claims out of date in")):
            if count:
                problems.append(f"full-text index: {count} {one if count == 1 else many} the search index "
                                "(check --repair rebuilds it)")
        return problems + self._evidence_index_problems()

    def _evidence_index_problems(self) -> list[str]:
        """The evidence search index against the evidence and its sources' titles."""
        from claimtrack.search_schema import EVIDENCE_ROW

        problems = []
        try:
            self.conn.execute("INSERT INTO evidence_fts (evidence_fts) VALUES ('integrity-check')")
        except Exception as error:  # noqa: BLE001 - any failure here is the finding itself
            if "readonly" not in str(error):
                problems.append(f"evidence search index: {error}")
        wrong = self.conn.execute(
            "SELECT (SELECT count(*) FROM evidence e WHERE NOT EXISTS (SELECT 1 FROM evidence_fts f WHERE f.rowid = e.id)) "
            "+ (SELECT count(*) FROM evidence_fts f WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE e.id = f.rowid)) "
            "+ (SELECT count(*) FROM evidence e JOIN evidence_fts f ON f.rowid = e.id "
            f"WHERE (f.quote, f.note, f.title) IS NOT ({EVIDENCE_ROW.format(e='e')}))"
        ).fetchone()[0]
        if wrong:
            problems.append(f"evidence search index: {wrong} row{'' if wrong == 1 else 's'} missing, left over or out "
                            "of date (check --repair rebuilds it)")
        return problems

    def repair(self) -> list[str]:
        """Rebuild the full-text indexes (claims, evidence) and remove uncited sources, in one transaction."""
        from claimtrack.search_schema import EVIDENCE_ROW, FTS_COLUMNS, SPEAKER_NAMES

        with self.write("search index rebuilt, uncited sources removed"):
            self.conn.execute("DELETE FROM claims_fts")
            rebuilt = self.conn.execute(
                f"INSERT INTO claims_fts ({FTS_COLUMNS}) SELECT id, text, context, names, claimtrack_grams(text), "
                "claimtrack_grams(context), claimtrack_grams(names) FROM (SELECT c.id, c.text, "
                f"coalesce(c.context, '') AS context, {SPEAKER_NAMES.format('c.speaker_id')} AS names FROM claims c)"
            ).rowcount
            self.conn.execute("DELETE FROM evidence_fts")
            self.conn.execute("INSERT INTO evidence_fts (rowid, quote, note, title) "
                              f"SELECT e.id, {EVIDENCE_ROW.format(e='e')} FROM evidence e")
            removed = self.conn.execute(f"DELETE FROM sources WHERE id IN ({_UNCITED})").rowcount
        return [f"rebuilt the search index ({rebuilt} claim{'' if rebuilt == 1 else 's'})",
                f"removed {removed} uncited source{'' if removed == 1 else 's'}"]

    def backup(self, target: Path, *, force: bool = False) -> None:
        """A consistent owner-only copy at TARGET; an existing file only with FORCE, never the database's own."""
        from claimtrack.files import check_backup

        check_backup(target, self.path, force=force)
        try:
            self.backup_to(target, replace=force)
        except FileExistsError:
            raise ClaimtrackError(f"{target} exists already. Add --force to overwrite it.") from None


# -- stored values that later commands parse ---------------------------------------------------

def _shown(value) -> str:
    return repr(value if not isinstance(value, str) or len(value) <= 60 else value[:60] + "…")


def _date(prefix: str):
    """The check of the date PREFIX_on, read with its PREFIX_precision and PREFIX_qualifier."""
    def check(value, row) -> str | None:
        if value is None or value == "":
            return None
        precision = row.get(f"{prefix}_precision")
        try:
            dates.from_iso(value, precision or None, qualifier=row.get(f"{prefix}_qualifier") or None)
        except ClaimtrackError:
            return f"is not a date (precision {precision})"
        except TypeError:  # a value of the wrong type whose hash fails (bytes are hashable; this is belt and braces)
            return "is not a date"
        return None
    return check


def _choice(allowed: tuple[str, ...], *, optional: bool = False):
    def check(value, _row) -> str | None:
        if (optional and value in (None, "")) or (isinstance(value, str) and value in allowed):
            return None
        return f"is not one of {', '.join(allowed)}"
    return check


def _time(*, optional: bool = False):
    def check(value, _row) -> str | None:
        from claimtrack.fields import STAMP_FORM, utc_time

        if optional and value is None:
            return None
        try:
            if isinstance(value, str) and utc_time(value) == value:
                return None
        except ValueError:
            pass
        return f"is not a UTC time such as {STAMP_FORM}"
    return check


def _url(value, _row) -> str | None:
    from claimtrack.urls import check_url

    if value is None:
        return None
    try:
        if isinstance(value, str):
            check_url(value)
            return None
    except ClaimtrackError:
        pass
    return "is not an http(s) URL"


def _field(value, _row) -> str | None:
    from claimtrack.fields import FIELD_NAME

    return None if isinstance(value, str) and FIELD_NAME.fullmatch(value) else "is not the name of a field"


def _history_new(value, row) -> str | None:
    allowed = {"verdict": VERDICTS, "attribution": ATTRIBUTIONS}.get(row["field"])
    if allowed is None or value in allowed:
        return None
    return f"is not a {row['field']} (one of {', '.join(allowed)})"


def _any(_value, _row) -> None:
    return None


_PRECISION = _choice(dates.PRECISIONS, optional=True)
_QUALIFIER = _choice(tuple(sorted(set(dates.QUALIFIERS.values()))), optional=True)
# Each table: how its rows are named, and its columns with their checks.
_VALUE_CHECKS = (
    ("claims", lambda key, row: f"claim {key}", (
        ("kind", _choice(KINDS)), ("said_on", _date("said")), ("said_precision", _PRECISION),
        ("said_qualifier", _QUALIFIER), ("created_at", _time()), ("updated_at", _time()),
        ("verdict", _choice(VERDICTS)), ("attribution", _choice(ATTRIBUTIONS)))),
    ("sources", lambda key, row: f"source {key}", (
        ("url", _url), ("archived_url", _url), ("published_on", _date("published")),
        ("published_precision", _PRECISION), ("published_qualifier", _QUALIFIER), ("created_at", _time()))),
    ("evidence", lambda key, row: f"evidence {key} of claim {row['claim_id']}", (
        ("claim_id", _any), ("stance", _choice(STANCES)), ("added_at", _time()), ("updated_at", _time(optional=True)))),
    ("appearances", lambda key, row: f"appearance {key} of claim {row['claim_id']}", (
        ("claim_id", _any), ("added_at", _time()))),
    ("history", lambda key, row: f"history entry {key} of claim {row['claim_id']}", (
        ("claim_id", _any), ("field", _field), ("at", _time()), ("effective_on", _date("effective")),
        ("effective_precision", _choice(dates.PRECISIONS)), ("new", _history_new))),
)
# ... and the query that reads those columns of every row.
_VALUE_QUERIES = tuple(
    (f"SELECT id, {', '.join(name for name, _ in columns)} FROM {table}", named, columns)
    for table, named, columns in _VALUE_CHECKS
)
