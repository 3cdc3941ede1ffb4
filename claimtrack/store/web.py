"""What the web view reads beyond claims themselves: the desk's canned queries, verifications, a speaker's claims."""

from __future__ import annotations

from typing import NamedTuple

# The questions a desk asks every day, as Datasette canned queries over the readable views (claimtrack.views_schema).
CANNED_QUERIES = {
    "refuted_by_evidence": {
        "title": "Claims with refuting evidence",
        "description": "Claims that at least one piece of evidence refutes (evidence whose entry was retracted "
                       "is left out), newest said first, with how many pieces refute each.",
        "sql": "SELECT cl.*, r.refuting FROM claim_list cl JOIN (SELECT e.claim_id, count(*) AS refuting "
               "FROM evidence e JOIN sources src ON src.id = e.source_id WHERE e.stance = 'refutes' AND NOT EXISTS "
               "(SELECT 1 FROM history h WHERE h.claim_id = e.claim_id AND h.field = 'evidence' AND h.old IS NULL "
               "AND h.at = e.added_at AND h.new = 'refutes: ' || src.url AND h.retracted_at IS NOT NULL) "
               "GROUP BY e.claim_id) r ON r.claim_id = cl.id ORDER BY cl.said_start DESC, cl.id DESC",
    },
    "verdict_changed_this_month": {
        "title": "Verdicts changed this month",
        "description": "Every verdict that took effect since the first of this month (UTC) and is not retracted: "
                       "the claim, the verdict before and after, when it took effect and when it was recorded.",
        "sql": "SELECT cl.id, cl.text, cl.speaker, h.old AS verdict_before, h.new AS verdict_after, "
               "h.effective_on AS effective, h.at AS recorded_at, h.note FROM history h "
               "JOIN claim_list cl ON cl.id = h.claim_id WHERE h.field = 'verdict' AND h.retracted_at IS NULL "
               "AND h.effective_start >= strftime('%Y-%m-01', 'now') ORDER BY h.effective_start DESC, h.at DESC, h.id DESC",
    },
    "quotes_not_verified": {
        "title": "Quotes not yet verified",
        "description": "Quotes never checked against their source's text (claimtrack verify records each check).",
        "sql": "SELECT cl.* FROM claim_list cl WHERE cl.kind = 'quote' AND NOT EXISTS "
               "(SELECT 1 FROM verifications v WHERE v.claim_id = cl.id) ORDER BY cl.said_start DESC, cl.id DESC",
    },
    "sources_gone": {
        "title": "Sources gone offline",
        "description": "Pages whose latest check found them gone, with their archived copy when there is one "
                       "and how many claims rest on them.",
        "sql": "SELECT s.id, s.outlet, s.title, s.url, coalesce(s.archived_url, (SELECT archived_url FROM archives a "
               "WHERE a.source_id = s.id ORDER BY a.id DESC LIMIT 1)) AS archived_url, c.checked_at, c.status, "
               "c.detail, (SELECT count(*) FROM claims WHERE source_id = s.id) + (SELECT count(*) FROM appearances "
               "WHERE source_id = s.id) + (SELECT count(*) FROM evidence WHERE source_id = s.id) AS cited "
               "FROM (SELECT source_id, max(id) AS id FROM source_checks GROUP BY source_id) latest "
               "JOIN source_checks c ON c.id = latest.id JOIN sources s ON s.id = c.source_id "
               "WHERE c.state = 'gone' ORDER BY c.checked_at DESC",
    },
}


class Verification(NamedTuple):
    """One check of a quote against its source's text."""

    checked_at: str
    result: str
    passage: str | None
    source_url: str | None
    outlet: str | None
    snapshot_at: str | None


def verifications_of(conn, claim_id: int) -> list[Verification]:
    """Every check of the claim's quote, oldest first (none in a database of an older schema)."""
    import sqlite3

    try:
        rows = conn.execute(
            "SELECT checked_at, result, passage, source_url, outlet, snapshot_at FROM verifications "
            "WHERE claim_id = ? ORDER BY checked_at, id", (claim_id,)).fetchall()
    except sqlite3.OperationalError:
        return []
    return [Verification(*row) for row in rows]
