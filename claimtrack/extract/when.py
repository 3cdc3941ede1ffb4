"""When a statement was made, from the sentence that reports it: "said on Monday", "told reporters in
December 2023", "wrote earlier this month", "said at the end of 2023".

A date counts only when it is attached to the reporting: right after the verb ("said on Monday"), after
what may stand between ("told reporters in Beijing on Monday", "said in a blog post on Thursday",
"said Li Wen, a partner at Jade Harbor, on Tuesday"), right before it ("Zhou on Monday said"), or at the
head of the sentence ("On Monday, Zhou said"). Other dates are about what was said ("said the plant
closed in 2022", "the 2022 rules", "by 2030") and give nothing. The common English forms are read by a
few regular expressions and claimtrack.dates' own rules: dateparser is never imported here.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from claimtrack import dates
from claimtrack.dates import DateSettings, LazyPattern, PartialDate
from claimtrack.errors import ClaimtrackError

_MONTH = "|".join(sorted({*calendar.month_name[1:], *calendar.month_abbr[1:], "Sept"}, key=len, reverse=True))
_WEEKDAY = "|".join(calendar.day_name)
_COUNT = r"\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
# Month and weekday names must be capitalised ("may" is a verb, "May" after "Theresa" a name: see _needs_in).
_DATE = (
    r"(?i:the\s+(?:very\s+)?(?:end|beginning|start|middle|close)\s+of\s+)"
    rf"(?:(?i:the|this|last)\s+(?i:week|month|year)|(?:{_MONTH})\b\.?(?:,?\s+\d{{4}}\b)?|\d{{4}}\b)"
    rf"|(?:(?:{_WEEKDAY}),?\s+)?(?:{_MONTH})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}}\b)?"
    rf"|(?:(?:{_WEEKDAY}),?\s+)?(?i:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?i:of\s+)?(?:{_MONTH})\b\.?(?:,?\s+\d{{4}}\b)?"
    r"|\d{1,2}\.\d{1,2}\.\d{4}\b|\d{4}-\d{2}-\d{2}\b|\d{1,2}/\d{1,2}/\d{4}\b"
    r"|(?i:(?:(?:over|at|during)\s+)?the\s+weekend|(?:last|past)\s+weekend"
    r"|the\s+day\s+before\s+yesterday|yesterday|(?:earlier\s+)?today|last\s+night"
    r"|earlier\s+in\s+the\s+(?:day|week|month|year)|(?:earlier\s+)?this\s+(?:morning|afternoon|evening)"
    rf"|(?:(?:early|mid|late)[\s-]+)?(?:earlier\s+)?(?:this|last)\s+(?:week|month|year)|(?:{_COUNT})\s+(?:days?|weeks?|months?|years?)\s+ago)"
    rf"|(?:(?i:last|this)\s+)?(?:{_WEEKDAY})"
    rf"|(?:(?i:early|mid|late)[\s-]+)?(?:(?:{_MONTH})\b\.?(?:,?\s+(?i:of\s+)?\d{{4}}\b|\s+(?i:last|this)\s+year)?|\d{{4}}\b)"
    r"|(?i:the\s+)\d{1,2}(?:st|nd|rd|th)\b"
)
_CANDIDATE = LazyPattern(
    r"(?<![\w.-])(?:(?P<prep>(?i:on|in|during|at|by|since|until|till|from|before|after|through|for|of|to|"
    r"between|ahead\s+of|as\s+of|around|about|within))\s+)?(?P<date>" + _DATE + r")"
    r"(?P<after>['’]s\b|(?:\s+(?i:morning|afternoon|evening|night))?)(?![\w-])"
)
_REPORTING = LazyPattern(
    r"(?i)\b(?:said|says|say|saying|told|tells|telling|wrote|writes|writing|posted|tweeted|stated|added|"
    r"announced|argued|claimed|insisted|warned|noted|explained|remarked|declared|testified|testifying|"
    r"acknowledged|admitted|asserted|conceded|commented|replied|responded|predicted|promised|pledged|vowed|"
    r"urged|confirmed|denied|disclosed|revealed|reiterated|recalled|complained|cautioned|maintained|"
    r"contended|boasted|speaking|talking|interview|interviews|statement|speech|briefing|podcast|hearing|"
    r"remarks|testimony|tweet|post|memo|address|op-ed)\b"
)
# What may stand between a reporting verb and its date: whom it was told to, where and how.
_GAP_WORDS = frozenset((
    "in on at a an the to with during his her their its our my your and also again publicly separately "
    "reporters journalists lawmakers investors analysts audience audiences students employees staff "
    "shareholders members delegates attendees viewers listeners readers supporters me us him them "
    "news press conference briefing interview statement post blog podcast hearing speech remarks message "
    "email e-mail emailed letter memo note video televised broadcast social media online written joint "
    "separate brief phone telephone call earnings event forum summit meeting rally session panel address "
    "annual keynote opening closing recent regular weekly daily livestream livestreamed website page "
    "account channel thread newsletter filing testimony radio television tv show programme program "
    "conversation visit trip tour ceremony launch of as part interviews statements posts remarks comments "
    "official own verified personal company corporate council committee department agency court "
    "ministry government parliament board regulator reporter journalist lawmaker investor analyst "
    "student employee member delegate after vote match game race ruling decision announcement late early "
    "filed issued released published sent delivered given made through interpreter translator"
).split())
_WORD = LazyPattern(r"[^\W\d_][\w'’.-]*|\d+")
_APPOSITIVE = LazyPattern(r",[^,]*,")
_QUOTED = LazyPattern(r'"[^"]*"|“[^”]*”|«[^»]*»|„[^“”]*[“”]')
_NEEDS_IN = LazyPattern(rf"^(?:(?:{_MONTH})\b\.?(?:,?\s+(?i:of\s+)?\d{{4}})?|\d{{4}})$")
_RELATIVE = LazyPattern(r"(?i)\b(?:last|this|ago|today|yesterday|earlier|night|morning|afternoon|evening)\b")
_NTH = LazyPattern(r"(?i)^the\s+(\d{1,2})(?:st|nd|rd|th)$")
_PART_OF_DAY = LazyPattern(r"(?i)\s+(?:morning|afternoon|evening|night)$")
_PREPOSITION = LazyPattern(r"(?i)^(?:on|in|during|at)\s+")
# Dates after these words are deadlines, spans or topics, not when something was said.
_NOT_WHEN = frozenset(("by", "since", "until", "till", "from", "before", "after", "through", "for", "of", "to",
                       "between", "ahead of", "as of", "around", "about", "within"))
_DETERMINERS = frozenset(("the", "a", "an", "its", "his", "her", "their", "our", "that", "this", "next"))


def said_date(sentence: str, published: PartialDate | None, *,
              settings: DateSettings | None = None) -> PartialDate | None:
    """The date SENTENCE gives for the statement it reports, counted from PUBLISHED; None if it gives none.

    Pass the sentence that holds the attribution with the quoted words replaced by spaces, so that
    nothing quoted gives a date (text between double quotation marks is blanked here too, for callers
    that cannot). None also when the date cannot be told at PUBLISHED's precision ("on Monday" against a
    publication date known only to the month), when it needs a publication date and there is none, or
    when it falls after PUBLISHED. Never raises.
    """
    if not isinstance(sentence, str) or not sentence.strip():
        return None
    settings = settings or DateSettings()
    text = _QUOTED.sub(lambda m: " " * len(m.group()), sentence)
    best = None
    for candidate in _CANDIDATE.finditer(text):
        distance = _attachment(text, candidate)
        if distance is not None and (best is None or distance < best[0]):
            best = (distance, candidate)
    if best is None:
        return None
    return _resolve(best[1].group("date"), best[1].group("after"), published, settings)


def _attachment(text: str, candidate: re.Match) -> int | None:
    """How far CANDIDATE stands from the reporting it dates (smaller is closer), or None if it is not
    attached to any."""
    prep = re.sub(r"\s+", " ", (candidate.group("prep") or "").lower())
    date = candidate.group("date")
    if prep in _NOT_WHEN or candidate.group("after").startswith(("'", "’")):
        return None
    if not prep and _NEEDS_IN.match(date):
        return None  # "the 2022 rules", "Theresa May": a month or year alone is a date after "in" or "during"
    if _NTH.match(date) and prep != "on":
        return None
    before = text[:candidate.start()]
    previous = re.findall(r"[\w']+", before[-20:].lower())
    if not prep and previous and previous[-1] in _DETERMINERS:
        return None  # "the December 12 deadline"
    distances = []
    # A verb more than a sentence away dates nothing here, and skipping it keeps long texts fast.
    for verb in _REPORTING.finditer(before, max(0, len(before) - 600)):
        if _gap_allowed(text[verb.end():candidate.start()]):
            distances.append(candidate.start() - verb.end())
    after = text[candidate.end():]
    if verb := _REPORTING.search(after):
        gap = after[:verb.start()]
        if not gap.strip(" ,"):
            distances.append(verb.start())  # "Zhou on Monday said"
        elif _heads_the_sentence(before) and gap.lstrip().startswith(",") and "," not in gap.lstrip()[1:] \
                and len(_WORD.findall(gap)) <= 10:
            distances.append(len(gap))  # "On Monday, Zhou said": a date at the head of the sentence
    return min(distances) if distances else None


def _heads_the_sentence(before: str) -> bool:
    """Whether BEFORE (the sentence up to a date) is empty or only where it was said ("At a conference in
    Shenzhen at the end of 2023, Wen predicted")."""
    lead = before.strip(" \t\n,;:-–—(")
    return not lead or ("," not in lead and _gap_allowed(lead))


def _gap_allowed(gap: str) -> bool:
    """Whether GAP (between a reporting word and a date) holds only whom, where and how it was said."""
    gap = _APPOSITIVE.sub(" ", gap)
    words = _WORD.findall(gap)
    if len(words) > 12 or any(mark in gap for mark in ";:()"):
        return False
    return all(word[0].isupper() or _gap_word(word.lower()) for word in words)


def _gap_word(word: str) -> bool:
    """Whether WORD (lower case) may stand between a reporting word and its date: "company's", "analysts"."""
    word = re.sub(r"['’]s?$", "", word)
    return word in _GAP_WORDS or (word.endswith("s") and word[:-1] in _GAP_WORDS)


def _resolve(date: str, part_of_day: str, published: PartialDate | None, settings: DateSettings) -> PartialDate | None:
    """DATE read against PUBLISHED, or None when that cannot be done or it falls after PUBLISHED."""
    phrase = _PREPOSITION.sub("", re.sub(r"\s+", " ", date.strip()))
    if part_of_day.strip() and phrase.lower() not in ("last", "this"):
        phrase = _PART_OF_DAY.sub("", phrase)
    if published is None and (_RELATIVE.search(phrase) or not re.search(r"\d{4}", phrase)):
        return None  # relative words or a missing year need the publication date, not today
    try:
        if nth := _NTH.match(phrase):
            found = _day_of_month(int(nth.group(1)), published)
        else:
            found = dates.parse(phrase, published, settings)
    except (ClaimtrackError, ValueError, OverflowError):
        return None
    if found is None or (published is not None and found.start > published.end):
        return None
    return found


def _day_of_month(number: int, published: PartialDate | None) -> PartialDate | None:
    """"on the 4th": the latest 4th on or before the publication day."""
    if published is None or published.precision != "day" or not 1 <= number <= 31:
        return None
    year, month = published.start.year, published.start.month
    for _ in range(12):
        if number <= calendar.monthrange(year, month)[1] and dt.date(year, month, number) <= published.start:
            return dates.from_iso(dt.date(year, month, number).isoformat(), "day", text=f"the {number}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return None
