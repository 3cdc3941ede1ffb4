"""Normalised keys for matching speakers, tags and claim texts the way people type them."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from claimtrack.errors import ClaimtrackError

_SPACE = re.compile(r"\s+")
# Quotation marks of every style fold to nothing when comparing texts, so that
# "cold water" and “cold water” are the same words.
_QUOTES = re.compile("[\"'`\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a\u300c\u300d\u300e\u300f]")
# Zero-width and bidirectional control characters are invisible and never part of a name.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def clean(value: str, what: str) -> str:
    """Strip a required text value, refusing one that is empty or whitespace only."""
    text = value.strip() if value is not None else ""
    if not text:
        raise ClaimtrackError(f"The {what} is empty. Give some text for the {what}.")
    if "\x00" in text:
        raise ClaimtrackError(f"The {what} contains a NUL character. Remove it and try again.")
    return text


def clean_optional(value: str | None) -> str | None:
    """Strip an optional text value; an empty one means 'none'."""
    if value is None:
        return None
    text = value.strip()
    if "\x00" in text:
        raise ClaimtrackError("A value contains a NUL character. Remove it and try again.")
    return text or None


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case-, accent- and width-insensitive form of a text, whitespace collapsed."""
    text = _INVISIBLE.sub("", text)
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACE.sub(" ", unicodedata.normalize("NFC", stripped).casefold()).strip()


def name_words(name: str) -> list[str]:
    """The folded words of a name, with punctuation other than apostrophes and hyphens dropped."""
    return list(_name_words(name))


@lru_cache(maxsize=65536)
def _name_words(name: str) -> tuple[str, ...]:
    folded = re.sub(r"[^\w\s'\-]", " ", fold(name).replace("\u2019", "'"))
    return tuple(w for w in folded.split() if w.strip("'-"))


def speaker_key(name: str) -> str:
    """The key two spellings of one name share: folded, and in any word order."""
    return " ".join(sorted(name_words(name)))


def text_key(text: str) -> str:
    """The key two copies of one quote share: case, whitespace and quotation marks ignored."""
    # split() and join() collapse whitespace as _SPACE does (both by str.isspace), at half the cost.
    return " ".join(_QUOTES.sub("", unicodedata.normalize("NFC", text).casefold()).split())


# Punctuation, and symbols with it: any run of characters neither a letter, digit nor space.
_NOT_WORDS = re.compile(r"[^\w\s]+")
_APOSTROPHES = frozenset("'\u2019\u2018`")


def _spaced(match: re.Match) -> str:
    # An apostrophe inside a word joins it ("China's" is "chinas", as text_key has it); the rest part words.
    return "" if match.group() in _APOSTROPHES else " "


def words_key(text: str) -> str:
    """The key two records of the same words share: case, whitespace, quotation marks, punctuation (a final
    full stop too) and symbols ignored.

    text_key stays as it is, because records without a uuid take theirs from it (interchange.derived_uuid).
    """
    return " ".join(_NOT_WORDS.sub(_spaced, unicodedata.normalize("NFC", text).casefold()).split())


def text_hash(text: str) -> str:
    """A short fingerprint of words_key, indexed to find the same words by the same speaker."""
    import hashlib

    return hashlib.blake2b(words_key(text).encode("utf-8"), digest_size=8).hexdigest()


@lru_cache(maxsize=65536)
def tag_name(tag: str) -> str:
    """A tag as stored: trimmed, whitespace collapsed, lower-case."""
    name = _SPACE.sub(" ", unicodedata.normalize("NFC", tag)).strip().casefold()
    if not name:
        raise ClaimtrackError("A tag is empty. Give a tag name, e.g. --tag sora.")
    if "\x00" in name:
        raise ClaimtrackError("A tag contains a NUL character. Remove it and try again.")
    return name


