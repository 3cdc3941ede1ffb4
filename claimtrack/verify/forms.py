"""Words as the verifier compares them: the tokens of a text, each word's canonical form (case, apostrophes,
hyphens, thousands separators and British/American spelling folded away), and which words carry a negation
or a number.

Two texts whose canonical words are the same differ only in form. The spelling fold is applied to both sides
of every comparison, so a rule that rewrites a word that is not a spelling variant ("hour" to "hor") does no
harm: it rewrites that word the same way everywhere. What it must never do is fold two different words into
one, which is why the doubled-l pairs ("travelled") are listed rather than derived ("filled" is not "filed").
"""

from __future__ import annotations

import re
from functools import lru_cache

from claimtrack.scripts import _UNSPACED_RANGES

# A word: letters and digits joined by hyphens or apostrophes, a number with its separators ("7,000", "1.5"),
# one character of a script written without spaces (so a Chinese sentence is compared character by
# character), or a currency or percent sign (dropping "$" or "%" is not a matter of form).
WORD = re.compile(
    rf"[{_UNSPACED_RANGES}]"
    rf"|[^\W{_UNSPACED_RANGES}]+(?:(?:[-‐‑'’]|(?<=\d)[.,](?=\d))[^\W{_UNSPACED_RANGES}]+)*"
    r"|[%$€£¥]"
)
# The same words for a text with no letter of those scripts: a simpler pattern, a fifth faster on long pages.
SPACED_WORD = re.compile(r"\w+(?:(?:[-‐‑'’]|(?<=\d)[.,](?=\d))\w+)*|[%$€£¥]")
_UNSPACED = re.compile(f"[{_UNSPACED_RANGES}]")


def word_pattern(text: str) -> re.Pattern:
    """The pattern that cuts TEXT into words (the simpler one when TEXT has no Chinese, Japanese or Thai)."""
    return WORD if _UNSPACED.search(text) else SPACED_WORD

# British spelling -> American, for the pairs no rule below derives safely.
_SPELLING = {
    "travelled": "traveled", "travelling": "traveling", "traveller": "traveler", "travellers": "travelers",
    "cancelled": "canceled", "cancelling": "canceling", "labelled": "labeled", "labelling": "labeling",
    "modelled": "modeled", "modelling": "modeling", "signalled": "signaled", "signalling": "signaling",
    "fuelled": "fueled", "fuelling": "fueling", "levelled": "leveled", "levelling": "leveling",
    "counselling": "counseling", "counsellor": "counselor", "marvellous": "marvelous", "jewellery": "jewelry",
    "channelled": "channeled", "totalled": "totaled", "equalled": "equaled", "tunnelling": "tunneling",
    "enrolment": "enrollment", "fulfil": "fulfill", "fulfilment": "fulfillment", "skilful": "skillful",
    "wilful": "willful", "instalment": "installment",
    "defence": "defense", "offence": "offense", "licence": "license", "pretence": "pretense",
    "programme": "program", "programmes": "programs", "grey": "gray", "tyre": "tire", "tyres": "tires",
    "cheque": "check", "aluminium": "aluminum", "manoeuvre": "maneuver", "paediatric": "pediatric",
    "encyclopaedia": "encyclopedia", "oestrogen": "estrogen", "ageing": "aging", "judgement": "judgment",
    "acknowledgement": "acknowledgment", "plough": "plow", "mould": "mold", "sceptical": "skeptical",
    "sceptic": "skeptic", "metre": "meter", "metres": "meters",
    "litre": "liter", "litres": "liters", "fibre": "fiber", "fibres": "fibers", "sabre": "saber",
    "kerb": "curb", "draught": "draft",
}
# Endings with a regular British/American pair: -our/-or, -ise/-ize (and -yse/-yze), -re/-er, -ogue/-og.
_RULES = (
    ("isation", "ization"), ("isations", "izations"), ("ise", "ize"), ("ises", "izes"), ("ised", "ized"),
    ("ising", "izing"), ("iser", "izer"), ("isers", "izers"), ("yse", "yze"), ("ysed", "yzed"),
    ("ysing", "yzing"), ("our", "or"), ("ours", "ors"), ("oured", "ored"), ("ouring", "oring"),
    ("ourite", "orite"), ("ourites", "orites"), ("ourable", "orable"), ("ourful", "orful"),
    ("ourism", "orism"), ("tre", "ter"), ("tres", "ters"), ("bre", "ber"), ("bres", "bers"),
    ("ogue", "og"), ("ogues", "ogs"),
)
# Longest ending first, so "isation" is tried before "ise".
_RULES = tuple(sorted(_RULES, key=lambda pair: -len(pair[0])))

NEGATIONS = frozenset(
    "not no never nothing nobody none neither nor without hardly barely scarcely cannot nowhere noone".split()
)
NUMBER_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds "
    "thousand thousands million millions billion billions trillion trillions dozen dozens half twice double "
    "triple percent per cent".split()
)
# Words that say little on their own: a quote made of them is easy to find anywhere, so they weigh less
# when deciding whether a passage is the quote's.
FUNCTION_WORDS = frozenset(
    "a an the and or but if then so of to in on at by for with from as into about than that this these those "
    "it its it's is are was were be been being am do does did has have had will would shall should can could "
    "may might must i you he she we they me him her us them my your his our their there here what which who "
    "whom whose when where why how all any some such very just also only said says say".split()
)


@lru_cache(maxsize=65536)
def canonical(word: str) -> str:
    """WORD as compared for form: case-folded, curly apostrophe straight, hyphens and thousands separators
    gone, British spelling made American."""
    folded = word.casefold().replace("’", "'")
    if folded[0].isdigit():
        return folded.replace(",", "")
    folded = folded.replace("-", "").replace("‐", "").replace("‑", "")
    if folded in _SPELLING:
        return _SPELLING[folded]
    for british, american in _RULES:
        # At least three letters before the ending, so "rise", "tour" and "four" keep theirs.
        if folded.endswith(british) and len(folded) - len(british) >= 3:
            return folded[: -len(british)] + american
    return folded


# Chinese negations and numerals, one character each (the tokenizer cuts Chinese character by character).
_CHINESE_NEGATIONS = frozenset("不没沒未无無非别別否勿")
_CHINESE_NUMERALS = frozenset("零〇一二两兩三四五六七八九十百千万萬亿億半")


def is_negation(word: str) -> bool:
    """True when WORD (canonical) negates: "not", "never", "nothing", a contraction in "n't", "不"."""
    return word in NEGATIONS or word.endswith("n't") or word in _CHINESE_NEGATIONS


def is_number(word: str) -> bool:
    """True when WORD (canonical) is or names a number: digits, "seven", "million", "half", "十"."""
    return any(c.isdigit() for c in word) or word in NUMBER_WORDS or word in _CHINESE_NUMERALS


def flags_of(*texts: str) -> set[str]:
    """The meaning flags ("negation", "number") that any word of TEXTS carries."""
    flags: set[str] = set()
    for text in texts:
        for match in WORD.finditer(text or ""):
            word = canonical(match.group())
            if is_negation(word):
                flags.add("negation")
            if is_number(word):
                flags.add("number")
    return flags


def weight(word: str) -> float:
    """How much WORD (canonical) counts towards a passage being the quote's: function words a quarter."""
    return 0.25 if word in FUNCTION_WORDS else 1.0
