r"""Showing claims: JSON for programs, rich tables in a terminal, plain lines in a pipe.

Renderers take model objects and write; they never query. rich is imported only
when output goes to a terminal.

Stored text is shown, never executed: it is kept as it was given, but whatever a terminal would act on
(C0 controls other than tab and newline, DEL, C1 controls, and the bidirectional overrides and isolates
that reorder what is shown) is printed as its escape, the way Python writes it: ESC as ``\x1b``, CSI as
``\x9b``, RIGHT-TO-LEFT OVERRIDE as ``\u202e``. That holds in tables and plain lines alike. In a
tab-separated line every run of white space inside a field (tabs and line breaks too) is one space, so a
record is always one line with the same number of fields. JSON stays exact: JSON escapes C0 controls
itself, and DEL, C1 and bidi controls are written as ``\u`` escapes of the same characters. A terminal
too narrow for a table (under MIN_WIDTH columns, or COLUMNS=0) gets the plain lines instead.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Iterable, NamedTuple, TextIO

from claimtrack.dates import LazyPattern, PartialDate  # patterns compiled on first use: start-up stays as it was
from claimtrack.model import DEFAULT_ATTRIBUTION, MARK_END, MARK_START, Claim, Evidence, SearchHit, Speaker

# What a terminal acts on instead of showing; tab and newline are layout, handled where they matter.
_CONTROL = LazyPattern("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# The same minus the C0 controls, which json.dumps escapes already.
_JSON_UNSAFE = LazyPattern("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Below this many columns a table squeezes text to nothing; plain lines wrap instead.
MIN_WIDTH = 40
# Below this many, a table of claims leaves the verdict out rather than fold the words of the text apart.
VERDICT_WIDTH = 60

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


def _table_console(out: TextIO):
    """A rich console when OUT is a terminal wide enough for a table; None means plain lines."""
    if not _is_terminal(out):
        return None
    console = _console(out)
    return console if console.width >= MIN_WIDTH else None


def _escape_control(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """TEXT with every character a terminal would act on shown as its escape; tabs and line breaks stay."""
    return _CONTROL.sub(_escape_control, text.replace("\r\n", "\n"))


def field(text: str) -> str:
    """TEXT as one field of a tab-separated line: white space (tabs, line breaks) folded to spaces, controls shown."""
    return visible(" ".join(text.split()))


def _plain_line(values: Iterable[str]) -> str:
    return "\t".join(field(v) for v in values) + "\n"


def _text(value: str, style: str | None = None):
    """Stored text as a rich Text: never read as markup, controls shown."""
    from rich.text import Text

    return Text(visible(value), style=style or "")


def print_json(value, out: TextIO | None = None) -> None:
    """Pretty JSON, non-ASCII kept as it is except the controls a terminal would act on (same value, escaped)."""
    out = out or sys.stdout
    text = json.dumps(value, ensure_ascii=False, indent=2)
    out.write(_JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")


def said_words(claim: Claim) -> str:
    """When a claim was said, in words at its precision."""
    return claim.said.describe() if claim.said else "undated"


# The fields of a claim's tab-separated line, in order; new fields are only ever added at the end, so that
# scripts reading the first ones keep working.
CLAIM_FIELDS = ("id", "said", "speaker", "kind", "text", "outlet", "tags", "verdict", "attribution")


def claim_fields(claim: Claim) -> list[str]:
    """The values of CLAIM_FIELDS for one claim."""
    return [str(claim.id), said_words(claim), claim.speaker, claim.kind, claim.text, claim.outlet or "",
            ",".join(claim.tags), claim.verdict, claim.attribution]


def print_claims(claims: list[Claim], *, as_json: bool, header: bool = False, out: TextIO | None = None) -> None:
    """A list of claims: a table in a terminal, tab-separated lines in a pipe (with HEADER, a first line naming
    the fields; a table always has its header)."""
    out = out or sys.stdout
    if as_json:
        print_json([c.to_dict() for c in claims], out)
        return
    console = _table_console(out)
    if console is None:
        if header:
            out.write(_plain_line(CLAIM_FIELDS))
        out.writelines(_plain_line(claim_fields(c)) for c in claims)
        return
    if not claims:
        console.print("No claims match.", style="dim")
        return
    console.print(claims_table(claims, verdicts=console.width >= VERDICT_WIDTH))


def claims_table(claims: list[Claim], marked: dict[int, str] | None = None, verdicts: bool = True):
    """A rich table of claims; MARKED gives texts with search matches marked; VERDICTS adds the verdict column
    (and the attribution when it is not the default)."""
    from rich.table import Table

    table = Table(header_style="bold", expand=True)
    table.add_column("ID", justify="right", style="cyan", no_wrap=True)
    table.add_column("Said", overflow="fold")
    table.add_column("Speaker", style="bold", ratio=2, overflow="fold")
    table.add_column("Quote or claim", ratio=5, overflow="fold")
    if verdicts:
        table.add_column("Verdict", overflow="fold")
    for c in claims:
        text = _styled(marked[c.id]) if marked and c.id in marked else _plain_text(c)
        where = " · ".join(part for part in (c.outlet, " ".join(f"#{t}" for t in c.tags)) if part)
        if where:
            text.append("\n" + visible(where), style="dim")
        speaker = _text(c.speaker)
        if c.role:
            speaker.append("\n" + visible(c.role), style="dim not bold")
        # The attribution is named only when it is not the default: a disputed quote is news, a reported one is not.
        verdict = _text(c.verdict, STANDING_STYLES.get(c.verdict))
        if c.attribution != DEFAULT_ATTRIBUTION:
            verdict.append("\n" + visible(c.attribution), style=STANDING_STYLES.get(c.attribution) or "")
        table.add_row(str(c.id), _text(said_words(c)), speaker, text, *([verdict] if verdicts else []))
    return table


def _plain_text(claim: Claim):
    return _text(f"“{claim.text}”" if claim.kind == "quote" else claim.text)


def _styled(marked: str):
    """Turn the store's match marks into highlighted rich Text."""
    from rich.text import Text

    text = Text()
    highlight = False
    for piece in marked.replace(MARK_END, MARK_START).split(MARK_START):
        if piece:
            text.append(visible(piece), style="bold black on yellow" if highlight else None)
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
    rows = [(label, visible(value)) for label, value in _detail_rows(claim)]
    events = [e._replace(when=visible(e.when), what=visible(e.what), detail=visible(e.detail),
                         more=tuple(visible(line) for line in e.more), retracted=visible(e.retracted))
              for e in timeline(claim)]
    console = _table_console(out)
    if console is None:
        out.write(f"#{claim.id} {visible(claim.kind)}\n{visible(claim.text)}\n\n")
        width = max(len(label) for label, _ in rows)
        for label, value in rows:
            out.write(f"{label + ':':<{width + 1}} {value}\n")
        if events:
            out.write("\nTimeline:\n")
            when_width = max(len(e.when) for e in events)
            what_width = max(len(e.what) for e in events)
            for e in events:
                detail = f"{e.detail} {e.retracted}" if e.retracted else e.detail
                out.write(f"  {e.when:<{when_width}}  {e.what:<{what_width}}  {detail}".rstrip() + "\n")
                for line in e.more:
                    out.write(f"  {'':<{when_width}}  {'':<{what_width}}  {line}".rstrip() + "\n")
        return
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold cyan", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in rows:
        grid.add_row(label, Text(value))
    parts = [_plain_text(claim), "", grid]
    if events:
        steps = Table.grid(padding=(0, 2))
        steps.add_column(no_wrap=True, style="cyan")
        steps.add_column(no_wrap=True)
        steps.add_column(overflow="fold")
        for e in events:
            # A retracted entry is struck through, its label not: the label is what still holds.
            struck = " strike" if e.retracted else ""
            detail = Text()
            detail.append(e.detail, style=struck.strip() or None)
            if e.retracted:
                detail.append(" " + e.retracted, style="italic")
            for line in e.more:
                detail.append("\n")
                detail.append(line, style="dim" + struck)
            steps.add_row(e.when, Text(e.what, style=(e.style or "bold") + struck), detail)
        parts += ["", Text("Timeline", style="bold underline"), steps]
    body = Group(*parts)
    console.print(Panel(body, title=Text(f"#{claim.id} {visible(claim.kind)}"), title_align="left", expand=False))


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
        ("Archived", claim.appearances[0].archived_url if claim.source_url and claim.appearances else None),
        ("Tags", ", ".join(claim.tags)), ("Context", claim.context), ("Note", claim.note),
    ):
        if value:
            rows.append((label, value))
    rows += [("UUID", claim.uuid), ("Added", claim.created_at), ("Updated", claim.updated_at)]
    return rows


