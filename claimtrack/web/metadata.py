"""What Datasette is told about the record: titles and descriptions, hidden tables, search, facets, canned queries.

Only the tables and views described here are shown: anything else in the file (internal tables, search index
shadows, tables a later schema adds before they are described) stays hidden, so nothing is published unexplained.
"""

from __future__ import annotations

DATABASE = "record"

_CLAIM_LIST_COLUMNS = {
    "id": "The claim's number (claimtrack show ID); its page has the timeline and citations.",
    "text": "What was said: the speaker's exact words (a quote) or a statement (a claim).",
    "speaker": "Who said it (the name claimtrack keeps for the speaker).",
    "role": "The speaker's role when they said it.",
    "said": "When it was said, in words at the precision known (\"December 2023\", \"early 2024\").",
    "year": "The year it was said (empty when undated).",
    "verdict": "Is it true? unverified, supported, mixed, misleading, refuted or unprovable.",
    "attribution": "Did the speaker really say it? reported, confirmed, disputed or misattributed.",
    "outlet": "The outlet of the source where it was first published.",
    "tags": "The claim's tags, as a JSON list.",
    "kind": "quote (exact words) or claim (a statement).",
    "title": "The title of the source page.",
    "url": "The address of the source page.",
    "published": "When the source was published, in words at its precision.",
    "said_start": "The first day the said date covers (ISO 8601), for sorting and ranges.",
    "speaker_id": "The speaker's number; their page lists their claims.",
}