# Words that make a speaker an organisation rather than a person ("European Commission", "Reuters").
_ORGANISATION_WORDS = frozenset("""
    commission ministry ministere ministerio department agency inc incorporated ltd limited llc plc gmbh corp
    corporation company group technology association university institute council committee bureau office
    government reuters news times post report bank party board foundation court authority organisation
    organization union federation press media network newspaper magazine journal gazette tribune
    herald telegraph broadcasting television radio administration parliament senate congress police army
    embassy secretariat directorate service laboratory labs holdings partners consortium
""".split())


def _singular(word: str) -> str:
    """A plural English word as its singular (technologies -> technology, groups -> group); others unchanged."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def guess_speaker_kind(name: str) -> str:
    """'organisation' when a word of NAME names a body (Commission, Ltd, Times, Bank...), else 'person'."""
    for word in name_words(name):
        word = word.strip("'-").removesuffix("'s")
        if word in _ORGANISATION_WORDS or _singular(word) in _ORGANISATION_WORDS:
            return "organisation"
    return "person"


def _edits_apart_at_most_one(a: str, b: str) -> bool:
    """True when one insertion, deletion, substitution or swap of neighbours turns A into B."""
    if abs(len(a) - len(b)) > 1:
        return False
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    a, b = a[start:], b[start:]
    if len(a) == len(b):
        return a[1:] == b[1:] or (len(a) >= 2 and a[0] == b[1] and a[1] == b[0] and a[2:] == b[2:])
    return a[1:] == b if len(a) > len(b) else b[1:] == a


# A name counts as a misspelling of another when they are this alike (difflib's ratio, 0 to 1), or one
# edit apart and at least this long: "Zhou Hongi" is 0.95 like "Zhou Hongyi"; "Li Wei" and "Li Wen", 0.83.
CLOSE_RATIO = 0.85
CLOSE_MIN_LENGTH = 4


def close_spelling(name: str, other: str) -> bool:
    """True when NAME and OTHER are different names that differ only as a slip of the keyboard would make
    them differ (accents, case, spacing and word order are no difference at all: those names are the same)."""
    return closest_spelling(name, [other]) is not None


def _spelling_forms(name: str) -> tuple[str, str]:
    """A name's folded words as written and in sorted order (a slip can reorder sorted words)."""
    words = name_words(name)
    return " ".join(words), " ".join(sorted(words))


def closest_spelling(name: str, candidates: list[str]) -> str | None:
    """The candidate that NAME is most likely a misspelling of (see close_spelling), or None.

    Each candidate costs a length test and, for the few of about the right length and letters, a
    difflib comparison against matchers built once for NAME: thousands of speakers take milliseconds.
    """
    import difflib

    target = _spelling_forms(name)
    if not target[1]:
        return None
    matchers = []
    for form in target:
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(form)
        matchers.append(matcher)
    best, best_likeness = None, 0.0
    for candidate in candidates:
        forms = _spelling_forms(candidate)
        if not forms[1] or forms[1] == target[1]:
            continue
        likeness = max(_likeness(matcher, form, own) for matcher, form, own in zip(matchers, forms, target))
        if likeness > best_likeness:
            best, best_likeness = candidate, likeness
    return best


def _likeness(matcher, form: str, target: str) -> float:
    """How alike FORM is to TARGET (the MATCHER's second sequence), or 0 when not close enough to be a slip."""
    shorter, longer = sorted((len(form), len(target)))
    one_edit = shorter >= CLOSE_MIN_LENGTH and longer - shorter <= 1 and _edits_apart_at_most_one(form, target)
    if not one_edit and 2 * shorter / (shorter + longer) < CLOSE_RATIO:
        return 0.0
    matcher.set_seq1(form)
    if one_edit:
        return max(matcher.ratio(), CLOSE_RATIO)
    if matcher.quick_ratio() < CLOSE_RATIO:
        return 0.0
    ratio = matcher.ratio()
    return ratio if ratio >= CLOSE_RATIO else 0.0