class Event(NamedTuple):
    """One row of a claim's timeline: when, what, the detail (with the history entry's number, if it is one),
    the style, lines shown below it (a quoted passage, a note), and the label of a retracted entry."""

    when: str
    what: str
    detail: str
    style: str = ""
    more: tuple[str, ...] = ()
    retracted: str = ""


def retraction_label(retracted_at: str | None, note: str | None) -> str:
    """"(retracted 28 November 2026: note)" for a retracted entry; empty for one that counts."""
    if not retracted_at:
        return ""
    day = PartialDate(retracted_at[:10], "day").describe()
    return f"(retracted {day}: {' '.join(note.split())})" if note and note.strip() else f"(retracted {day})"


def _note_lines(note: str | None, label: str = "Note: ") -> tuple[str, ...]:
    """A note in full, one line of it a timeline row, the first labelled."""
    lines = [line.strip() for line in (note or "").strip().splitlines()]
    return tuple(f"{label if n == 0 else ' ' * len(label)}{line}".rstrip() for n, line in enumerate(lines))


# How the timeline colours a verification's result.
VERIFICATION_STYLES = {"verbatim": "green", "form": "green", "marked-edits": "yellow", "altered": "red",
                       "not-found": "red", "other-language": "", "unavailable": "dim"}
# The edits the timeline shows, with how it names them; other fields are in show --json.
_EDITS = {"text": "text changed", "speaker": "speaker changed"}


