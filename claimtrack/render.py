"""Showing claims: JSON for programs, rich tables in a terminal, plain lines in a pipe.

Renderers take model objects and write; they never query. rich is imported only
when output goes to a terminal.
"""

from __future__ import annotations

import json
import sys
from typing import TextIO

from claimtrack.dates import PartialDate
from claimtrack.model import MARK_END, MARK_START, Claim, Evidence, SearchHit, Speaker

STANCE_STYLES = {"supports": "green", "refutes": "red", "context": "blue", "correction": "yellow"}
STANDING_STYLES = {
    "unverified": "dim", "supported": "green", "mixed": "yellow", "misleading": "yellow", "refuted": "red",
    "unprovable": "magenta", "reported": "dim", "confirmed": "green", "disputed": "yellow",
    "misattributed": "red",
}


def _is_terminal(out: TextIO) -> bool:
    return hasattr(out, "isatty") and out.isatty()


def _console(out: TextIO):
    from rich.console import Console

    return Console(file=out, highlight=False, soft_wrap=False)


def print_json(value, out: TextIO | None = None) -> None:
    """Pretty JSON, non-ASCII kept as it is."""
    out = out or sys.stdout
    out.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def said_words(claim: Claim) -> str:
    """When a claim was said, in words at its precision."""
    return claim.said.describe() if claim.said else "undated"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def print_claims(claims: list[Claim], *, as_json: bool, out: TextIO | None = None) -> None:
    """A list of claims: a table in a terminal, tab-separated lines in a pipe."""
    out = out or sys.stdout
    if as_json:
        print_json([c.to_dict() for c in claims], out)
        return
    if not _is_terminal(out):
        for c in claims:
            out.write("\t".join([str(c.id), said_words(c), c.speaker, c.kind, _one_line(c.text),
                                 c.outlet or "", ",".join(c.tags)]) + "\n")
        return
    console = _console(out)
    if not claims:
        console.print("No claims match.", style="dim")
        return
    console.print(claims_table(claims))


def claims_table(claims: list[Claim], marked: dict[int, str] | None = None):
    """A rich table of claims; MARKED gives texts with search matches marked."""
    from rich.table import Table
    from rich.text import Text

    table = Table(header_style="bold", expand=True)
    table.add_column("ID", justify="right", style="cyan", no_wrap=True)
    table.add_column("Said")
    table.add_column("Speaker", style="bold", ratio=2)
    table.add_column("Quote or claim", ratio=5)
    for c in claims:
        text = _styled(marked[c.id]) if marked and c.id in marked else _plain_text(c)
        where = " · ".join(part for part in (c.outlet, " ".join(f"#{t}" for t in c.tags)) if part)
        if where:
            text.append("\n" + where, style="dim")
        speaker = Text(c.speaker)
        if c.role:
            speaker.append("\n" + c.role, style="dim not bold")
        table.add_row(str(c.id), said_words(c), speaker, text)
    return table


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _plain_text(claim: Claim):
    from rich.text import Text

    return Text(f"“{claim.text}”" if claim.kind == "quote" else claim.text)


def _styled(marked: str):
    """Turn the store's match marks into highlighted rich Text."""
    from rich.text import Text

    text = Text()
    highlight = False
    for piece in marked.replace(MARK_END, MARK_START).split(MARK_START):
        if piece:
            text.append(piece, style="bold black on yellow" if highlight else None)
        highlight = not highlight
    return text


def plain_marks(marked: str) -> str:
    """Matches marked with ** for JSON and pipes."""
    return marked.replace(MARK_START, "**").replace(MARK_END, "**")


def print_claim(claim: Claim, *, as_json: bool, out: TextIO | None = None) -> None:
    """Everything about one claim."""
    out = out or sys.stdout
    if as_json:
        print_json(claim.to_dict(), out)
        return
    rows = _detail_rows(claim)
    events = timeline(claim)
    if not _is_terminal(out):
        out.write(f"#{claim.id} {claim.kind}\n{claim.text}\n\n")
        width = max(len(label) for label, _ in rows)
        for label, value in rows:
            out.write(f"{label + ':':<{width + 1}} {value}\n")
        if events:
            out.write("\nTimeline:\n")
            when_width = max(len(when) for when, _, _, _ in events)
            what_width = max(len(what) for _, what, _, _ in events)
            for when, what, detail, _ in events:
                out.write(f"  {when:<{when_width}}  {what:<{what_width}}  {detail}".rstrip() + "\n")
        return
    from rich.panel import Panel
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold cyan", no_wrap=True)
    grid.add_column()
    for label, value in rows:
        grid.add_row(label, _escape(value))
    from rich.console import Group

    parts = [_plain_text(claim), "", grid]
    if events:
        from rich.text import Text

        steps = Table.grid(padding=(0, 2))
        steps.add_column(no_wrap=True, style="cyan")
        steps.add_column(no_wrap=True)
        steps.add_column()
        for when, what, detail, style in events:
            steps.add_row(when, Text(what, style=style or "bold"), Text(detail))
        parts += ["", Text("Timeline", style="bold underline"), steps]
    body = Group(*parts)
    _console(out).print(Panel(body, title=f"#{claim.id} {claim.kind}", title_align="left", expand=False))


