"""Dates as news articles write them, counted from the publication date.

"earlier this week", "over the weekend", "the end of 2023", "Dec. 12", "in December": claimtrack.dates reads these through
the two functions here. A month or a day without its year is the latest such one on or before the base
day, so it needs a base (a publication date); without one it stays an error that asks for the year, as
before. A form that only needs the base's year or month ("in December", "earlier this month", "last
year") is read against a publication date known only to the month or the year whenever every day of
that period gives the same answer; otherwise the exact publication date is asked for.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Callable

from claimtrack.dates import (
    _MONTH, _WEEKDAY, MONTHS, DateSettings, LazyPattern, PartialDate, _check_weekday, _day,
    _relative_base, _shift, _year,
)
from claimtrack.errors import ClaimtrackError

# "the end of 2023" is late 2023: the words name the period and where in it, as the qualifiers do.
EDGES = {"end": "late", "close": "late", "beginning": "early", "start": "early", "middle": "mid"}

_EDGE = LazyPattern(r"^(?:at\s+)?(?:the\s+)?(?:very\s+)?(end|close|beginning|start|middle)\s+of\s+(.+)$")
_THE_PERIOD = LazyPattern(r"^the\s+(week|month|year)$")
_TODAY = LazyPattern(r"^(?:earlier\s+today|earlier\s+in\s+the\s+day|(?:earlier\s+)?this\s+(?:morning|afternoon|evening))$")
_YESTERDAY = LazyPattern(r"^(?:last\s+night|yesterday\s+(?:morning|afternoon|evening))$")
_PERIOD = LazyPattern(
    r"^(?:earlier\s+(?:this|in\s+the)|this|(last|past|previous|next))\s+(week|month|year)$"
)
_WEEKEND = LazyPattern(r"^(?:(?:over|at|during)\s+)?(the|last|past)\s+weekend$")
_DAY_MONTH = LazyPattern(
    rf"^(?:({_WEEKDAY})\.?,?\s+)?(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\.?"
    r"(?:,?\s+(last|this)\s+year)?$"
)
_MONTH_DAY = LazyPattern(
    rf"^(?:({_WEEKDAY})\.?,?\s+)?({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(last|this)\s+year)?$"
)
_MONTH_ALONE = LazyPattern(rf"^(?:in\s+)?(last\s+)?({_MONTH})\.?(?:,?\s+(?:of\s+)?(last|this)\s+year)?$")


def period_edge(s: str) -> tuple[str | None, str]:
    """The qualifier "the end/beginning/start/middle of ..." gives, and the period it is of (lower case S).

    "the month", "the week" and "the year" after it are the ones containing the base day."""
    m = _EDGE.match(s)
    if not m:
        return None, s
    rest = m.group(2).strip()
    if period := _THE_PERIOD.match(rest):
        rest = f"this {period.group(1)}"
    return EDGES[m.group(1)], rest


def read_article_forms(s: str, raw: str, base: PartialDate | None, settings: DateSettings) -> tuple[str, str] | None:
    """(ISO value, precision) for the article forms in S (lower case, spaces collapsed), or None for others."""
    if _TODAY.match(s):
        return _at_base(base, raw, settings, lambda day: (day.isoformat(), "day"))
    if _YESTERDAY.match(s):
        return _at_base(base, raw, settings, lambda day: ((day - dt.timedelta(days=1)).isoformat(), "day"))
    if m := _PERIOD.match(s):
        step = {None: 0, "last": -1, "past": -1, "previous": -1, "next": 1}[m.group(1)]
        return _at_base(base, raw, settings, lambda day: _shift(day, step, m.group(2), raw))
    if m := _WEEKEND.match(s):
        # The latest Saturday and Sunday on or before the base day ("last weekend" on one: the one before).
        strictly_before = m.group(1) != "the"
        return _at_base(base, raw, settings, lambda day: _weekend(day, strictly_before))
    if m := _DAY_MONTH.match(s):
        weekday, day_number, month, which_year = m.groups()
        return _yearless_day(MONTHS[month], int(day_number), weekday, which_year, raw, base, settings)
    if m := _MONTH_DAY.match(s):
        weekday, month, day_number, which_year = m.groups()
        return _yearless_day(MONTHS[month], int(day_number), weekday, which_year, raw, base, settings)
    if m := _MONTH_ALONE.match(s):
        strictly_before, month, which_year = m.groups()
        return _yearless_month(MONTHS[month], bool(strictly_before), which_year, raw, base, settings)
    return None


def _at_base(base: PartialDate | None, raw: str, settings: DateSettings,
             resolve: Callable[[dt.date], tuple[str, str]], leaves_out_year: bool = False) -> tuple[str, str]:
    """RESOLVE counted from the base day: today without a base; for a base known to the month or year,
    only when its first and last days give the same answer."""
    if base is None:
        return resolve(settings.current_day())
    if base.precision == "day":
        return resolve(base.start)
    first, last = _outcome(resolve, base.start), _outcome(resolve, base.end)
    if first == last:
        if isinstance(first, str):
            raise ClaimtrackError(first)
        return first
    if leaves_out_year:
        raise ClaimtrackError(
            f"'{raw}' leaves out the year, and the publication date '{base.text or base.value}' is only "
            f"known to the {base.precision}, so which year is meant cannot be told. Give the year with it, "
            "or the exact publication date (e.g. --published 2024-02-21)."
        )
    _relative_base(base, raw, settings)  # raises: the words need the publication day
    raise AssertionError("a base not known to the day is refused above")


def _outcome(resolve: Callable[[dt.date], tuple[str, str]], day: dt.date) -> tuple[str, str] | str:
    """RESOLVE(DAY), or the message of the error it raises (so two days' outcomes can be compared)."""
    try:
        return resolve(day)
    except ClaimtrackError as error:
        return error.message


def _weekend(day: dt.date, strictly_before: bool) -> tuple[str, str]:
    """The week (from its Monday) of the latest weekend on or before DAY."""
    back = (day.weekday() - 5) % 7
    if strictly_before and day.weekday() >= 5:
        back += 7
    return (day - dt.timedelta(days=back + 5)).isoformat(), "week"


def _yearless_day(month: int, day_number: int, weekday: str | None, which_year: str | None, raw: str,
                  base: PartialDate | None, settings: DateSettings) -> tuple[str, str] | None:
    """The latest MONTH DAY_NUMBER on or before the base day (or of the year WHICH_YEAR names)."""
    longest = 29 if month == 2 else calendar.monthrange(2023, month)[1]
    if not 1 <= day_number <= longest:
        raise ClaimtrackError(
            f"'{raw}' is not a real date: {calendar.month_name[month]} has at most {longest} days, not {day_number}."
        )
    if base is None and which_year is None:
        return None  # no year and nothing to count from: the caller asks for the year, as it always has

    def resolve(today: dt.date) -> tuple[str, str]:
        if which_year:
            year = today.year - (which_year == "last")
            return _check_weekday(_day(year, month, day_number, raw), weekday, raw).isoformat(), "day"
        # February 29 is found in the latest leap year; any other day in this year or the one before.
        for year in range(today.year, max(today.year - 8, 0), -1):
            if day_number <= calendar.monthrange(year, month)[1] and dt.date(year, month, day_number) <= today:
                return _check_weekday(dt.date(year, month, day_number), weekday, raw).isoformat(), "day"
        raise ClaimtrackError(f"'{raw}' falls before the year 1, which claimtrack cannot store.")

    return _at_base(base, raw, settings, resolve, leaves_out_year=which_year is None)


def _yearless_month(month: int, strictly_before: bool, which_year: str | None, raw: str,
                    base: PartialDate | None, settings: DateSettings) -> tuple[str, str] | None:
    """The latest MONTH on or before the base day's month ("last December": before it; "December last
    year": of the year before)."""
    if base is None and which_year is None:
        return None

    def resolve(today: dt.date) -> tuple[str, str]:
        if which_year:
            year = today.year - (which_year == "last")
        else:
            year = today.year if (month < today.month or (month == today.month and not strictly_before)) \
                else today.year - 1
        return f"{_year(year, raw)}-{month:02d}", "month"

    return _at_base(base, raw, settings, resolve, leaves_out_year=which_year is None)
