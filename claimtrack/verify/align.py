"""Where a quote's words stand in a source text, word by word.

Each distinct word of a text becomes one character, so a text of 20,000 words is a string of 20,000
characters and rapidfuzz's string algorithms (written in C++) align words instead of letters: a sliding
partial ratio finds the region, an Indel (insert/delete) alignment lines the words up inside it. A quote whose
editor's marks leave its pieces in the source's order is found first piece by piece with plain substring
search, so an ellipsis may skip any number of words.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from claimtrack.verify.forms import canonical, weight, word_pattern
from claimtrack.verify.marks import Quote

# Words an ellipsis may stand for between two pieces of a quote, and a bracket.
ELLIPSIS_REACH = 400
BRACKET_REACH = 8
# How many places of its first piece a marked quote is tried at (a piece like "the" is everywhere).
_MAX_STARTS = 200
# A first or last matched word standing this many words or more apart from the rest is a chance match.
_STRAY_GAP = 3
# At most this many unmatched words at either end of a passage are taken as changed words of the source.
_EDGE_CHANGE = 2
_PRIVATE = 0x10FFFF  # characters for the quote's words the source never uses, counting down
_TAGS = {"equal": "equal", "insert": "source-only", "delete": "quote-only"}


_BLOCK = 4096  # characters of source text tokenized together when offsets are needed
_SPACE = re.compile(r"\s")


class SourceIndex:
    """A source text's words: canonical forms and one character per distinct word (CHARS). Where each word
    stands in TEXT is worked out only for the parts of the text a result quotes, block by block, since most
    of a long page is never shown."""

    def __init__(self, text: str):
        self.text = text
        self._pattern = word_pattern(text)
        # Blocks end at whitespace, so no word is cut in two.
        self._blocks: list[tuple[int, int]] = []
        self._firsts: list[int] = []  # the number of the first word of each block
        raw: list[str] = []
        start = 0
        while start < len(text):
            space = _SPACE.search(text, min(start + _BLOCK, len(text)))
            end = space.start() if space else len(text)
            self._blocks.append((start, end))
            self._firsts.append(len(raw))
            raw.extend(self._pattern.findall(text, start, end))
            start = end
        self.words = tuple(map(canonical, raw))
        self.vocabulary = {word: chr(0x10000 + i) for i, word in enumerate(dict.fromkeys(self.words))}
        self.chars = "".join(map(self.vocabulary.__getitem__, self.words))
        self._spans: dict[int, list[tuple[int, int]]] = {}

    def _span(self, word: int) -> tuple[int, int]:
        block = bisect_right(self._firsts, word) - 1
        if block not in self._spans:
            self._spans[block] = [m.span() for m in self._pattern.finditer(self.text, *self._blocks[block])]
        return self._spans[block][word - self._firsts[block]]

    def start(self, word: int) -> int:
        """Where word number WORD starts in the text."""
        return self._span(word)[0]

    def end(self, word: int) -> int:
        """Where word number WORD ends in the text."""
        return self._span(word)[1]

    def raw(self, first: int, last: int) -> str:
        """The source's text from word FIRST to word LAST - 1, exactly as written (empty for no words)."""
        if first >= last:
            return ""
        return self.text[self.start(first): self.end(last - 1)]

    def encode(self, words: tuple[str, ...]) -> str:
        """WORDS as characters of this index; a word the source never uses gets a character of its own."""
        own: dict[str, str] = {}
        out = []
        for word in words:
            char = self.vocabulary.get(word)
            if char is None:
                char = own.setdefault(word, chr(_PRIVATE - len(own)))
            out.append(char)
        return "".join(out)


@lru_cache(maxsize=16)
def source_index(text: str) -> SourceIndex:
    """TEXT's word index (kept for the last few texts: a page is usually checked for several quotes)."""
    return SourceIndex(text)


@dataclass
class Chunk:
    """Quote words Q0..Q1 against source words S0..S1 where they differ (either side may be empty)."""

    q0: int
    q1: int
    s0: int
    s1: int


