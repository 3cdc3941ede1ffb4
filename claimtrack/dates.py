"""Dates as journalists write them, kept at the precision the words give.

"December 2023" is a month, not the 24th of it; "mid-2023" is an approximate year;
"Monday" in a report published on Wednesday 21 February 2024 is the 19th. Common
English forms are read here directly (fast, strict, no guessing); anything else
goes to dateparser with an explicit language list, and its `period` decides the
precision. What dateparser returns is kept only when the words account for every
part of it, or are relative words counted from the base day: nothing it fills in
from today is ever stored.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Callable

from claimtrack.errors import ClaimtrackError

PRECISIONS = ("day", "week", "month", "quarter", "year")
DATE_ORDERS = ("MDY", "DMY", "YMD")

MONTHS = {
    name: number
    for number in range(1, 13)
    for name in {calendar.month_name[number].lower(), calendar.month_abbr[number].lower()}
}
MONTHS["sept"] = 9
WEEKDAYS = {
    name: number
    for number in range(7)
    for name in {calendar.day_name[number].lower(), calendar.day_abbr[number].lower()}
}
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
ORDINAL_QUARTERS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
SEASONS = ("spring", "summer", "autumn", "fall", "winter")
# The words journalists put before a date, and how each is stored.
QUALIFIERS = {
    "early": "early", "mid": "mid", "late": "late",
    "around": "around", "about": "around", "approximately": "around", "approx": "around",
    "roughly": "around", "circa": "circa", "ca": "circa", "c": "circa",
    **{season: season for season in SEASONS},
}

class LazyPattern:
    """A regular expression compiled on first use: most commands never read a date."""

    def __init__(self, source: str):
        self.source = source
        self.compiled = None

    def __getattr__(self, name: str):
        if self.compiled is None:
            self.compiled = re.compile(self.source)
        return getattr(self.compiled, name)


_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_QUALIFIER_RE = LazyPattern(
    r"^(?:the\s+|in\s+)?(early|mid|late|around|about|approximately|approx\.?|roughly|circa|ca\.|c\.|"
    + "|".join(SEASONS)
    + r")(?:\s*-\s*|\s+|(?<=\.))(?:of\s+|in\s+)?(.+)$"
)
_YEAR = LazyPattern(r"^(\d{4})$")
_ISO_MONTH = LazyPattern(r"^(\d{4})-(\d{1,2})$")
_ISO_DAY = LazyPattern(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_ISO_WEEK = LazyPattern(r"^(\d{4})-?w(\d{1,2})$")
_QUARTER = LazyPattern(r"^(?:q([1-4])[\s-]*(\d{4})|(\d{4})[\s-]*q([1-4]))$")
_QUARTER_WORDS = LazyPattern(r"^(first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\s+(?:of\s+)?(\d{4})$")
_NUMERIC = LazyPattern(r"^(\d{1,2})([/.-])(\d{1,2})([/.-])(\d{2,4})$")
_DAY_MONTH_YEAR = LazyPattern(
    rf"^(?:({_WEEKDAY})\.?,?\s+)?(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\.?,?\s+(\d{{4}})$"
)
_MONTH_DAY_YEAR = LazyPattern(
    rf"^(?:({_WEEKDAY})\.?,?\s+)?({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})$"
)
_MONTH_YEAR = LazyPattern(rf"^({_MONTH})\.?,?\s+(?:of\s+)?(\d{{4}})$")
_WEEK_OF = LazyPattern(r"^(?:the\s+)?week\s+(?:of|beginning|starting)\s+(.+)$")
_AGO = LazyPattern(r"^(\d+|" + "|".join(NUMBER_WORDS) + r")\s+(day|week|month|year)s?\s+ago$")
_THIS_LAST = LazyPattern(r"^(last|this|next|past|previous)\s+(week|month|year)$")
_ON_WEEKDAY = LazyPattern(rf"^(?:on\s+)?(?:(last|this|past|previous|next)\s+)?({_WEEKDAY})\.?$")
_DIGITS_ONLY = LazyPattern(r"^[\d\s/.\-:]+$")
_DECADE = LazyPattern(r"^(?:in\s+)?(?:the\s+)?['’]?(\d{2}|\d{3}0)['’]?s$")


@dataclass(frozen=True)
class PartialDate:
    """A date known to some precision: ISO 8601 reduced `value`, e.g. "2023-12" for a month."""

    value: str
    precision: str
    approximate: bool = False
    qualifier: str | None = None
    text: str = field(default="", compare=False)

    @cached_property
    def start(self) -> dt.date:
        """The first day of the period (worked out once: stored dates are shared, see from_iso)."""
        parts = [int(p) for p in self.value.split("-")]
        return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)

    @property
    def end(self) -> dt.date:
        """The last day of the period."""
        start = self.start
        if self.precision == "day":
            return start
        if self.precision == "week":
            return start + dt.timedelta(days=6)
        if self.precision == "year":
            return dt.date(start.year, 12, 31)
        months = 3 if self.precision == "quarter" else 1
        last_month = start.month + months - 1
        return dt.date(start.year, last_month, calendar.monthrange(start.year, last_month)[1])

    def describe(self) -> str:
        """The date in words at its precision, with its qualifier: "early December 2023", "mid-2023"."""
        start = self.start
        if self.precision == "day":
            plain = f"{start.day} {calendar.month_name[start.month]} {start.year}"
        elif self.precision == "week":
            plain = f"week of {start.day} {calendar.month_name[start.month]} {start.year}"
        elif self.precision == "month":
            plain = f"{calendar.month_name[start.month]} {start.year}"
        elif self.precision == "quarter":
            plain = f"Q{(start.month - 1) // 3 + 1} {start.year}"
        else:
            plain = str(start.year)
        if not self.qualifier:
            return plain
        joiner = "-" if self.qualifier == "mid" else " "
        return f"{self.qualifier}{joiner}{plain}"


@dataclass(frozen=True)
class DateSettings:
    """How to read dates: languages for dateparser, order of numeric dates (ORDER_GIVEN: set by the user,
    not the default), today, and ON_WARNING, told what a reading should warn about (a numeric date that
    reads both ways); without it, nothing is said."""

    languages: tuple[str, ...] = ("en",)
    order: str = "MDY"
    today: dt.date | None = None
    order_given: bool = False
    on_warning: Callable[[str], None] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_env(cls, today: dt.date | None = None, on_warning: Callable[[str], None] | None = None) -> DateSettings:
        """Settings from CLAIMTRACK_LANGUAGES and CLAIMTRACK_DATE_ORDER."""
        languages = tuple(
            code.strip() for code in os.environ.get("CLAIMTRACK_LANGUAGES", "en").split(",") if code.strip()
        ) or ("en",)
        given = os.environ.get("CLAIMTRACK_DATE_ORDER", "").strip().upper()
        order = given or "MDY"
        if order not in DATE_ORDERS:
            raise ClaimtrackError(
                f"CLAIMTRACK_DATE_ORDER is '{order}'; it must be one of {', '.join(DATE_ORDERS)}."
            )
        return cls(languages, order, today, bool(given), on_warning)

    def current_day(self) -> dt.date:
        """Today, unless the settings fix another day."""
        return self.today or dt.date.today()


def from_parts(value: str | None, precision: str | None, approximate=False, qualifier=None, text=None):
    """Rebuild a stored PartialDate, or None when nothing was stored, or what was stored (changed outside
    claimtrack) is not a date: a read shows no date rather than fail, and `check` names the value."""
    if not value:
        return None
    try:
        return from_iso(value, precision or None, approximate=bool(approximate), qualifier=qualifier or None,
                        text=text or value)
    except ClaimtrackError:
        return None


_ISO_FORMS = {
    "year": LazyPattern(r"^\d{4}$"),
    "quarter": LazyPattern(r"^\d{4}-(01|04|07|10)$"),
    "month": LazyPattern(r"^\d{4}-\d{2}$"),
    "week": LazyPattern(r"^\d{4}-\d{2}-\d{2}$"),
    "day": LazyPattern(r"^\d{4}-\d{2}-\d{2}$"),
}


@lru_cache(maxsize=65536)
def from_iso(value: str, precision: str | None = None, *, approximate=False, qualifier=None, text=None) -> PartialDate:
    """A stored ISO 8601 reduced date read back strictly: "2023-12" is a month unless told "quarter"."""
    if not isinstance(value, str):
        raise ClaimtrackError(f"{value!r} is not a date; dates are ISO 8601 strings such as 2023-12.")
    if precision is None:
        precision = {4: "year", 7: "month", 10: "day"}.get(len(value))
    if precision not in _ISO_FORMS or not _ISO_FORMS[precision].match(value):
        raise ClaimtrackError(f"'{value}' is not an ISO 8601 date at {precision or 'any'} precision.")
    parts = [int(p) for p in value.split("-")]
    try:
        day = dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        raise ClaimtrackError(f"'{value}' is not a real date.") from None
    if precision == "week" and day.weekday() != 0:
        raise ClaimtrackError(f"'{value}' is stored as a week but is not a Monday.")
    if qualifier is not None and qualifier not in set(QUALIFIERS.values()):
        raise ClaimtrackError(f"'{qualifier}' is not a date qualifier.")
    return PartialDate(value, precision, bool(approximate or qualifier), qualifier, text or value)


def parse(text: str, base: PartialDate | None = None, settings: DateSettings | None = None) -> PartialDate:
    """Read TEXT as a PartialDate; relative words count from BASE (a publication date) or today."""
    settings = settings or DateSettings()
    raw = text if text is not None else ""
    s = re.sub(r"\s+", " ", raw.strip().lower())
    if not s:
        raise ClaimtrackError("The date is empty. Give a date such as 2024-02-19, December 2023 or 2023.")
    qualifier = None
    match = _QUALIFIER_RE.match(s)
    if match:
        qualifier = QUALIFIERS[match.group(1).rstrip(".")]
        s = match.group(2).strip()
    else:
        from claimtrack.article_dates import period_edge  # "the end of 2023", "the start of the month"

        qualifier, s = period_edge(s)
    value, precision = _parse_core(s, raw, base, settings)
    if qualifier in SEASONS:
        # A season spans months of its own; what it pins down is the year.
        value, precision = value[:4], "year"
    return PartialDate(value, precision, qualifier is not None, qualifier, raw.strip())


def since_bound(text: str, settings: DateSettings | None = None) -> dt.date:
    """The first day of the period TEXT names, for --since."""
    return parse(text, None, settings).start


def until_bound(text: str, settings: DateSettings | None = None) -> dt.date:
    """The last day of the period TEXT names, for --until."""
    return parse(text, None, settings).end


def _parse_core(s: str, raw: str, base: PartialDate | None, settings: DateSettings) -> tuple[str, str]:
    """Return (ISO value, precision) for an unqualified date expression."""
    if m := _YEAR.match(s):
        return _year(int(m.group(1)), raw), "year"
    if m := _ISO_MONTH.match(s):
        return _iso_month(_month(int(m.group(1)), int(m.group(2)), raw)), "month"
    if m := _ISO_DAY.match(s):
        return _day(int(m.group(1)), int(m.group(2)), int(m.group(3)), raw).isoformat(), "day"
    if m := _ISO_WEEK.match(s):
        year, week = int(m.group(1)), int(m.group(2))
        try:
            _year(year, raw)
            monday = dt.date.fromisocalendar(year, week, 1)
        except ValueError:
            raise ClaimtrackError(f"'{raw}': {year} has no week {week}.") from None
        return monday.isoformat(), "week"
    if (m := _QUARTER.match(s)) or (m := _QUARTER_WORDS.match(s)):
        groups = [g for g in m.groups() if g]
        if len(groups) == 2 and groups[0].isdigit() and len(groups[0]) == 4:
            year, quarter = int(groups[0]), int(groups[1])
        else:
            quarter = ORDINAL_QUARTERS.get(groups[0]) or int(groups[0])
            year = int(groups[1])
        return f"{_year(year, raw)}-{3 * quarter - 2:02d}", "quarter"
    if m := _NUMERIC.match(s):
        return _numeric(m, raw, settings).isoformat(), "day"
    if m := _DAY_MONTH_YEAR.match(s):
        day = _day(int(m.group(4)), MONTHS[m.group(3)], int(m.group(2)), raw)
        return _check_weekday(day, m.group(1), raw).isoformat(), "day"
    if m := _MONTH_DAY_YEAR.match(s):
        day = _day(int(m.group(4)), MONTHS[m.group(2)], int(m.group(3)), raw)
        return _check_weekday(day, m.group(1), raw).isoformat(), "day"
    if m := _MONTH_YEAR.match(s):
        return _iso_month(_month(int(m.group(2)), MONTHS[m.group(1)], raw)), "month"
    if m := _WEEK_OF.match(s):
        inner_value, inner_precision = _parse_core(m.group(1), raw, base, settings)
        if inner_precision not in ("day", "week"):
            raise ClaimtrackError(f"'{raw}': 'week of' needs a day, e.g. 'week of 19 February 2024'.")
        day = dt.date.fromisoformat(inner_value)
        return (day - dt.timedelta(days=day.weekday())).isoformat(), "week"
    from claimtrack.article_dates import read_article_forms  # "earlier this week", "Dec. 12", "in December"

    try:
        relative = read_article_forms(s, raw, base, settings) or _relative(s, raw, base, settings)
    except OverflowError:
        raise ClaimtrackError(
            f"'{raw}' falls before the year 1 or after 9999, which claimtrack cannot store."
        ) from None
    if relative:
        return relative
    if _DIGITS_ONLY.match(s):
        raise _unreadable(raw)
    if _DECADE.match(s):
        raise ClaimtrackError(
            f"'{raw}' is a decade; claimtrack keeps dates to the year at most. "
            "Give a year, with a word for how sure it is if needed, e.g. 'circa 1995' or 'early 2001'."
        )
    from claimtrack.dates_other import read_with_dateparser  # only here: most dates never reach dateparser

    return read_with_dateparser(s, raw, base, settings)


def _year(year: int, raw: str) -> str:
    if not 1 <= year <= 9999:
        raise ClaimtrackError(f"'{raw}' is not a year claimtrack can store (1 to 9999).")
    return f"{year:04d}"


def _month(year: int, month: int, raw: str) -> dt.date:
    _year(year, raw)
    if not 1 <= month <= 12:
        raise ClaimtrackError(f"'{raw}' is not a real date: there is no month {month}.")
    return dt.date(year, month, 1)


def _iso_month(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _day(year: int, month: int, day: int, raw: str) -> dt.date:
    first = _month(year, month, raw)
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ClaimtrackError(
            f"'{raw}' is not a real date: {first:%B} {year} has {last} days, not {day}."
        )
    return dt.date(year, month, day)


def _numeric(m: re.Match, raw: str, settings: DateSettings) -> dt.date:
    first, separator, second, other_separator, year_text = m.groups()
    if len(year_text) != 4:
        raise ClaimtrackError(f"'{raw}': write the year in full (four digits), e.g. 03/04/2024.")
    from claimtrack.numeric_dates import read_numeric

    reading = read_numeric(int(first), int(second), int(year_text), separator + other_separator, raw,
                           settings.order, settings.order_given, _day)
    if reading.warning and settings.on_warning is not None:
        settings.on_warning(reading.warning)
    return reading.day


def _check_weekday(day: dt.date, weekday: str | None, raw: str) -> dt.date:
    if weekday and WEEKDAYS[weekday] != day.weekday():
        raise ClaimtrackError(
            f"'{raw}' does not add up: {day.day} {day:%B %Y} was a {day:%A}. Check the day or the weekday."
        )
    return day


def _relative_base(base: PartialDate | None, raw: str, settings: DateSettings) -> dt.date:
    if base is None:
        return settings.current_day()
    if base.precision != "day":
        raise ClaimtrackError(
            f"'{raw}' is relative, but the publication date '{base.text or base.value}' is only known to the "
            f"{base.precision}. Give the exact publication date (e.g. --published 2024-02-21) or an absolute date."
        )
    return base.start


def _relative(s: str, raw: str, base: PartialDate | None, settings: DateSettings) -> tuple[str, str] | None:
    """English relative expressions, resolved against the base day."""
    if s in ("today", "yesterday", "the day before yesterday"):
        today = _relative_base(base, raw, settings)
        back = {"today": 0, "yesterday": 1, "the day before yesterday": 2}[s]
        return (today - dt.timedelta(days=back)).isoformat(), "day"
    if m := _AGO.match(s):
        today = _relative_base(base, raw, settings)
        count = int(m.group(1)) if m.group(1).isdigit() else NUMBER_WORDS[m.group(1)]
        return _shift(today, -count, m.group(2), raw)
    if m := _THIS_LAST.match(s):
        today = _relative_base(base, raw, settings)
        step = {"last": -1, "past": -1, "previous": -1, "this": 0, "next": 1}[m.group(1)]
        return _shift(today, step, m.group(2), raw)
    if m := _ON_WEEKDAY.match(s):
        today = _relative_base(base, raw, settings)
        target = WEEKDAYS[m.group(2)]
        if m.group(1) == "next":
            days = (target - today.weekday()) % 7 or 7
            return (today + dt.timedelta(days=days)).isoformat(), "day"
        # A bare weekday is the latest such day on or before the base; "last" is strictly before it.
        back = (today.weekday() - target) % 7
        if back == 0 and m.group(1) in ("last", "past", "previous"):
            back = 7
        return (today - dt.timedelta(days=back)).isoformat(), "day"
    return None


def _shift(today: dt.date, count: int, unit: str, raw: str) -> tuple[str, str]:
    if unit == "day":
        return (today + dt.timedelta(days=count)).isoformat(), "day"
    if unit == "week":
        day = today + dt.timedelta(weeks=count)
        return (day - dt.timedelta(days=day.weekday())).isoformat(), "week"
    if unit == "month":
        index = today.year * 12 + today.month - 1 + count
        return f"{_year(index // 12, raw)}-{index % 12 + 1:02d}", "month"
    return _year(today.year + count, raw), "year"


def _unreadable(raw: str) -> ClaimtrackError:
    return ClaimtrackError(
        f"Could not read the date '{raw.strip()}'. Try a form like 2024-02-19, 19 February 2024, "
        "December 2023, Q4 2023, 2023, 'early December 2023' or 'last Monday'."
    )
