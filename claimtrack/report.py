r"""The Markdown citation report: claims grouped, each cited with numbered footnotes, written as it streams.

Everything the report prints that a user gave (quotes, names, roles, aliases, titles, outlets, notes, tags,
filters) goes through md_escape or one_line, so that it renders as the literal text it is under CommonMark,
GFM and Pandoc's commonmark_x alike: no heading, list, table, rule, code block, link, HTML, emphasis,
strikethrough, footnote, sub- or superscript, maths, emoji or attribute that the text did not spell out as
characters. Only what those dialects would read as syntax is escaped, so the source stays readable (an
apostrophe stays one), and control characters are shown as escapes (ESC as \x1b) as on the terminal.
"""

from __future__ import annotations

import re
from typing import Iterable, TextIO

from claimtrack.dates import PartialDate, from_iso
from claimtrack.model import VERDICTS, Appearance, Change, Claim, Evidence, Speaker
from claimtrack.render import visible
from claimtrack.urls import normalize_url

VERDICT_MEANINGS = {
    "unverified": "not checked yet",
    "supported": "the evidence bears it out",
    "mixed": "partly right, partly wrong",
    "misleading": "accurate in part, but it gives a false impression",
    "refuted": "the evidence shows it is false",
    "unprovable": "it cannot be checked with the evidence there is",
}

# What is syntax inside a line, each escaped by a backslash before it, in one pass over the line:
# - characters that are syntax anywhere: CommonMark's own, GFM's tables and strikethrough, and Pandoc's sub- and
#   superscript, inline notes (^[...]), maths ($), attributes and spans ({...});
# - an underscore at the edge of a word (one inside a word, as in snake_case, is text);
# - & before what would read as an entity;
# - a # after a space, which could close an ATX heading ("C#" stays as it is);
# - what GFM and Pandoc turn into links (www., scheme://, e-mail) and :names: into emoji.
_INLINE = re.compile(
    r"[\\`*\[\]<>!|~^${]"
    r"|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])"
    r"|&(?=#?[0-9A-Za-z]+;)"
    r"|(?<=\s)#"
    r"|(?<=[Ww]{3})\.|:(?=//)|(?<=[\w.+-])@(?=\w)|:(?=[\w+-]+:)"
)
# What would start a block at the start of a line: a heading, list item, setext underline or definition.
_BLOCK_START = re.compile(r"^[#+\-=:]")
# A list marker: CommonMark's 1. and 1), and Pandoc's a. (a) iv) as well.
_LIST_MARKER = re.compile(r"^(\(?(?:\d{1,9}|[A-Za-z]|[ivxlcdmIVXLCDM]+))([.)])(?=\s|$)")
_LINE_END = re.compile(r"\r\n?")


def md_escape(text: str) -> str:
    """TEXT as Markdown that renders as exactly that text (line breaks kept as soft breaks)."""
    lines = []
    for line in visible(_LINE_END.sub("\n", text)).split("\n"):
        # Leading spaces would make an indented code block, trailing ones a hard break; neither is text.
        line = line.strip(" \t")
        line = _INLINE.sub(r"\\\g<0>", line)
        if _LIST_MARKER.match(line):
            line = _LIST_MARKER.sub(r"\1\\\2", line, count=1)
        elif _BLOCK_START.match(line):
            line = "\\" + line
        lines.append(line)
    return "\n".join(lines)


def one_line(text: str) -> str:
    """TEXT escaped and folded to one line, for headings, list items and footnotes."""
    return md_escape(" ".join(text.split()))