@dataclass
class Alignment:
    """Where a quote stands in a source: the passage's words FIRST..LAST, the places the two differ,
    the source words each middle mark stands for (by the mark's place in the quote), and COVERAGE: the
    weighted share of the quote's words found in order in the passage."""

    first: int
    last: int
    chunks: list[Chunk]
    gaps: dict[int, tuple[int, int]]
    coverage: float
    core: tuple[int, int] = (0, 0)  # the source words from the first match to the last


def walk(quote: Quote, coded: str, index: SourceIndex) -> Alignment | None:
    """QUOTE found piece by piece (pieces cut at its marks), each piece's words exactly as in the source in
    canonical form and in the source's order, each mark spanning no more words than it may; the placing
    whose marks stand for the fewest words. None when there is no such placing."""
    count = len(coded)
    cuts = sorted({mark.at for mark in quote.marks if 0 < mark.at < count})
    bounds = [0, *cuts, count]
    pieces = list(zip(bounds, bounds[1:]))
    first_piece = coded[pieces[0][0]: pieces[0][1]]
    best: tuple[int, list[tuple[int, int]]] | None = None
    start = index.chars.find(first_piece)
    tries = 0
    while start >= 0 and tries < _MAX_STARTS:
        tries += 1
        placed = [(start, start + len(first_piece))]
        total = 0
        for a, b in pieces[1:]:
            reach = _reach(quote, a)
            end = placed[-1][1]
            found = index.chars.find(coded[a:b], end, end + reach + (b - a))
            if found < 0:
                break
            placed.append((found, found + b - a))
            total += found - end
        else:
            if best is None or total < best[0]:
                best = (total, placed)
            if total == 0:
                break
        start = index.chars.find(first_piece, start + 1)
    if best is None:
        return None
    placed = best[1]
    gaps = {a: (placed[i][1], placed[i + 1][0]) for i, (a, _) in enumerate(pieces[1:])}
    return Alignment(placed[0][0], placed[-1][1], [], gaps, 1.0)


def _reach(quote: Quote, position: int) -> int:
    marks = quote.marks_at(position)
    if any(mark.kind == "ellipsis" for mark in marks):
        return ELLIPSIS_REACH
    if all(mark.sic for mark in marks):
        return 0
    return BRACKET_REACH


def fuzzy(quote: Quote, coded: str, index: SourceIndex, whole: bool = False) -> Alignment | None:
    """QUOTE's best passage in the source by word alignment, words added, removed and changed allowed.
    WHOLE aligns against the entire source (two versions of one quote) instead of the best region."""
    count = len(coded)
    if not count or not index.chars:
        return None
    if whole or count >= len(index.chars):
        lo, hi = 0, len(index.chars)
    else:
        from rapidfuzz import fuzz

        region = fuzz.partial_ratio_alignment(coded, index.chars)
        slack = count // 2 + 4
        lo = max(0, region.dest_start - region.src_start - slack)
        hi = min(len(index.chars), region.dest_end + (count - region.src_end) + slack)
    alignment = _align(quote, coded, index, lo, hi, trim=not whole)
    if alignment is not None and not whole:
        alignment = _assembled(quote, coded, index, alignment) or alignment
    if alignment is not None:
        alignment.gaps = {c.q0: (c.s0, c.s1) for c in alignment.chunks
                          if c.q0 == c.q1 and any(not m.sic for m in quote.marks_at(c.q0))}
    return alignment


def _align(quote: Quote, coded: str, index: SourceIndex, lo: int, hi: int, trim: bool) -> Alignment | None:
    from rapidfuzz.distance import Indel

    # Indel's "insert" is a word only the source has ("remove" from the quote's point of view), its "delete"
    # a word only the quote has.
    ops = [[_TAGS[op.tag], op.src_start, op.src_end, op.dest_start + lo, op.dest_end + lo]
           for op in Indel.opcodes(coded, index.chars[lo:hi])]
    ops = _settle(ops, index.chars)
    if trim:
        ops = _trim(ops, quote.words)
    if not any(op[0] == "equal" for op in ops):
        return None
    # The differences are what lies between consecutive matched runs, and before the first and after the last.
    equal = [op for op in ops if op[0] == "equal"]
    edge_lo = min(op[3] for op in ops)
    edge_hi = max(op[4] for op in ops)
    chunks: list[Chunk] = []
    previous = (0, edge_lo)
    for _, q0, q1, s0, s1 in [*equal, ["end", len(coded), len(coded), edge_hi, edge_hi]]:
        if q0 > previous[0] or s0 > previous[1]:
            chunks.append(Chunk(previous[0], q0, previous[1], s0))
        previous = (q1, s1)
    if trim:
        chunks = _trim_edges(chunks, equal[0][3], equal[-1][4])
    first = min([equal[0][3], *[c.s0 for c in chunks if c.s1 > c.s0]])
    last = max([equal[-1][4], *[c.s1 for c in chunks if c.s1 > c.s0]])
    return Alignment(first, last, chunks, {}, coverage(quote, index, ops, chunks), (equal[0][3], equal[-1][4]))


