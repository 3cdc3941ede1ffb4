"""A quote as the verifier reads it: its own words, and the editor's marks between them.

Ellipses ("...", "…", ". . .", "[...]") say words were left out; brackets ("[the company]", "[s]he") say the
editor's words stand in for the speaker's; "[sic]" says an error is the speaker's own and stands for nothing.
A mark sits between two of the quote's words; which source words it stands for is the aligner's finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimtrack.verify.forms import WORD, canonical

_ELLIPSIS = r"[\[(]\s*(?:…|\.\s?\.\s?\.)\s*[\])]|…+|\.\s?\.\s?\.(?:\s?\.)?"
# A bracket with the word it is part of ("[s]he", "Sora[’s]"), or standing alone ("[the company]").
_BRACKET = r"[\w'’-]*\[[^\[\]]*\][\w'’-]*"
MARK = re.compile(f"(?P<ellipsis>{_ELLIPSIS})|(?P<bracket>{_BRACKET})")
_SIC = re.compile(r"\[\s*sic\s*!?\s*\]", re.IGNORECASE)


@dataclass(frozen=True)
class Mark:
    """An editor's mark: KIND "ellipsis" or "bracket", RAW as written, AT the number of the quote's words
    before it; SIC when it is "[sic]" (standing for no words)."""

    kind: str
    raw: str
    at: int
    sic: bool = False


@dataclass(frozen=True)
class Quote:
    """A quote's words (canonical), where each stands in the quote (start, end), and its marks."""

    text: str
    words: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    marks: tuple[Mark, ...]

    def raw(self, first: int, last: int) -> str:
        """The quote's text from word FIRST to word LAST - 1, as written (empty for no words)."""
        if first >= last:
            return ""
        return self.text[self.spans[first][0]: self.spans[last - 1][1]]

    def marks_at(self, position: int) -> list[Mark]:
        """The marks standing just before word POSITION (after the last word for len(words))."""
        return [mark for mark in self.marks if mark.at == position]


def read_quote(text: str) -> Quote:
    """TEXT split into its words and its editorial marks."""
    words: list[str] = []
    spans: list[tuple[int, int]] = []
    marks: list[Mark] = []

    def take_words(start: int, end: int) -> None:
        for match in WORD.finditer(text, start, end):
            words.append(canonical(match.group()))
            spans.append(match.span())

    position = 0
    for match in MARK.finditer(text):
        take_words(position, match.start())
        raw = match.group()
        kind = "ellipsis" if match.group("ellipsis") else "bracket"
        marks.append(Mark(kind, raw, len(words), sic=bool(_SIC.fullmatch(raw))))
        position = match.end()
    take_words(position, len(text))
    return Quote(text, tuple(words), tuple(spans), tuple(marks))


def bracket_words(mark: Mark) -> str:
    """What a bracket puts in the speaker's mouth, without the brackets ("she" for "[s]he")."""
    return mark.raw.replace("[", "").replace("]", "")