class Citations:
    """Footnote numbers in order of first use, one per distinct source (after URL normalisation)."""

    def __init__(self, gone: dict[str, str] | None = None) -> None:
        self.numbers: dict[str, int] = {}
        self.notes: list[str] = []
        # The pages a check found gone (URL key -> since when): cited by their archived copy first.
        self.gone = gone or {}

    def cite(self, url: str | None, outlet: str | None, title: str | None, published, archived_url=None) -> str:
        """The footnote reference for a source, numbering it on first use."""
        key = normalize_url(url) if url else f"no-url|{outlet or ''}|{title or ''}|{published.value if published else ''}"
        if key not in self.numbers:
            self.numbers[key] = len(self.numbers) + 1
            parts = []
            if outlet:
                parts.append(one_line(outlet))
            if title:
                parts.append(f"“{one_line(title)}”")
            if published:
                parts.append(published.describe())
            note = ", ".join(parts) + "." if parts else ""
            since = self.gone.get(key) if url else None
            if since:
                offline = f"Offline since {from_iso(since[:10], 'day').describe()}"
                if archived_url:
                    note += f" {offline}; archived copy: {_link(archived_url)} (was {_link(url)})"
                else:
                    note += f" {_link(url)} ({offline[0].lower()}{offline[1:]}; no archived copy)"
            else:
                if url:
                    note += f" {_link(url)}"  # as the user gave it, as every export cites it
                if archived_url:
                    note += f" Archived: {_link(archived_url)}"
            self.notes.append(f"[^{self.numbers[key]}]: {note.strip()}")
        return f"[^{self.numbers[key]}]"


def _link(url: str) -> str:
    """An autolink, or the escaped text of a URL that cannot be one."""
    if re.search(r"[\s<>\x00-\x1f\x7f-\x9f]", url):
        return one_line(url)
    return f"<{url}>"


def _scope(filters: list[str], claims: int, sources: int) -> str:
    described = "; ".join(one_line(f) for f in filters) if filters else "all claims"
    return (f"Scope: {described}. {claims} claim{'s' if claims != 1 else ''}, "
            f"{sources} source{'s' if sources != 1 else ''} cited.")


def _speaker_heading(speaker: Speaker) -> list[str]:
    lines = [f"## {one_line(speaker.name)}", ""]
    details = []
    if speaker.role:
        details.append(f"Role: {one_line(speaker.role)}.")
    if speaker.aliases:
        details.append("Also known as: " + ", ".join(one_line(a) for a in speaker.aliases) + ".")
    if details:
        lines += [" ".join(details), ""]
    return lines


def _where(appearance: Appearance, citations: Citations) -> str:
    name = appearance.outlet or appearance.title or (appearance.url and "source") or "source"
    cite = citations.cite(appearance.url, appearance.outlet, appearance.title, appearance.published,
                          appearance.archived_url)
    return f"{one_line(name)}{cite}"


def _claim_block(claim: Claim, citations: Citations, with_retracted: bool = False) -> list[str]:
    lines: list[str] = []
    if claim.kind == "quote":
        lines += ["> " + line if line else ">" for line in md_escape(claim.text).split("\n")]
    else:
        lines.append("**Claim:** " + md_escape(claim.text))
    lines.append("")
    said = claim.said.describe() if claim.said else "date unknown"
    who = one_line(claim.speaker) + (f", {one_line(claim.role)}" if claim.role else "")
    byline = f"— {who}; {said}"
    if claim.appearances:
        byline += "; in " + ", ".join(_where(a, citations) for a in claim.appearances)
    byline += f". Verdict: **{one_line(claim.verdict)}**. Attribution: {one_line(claim.attribution)}."
    lines += [byline, ""]
    checks = [c for c in claim.history or () if c.field == "verification" and not c.retracted_at]
    if checks:
        # The latest check of the quote against its source, as verify recorded it.
        lines += [f"Verification: {md_escape(' '.join((checks[-1].note or checks[-1].new or '').split()))}.", ""]
    evidence = [item for item in claim.evidence or () if with_retracted or not item.retracted_at]
    if evidence:
        lines.append("Evidence:")
        lines.append("")
        for item in evidence:
            lines += _evidence_lines(item, citations)
        lines.append("")
    changes = [change for change in claim.history or () if (with_retracted or not change.retracted_at)
               and change.field in ("verdict", "attribution")]
    if changes:
        cited = {item.id: item for item in evidence}
        lines += ["Verdict and attribution:", ""]
        for change in changes:
            lines += _change_lines(change, cited, citations)
        lines.append("")
    return lines