def timeline(claim: Claim) -> list[Event]:
    """What happened to a claim, in date order; a row that comes from its history starts with the entry number."""
    events: list[tuple[PartialDate | None, Event]] = []
    if claim.said:
        events.append((claim.said, Event("", "said", claim.speaker)))
    for n, appearance in enumerate(claim.appearances):
        where = " — ".join(p for p in (appearance.outlet, appearance.title) if p) or (appearance.url or "")
        events.append((appearance.published, Event("", "published" if n == 0 else "appeared again", where)))
    for item in claim.evidence or ():
        when = item.published or PartialDate(item.added_at[:10], "day")
        detail = " — ".join(p for p in (item.outlet, item.title) if p) or (item.url or "")
        entry = f"[{item.entry}] " if item.entry else ""
        quote = (f"“{' '.join(item.quote.split())}”",) if item.quote and item.quote.strip() else ()
        events.append((when, Event("", item.stance, f"{entry}#{item.id} {detail}", STANCE_STYLES.get(item.stance, ""),
                                   quote + _note_lines(item.note),
                                   retraction_label(item.retracted_at, item.retraction_note))))
    for change in claim.history or ():
        label = retraction_label(change.retracted_at, change.retraction_note)
        by = f" (by {' '.join(change.author.split())})" if change.author else ""
        if change.field in ("verdict", "attribution"):
            detail = f"[{change.entry}] {change.old} → {change.new}"
            if change.evidence_ids:
                detail += " citing " + ", ".join(f"#{i}" for i in change.evidence_ids)
            events.append((change.effective, Event("", change.field, detail + by, STANDING_STYLES.get(change.new, ""),
                                                   _note_lines(change.note), label)))
        elif change.field in ("verification", "drift"):
            what = "verified" if change.field == "verification" else "wording"
            events.append((change.effective, Event("", what, f"[{change.entry}] {change.note or change.new}{by}",
                                                   VERIFICATION_STYLES.get(change.new, ""), (), label)))
        elif change.field in _EDITS:
            old, new = (" ".join((value or "").split()) for value in (change.old, change.new))
            events.append((change.effective, Event("", "edited",
                                                   f"[{change.entry}] {_EDITS[change.field]}: {old} → {new}{by}",
                                                   "", (), label)))
        elif change.field == "created" and change.author:
            events.append((change.effective, Event("", "recorded", f"[{change.entry}] by {' '.join(change.author.split())}")))
    dated = sorted((e for e in events if e[0] is not None), key=lambda e: e[0].start)
    return [event._replace(when=when.describe()) for when, event in dated]


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
    console = _table_console(out)
    if console is None:
        for row in rows:
            out.write(_plain_line(row))
        return
    from rich.table import Table

    table = Table(header_style="bold", expand=True)
    for name in ("ID", "Claim", "Stance", "Published", "Source", "URL"):
        table.add_column(name, overflow="fold")
    for e, row in zip(items, rows):
        table.add_row(*(_text(value, STANCE_STYLES.get(e.stance) if n == 2 else None) for n, value in enumerate(row)))
    console.print(table)


