"""`claimtrack extract`: every attributed quote in an article, proposed as claims, reviewed, added as one change."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Annotated, List, Optional

import typer

from claimtrack import render
from claimtrack.cli.common import interactive, reading, state, writing
from claimtrack.errors import ClaimtrackError

DEFAULT_MIN_CONFIDENCE = 0.6


@dataclass
class Proposal:
    """A quote found, as it will be added (the person may have edited it), or the claim it repeats."""

    text: str
    speaker: str | None
    role: str | None
    said: object | None
    confidence: float
    sentence: str
    repeats: int | None = None
    # When the claim it repeats has other words: how they differ (a claimtrack.verify Verification).
    drift: object | None = None


@dataclass
class Article:
    """One article read: where from, its page details, what it proposes, and what was decided."""

    label: str
    given: object
    found: object
    proposals: list[Proposal] = field(default_factory=list)
    snapshot: tuple | None = None


def extract(
    ctx: typer.Context,
    items: Annotated[Optional[List[str]], typer.Argument(
        help="Articles: files (.txt, .md, .html, .pdf), folders of them, URLs, or - for standard input.",
        show_default=False, metavar="[FILE|URL|-]...")] = None,
    source: Annotated[Optional[str], typer.Option("--source", help="The article's URL (default: the URL read, or the page's own).", show_default=False)] = None,
    outlet: Annotated[Optional[str], typer.Option("--outlet", help="Who published it (default: from the page).", show_default=False)] = None,
    title: Annotated[Optional[str], typer.Option("--title", help="Its title (default: from the page).", show_default=False)] = None,
    published: Annotated[Optional[str], typer.Option("--published", help="When it was published (default: from the page); said dates count from it.", show_default=False)] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Add every quote at or above --min-confidence without asking.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the quotes as JSON Lines import records; write nothing.")] = False,
    min_confidence: Annotated[float, typer.Option("--min-confidence", help="With --yes and --json: the lowest confidence (0 to 1) kept.", min=0.0, max=1.0)] = DEFAULT_MIN_CONFIDENCE,
) -> None:
    """Find every attributed quote in an article, with its speaker, role and date, and add those you accept.

    At a terminal each quote is shown in its sentence and you accept (a), edit (e), skip (s) or quit (q).
    The quotes accepted from one article are added as one change (claimtrack undo takes the article back).
    A quote already recorded for that speaker is offered as another appearance of its claim.

    Example: claimtrack extract https://example.com/sora-story --published 2024-02-20
    """
    from claimtrack.extract import inputs

    if not items:
        if sys.stdin.isatty():
            raise ClaimtrackError("Give the article: a file, a folder, a URL, or - to read standard input.", exit_code=2)
        items = ["-"]
    items = inputs.expand(items)
    if len(items) > 1 and source:
        raise ClaimtrackError("--source names one article's page: give one article with it, not "
                              f"{len(items)}.", exit_code=2)
    if not (yes or as_json or interactive()):
        raise ClaimtrackError("extract asks about each quote at a terminal. In a pipe, give --yes (add those at or "
                              "above --min-confidence) or --json (print them as import records).", exit_code=2)
    settings = state(ctx).dates
    given = _given_page(source, outlet, title, published, settings)
    batch = len(items) > 1
    failed = 0
    with _progress(len(items) if batch and not (interactive() and not yes and not as_json) else 0) as advance:
        for item in items:
            try:
                article = _read(ctx, item, given, settings, min_confidence if (yes or as_json) else 0.0)
                if as_json:
                    _print_records(article)
                elif yes:
                    _add(ctx, article, [p for p in article.proposals if p.speaker])
                else:
                    chosen, stop = _review(ctx, article, settings)
                    _add(ctx, article, chosen)
                    if stop:
                        break
            except ClaimtrackError as error:
                if not batch:
                    raise
                failed += 1
                typer.echo(f"{render.visible(item)}: {render.visible(error.message)}", err=True)
            advance()
    if failed:
        raise ClaimtrackError(f"{failed} of {len(items)} article(s) could not be read; the others were.")


def _looking(ctx: typer.Context):
    """The database to read speakers and known pages from: an empty one in memory when there is none yet
    (--json and a first extract need no file)."""
    if state(ctx).db.exists():
        return reading(ctx)
    return writing(ctx, rehearse=True)


def _given_page(source, outlet, title, published, settings):
    from claimtrack.drafts import new_source

    return new_source(source, outlet, title, published, settings)


def _read(ctx: typer.Context, item: str, given, settings, floor: float) -> Article:
    """Read ITEM and find its quotes: speakers matched to the database's, dates from the publication date."""
    from claimtrack.extract import extract_quotes, inputs
    from claimtrack.model import SourceDraft

    with _looking(ctx) as store:
        if item == "-":
            found_input = inputs.from_stdin(sys.stdin.buffer)
        elif inputs.is_url(item):
            found_input = inputs.from_url(store, item)
        else:
            found_input = inputs.from_file(item)
        page = inputs.read(found_input)
        url = given.url or found_input.url or page.url
        found = SourceDraft(url=None if given.url else (found_input.url or page.url), outlet=page.outlet,
                            title=page.title, published=page.published)
        known_published = store._known_published(url) if url else None
        base = given.published or known_published or page.published

        def known(name: str) -> str | None:
            speaker_id = store.find_speaker(name)
            return store._speaker_names([speaker_id])[0] if speaker_id is not None else None

        candidates = extract_quotes(page.text, published=base, known_speakers=known)
        article = Article(found_input.label, given, found)
        for candidate in candidates:
            if candidate.confidence < floor:
                continue
            # The comma that hands a quote over to its attribution ("...horizon," said X) is not the speaker's.
            text = candidate.quote.strip().rstrip(",").rstrip()
            proposal = Proposal(text, candidate.speaker, candidate.role, candidate.said, candidate.confidence,
                                candidate.sentence)
            proposal.repeats = _repeat_of(store, proposal, settings)
            article.proposals.append(proposal)
    if found_input.response is not None:
        article.snapshot = _snapshot_of(found_input.response)
    if not article.proposals:
        typer.echo(f"No quote found in {render.visible(article.label)}"
                   + (f" at or above confidence {floor:g}." if floor and candidates else "."), err=True)
    return article


