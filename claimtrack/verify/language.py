"""Whether a quote and its source are in different languages (a translation cannot be checked word by word).

Given languages are trusted when both are known. Otherwise the writing system decides first (a Chinese quote
of an English page), then, between texts in the Latin alphabet, a count of the commonest short words of a few
languages: a text is taken to be in a language only when at least two of its words are that language's and
no other language has as many, so a short or ambiguous quote is compared rather than refused.
"""

from __future__ import annotations

import re
from functools import lru_cache

from claimtrack.scripts import _UNSPACED_RANGES

_SCRIPTS = {
    "han-kana": re.compile(f"[{_UNSPACED_RANGES}]"),
    "hangul": re.compile("[\uac00-\ud7af\u1100-\u11ff]"),
    "cyrillic": re.compile("[\u0400-\u04ff]"),
    "greek": re.compile("[\u0370-\u03ff]"),
    "arabic": re.compile("[\u0600-\u06ff\u0750-\u077f]"),
    "hebrew": re.compile("[\u0590-\u05ff]"),
    "devanagari": re.compile("[\u0900-\u097f]"),
    "latin": re.compile("[A-Za-z\u00c0-\u024f]"),
}
_STOP_WORDS = {
    "en": "the and of to is in that it was for on with are be this have not will has they we by from at which "
          "were would been their what there",
    "fr": "le la les des est et un une du de que qui pas pour dans nous sur ce il elle sont au aux avec ne se "
          "cette était été ont mais leur je vous",
    "es": "el los las que es y una del por con para se su lo como más pero sus le ya este esta muy",
    "de": "der die das und ist nicht ein eine zu den mit von sich auf für wir es dem im auch sind",
    "it": "il che di è e la per non una del della sono gli le nel alla questo anche più",
    "pt": "o os as que de não um uma é para com do da em no na se mais foi são",
    "nl": "de het een en van is dat niet op te zijn met voor er wij ook maar",
}
_STOP_SETS = {language: frozenset(words.split()) for language, words in _STOP_WORDS.items()}
_WORDS = re.compile(r"[^\W\d_]+")


def script(text: str) -> str | None:
    """The writing system most of TEXT's letters are in (None for text without letters)."""
    counts = {name: len(pattern.findall(text)) for name, pattern in _SCRIPTS.items()}
    # Characters, not words: one Chinese character is worth about one Latin word of four letters.
    counts["han-kana"] *= 3
    name, count = max(counts.items(), key=lambda item: item[1])
    return name if count else None


def latin_language(text: str) -> str | None:
    """The language of a Latin-alphabet TEXT by its commonest short words, or None when unclear."""
    words = [word.casefold() for word in _WORDS.findall(text)]
    scores = sorted(((sum(word in stops for word in words), language) for language, stops in _STOP_SETS.items()),
                    reverse=True)
    (best, language), (second, _) = scores[0], scores[1]
    if best >= 2 and best > second:
        return language
    return None


@lru_cache(maxsize=16)
def _source_language(text: str) -> tuple[str | None, str | None]:
    # A long page is judged on its first 5,000 characters: enough, and the same every time.
    sample = text[:5000]
    found = script(sample)
    return found, latin_language(sample) if found == "latin" else None


def _primary(tag: str) -> str:
    return re.split(r"[-_]", tag.strip().casefold())[0]


def different_languages(quote: str, source: str, quote_language: str | None = None,
                        source_language: str | None = None) -> bool:
    """True when QUOTE and SOURCE are in different languages: by the given language tags when both are given,
    else by writing system, else (both in the Latin alphabet) by their commonest words."""
    if quote_language and source_language:
        return _primary(quote_language) != _primary(source_language)
    source_script, source_guess = _source_language(source)
    quote_script = script(quote)
    if quote_script is None or source_script is None:
        return False
    if quote_script != source_script:
        return True
    if quote_script != "latin":
        return False
    quote_guess = latin_language(quote)
    return bool(quote_guess and source_guess and quote_guess != source_guess)