def _retracted(retracted_at: str | None, note: str | None) -> str:
    """ " (retracted 28 November 2026: why)" for a retracted entry shown with --with-retracted."""
    if not retracted_at:
        return ""
    day = PartialDate(retracted_at[:10], "day").describe()
    return f" (retracted {day}: {one_line(note)})" if note and note.strip() else f" (retracted {day})"


def _continued(lines: list[str]) -> list[str]:
    """Lines that go on a list item (already escaped), indented under it."""
    return [f"  {line}" if line else "" for line in lines]


def _evidence_lines(item: Evidence, citations: Citations) -> list[str]:
    """A piece of evidence as a list item: stance, date, the first line of its note (else what the source is) and
    the citation; below, the quoted passage and the rest of the note."""
    note = [line for line in (item.note or "").strip().splitlines() if line.strip()]
    what = note[0] if note else (item.title or item.outlet or "source")
    when = f" ({item.published.describe()})" if item.published else ""
    cite = citations.cite(item.url, item.outlet, item.title, item.published, item.archived_url)
    lines = [f"- **{one_line(item.stance.capitalize())}**{when}: {one_line(what)}{cite}"
             f"{_retracted(item.retracted_at, item.retraction_note)}"]
    more = [f"Quoted: “{one_line(item.quote)}”"] if item.quote and item.quote.strip() else []
    more += [md_escape(line) for line in note[1:]]
    return lines + _continued(more)


def _change_lines(change: Change, cited: dict[int, Evidence], citations: Citations) -> list[str]:
    """A verdict or attribution change as a list item, with the evidence it cites and its note in full."""
    sources = "".join(citations.cite(e.url, e.outlet, e.title, e.published, e.archived_url)
                      for i in change.evidence_ids if (e := cited.get(i)))
    line = (f"- {change.effective.describe()}: {change.field} **{one_line(change.new or '')}**"
            f" (was {one_line(change.old or '')}){sources}{_retracted(change.retracted_at, change.retraction_note)}")
    note = [md_escape(line) for line in (change.note or "").strip().splitlines() if line.strip()]
    if note:
        note[0] = f"Note: {note[0]}"
    return [line] + _continued(note)


def write_report(
    out: TextIO,
    claims: Iterable[tuple[str | None, Claim]],
    *,
    title: str,
    filters: list[str],
    counts: tuple[int, int],
    group_by: str,
    stamp: str | None = None,
    with_retracted: bool = False,
    gone: dict[str, str] | None = None,
) -> None:
    """Write the report as it goes: memory holds the footnotes, not the claims.

    CLAIMS yields (group, claim) in order; grouped by speaker, the group is the Speaker. Retracted evidence and
    verdict or attribution changes are left out, or, WITH_RETRACTED, shown labelled as retracted. GONE: the
    pages found gone (URL key -> since when), cited by their archived copy first.
    """
    out.write(f"# {one_line(title)}\n\n{_scope(filters, *counts)}\n\n")
    if stamp:
        out.write(f"Generated {stamp}.\n\n")
    citations = Citations(gone)
    current = object()
    for group, claim in claims:
        if group_by != "none" and group != current:
            current = group
            if group_by == "speaker":
                heading = _speaker_heading(group)
            else:
                label = group if group is not None else {"outlet": "No outlet", "tag": "Untagged"}.get(group_by, "—")
                heading = [f"## {one_line(label)}", ""]
            out.write("\n".join(heading) + "\n")
        out.write("\n".join(_claim_block(claim, citations, with_retracted)) + "\n")
    out.write("## Verdicts\n\n")
    for verdict in VERDICTS:
        out.write(f"- **{verdict}**: {VERDICT_MEANINGS[verdict]}\n")
    if citations.notes:
        out.write("\n" + "\n".join(citations.notes) + "\n")
