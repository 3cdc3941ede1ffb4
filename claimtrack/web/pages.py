"""What each of claimtrack's own web pages shows, read from the store (no HTML here: the templates draw it)."""

from __future__ import annotations

import io

from claimtrack.model import ClaimFilter


# The home page's figures, kept per database until it changes: they read every claim, which takes about a
# second at a million claims, and the page is the first a visitor opens.
_HOME: dict[str, tuple[tuple, dict]] = {}


def home(store) -> dict:
    """The home page: the desk's counts, claims by verdict, claims per month, the speakers with most claims."""
    # Every claimtrack write is a change, and another program's writes become one at the next: the latest
    # change and claim ids say whether anything changed since the figures were read.
    marker = tuple(store.conn.execute("SELECT (SELECT max(id) FROM changes), (SELECT max(id) FROM claims), "
                                      "(SELECT count(*) FROM trash)").fetchone())
    kept = _HOME.get(str(store.path))
    if kept is not None and kept[0] == marker:
        return kept[1]
    page = _home_figures(store)
    _HOME[str(store.path)] = (marker, page)
    return page


def _home_figures(store) -> dict:
    from claimtrack.store.stats import claim_counts, desk_counts, top_speakers, verdict_totals
    from claimtrack.web import charts

    by_month = claim_counts(store.conn, ClaimFilter(), "month")
    by_verdict = verdict_totals(by_month)
    return {
        "counts": desk_counts(store.conn),
        "verdict_chart": charts.verdict_bars(by_verdict),
        "month_chart": charts.month_chart(by_month, "Claims per month said, by verdict"),
        "by_verdict": [g.to_dict() for g in by_verdict],
        "by_month": [g.to_dict() for g in by_month],
        "speakers": [g.to_dict() for g in top_speakers(store.conn, 15)],
    }


def claim(store, claim_id: int) -> dict:
    """A claim's page: everything about it, its timeline (with its verifications) and its citations."""
    from claimtrack.render import said_words, timeline
    from claimtrack.store.web import verifications_of

    found = store.claim(claim_id, full=True)
    # The timeline dates each verification in already (its history entry); the rows give the passages for JSON.
    events = [e._asdict() for e in timeline(found)]
    checks = verifications_of(store.conn, claim_id)
    citations = report_markdown(store, [(None, found)], title=f"Claim #{found.id}", filters=[f"claim #{found.id}"],
                                group_by="none", counts=(1, _sources_of(found)))
    return {
        "claim": found._asdict() | {
            "said_words": said_words(found),
            "published_words": found.published.describe() if found.published else None,
            # Only a web address is a link: another scheme (javascript:, data:) is shown as text.
            "source_href": found.source_url if (found.source_url or "").lower().startswith(("http://", "https://"))
            else None,
        },
        "json": found.to_dict(),
        "timeline": events,
        "verifications": [c._asdict() for c in checks],
        "citations_markdown": _citation_block(citations),
    }


def _citation_block(markdown: str) -> str:
    """The claim's part of a one-claim report and its footnotes, without the report's title, scope and glossary."""
    body, _, rest = markdown.partition("\n## Verdicts\n")
    body = body.split("\n\n", 2)[2] if body.count("\n\n") >= 2 else body
    notes = [line for line in rest.splitlines() if line.startswith("[^")]
    return body + ("\n\n" + "\n".join(notes) + "\n" if notes else "")


def _sources_of(found) -> int:
    urls = {a.url or (a.outlet, a.title) for a in found.appearances}
    urls |= {e.url or (e.outlet, e.title) for e in found.evidence or ()}
    return len(urls)


def speaker(store, speaker_id: int, limit: int = 200) -> dict:
    """A speaker's page: who they are, their claims per month by verdict, and their latest claims."""
    from claimtrack.errors import ClaimtrackError
    from claimtrack.render import said_words
    from claimtrack.store.stats import claim_counts
    from claimtrack.web import charts

    found = store.speakers(only=speaker_id)
    if not found:
        raise ClaimtrackError(f"No speaker #{speaker_id}.")
    person = found[0]
    where = ClaimFilter(speaker_id=speaker_id)
    by_month = claim_counts(store.conn, where, "month")
    claims = store.claims(where, limit=limit)
    return {
        "speaker": person._asdict(),
        "by_verdict": [g.to_dict() for g in claim_counts(store.conn, where, "verdict")],
        "month_chart": charts.month_chart(by_month, f"Claims by {person.name} per month said, by verdict"),
        "claims": [{"id": c.id, "said": said_words(c), "text": c.text, "kind": c.kind, "verdict": c.verdict,
                    "attribution": c.attribution, "outlet": c.outlet, "tags": list(c.tags)} for c in claims],
        "more": person.claims > len(claims),
    }


def report_markdown(store, claims, *, title: str, filters: list[str], group_by: str, counts=None) -> str:
    """The Markdown citation report of CLAIMS ((group, claim) pairs), as `claimtrack report` writes it."""
    from claimtrack.report import write_report

    out = io.StringIO()
    write_report(out, claims, title=title, filters=filters, counts=counts, group_by=group_by,
                 gone=store.gone_pages())
    return out.getvalue()


def report(store, where: ClaimFilter, words: list[str], *, title: str, group_by: str) -> str:
    """The citation report for a filter, in Markdown."""
    return report_markdown(store, store.report_claims(where, group_by), title=title, filters=words,
                           group_by=group_by, counts=store.report_counts(where))


def markdown_html(text: str) -> str:
    """Markdown (the report's CommonMark with footnotes) as HTML; raw HTML in it is shown as text, never run."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    return MarkdownIt("commonmark", {"html": False, "linkify": False}).use(footnote_plugin).render(text)
