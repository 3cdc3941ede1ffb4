"""Counts of claims by verdict for each speaker, outlet, tag, month or verdict (claimtrack stats, the web charts)."""

from __future__ import annotations

from typing import NamedTuple

from claimtrack.model import VERDICTS, ClaimFilter
from claimtrack.store.claims import _CLAIM_JOINS, _STANDING_AS_OF, claim_conditions

GROUPINGS = ("verdict", "speaker", "outlet", "tag", "month")
# What a claim with nothing to group by is counted under.
NO_GROUP = {"outlet": "no outlet", "tag": "untagged", "month": "undated"}


class Group(NamedTuple):
    """One row of the figures: the group's name (its id too, for a speaker), and its claims by verdict."""

    name: str
    verdicts: dict[str, int]
    id: int | None = None

    @property
    def total(self) -> int:
        """Every claim of the group."""
        return sum(self.verdicts.values())

    def to_dict(self) -> dict:
        """The group as JSON: name, total and the count of each verdict (zeros left out)."""
        return {"group": self.name, "total": self.total, "verdicts": self.verdicts,
                **({"speaker_id": self.id} if self.id is not None else {})}


def claim_counts(conn, where: ClaimFilter, by: str) -> list[Group]:
    """The claims WHERE selects, counted by verdict for each group BY gives (see GROUPINGS).

    Months are in order, verdicts in the order claimtrack names them, other groups largest first. A claim with
    several tags counts once under each.
    """
    source, conditions, params, _, _ = claim_conditions(where)
    verdict = _STANDING_AS_OF.format(field="verdict", default="unverified") if where.as_of else "c.verdict"
    group, group_id, join = {
        "verdict": (verdict, "NULL", ""),
        "speaker": ("NULL", "c.speaker_id", ""),
        "outlet": ("src.outlet", "NULL", ""),
        "tag": ("gt.name", "NULL", "LEFT JOIN claim_tags gct ON gct.claim_id = c.id LEFT JOIN tags gt ON gt.id = gct.tag_id"),
        "month": ("substr(c.said_start, 1, 7)", "NULL", ""),
    }[by]
    # Grouped by the speaker's id (two speakers may share a name), by the outlet as written first.
    key = {"speaker": "c.speaker_id", "outlet": "src.outlet_key"}.get(by, "grp")
    # The speakers' and pages' tables are joined only when the grouping or a filter reads them: counts by
    # verdict or month then read the claims' indexes alone (a join per claim was most of their time).
    joins = _CLAIM_JOINS if by == "outlet" or any(" src." in f" {c}" or "(src." in c for c in conditions) else ""
    sql = f"SELECT {group} AS grp, {group_id} AS gid, {verdict} AS v, count(*) FROM {source} {joins} {join}"
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
    sql += f" GROUP BY {key}, v"
    found_rows = conn.execute(sql, params).fetchall()
    if by == "speaker":
        # Names for the speakers counted, read once each rather than joined to every claim.
        ids = sorted({row[1] for row in found_rows})
        names_of = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            names_of.update(conn.execute(
                f"SELECT id, name FROM speakers WHERE id IN ({', '.join('?' * len(chunk))})", chunk).fetchall())
        found_rows = [(names_of.get(gid), gid, v, n) for _, gid, v, n in found_rows]
    groups: dict[object, Group] = {}
    for name, gid, verdict_name, count in found_rows:
        found = groups.setdefault((gid, name if key == "grp" else name and name.casefold()),
                                  Group(name if name is not None else NO_GROUP.get(by, "—"), {}, gid))
        found.verdicts[verdict_name] = found.verdicts.get(verdict_name, 0) + count
    rows = [g._replace(verdicts={v: g.verdicts[v] for v in _verdict_order(g.verdicts)}) for g in groups.values()]
    if by == "verdict":
        return sorted(rows, key=lambda g: _verdict_rank(g.name))
    if by == "month":
        return sorted(rows, key=lambda g: (g.name == NO_GROUP["month"], g.name))
    return sorted(rows, key=lambda g: (-g.total, g.name.casefold()))


def top_speakers(conn, count: int) -> list[Group]:
    """The COUNT speakers with most claims, each with their claims by verdict: the speakers are chosen from the
    speaker index alone, and only their own claims are read for the verdicts."""
    top = conn.execute("SELECT speaker_id, count(*) AS n FROM claims GROUP BY speaker_id ORDER BY n DESC, speaker_id "
                       "LIMIT ?", (count,)).fetchall()
    ids = [row[0] for row in top]
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    names_of = dict(conn.execute(f"SELECT id, name FROM speakers WHERE id IN ({marks})", ids).fetchall())
    verdicts: dict[int, dict[str, int]] = {i: {} for i in ids}
    for speaker_id, verdict, n in conn.execute(
            f"SELECT speaker_id, verdict, count(*) FROM claims WHERE speaker_id IN ({marks}) GROUP BY speaker_id, "
            "verdict", ids):
        verdicts[speaker_id][verdict] = n
    groups = [Group(names_of.get(i) or "—", {v: verdicts[i][v] for v in _verdict_order(verdicts[i])}, i) for i in ids]
    return sorted(groups, key=lambda g: (-g.total, g.name.casefold()))


def verdict_totals(by_month: list[Group]) -> list[Group]:
    """Claims by verdict, summed from the counts by month (one reading of the claims serves both)."""
    totals: dict[str, int] = {}
    for group in by_month:
        for verdict, n in group.verdicts.items():
            totals[verdict] = totals.get(verdict, 0) + n
    return [Group(v, {v: totals[v]}) for v in _verdict_order(totals)]


def _verdict_rank(verdict: str) -> int:
    return VERDICTS.index(verdict) if verdict in VERDICTS else len(VERDICTS)


def _verdict_order(verdicts: dict[str, int]) -> list[str]:
    return sorted(verdicts, key=lambda v: (_verdict_rank(v), v))


def desk_counts(conn) -> dict[str, int]:
    """How many claims, speakers, sources and pieces of evidence the record holds (the web home page)."""
    row = conn.execute(
        "SELECT (SELECT count(*) FROM claims), (SELECT count(*) FROM speakers WHERE id IN "
        "(SELECT speaker_id FROM claims)), (SELECT count(*) FROM sources), (SELECT count(*) FROM evidence)"
    ).fetchone()
    return dict(zip(("claims", "speakers", "sources", "evidence"), row))