def _detail_rows(claim: Claim) -> list[tuple[str, str]]:
    said = said_words(claim)
    if claim.said and claim.said.text and claim.said.text.strip().lower() != said.lower():
        said += f"  (as written: {claim.said.text})"
    rows = [
        ("Speaker", claim.speaker + (f", {claim.role}" if claim.role else "")),
        ("Said", said),
        ("Verdict", claim.verdict),
        ("Attribution", claim.attribution),
    ]
    if claim.published:
        rows.append(("Published", claim.published.describe()))
    for label, value in (
        ("Outlet", claim.outlet), ("Title", claim.title), ("Source", claim.source_url),
        ("Tags", ", ".join(claim.tags)), ("Context", claim.context), ("Note", claim.note),
    ):
        if value:
            rows.append((label, value))
    rows += [("UUID", claim.uuid), ("Added", claim.created_at), ("Updated", claim.updated_at)]
    return rows


def timeline(claim: Claim) -> list[tuple[str, str, str, str]]:
    """What happened to a claim, in date order: (when, what, detail, style) rows."""
    events: list[tuple[PartialDate | None, str, str, str]] = []
    if claim.said:
        events.append((claim.said, "said", claim.speaker, ""))
    for n, appearance in enumerate(claim.appearances):
        where = " — ".join(p for p in (appearance.outlet, appearance.title) if p) or (appearance.url or "")
        events.append((appearance.published, "published" if n == 0 else "appeared again", where, ""))
    for item in claim.evidence or ():
        when = item.published or PartialDate(item.added_at[:10], "day")
        detail = " — ".join(p for p in (item.outlet, item.title) if p) or (item.url or "")
        if item.note:
            detail += f" ({item.note.splitlines()[0]})"
        events.append((when, item.stance, f"#{item.id} {detail}", STANCE_STYLES.get(item.stance, "")))
    for change in claim.history or ():
        if change.field in ("verdict", "attribution"):
            detail = f"{change.old} → {change.new}"
            if change.evidence_ids:
                detail += " citing " + ", ".join(f"#{i}" for i in change.evidence_ids)
            if change.note:
                detail += f" ({change.note.splitlines()[0]})"
            events.append((change.effective, change.field, detail, STANDING_STYLES.get(change.new, "")))
    dated = sorted((e for e in events if e[0] is not None), key=lambda e: e[0].start)
    return [(when.describe(), what, detail, style) for when, what, detail, style in dated]


def print_evidence(items: list[Evidence], *, as_json: bool, out: TextIO | None = None) -> None:
    """Evidence rows: id, claim, stance, published, where."""
    out = out or sys.stdout
    if as_json:
        print_json([e.to_dict() for e in items], out)
        return
    rows = [
        (str(e.id), str(e.claim_id), e.stance, e.published.describe() if e.published else "",
         " — ".join(p for p in (e.outlet, e.title) if p), e.url or "")
        for e in items
    ]
    if not _is_terminal(out):
        for row in rows:
            out.write("\t".join(row) + "\n")
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(header_style="bold", expand=True)
    for name in ("ID", "Claim", "Stance", "Published", "Source", "URL"):
        table.add_column(name, overflow="fold" if name == "URL" else None)
    for e, row in zip(items, rows):
        table.add_row(row[0], row[1], Text(row[2], style=STANCE_STYLES.get(e.stance, "")), row[3],
                      Text(row[4]), Text(row[5]))
    _console(out).print(table)


def print_hits(hits: list[SearchHit], *, as_json: bool, out: TextIO | None = None) -> None:
    """Search results, best first, with the matching words highlighted."""
    out = out or sys.stdout
    if as_json:
        print_json(
            [{**h.claim.to_dict(), "rank": h.rank, "snippet": plain_marks(h.snippet)} for h in hits], out
        )
        return
    if not _is_terminal(out):
        for h in hits:
            c = h.claim
            out.write("\t".join([str(c.id), said_words(c), c.speaker, _one_line(plain_marks(h.marked_text))]) + "\n")
        return
    console = _console(out)
    if not hits:
        console.print("Nothing found.", style="dim")
        return
    console.print(claims_table([h.claim for h in hits], {h.claim.id: h.marked_text for h in hits}))


def print_speakers(speakers: list[Speaker], *, as_json: bool, out: TextIO | None = None) -> None:
    """Speakers with their aliases and claim counts."""
    out = out or sys.stdout
    if as_json:
        print_json([s.to_dict() for s in speakers], out)
        return
    if not _is_terminal(out):
        for s in speakers:
            out.write("\t".join([str(s.id), s.name, s.role or "", "; ".join(s.aliases), str(s.claims),
                                 s.first_said or "", s.last_said or ""]) + "\n")
        return
    from rich.table import Table

    table = Table(header_style="bold")
    for name, justify in (("ID", "right"), ("Speaker", "left"), ("Role", "left"), ("Also known as", "left"),
                          ("Claims", "right"), ("First said", "left"), ("Last said", "left")):
        table.add_column(name, justify=justify)
    for s in speakers:
        table.add_row(str(s.id), _escape(s.name), _escape(s.role or ""), _escape("; ".join(s.aliases)),
                      str(s.claims), s.first_said or "", s.last_said or "")
    _console(out).print(table)
