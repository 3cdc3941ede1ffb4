"""The Datasette plugin that serves claimtrack's own pages: home, a claim, a speaker, the citation report.

Each page reads through claimtrack's store (in a worker thread: the store is synchronous) and is drawn by the
templates beside this module; `.json` (and for a speaker `.csv`) give the same data for other tools.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from claimtrack.errors import ClaimtrackError
from claimtrack.web.metadata import DATABASE

REPORT_GROUPS = ("speaker", "outlet", "tag", "verdict", "none")


async def _read(datasette, request, work):
    """WORK(store) run on a store opened for reading, once the visitor may see the record."""
    await datasette.ensure_permissions(request.actor, [("view-database", DATABASE), "view-instance"])
    from claimtrack.store import open_store

    def run():
        with open_store(datasette.claimtrack_path, write=False) as store:
            return work(store)

    return await asyncio.get_running_loop().run_in_executor(None, run)


async def _page(datasette, request, template: str, context: dict, status: int = 200) -> Response:
    html = await datasette.render_template(template, {**context, "database": DATABASE,
                                                      "desk_title": datasette.metadata("title")}, request=request)
    return Response.html(html, status=status)


async def _refused(datasette, request, error: ClaimtrackError, status: int) -> Response:
    from claimtrack.render import visible

    return await _page(datasette, request, "claimtrack_error.html", {"message": visible(error.message)}, status)


async def home(request, datasette):
    """The desk's home page: counts, charts, the speakers with most claims, where to go next."""
    from claimtrack.web import pages

    context = await _read(datasette, request, pages.home)
    context["queries"] = datasette.metadata("queries", database=DATABASE) or {}
    return await _page(datasette, request, "claimtrack_home.html", context)


async def claim(request, datasette):
    """A claim's page (or its JSON)."""
    from claimtrack.web import pages

    claim_id = int(request.url_vars["id"])
    try:
        context = await _read(datasette, request, lambda store: pages.claim(store, claim_id))
    except ClaimtrackError as error:
        return await _refused(datasette, request, error, 404)
    if request.url_vars.get("format") == ".json":
        return Response.json(context["json"] | {"verifications": context["verifications"]})
    context["citations_html"] = Markup(pages.markdown_html(context["citations_markdown"]))
    return await _page(datasette, request, "claimtrack_claim.html", context)


async def speaker(request, datasette):
    """A speaker's page (or their claims as JSON or CSV)."""
    from claimtrack.web import pages

    speaker_id = int(request.url_vars["id"])
    try:
        context = await _read(datasette, request, lambda store: pages.speaker(store, speaker_id))
    except ClaimtrackError as error:
        return await _refused(datasette, request, error, 404)
    fmt = request.url_vars.get("format")
    if fmt == ".json":
        return Response.json({k: context[k] for k in ("speaker", "by_verdict", "claims", "more")})
    if fmt == ".csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["id", "said", "text", "kind", "verdict", "attribution", "outlet", "tags"])
        for c in context["claims"]:
            writer.writerow([c["id"], c["said"], c["text"], c["kind"], c["verdict"], c["attribution"],
                             c["outlet"] or "", ",".join(c["tags"])])
        return Response(out.getvalue(), content_type="text/csv; charset=utf-8")
    context["month_chart"] = Markup(context["month_chart"])
    return await _page(datasette, request, "claimtrack_speaker.html", context)


async def report(request, datasette):
    """The citation report for the filters in the query string: as a page, or (.md) the Markdown to download."""
    from claimtrack.web import pages

    args = request.args
    title = args.get("title") or "Citation report"
    group_by = args.get("group_by") or "speaker"

    def work(store):
        if group_by not in REPORT_GROUPS:
            raise ClaimtrackError(f"group_by must be one of {', '.join(REPORT_GROUPS)}, not '{group_by}'.")
        where, words = report_filter(store, args)
        return pages.report(store, where, words, title=title, group_by=group_by)

    try:
        markdown = await _read(datasette, request, work)
    except ClaimtrackError as error:
        return await _refused(datasette, request, error, 400)
    if request.url_vars.get("format") == ".md":
        return Response(markdown, content_type="text/markdown; charset=utf-8",
                        headers={"content-disposition": 'attachment; filename="report.md"'})
    query = request.query_string
    return await _page(datasette, request, "claimtrack_report.html", {
        "report_html": Markup(pages.markdown_html(markdown)),
        "download": "/report.md" + (f"?{query}" if query else ""),
        "args": {k: args.get(k) or "" for k in ("speaker", "tag", "outlet", "verdict", "since", "until", "title")},
        "group_by": group_by, "groups": REPORT_GROUPS,
    })


def report_filter(store, args):
    """The ClaimFilter (and its description in words) for a report's query string, as `report` reads options."""
    from claimtrack import dates
    from claimtrack.model import ATTRIBUTIONS, KINDS, VERDICTS, ClaimFilter

    values = {k: (args.get(k) or "").strip() or None
              for k in ("speaker", "tag", "outlet", "kind", "verdict", "attribution", "since", "until")}
    for name, allowed in (("kind", KINDS), ("verdict", VERDICTS), ("attribution", ATTRIBUTIONS)):
        if values[name] is not None and values[name] not in allowed:
            raise ClaimtrackError(f"{name} must be one of {', '.join(allowed)}, not '{values[name]}'.")
    speaker_id = store.resolve_speaker(values["speaker"]) if values["speaker"] else None
    where = ClaimFilter(
        speaker_id=speaker_id, tag=values["tag"], outlet=values["outlet"], kind=values["kind"],
        since=dates.since_bound(values["since"]).isoformat() if values["since"] else None,
        until=dates.until_bound(values["until"]).isoformat() if values["until"] else None,
        verdict=values["verdict"], attribution=values["attribution"],
    )
    words = [f"speaker {store.speaker_name(speaker_id)}"] if speaker_id is not None else []
    words += [f"{label} {values[key]}" for key, label in (
        ("tag", "tag"), ("outlet", "outlet"), ("kind", "kind"), ("since", "said since"), ("until", "said until"),
        ("verdict", "verdict"), ("attribution", "attribution")) if values[key]]
    return where, words


@hookimpl
def register_routes():
    """claimtrack's pages, before Datasette's own (its home page is replaced by the desk's)."""
    return [
        (r"^/$", home),
        (r"^/claim/(?P<id>\d{1,18})(?P<format>\.json)?$", claim),
        (r"^/speaker/(?P<id>\d{1,18})(?P<format>\.json|\.csv)?$", speaker),
        (r"^/report(?P<format>\.md)?$", report),
    ]


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """In the readable views, a claim's number links to its page and a speaker's name to theirs."""
    if database != DATABASE or value is None:
        return None
    if table in ("claim_list", None) and column == "id" and "speaker" in row.keys():
        return Markup(f'<a href="/claim/{int(value)}">{int(value)}</a>')
    if table == "evidence_list" and column == "claim_id":
        return Markup(f'<a href="/claim/{int(value)}">{int(value)}</a>')
    if column == "speaker" and "speaker_id" in row.keys() and row["speaker_id"] is not None:
        return Markup(f'<a href="/speaker/{int(row["speaker_id"])}">{escape(value)}</a>')
    if table == "claim_list" and column == "tags" and isinstance(value, str) and value.startswith("["):
        try:
            return ", ".join(json.loads(value))
        except (ValueError, TypeError):
            return None
    return None
