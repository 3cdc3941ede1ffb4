"""A quote checked against its source: which passage it comes from, and how its words differ from it.

The classes, from the closest: "verbatim" (word for word, whitespace aside), "form" (differences only of case,
quotation-mark style, spacing, punctuation, British/American spelling or hyphenation), "marked-edits" (the
editor's ellipses and brackets stand for words the source has there, and nothing else differs), "altered"
(the passage is the quote's but words were added, removed or changed), "not-found", and "other-language".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimtrack.verify.align import Alignment, SourceIndex, form_only, fuzzy, source_index, walk
from claimtrack.verify.forms import WORD, canonical, flags_of
from claimtrack.verify.language import different_languages
from claimtrack.verify.marks import Mark, Quote, bracket_words, read_quote

RESULTS = ("verbatim", "form", "marked-edits", "altered", "not-found", "other-language", "unavailable")
# The weighted share of a quote's words (function words count a quarter) that must be found, in order, in
# one passage (or two, for a quote joined from two places) for the passage to be the quote's. Chosen on the
# labelled set in tests/fixtures/verify: the altered quotes there score 0.55 and up (swapped clauses are the
# lowest), the quotes the source does not hold 0.39 and below.
FOUND_AT = 0.5
# Where an ellipsis at a quote's start or end begins or stops: the sentence it cuts. A bracket at the start
# or end stands for the words back to (or on to) the nearest clause boundary.
_SENTENCE_STOPS = ".!?;:\n\"“”«»"
_CLAUSE_STOPS = _SENTENCE_STOPS + ",—–()"
_LOOK = 300  # characters looked through for that boundary
_EDGE_CLAUSE = 3  # a bracket at an edge stands for a clause of up to this many words, whatever it holds


@dataclass(frozen=True)
class Verification:
    """The outcome of checking a quote against a text: RESULT (one of RESULTS), the PASSAGE of the source it
    matches exactly as written and its SPAN (start, end) in the source, the word-level DIFFERENCES
    ({op: add|remove|change, source, quote}), the MEANING_FLAGS its edits or changes touch ("negation",
    "number"), and the editor's marked EDITS ({kind: ellipsis|bracket, quote, source})."""

    result: str
    passage: str | None = None
    span: tuple[int, int] | None = None
    differences: tuple[dict, ...] = ()
    meaning_flags: tuple[str, ...] = ()
    edits: tuple[dict, ...] = ()

    def to_dict(self) -> dict:
        """The verification as plain JSON-ready values."""
        return {
            "result": self.result,
            "passage": self.passage,
            "span": list(self.span) if self.span else None,
            "differences": [dict(d) for d in self.differences],
            "meaning_flags": list(self.meaning_flags),
            "edits": [dict(e) for e in self.edits],
        }


def verify_quote(quote: str, source_text: str, *, quote_language: str | None = None,
                 source_language: str | None = None) -> Verification:
    """QUOTE checked against SOURCE_TEXT: the best passage and how the quote differs from it.

    Never raises on any text. QUOTE_LANGUAGE and SOURCE_LANGUAGE (tags such as "en", "zh-CN") decide
    "other-language" when both are given; otherwise the texts' writing systems and common words do. A quote
    found word for word is verbatim whatever the languages (a French phrase inside an English article)."""
    quote = (quote or "").strip()
    source_text = source_text or ""
    if not quote or not source_text.strip():
        return Verification("not-found")
    parsed = read_quote(quote)
    index = source_index(source_text)
    if parsed.words and index.words:
        coded = index.encode(parsed.words)
        placed = walk(parsed, coded, index)
        if placed is not None:
            return _verbatim(quote, index, placed) or _result(parsed, index, placed, whole=False)
    elif _verbatim(quote, index):
        return _verbatim(quote, index)
    if different_languages(quote, source_text, quote_language, source_language):
        return Verification("other-language")
    if not parsed.words or not index.words:
        return Verification("not-found")
    return _result(parsed, index, fuzzy(parsed, coded, index), whole=False)


def classify_drift(earlier: str, later: str) -> Verification:
    """How a LATER version of a quote differs from an EARLIER one, the whole of each compared with the whole
    of the other (words dropped at either end count as removed). The passage is the earlier version."""
    earlier, later = (earlier or "").strip(), (later or "").strip()
    if not earlier or not later:
        return Verification("not-found")
    if earlier.split() == later.split():
        return Verification("verbatim", earlier, (0, len(earlier)))
    if different_languages(later, earlier):
        return Verification("other-language")
    parsed, index = read_quote(later), source_index(earlier)
    if not parsed.words or not index.words:
        return Verification("not-found")
    return _result(parsed, index, fuzzy(parsed, index.encode(parsed.words), index, whole=True), whole=True)


