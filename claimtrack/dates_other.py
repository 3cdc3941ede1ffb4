"""Dates in other forms and languages: read by dateparser, kept only when the words give every part.

claimtrack.dates reads the common forms itself and hands the rest here; dateparser is imported only then.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from claimtrack.dates import (
    _WEEKDAY, DateSettings, LazyPattern, PartialDate, _iso_month, _relative, _relative_base, _unreadable,
)
from claimtrack.errors import ClaimtrackError

_PERIODS = {"day": "day", "time": "day", "week": "week", "month": "month", "quarter": "quarter", "year": "year"}
# What each precision needs the words to have given; dateparser fills the rest from its base day.
_NEEDED_PARTS = {"year": {"year"}, "quarter": {"year", "month"}, "month": {"year", "month"},
                 "week": {"year", "month", "day"}, "day": {"year", "month", "day"}}
# In dateparser's English rendering of the words: the direction of a relative date, and units finer than a day.
_DIRECTION = LazyPattern(r"\b(?:ago|in)\b")
_SUB_DAY = LazyPattern(r"\b0*[1-9]\d*\s*(?:second|minute|hour)")
# A year beside relative words ("yesterday 2019"): a number of four digits that counts no unit.
_LOOSE_YEAR = LazyPattern(r"(?<![\d:])\d{4,}(?![\d:])(?!\s*(?:second|minute|hour|day|week|fortnight|month|year|decade))")
_BARE_WEEKDAY = LazyPattern(rf"^\W*(?:on\s+)?({_WEEKDAY})\W*$")


@dataclass(frozen=True)
class _Reading:
    """What dateparser made of the words against one base day."""

    value: str
    precision: str
    relative: bool  # read by its relative-time parser ("3 days ago", "hier")
    parts: frozenset  # the parts its absolute parser says the words gave
    english: str  # the words as dateparser's English


def read_with_dateparser(s: str, raw: str, base: PartialDate | None, settings: DateSettings) -> tuple[str, str]:
    """Other forms and languages, through dateparser, kept only when the words account for every part.

    dateparser fills whatever the words leave out from its base day, and reads some words it does not
    understand as times ("the 1990s" is 1990 seconds before now). So a reading is kept only when it is
    relative by its own words (a direction: "ago", "in", or a weekday) or does not move when the base
    day moves and names every part at its precision, the year in digits.
    """
    base_day = settings.current_day() if base is None or base.precision != "day" else base.start
    first = _dateparser_read(s, base_day, settings)
    if first is None:
        raise _unreadable(raw)
    if first.relative:
        if not _DIRECTION.search(first.english):
            raise _unreadable(raw)
        if _SUB_DAY.search(first.english):
            raise ClaimtrackError(
                f"'{raw}' counts in hours, minutes or seconds; claimtrack keeps days. "
                "Say 'today' or 'yesterday', or give the date, e.g. 19 February 2024."
            )
        if _LOOSE_YEAR.search(first.english):
            # dateparser counts back from the base and drops the year ("yesterday 2019"): refuse, not distort.
            raise ClaimtrackError(
                f"'{raw}' mixes relative words with a year. Give one or the other, e.g. 'yesterday' or 2019."
            )
        _relative_base(base, raw, settings)
        return first.value, first.precision
    # 400 days moves every part of the base day: the year, the month (by 13 or 14) and the day of the month.
    other_day = base_day - dt.timedelta(days=400) if base_day.year > 2 else base_day + dt.timedelta(days=400)
    other = _dateparser_read(s, other_day, settings)
    if other is None or (other.value, other.precision) != (first.value, first.precision):
        if weekday := _BARE_WEEKDAY.match(first.english):
            # "lundi" is read as "Monday" is: the latest such day on or before the base day.
            return _relative(weekday.group(1), raw, base, settings)
        raise _incomplete(raw)
    if not _NEEDED_PARTS[first.precision] <= first.parts:
        raise _incomplete(raw)
    if int(first.value[:4]) not in {int(number) for number in re.findall(r"\d+", raw)}:
        raise ClaimtrackError(f"'{raw}': write the year in full (four digits), e.g. 19 February 2024.")
    return first.value, first.precision


def _dateparser_read(s: str, day: dt.date, settings: DateSettings) -> _Reading | None:
    """dateparser's reading of S against base DAY: its relative-time parser first, then its absolute one.

    Its other parsers (Unix timestamps, digits without spaces) read numbers that are not dates.
    """
    for relative, parser in ((True, "relative-time"), (False, "absolute-time")):
        try:
            data = _date_parser(settings.languages, settings.order, parser, day).get_date_data(s)
        except (ValueError, OverflowError):
            continue
        if data is None or data.date_obj is None:
            continue
        from dateparser.conf import settings as defaults
        from dateparser.languages.loader import default_loader

        english = default_loader.get_locale(data.locale).translate(s, settings=defaults)
        value, precision = _truncate(data.date_obj.date(), _PERIODS.get(data.period or "day", "day"))
        return _Reading(value, precision, relative, frozenset(data.parts or ()), english.strip().lower())
    return None


@lru_cache(maxsize=64)
def _date_parser(languages: tuple[str, ...], order: str, parser: str, day: dt.date):
    """A dateparser DateDataParser running one of its parsers against base DAY, for known LANGUAGES only."""
    from dateparser.data.languages_info import language_order  # imported only when a date needs it
    from dateparser.date import DateDataParser

    known = {code.lower(): code for code in language_order}  # "EN" and "zh-hans" mean what they say
    for code in languages:
        if code.lower() not in known:
            raise ClaimtrackError(
                f"CLAIMTRACK_LANGUAGES: '{code}' is not a language dateparser knows; use codes like en, fr, zh."
            )
    return DateDataParser(
        languages=[known[code.lower()] for code in languages],
        settings={
            "RELATIVE_BASE": dt.datetime.combine(day, dt.time()),
            "DATE_ORDER": order,
            "PREFER_DATES_FROM": "past",
            "PARSERS": [parser],
        },
    )


def _incomplete(raw: str) -> ClaimtrackError:
    return ClaimtrackError(
        f"'{raw}' does not give the whole date: what it leaves out would have to be guessed. "
        "Give the year, and the month and day if known, e.g. 19 February 2024, February 2024 or 2024; "
        "or relative words such as 'yesterday' or '3 days ago'."
    )


def _truncate(day: dt.date, precision: str) -> tuple[str, str]:
    if precision == "year":
        return f"{day.year:04d}", "year"
    if precision == "quarter":
        return f"{day.year:04d}-{(day.month - 1) // 3 * 3 + 1:02d}", "quarter"
    if precision == "month":
        return _iso_month(day), "month"
    if precision == "week":
        return (day - dt.timedelta(days=day.weekday())).isoformat(), "week"
    return day.isoformat(), "day"