def _settle(ops: list[list], chars: str) -> list[list]:
    """The same alignment with each run of matched words moved, where the source repeats them, next to the
    following run (the last run: next to the one before), so skipped source words gather at the edges
    instead of splitting a passage ("we will" of an earlier sentence is not the quote's "we will")."""
    blocks = [op[1:] for op in ops if op[0] == "equal"]
    if not blocks:
        return ops
    for _ in range(4):
        moved = False
        for i in range(len(blocks) - 2, -1, -1):
            q0, q1, s0, s1 = blocks[i]
            words = chars[s0:s1]
            for shift in range(blocks[i + 1][2] - s1, 0, -1):
                if chars[s0 + shift: s1 + shift] == words:
                    blocks[i] = [q0, q1, s0 + shift, s1 + shift]
                    moved = True
                    break
        if len(blocks) >= 2:
            q0, q1, s0, s1 = blocks[-1]
            words = chars[s0:s1]
            for shift in range(s0 - blocks[-2][3], 0, -1):
                if chars[s0 - shift: s1 - shift] == words:
                    blocks[-1] = [q0, q1, s0 - shift, s1 - shift]
                    moved = True
                    break
        if not moved:
            break
    out: list[list] = []
    q_at, s_at = ops[0][1], ops[0][3]
    q_end, s_end = ops[-1][2], ops[-1][4]
    for q0, q1, s0, s1 in [*blocks, [q_end, q_end, s_end, s_end]]:
        if s0 > s_at:
            out.append(["source-only", q_at, q_at, s_at, s0])
        if q0 > q_at:
            out.append(["quote-only", q_at, q0, s0, s0])
        if q1 > q0:
            out.append(["equal", q0, q1, s0, s1])
        q_at, s_at = q1, s1
    return out


def _trim(ops: list[list], words: tuple[str, ...]) -> list[list]:
    """Drops the source words before the first and after the last matched word, and a lone first or last
    match that stands apart from the rest (a "the" a few words off)."""
    changed = True
    while changed:
        changed = False
        while ops and ops[0][0] == "source-only":
            ops.pop(0)
        while ops and ops[-1][0] == "source-only":
            ops.pop()
        matched = [i for i, op in enumerate(ops) if op[0] == "equal"]
        if len(matched) < 2:
            break
        for edge, inner in ((matched[0], range(matched[0] + 1, len(ops))),
                            (matched[-1], range(matched[-1] - 1, -1, -1))):
            size = ops[edge][2] - ops[edge][1]
            gap = 0
            for i in inner:
                if ops[i][0] == "equal":
                    break
                gap += ops[i][4] - ops[i][3]
            else:
                continue  # no other match: nothing to stand apart from
            # Apart by more words than it has (plus three), and by more than six for each word of weight:
            # "the" four words off is chance, "Sora will" seven words off is the quote's.
            if gap >= size + _STRAY_GAP and gap > 6 * sum(weight(w) for w in words[ops[edge][1]:ops[edge][2]]):
                tag, q0, q1, s0, s1 = ops[edge]
                ops[edge] = ["quote-only", q0, q1, s0, s0]
                changed = True
                break
    return ops