def print_hits(hits: list[SearchHit], *, as_json: bool, out: TextIO | None = None, evidence: bool = False) -> None:
    """Search results, best first, with the matching words highlighted; EVIDENCE: with the evidence that matched."""
    out = out or sys.stdout
    if as_json:
        print_json([{**h.claim.to_dict(), "rank": h.rank, "snippet": plain_marks(h.snippet),
                     **({"matched_evidence": [{"id": e.id, "stance": e.stance, "snippet": plain_marks(e.snippet)}
                                              for e in h.evidence]} if evidence else {})} for h in hits], out)
        return
    console = _table_console(out)
    if console is None:
        for h in hits:
            c = h.claim
            out.write(_plain_line([str(c.id), said_words(c), c.speaker,
                                   plain_marks(_with_evidence(h, " | "))]))
        return
    if not hits:
        console.print("Nothing found.", style="dim")
        return
    console.print(claims_table([h.claim for h in hits], {h.claim.id: _with_evidence(h, "\n") for h in hits},
                               verdicts=console.width >= VERDICT_WIDTH))


def _with_evidence(hit: SearchHit, between: str) -> str:
    """A hit's marked text followed by the evidence that matched, each named by its id and stance."""
    return hit.marked_text + "".join(f"{between}evidence {e.id} ({e.stance}): {e.snippet}" for e in hit.evidence)


def print_speakers(speakers: list[Speaker], *, as_json: bool, out: TextIO | None = None) -> None:
    """Speakers with their kind, aliases and claim counts."""
    out = out or sys.stdout
    if as_json:
        print_json([s.to_dict() for s in speakers], out)
        return
    # The kind comes last, so that scripts reading the tab-separated fields by position keep working.
    rows = [(str(s.id), s.name, s.role or "", "; ".join(s.aliases), str(s.claims), s.first_said or "",
             s.last_said or "", s.kind) for s in speakers]
    console = _table_console(out)
    if console is None:
        for row in rows:
            out.write(_plain_line(row))
        return
    from rich.table import Table

    table = Table(header_style="bold")
    for name, justify in (("ID", "right"), ("Speaker", "left"), ("Role", "left"), ("Also known as", "left"),
                          ("Claims", "right"), ("First said", "left"), ("Last said", "left"), ("Kind", "left")):
        table.add_column(name, justify=justify, overflow="fold")
    for row in rows:
        table.add_row(*(_text(value) for value in row))
    console.print(table)
