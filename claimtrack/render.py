"""Showing claims: JSON for programs, rich tables in a terminal, plain lines in a pipe.

Renderers take model objects and write; they never query. rich is imported only
when output goes to a terminal.
"""

from __future__ import annotations

import json
import sys
from typing import TextIO

from claimtrack.model import MARK_END, MARK_START, Claim, SearchHit, Speaker


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
    if not _is_terminal(out):
        out.write(f"#{claim.id} {claim.kind}\n{claim.text}\n\n")
        width = max(len(label) for label, _ in rows)
        for label, value in rows:
            out.write(f"{label + ':':<{width + 1}} {value}\n")
        return
    from rich.panel import Panel
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold cyan", no_wrap=True)
    grid.add_column()
    for label, value in rows:
        grid.add_row(label, _escape(value))
    from rich.console import Group

    body = Group(_plain_text(claim), "", grid)
    _console(out).print(Panel(body, title=f"#{claim.id} {claim.kind}", title_align="left", expand=False))


def _detail_rows(claim: Claim) -> list[tuple[str, str]]:
    said = said_words(claim)
    if claim.said and claim.said.text and claim.said.text.strip().lower() != said.lower():
        said += f"  (as written: {claim.said.text})"
    rows = [("Speaker", claim.speaker + (f", {claim.role}" if claim.role else "")), ("Said", said)]
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