def _trim_edges(chunks: list[Chunk], first: int, last: int) -> list[Chunk]:
    """An unmatched word or two before the first match keep as many source words (the words the quote
    changed: "heart" for "head"); a longer unmatched run keeps none (it is the quote's own). Likewise after
    the last match."""
    out = []
    for chunk in chunks:
        quote_words = chunk.q1 - chunk.q0 if chunk.q1 - chunk.q0 <= _EDGE_CHANGE else 0
        if chunk.s1 <= first:
            chunk.s0 = max(chunk.s0, chunk.s1 - quote_words)
        elif chunk.s0 >= last:
            chunk.s1 = min(chunk.s1, chunk.s0 + quote_words)
        if chunk.q1 > chunk.q0 or chunk.s1 > chunk.s0:
            out.append(chunk)
    return out


def form_only(quote: Quote, index: SourceIndex, chunk: Chunk) -> bool:
    """True when a chunk's two sides are the same letters: "well known" against "well-known"."""
    return (chunk.q1 > chunk.q0 and chunk.s1 > chunk.s0
            and "".join(quote.words[chunk.q0:chunk.q1]) == "".join(index.words[chunk.s0:chunk.s1]))


def coverage(quote: Quote, index: SourceIndex, ops: list[list], chunks: list[Chunk]) -> float:
    """The weighted share of QUOTE's words matched (equal, or different only in form)."""
    total = sum(weight(word) for word in quote.words) or 1.0
    found = sum(weight(quote.words[i]) for op in ops if op[0] == "equal" for i in range(op[1], op[2]))
    found += sum(weight(quote.words[i]) for chunk in chunks if form_only(quote, index, chunk)
                 for i in range(chunk.q0, chunk.q1))
    return found / total


def _assembled(quote: Quote, coded: str, index: SourceIndex, main: Alignment) -> Alignment | None:
    """A quote joined from two places of the source: when a run of at least three of its words at its
    start or end was not found with the rest, that run aligned on its own; both places together."""
    count = len(coded)
    head = next((c for c in main.chunks if c.q0 == 0 and c.q1 - c.q0 >= 3), None)
    tail = next((c for c in main.chunks if c.q1 == count and c.q1 - c.q0 >= 3), None)
    for chunk in (head, tail):
        if chunk is None:
            continue
        from rapidfuzz import fuzz

        piece = coded[chunk.q0:chunk.q1]
        region = fuzz.partial_ratio_alignment(piece, index.chars)
        slack = len(piece) // 2 + 2
        lo = max(0, region.dest_start - region.src_start - slack)
        hi = min(len(index.chars), region.dest_end + (len(piece) - region.src_end) + slack)
        sub = Quote(quote.text, quote.words[chunk.q0:chunk.q1], quote.spans[chunk.q0:chunk.q1], ())
        part = _align(sub, piece, index, lo, hi, trim=True)
        core_first, core_last = main.core
        if part is None or part.coverage < 0.75 or (part.first < core_last and part.last > core_first):
            continue
        rest = [c for c in main.chunks if c is not chunk]
        first = min([core_first, *[c.s0 for c in rest if c.s1 > c.s0]])
        last = max([core_last, *[c.s1 for c in rest if c.s1 > c.s0]])
        seam = chunk.q1 if chunk is head else chunk.q0
        if (part.last <= first) == (chunk is head):
            # In the source's order: the part's differences, and the words between the two places removed.
            shifted = [Chunk(c.q0 + chunk.q0, c.q1 + chunk.q0, c.s0, c.s1) for c in part.chunks]
            between = Chunk(seam, seam, *((part.last, first) if chunk is head else (last, part.first)))
        else:
            # In the reverse order (words moved): the quote's run added where it stands, and the source's
            # words from the part to the passage (the part included) removed where they stand.
            shifted = [Chunk(chunk.q0, chunk.q1, seam, seam)]
            between = Chunk(chunk.q1 if chunk is head else count, chunk.q1 if chunk is head else count,
                            *((last, part.last) if chunk is head else (part.first, first)))
        chunks = sorted([*rest, *shifted, between], key=lambda c: (c.q0, c.s0))
        total = sum(weight(w) for w in quote.words)
        found = main.coverage * total + part.coverage * sum(weight(w) for w in sub.words)
        span = (min(first, part.first), max(last, part.last))
        return Alignment(*span, chunks, {}, found / total, span)
    return None
