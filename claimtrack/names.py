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