def _repeat_of(store, proposal: Proposal, settings) -> int | None:
    """The claim these words repeat: the same words (as add notices copies), or the speaker's quote closest in
    wording, whose drift is then kept on the proposal."""
    if not proposal.speaker:
        return None
    from claimtrack.drafts import new_claim

    same = store.find_duplicate(new_claim(proposal.text, proposal.speaker, settings=settings))
    if same is not None:
        return same
    similar = store.similar_claim(proposal.speaker, proposal.text)
    if similar is None:
        return None
    from claimtrack.verify import classify_drift

    proposal.drift = classify_drift(similar[1], proposal.text)
    return similar[0]


def _snapshot_of(response) -> tuple:
    """The page fetched for this article, prepared to keep as a snapshot: (response, what was read from it)."""
    from claimtrack.sources.extract import extract as read_page

    return response, read_page(response.body, response.content_type, response.final_url)


def _print_records(article: Article) -> None:
    import json

    page = article.given._replace(**{name: getattr(article.found, name) for name in ("url", "outlet", "title", "published")
                                     if getattr(article.given, name) is None})
    source = None
    if any(page[:4]):
        source = {"url": page.url, "outlet": page.outlet, "title": page.title,
                  "published_on": page.published.value if page.published else None,
                  "published_precision": page.published.precision if page.published else None}
    for p in article.proposals:
        if not p.speaker:
            continue
        record = {"kind": "quote", "text": p.text, "speaker": {"name": p.speaker}, "role": p.role,
                  **({"appearance_of": p.repeats} if p.repeats is not None else {}),
                  "said_on": p.said.value if p.said else None, "said_precision": p.said.precision if p.said else None,
                  "source": source, "confidence": round(p.confidence, 2), "sentence": p.sentence}
        typer.echo(json.dumps(record, ensure_ascii=False))