def _verbatim(quote: str, index: SourceIndex, near: Alignment | None = None) -> Verification | None:
    """QUOTE word for word in the source (any run of whitespace standing for any other, and not inside a
    longer word): looked for around NEAR first, then anywhere."""
    pattern = r"\s+".join(re.escape(part) for part in quote.split())
    if quote[0].isalnum():
        pattern = r"(?<!\w)" + pattern
    if quote[-1].isalnum():
        pattern += r"(?!\w)"
    compiled = re.compile(pattern)
    match = None
    if near is not None:
        match = compiled.search(index.text, max(0, index.start(near.first) - _LOOK),
                                index.end(near.last - 1) + _LOOK)
    match = match or compiled.search(index.text)
    if not match:
        return None
    return Verification("verbatim", match.group(), match.span())


def _result(quote: Quote, index: SourceIndex, alignment: Alignment | None, whole: bool) -> Verification:
    """The verification an alignment amounts to: its class, passage, differences, edits and flags."""
    if alignment is None or alignment.coverage < FOUND_AT:
        return Verification("not-found")
    first, last, edits, flags = _edits(quote, index, alignment, whole)
    differences = []
    for chunk in alignment.chunks:
        if form_only(quote, index, chunk) or (chunk.q0 == chunk.q1 and chunk.q0 in alignment.gaps):
            continue
        source_side, quote_side = index.raw(chunk.s0, chunk.s1), quote.raw(chunk.q0, chunk.q1)
        op = "change" if source_side and quote_side else "remove" if source_side else "add"
        differences.append({"op": op, "source": source_side, "quote": quote_side})
        flags |= flags_of(source_side, quote_side)
    if differences:
        result = "altered"
    else:
        result = "marked-edits" if quote.marks else "form"
    start, end = index.start(first), index.end(last - 1)
    return Verification(result, index.text[start:end], (start, end), tuple(differences),
                        tuple(sorted(flags)), tuple(edits))


def _edits(quote: Quote, index: SourceIndex, alignment: Alignment, whole: bool):
    """Each mark with the source words it stands for, the passage's word range widened to take in the words
    a bracket at either end replaces, and the meaning flags of all of them."""
    first, last = alignment.first, alignment.last
    edits, flags = [], set()
    count = len(quote.words)
    for mark in quote.marks:
        if mark.sic:
            source = ""
        elif 0 < mark.at < count or whole:
            s0, s1 = alignment.gaps.get(mark.at, (0, 0))
            source = index.raw(s0, s1)
        elif mark.at == 0:
            lo = _before(index, first, mark)
            source = index.raw(lo, first)
            if mark.kind == "bracket":
                first = lo
        else:
            hi = _after(index, last, mark)
            source = index.raw(last, hi)
            if mark.kind == "bracket":
                last = hi
        edits.append({"kind": mark.kind, "quote": mark.raw, "source": source})
        flags |= flags_of(source, bracket_words(mark) if mark.kind == "bracket" else "")
    return first, last, edits, flags


def _in_word(mark: Mark) -> bool:
    # "[s]he", "[T]he": the bracket changes part of one word.
    return mark.kind == "bracket" and not (mark.raw.startswith("[") and mark.raw.endswith("]"))


def _before(index: SourceIndex, first: int, mark: Mark) -> int:
    """The first source word a mark at a quote's start stands for (FIRST when it stands for none)."""
    if _in_word(mark):
        return max(0, first - 1)
    stops = _CLAUSE_STOPS if mark.kind == "bracket" else _SENTENCE_STOPS
    word = first
    while word > 0:
        between = index.text[index.end(word - 1): index.start(word)]
        if any(c in stops for c in between) or index.start(first) - index.start(word - 1) > _LOOK:
            break
        word -= 1
    return first - _bracket_reach(index, mark, first - word, index.words[max(0, word):first], at_start=True)


def _after(index: SourceIndex, last: int, mark: Mark) -> int:
    """One past the last source word a mark at a quote's end stands for (LAST when it stands for none)."""
    if _in_word(mark):
        return min(len(index.words), last + 1)
    stops = _CLAUSE_STOPS if mark.kind == "bracket" else _SENTENCE_STOPS
    word = last
    while word < len(index.words):
        between = index.text[index.end(word - 1): index.start(word)]
        if any(c in stops for c in between) or index.end(word) - index.end(last - 1) > _LOOK:
            break
        word += 1
    return last + _bracket_reach(index, mark, word - last, index.words[last:word], at_start=False)


def _bracket_reach(index: SourceIndex, mark: Mark, clause: int, words: tuple[str, ...], at_start: bool) -> int:
    """How many of the CLAUSE words next to a mark at a quote's edge it stands for: all of them for an
    ellipsis; for a bracket, the words it repeats when the source has them there ("[Sora]" after "model
    Sora"), else the clause when it is short (the "it" of "[AI] will"), else as many words as it holds."""
    if mark.kind != "bracket" or clause <= _EDGE_CLAUSE:
        return clause
    said = tuple(canonical(w) for w in WORD.findall(bracket_words(mark)))
    near = words[-len(said):] if at_start else words[:len(said)]
    if said and near == said:
        return len(said)
    return min(clause, max(1, len(said)))