TABLES = {
    "claim_list": {
        "title": "Claims",
        "description": "Every claim with its speaker, date, verdict, attribution, outlet and tags. Search finds "
                       "words of the text, context and speaker's names.",
        "columns": _CLAIM_LIST_COLUMNS,
        "fts_table": "claims_fts",
        "fts_pk": "id",
        "sort_desc": "said_start",
        # Shown on every visit, so only the cheap one: speaker, outlet, year and tag are a click away.
        "facets": ["verdict"],
    },
    "evidence_list": {
        "title": "Evidence",
        "description": "Each piece of evidence with the claim it bears on, its stance and the source it quotes.",
        "columns": {
            "id": "The evidence's number.", "claim_id": "The claim it bears on.", "claim": "That claim's text.",
            "stance": "supports, refutes, context or correction.", "quote": "The passage of the source quoted.",
            "note": "The fact-checker's note.", "outlet": "The source's outlet.", "title": "The source's title.",
            "url": "The source's address.", "published": "When the source was published, in words.",
            "added_at": "When the evidence was recorded (UTC).",
        },
        "facets": ["stance"],
    },
    "claims": {
        "description": "The claims as stored (claim_list shows them readably).",
        "columns": {
            "id": "The claim's number.", "uuid": "Its identifier across copies of the record.",
            "kind": "quote or claim.", "text": "What was said.", "text_key": "The text folded, to find duplicates.",
            "speaker_id": "Who said it (speakers).", "role": "The speaker's role then.",
            "said_on": "When it was said (ISO 8601 at its precision).", "said_precision": "day, week, month, quarter or year.",
            "said_text": "The date as it was written.", "said_approximate": "1 when the date is approximate.",
            "said_qualifier": "early, mid or late.", "said_start": "The first day the date covers.",
            "source_id": "Where it was first published (sources).", "context": "What surrounds the quote.",
            "note": "The fact-checker's note.", "created_at": "When it was recorded (UTC).",
            "updated_at": "When it was last changed (UTC).", "verdict": "The current verdict.",
            "attribution": "The current attribution.",
        },
        "label_column": "text",
    },
    "speakers": {
        "description": "People and organisations who said something.",
        "columns": {"id": "The speaker's number.", "name": "Their name.", "key": "The name folded, to match it.",
                    "created_at": "When first recorded (UTC).", "kind": "person or organisation."},
        "label_column": "name",
    },
    "aliases": {
        "description": "Other names of speakers.",
        "columns": {"id": "The alias's number.", "speaker_id": "Whose name it is.", "alias": "The other name.",
                    "key": "The name folded, to match it."},
    },
    "sources": {
        "description": "Pages and documents claims and evidence come from.",
        "columns": {
            "id": "The source's number.", "url": "Its address.", "url_key": "The address normalised.",
            "outlet": "Who published it.", "outlet_key": "The outlet folded.", "title": "Its title.",
            "published_on": "When it was published (ISO 8601 at its precision).",
            "published_precision": "day, week, month, quarter or year.", "published_text": "The date as written.",
            "published_approximate": "1 when the date is approximate.", "published_qualifier": "early, mid or late.",
            "created_at": "When first recorded (UTC).", "archived_url": "An archived copy of the page.",
        },
        "label_column": "title",
    },
    "tags": {"description": "Tags claims carry.", "columns": {"id": "The tag's number.", "name": "The tag."},
             "label_column": "name"},
    "claim_tags": {"description": "Which claim carries which tag.",
                   "columns": {"tag_id": "The tag.", "claim_id": "The claim.",
                               "said_start": "The claim's said date, for ordering by tag."}},
    "evidence": {
        "description": "Evidence as stored (evidence_list shows it readably).",
        "columns": {"id": "The evidence's number.", "uuid": "Its identifier across copies.", "claim_id": "The claim.",
                    "source_id": "The source quoted.", "stance": "supports, refutes, context or correction.",
                    "quote": "The passage quoted.", "note": "The note.", "added_at": "When recorded (UTC).",
                    "updated_at": "When last changed (UTC)."},
    },
    "appearances": {
        "description": "Other places a claim was published.",
        "columns": {"id": "The appearance's number.", "uuid": "Its identifier across copies.",
                    "claim_id": "The claim.", "source_id": "Where it appeared.", "added_at": "When recorded (UTC)."},
    },
    "history": {
        "description": "Each dated change of a claim: verdicts, attributions, evidence and edits.",
        "columns": {
            "id": "The entry's number.", "uuid": "Its identifier across copies.", "claim_id": "The claim.",
            "at": "When it was recorded (UTC).", "effective_on": "When it took effect (ISO 8601).",
            "effective_precision": "The precision of that date.", "effective_start": "The first day it covers.",
            "field": "What changed (verdict, attribution, evidence, text...).", "old": "The value before.",
            "new": "The value after.", "note": "Why.", "retracted_at": "When the entry was withdrawn, if it was.",
            "retraction_note": "Why it was withdrawn.", "author": "Who recorded it.",
        },
    },
    "history_evidence": {"description": "The evidence a verdict or attribution change cites.",
                         "columns": {"history_id": "The change.", "evidence_id": "The evidence cited."}},
    "snapshots": {
        "description": "Copies of source pages kept beside the record (WARC), with the text read from them.",
        "columns": {
            "id": "The snapshot's number.", "source_id": "The source.", "kind": "fetch or attach.",
            "fetched_at": "When it was taken (UTC).", "final_url": "The address after redirects.",
            "status": "The HTTP status.", "content_type": "The media type.", "size": "Its size in bytes.",
            "sha256": "Its SHA-256.", "warc_file": "The WARC file holding it.", "warc_record_id": "Its WARC record.",
            "file_name": "The attached file's name.", "text": "The text read from it.", "title": "Its title.",
            "site_name": "The site's name.", "author": "The author named.", "published_on": "The date it gives.",
            "published_precision": "That date's precision.", "language": "Its language.", "note": "A note.",
        },
    },
    "source_checks": {
        "description": "Each check of whether a source page is still there.",
        "columns": {"id": "The check's number.", "source_id": "The source.", "snapshot_id": "The snapshot it matched.",
                    "checked_at": "When (UTC).", "status": "The HTTP status.", "final_url": "The address after redirects.",
                    "sha256": "The SHA-256 of what was found.",
                    "state": "live, changed, redirected, gone, server-error, refused or unreachable.",
                    "detail": "What was found, in words."},
    },
    "archives": {
        "description": "Archived copies of source pages.",
        "columns": {"id": "The archive's number.", "source_id": "The source.", "archived_url": "The copy's address.",
                    "archived_at": "When the copy was taken.", "recorded_at": "When recorded (UTC).",
                    "via": "save-page-now or given.", "job_id": "The archive service's job."},
    },
    "verifications": {
        "description": "Each check of a quote against its source's text (claimtrack verify).",
        "columns": {
            "id": "The check's number.", "claim_id": "The claim.", "checked_at": "When (UTC).",
            "result": "verbatim, form, marked-edits, altered, not-found, unavailable or other-language.",
            "passage": "The passage found.", "differences": "The word differences (JSON).",
            "meaning_flags": "What the differences touch (JSON).", "edits": "Marked edits (JSON).",
            "snapshot_sha256": "The snapshot checked against.", "snapshot_at": "When it was taken.",
            "source_url": "The source's address.", "outlet": "The source's outlet.",
            "against": "What it was checked against.", "appearance_of": "The appearance checked, if not the source.",
            "latest": "1 for the claim's latest check.",
        },
        "facets": ["result"],
    },
}


def metadata(title: str, tables: list[str], queries: dict, password: dict | None) -> dict:
    """Datasette's metadata for the record: TABLES described, every other table in the file (TABLES lists
    what it holds) hidden, the canned QUERIES; PASSWORD: the access control's settings, when one is on."""
    described = {name: {**about, "columns": dict(about["columns"])} for name, about in TABLES.items()
                 if name in tables}
    for name in tables:
        described.setdefault(name, {"hidden": True})
    result = {
        "title": title,
        "description": "Attributed quotes and claims, with their sources, evidence and verdicts, recorded with "
                       "claimtrack. Read-only.",
        "databases": {DATABASE: {
            "description": "The record: start with Claims.",
            "tables": described,
            "queries": queries,
        }},
    }
    if password:
        result["plugins"] = {"datasette-auth-passwords": password}
    return result