def _add(ctx: typer.Context, article: Article, chosen: list[Proposal]) -> None:
    """Add the chosen quotes of ARTICLE (and its snapshot, if it was fetched now) as one change."""
    from claimtrack.model import ClaimDraft

    if not chosen:
        typer.echo(f"Nothing added from {render.visible(article.label)}.", err=True)
        return
    with _looking(ctx) as store:
        for proposal in chosen:
            if proposal.repeats is None:
                proposal.repeats = _repeat_of(store, proposal, state(ctx).dates)
    drafts = [ClaimDraft(text=p.text, speaker=p.speaker, role=p.role, said=p.said) for p in chosen if p.repeats is None]
    repeats = list(dict.fromkeys(p.repeats for p in chosen if p.repeats is not None))
    snapshot = _snapshot_row(ctx, article) if article.snapshot else None
    try:
        with writing(ctx) as store:
            drifts = {p.repeats: _drift_outcome(p, article.label) for p in chosen
                      if p.repeats is not None and p.drift is not None}
            added = store.add_extracted(article.given, article.found, drafts, repeats, label=article.label,
                                        snapshot=snapshot, drifts=drifts)
    except BaseException:
        if snapshot is not None:
            _remove_warc(ctx, snapshot[0])
        raise
    parts = [f"{len(added['claims'])} claim{'s' if len(added['claims']) != 1 else ''} added"]
    if added["claims"]:
        parts[0] += f" ({', '.join(map(str, added['claims']))})"
    if added["appearances"]:
        parts.append(f"{len(added['appearances'])} appearance(s) of claims already recorded "
                     f"({', '.join(str(c) for c in repeats if c not in added['already'])})")
    if added["already"]:
        parts.append(f"{len(added['already'])} already recorded from this article")
    typer.echo(f"{render.visible(article.label)}: {'; '.join(parts)}.")


def _drift_outcome(proposal: Proposal, label: str) -> tuple[dict, str]:
    """The drift of a repeated quote, as verify records it, and the note of its history entry."""
    from claimtrack.cli.verify import WORDS
    from claimtrack.cli.verify_run import summary

    found = proposal.drift
    outcome = {**found.to_dict(), "passage": proposal.text}
    outcome.pop("span", None)
    note = f"as {label} printed it: {WORDS[found.result]} against the claim's words"
    if found.differences:
        note += f" ({summary(found.differences)})"
    return outcome, note


def _snapshot_row(ctx: typer.Context, article: Article):
    """Write the fetched page's WARC file (aside, then renamed) and the row the store records for it."""
    from claimtrack.sources import warc
    from claimtrack.store.base import now

    response, found = article.snapshot
    folder = warc.folder_for(state(ctx).db)
    at = now()
    stored = warc.write_response(folder, response.final_url, response.status, response.reason, response.headers,
                                 response.body, at)
    row = {"kind": "fetch", "fetched_at": at, "final_url": response.final_url, "status": response.status,
           "content_type": response.content_type, "size": stored.size, "sha256": stored.sha256,
           "warc_file": stored.warc_file, "warc_record_id": stored.record_id, "file_name": None}
    return row, found


def _remove_warc(ctx: typer.Context, row: dict) -> None:
    from claimtrack.sources import warc

    (warc.folder_for(state(ctx).db) / row["warc_file"]).unlink(missing_ok=True)


def _review(ctx: typer.Context, article: Article, settings) -> tuple[list[Proposal], bool]:
    """Ask about each quote at the terminal: the accepted ones, and whether the person quit."""
    from claimtrack.cli.extract_review import review

    if not article.proposals:
        return [], False
    return review(article, settings)


class _progress:
    """A progress bar for a batch on a terminal; nothing in a pipe or for one article."""

    def __init__(self, total: int):
        self.total = total
        self.bar = None

    def __enter__(self):
        if self.total < 2 or not sys.stderr.isatty():
            return lambda: None
        from rich.progress import Progress

        self.bar = Progress(transient=True)
        self.bar.start()
        task = self.bar.add_task("Extracting", total=self.total)
        return lambda: self.bar.advance(task)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()
        return False

