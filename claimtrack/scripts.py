"""Words inside text written without spaces (Chinese, Japanese, Thai, Lao, Khmer, Burmese), for search.

SQLite's unicode61 tokenizer makes one token of a whole run of Chinese or Japanese characters, and splits Thai
at its vowel and tone marks, so neither finds a word inside a run. These functions cut such runs into
overlapping pieces of two characters ("grams"): the search index holds a claim's grams, and a query's run
becomes the phrase of its own grams, so any substring of two or more characters is found. A character here is
a letter with the marks that follow it (a Thai consonant with its vowel and tone marks), folded as NFKC
(half-width katakana, compatibility ideographs) and case-folded.

Each gram is written as one plain token of base-36 digits (four per code point), which every tokenizer keeps
whole. Pure functions: no database here.
"""

from __future__ import annotations

import re
import unicodedata

from claimtrack.model import MARK_END, MARK_START

# Letters of the scripts written without spaces between words, and the marks that go with them.
_UNSPACED_RANGES = (
    "\u0e01-\u0e3a\u0e40-\u0e4e"  # Thai letters, vowels and tone marks (not its digits and signs)
    "\u0e81-\u0ece"  # Lao
    "\u1000-\u103f\u1050-\u108f"  # Myanmar
    "\u1780-\u17d3"  # Khmer
    "\u3005-\u3007\u3031-\u3035"  # ideographic iteration and closing marks, kana repeat marks
    "\u3040-\u30fa\u30fc-\u30ff\u31f0-\u31ff"  # hiragana, katakana (not the middle dot), extensions
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs, extension A, compatibility ideographs
    "\uff66-\uff9f"  # half-width katakana
    "\U00020000-\U0003134f"  # CJK extensions B to G
)
_RUN = re.compile(f"[{_UNSPACED_RANGES}]+")
# The same letters as an SQLite GLOB pattern: text holding any of them (GLOB ranges compare code points).
UNSPACED_GLOB = "*[" + _UNSPACED_RANGES + "]*"
_PIECES = re.compile(f"([{_UNSPACED_RANGES}]+)")  # (split keeps the runs)


def has_unspaced(text: str | None) -> bool:
    """True when TEXT holds any letter of a script written without spaces."""
    return bool(text) and _RUN.search(text) is not None


def characters(run: str) -> list[str]:
    """RUN as characters: each letter with the combining marks after it, folded (NFKC, case)."""
    return [_fold(c) for c in _clusters(run)]


def _fold(character: str) -> str:
    return unicodedata.normalize("NFKC", character).casefold()


def _code(characters_: str) -> str:
    return "".join(_base36(ord(c)) for c in characters_)


def _base36(number: int) -> str:
    digits = ""
    for _ in range(4):  # 36**4 > 0x10FFFF: every code point in four digits
        number, digit = divmod(number, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[digit] + digits
    return digits


def gram_tokens(run: str) -> list[str]:
    """The overlapping two-character pieces of an unspaced RUN, each as one token (none for one character)."""
    chars = characters(run)
    return [_code(a + b) for a, b in zip(chars, chars[1:])]


def grams(text: str | None) -> str:
    """What the search index holds for TEXT's unspaced runs: the tokens of their grams, and the other words
    of any word that mixes scripts ("AI芯片" gives "ai" too, which the plain index holds only as a whole).
    Empty when TEXT has no unspaced letters."""
    if not has_unspaced(text):
        return ""
    out: list[str] = []
    end = 0
    for run in _RUN.finditer(text):
        if run.start() < end:
            continue  # (part of the word already taken)
        # The whole word the run is in: the letters, digits and marks on either side of it.
        start, end = run.start(), run.end()
        while start and _in_word(text[start - 1]):
            start -= 1
        while end < len(text) and _in_word(text[end]):
            end += 1
        for piece in _PIECES.split(text[start:end]):
            if piece:
                out += gram_tokens(piece) if _RUN.fullmatch(piece) else [piece]
    return " ".join(out)


def _in_word(char: str) -> bool:
    """Whether CHAR belongs to a word: a letter, digit, _ or mark (Python's \\w leaves marks out)."""
    return char.isalnum() or char == "_" or unicodedata.category(char)[0] == "M"


def query_runs(chunk: str) -> list[tuple[str, str]]:
    """A query word cut into its parts: ("grams", run) for an unspaced run of two or more characters, ("word",
    text) for the rest (a single unspaced character stays a word)."""
    parts: list[tuple[str, str]] = []
    for piece in _PIECES.split(chunk):
        if not piece:
            continue
        if _RUN.fullmatch(piece) and len(characters(piece)) >= 2:
            parts.append(("grams", piece))
        elif any(c.isalnum() for c in piece):
            parts.append(("word", piece))
    return parts


def mark_runs(text: str, runs: list[str]) -> str:
    """TEXT with every occurrence of the unspaced RUNS (compared as folded characters) between MARK_START
    and MARK_END; marks already in TEXT are kept."""
    wanted = [characters(run) for run in runs]
    if not wanted or not text:
        return text
    out, last = [], 0
    for match in _RUN.finditer(text):
        # The run's characters and where each begins in TEXT.
        starts, chars = [], []
        position = match.start()
        for char in _clusters(match.group()):
            starts.append(position)
            chars.append(_fold(char))
            position += len(char)
        starts.append(match.end())
        covered = [False] * len(chars)
        for run in wanted:
            for i in range(len(chars) - len(run) + 1):
                if chars[i:i + len(run)] == run:
                    covered[i:i + len(run)] = [True] * len(run)
        i = 0
        while i < len(chars):
            if not covered[i]:
                i += 1
                continue
            j = i
            while j < len(chars) and covered[j]:
                j += 1
            out += [text[last:starts[i]], MARK_START, text[starts[i]:starts[j]], MARK_END]
            last = starts[j]
            i = j
    out.append(text[last:])
    return "".join(out)


def _clusters(run: str) -> list[str]:
    found: list[str] = []
    for char in run:
        if found and unicodedata.category(char) in ("Mn", "Mc"):
            found[-1] += char
        else:
            found.append(char)
    return found


def window(marked: str, width: int = 80) -> str:
    """A snippet of MARKED around its first mark, about WIDTH characters, cut with '…' where it was cut."""
    first = marked.find(MARK_START)
    if first < 0 or len(marked) <= width:
        return marked
    start = max(0, first - width // 3)
    end = min(len(marked), start + width)
    # Never cut between a mark's start and its end.
    if marked.rfind(MARK_START, 0, end) > marked.rfind(MARK_END, 0, end):
        end = marked.find(MARK_END, end) + 1
    return ("…" if start else "") + marked[start:end] + ("…" if end < len(marked) else "")
