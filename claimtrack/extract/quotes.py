"""Where an article's direct quotations are: spans of its text between quotation marks, and answers in a
transcript. Pure: offsets into the text in, pieces out; who said them is speakers.py's business.

A mark opens or closes by where it stands, not by its shape: copy that closes a quote with an opening
mark (“...“, common in machine translation and hurried typing) reads the same as copy that does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Double marks of every style; single marks count only inside them (as part of the outer quote).
DOUBLE_MARKS = "\"“”„‟«»″〝〞＂"
OPENING_SHAPES = "“„‟«〝"
CLOSING_SHAPES = "”»〞"
_BEFORE_OPENING = " \t\n([{—–-/:;,"
_AFTER_CLOSING = " \t\n)]}.,;:!?—–-/…"

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+|\n(?=[ \t]*(?:[A-Z][\w.'’ -]{0,40}|Q|A):[ \t])")
# A transcript's speaker label at the start of a paragraph: "Q:", "A:", "ZHOU:", "Sun Meiling:".
LABEL = re.compile(r"[ \t]*(Q|A|[A-Z][\w'’.-]*(?:[ \t][A-Z][\w'’.-]*){0,3})[ \t]*(?:\(([^()\n]{1,60})\))?[ \t]*:"
                   r"[ \t]+(?=\S)")
HOST_LABELS = ("Q", "QUESTION", "HOST", "INTERVIEWER", "MODERATOR", "ANCHOR")


@dataclass(frozen=True)
class Piece:
    """One run of quoted words: START..END is the text inside the marks (stripped); OPEN and CLOSE are where
    the marks stand (CLOSE is the paragraph's end for a quote left open); LABEL names a transcript line."""

    start: int
    end: int
    open: int
    close: int
    paragraph: int
    closed: bool = True
    label: str | None = None


def paragraphs(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each paragraph of TEXT: blocks between blank lines; a transcript's labelled lines
    ("Q: ...") are paragraphs of their own even without a blank line between them."""
    spans = []
    at = 0
    # Text with no blank line at all (a page's extracted text) has one paragraph a line.
    breaks = PARAGRAPH_BREAK if re.search(r"\n[ \t]*\n", text) else re.compile(r"\n")
    for match in breaks.finditer(text):
        spans.append((at, match.start()))
        at = match.end()
    spans.append((at, len(text)))
    result = []
    for start, end in spans:
        chunk = text[start:end]
        stripped = chunk.strip()
        if not stripped:
            continue
        lead = len(chunk) - len(chunk.lstrip())
        result.append((start + lead, start + lead + len(stripped)))
    return result


def _role(text: str, i: int, start: int, end: int) -> str:
    """'open', 'close' or 'either' for the mark at I, from the characters beside it."""
    before = text[i - 1] if i > start else " "
    after = text[i + 1] if i + 1 < end else " "
    opens = before in _BEFORE_OPENING or before in DOUBLE_MARKS or before in "‘'"
    closes = after in _AFTER_CLOSING or after in DOUBLE_MARKS or after in "’'"
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    if text[i] in OPENING_SHAPES:
        return "open"
    if text[i] in CLOSING_SHAPES:
        return "close"
    return "either"


def _piece(text: str, first: int, last: int, mark_open: int, mark_close: int, paragraph: int,
           closed: bool) -> Piece | None:
    """The piece between FIRST and LAST with its whitespace trimmed, or None when nothing is inside."""
    while first < last and text[first].isspace():
        first += 1
    while last > first and text[last - 1].isspace():
        last -= 1
    if last <= first:
        return None
    return Piece(first, last, mark_open, mark_close, paragraph, closed)


def quoted_pieces(text: str, start: int, end: int, paragraph: int) -> list[Piece]:
    """Every quoted run in TEXT[START:END] (one paragraph), a quote left open running to the paragraph's end."""
    pieces = []
    opened = None
    for i in range(start, end):
        if text[i] not in DOUBLE_MARKS:
            continue
        role = _role(text, i, start, end)
        if opened is None:
            if role == "close" and i > start:
                # A closing mark with nothing open: a stray mark, or the end of a quote whose opening
                # mark is missing; neither is a quotation to propose.
                continue
            opened = i
        elif role == "open" and text[i - 1].isspace() and i + 1 < end and text[i + 1].isspace():
            continue  # a lone mark between spaces is no mark at all
        else:
            piece = _piece(text, opened + 1, i, opened, i + 1, paragraph, True)
            if piece:
                pieces.append(piece)
            opened = None
    if opened is not None:
        piece = _piece(text, opened + 1, end, opened, end, paragraph, False)
        if piece:
            pieces.append(piece)
    return pieces


def starts_with_mark(text: str, start: int, end: int) -> bool:
    """Whether the paragraph TEXT[START:END] opens with a double quotation mark (Markdown '>' aside)."""
    i = start
    while i < end and text[i] in " \t>":
        i += 1
    return i < end and text[i] in DOUBLE_MARKS


def transcript_labels(text: str, spans: list[tuple[int, int]]) -> dict[int, tuple[str, int]]:
    """For each paragraph that opens with a speaker label, the label and where its words begin; only when
    the article is a transcript (two or more labelled paragraphs, one of them past the first paragraph)."""
    labels = {}
    hosts = set()
    for index, (start, end) in enumerate(spans):
        match = LABEL.match(text, start, end)
        if match and index > 0:
            labels[index] = (match.group(1), match.end())
            if match.group(2) and match.group(1).upper() in HOST_LABELS:
                # "HOST (Renee Caldwell):": her later lines, under her name, are questions too.
                hosts.add(match.group(2).strip().upper())
    for index, (label, at) in list(labels.items()):
        if label.upper() in hosts:
            labels[index] = ("HOST", at)
    return labels if len(labels) >= 2 else {}


def transcript_pieces(text: str, spans: list[tuple[int, int]], labels: dict[int, tuple[str, int]]
                      ) -> list[list[Piece]]:
    """The answers of a transcript: each labelled paragraph other than a question, with the unlabelled
    paragraphs that follow it (an answer running over paragraphs), as a list of pieces per answer."""
    answers = []
    current = None
    for index, (start, end) in enumerate(spans):
        if index in labels:
            label, words = labels[index]
            current = None
            if label.upper() in HOST_LABELS:
                continue
            piece = _piece(text, words, end, words, end, index, True)
            if piece:
                current = [Piece(piece.start, piece.end, piece.open, piece.close, index, True, label)]
                answers.append(current)
        elif current is not None and current[-1].paragraph == index - 1:
            piece = _piece(text, start, end, start, end, index, True)
            if piece:
                current.append(Piece(piece.start, piece.end, piece.open, piece.close, index, True,
                                     current[0].label))
    return answers


def words(text: str) -> int:
    """How many words TEXT has."""
    return len(text.split())


_TITLE_WORD = re.compile(r"[A-Z0-9][\w'’&:.-]*|of|the|a|an|and|in|on|for|to|with|as|at|by|or")


def looks_like_title(quote: str) -> bool:
    """A name of a work or a slogan: three to eight words, each capitalised or a small word, no full stop."""
    parts = quote.strip(" ,.").split()
    return (2 < len(parts) <= 8 and not re.search(r"[.!?]\s", quote)
            and all(_TITLE_WORD.fullmatch(p.strip(",")) for p in parts) and parts[0][0].isupper())
