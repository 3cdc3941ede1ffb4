"""Numeric dates (12/03/2023, 20.02.2024): which number is the day, and when to say so.

Slashes and dashes are read in CLAIMTRACK_DATE_ORDER. While it is not set, the default is month first, and
a date that reads validly both ways is read month first with a warning that names the reading and the
setting; one that reads only day first (13/03/2023) is refused with the setting to use, since reading it day
first while reading 12/03/2023 month first would mix two orders in one database. Dots are written day first
wherever they are written (20.02.2024), so a dotted date is read day first whatever the setting.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from claimtrack.errors import ClaimtrackError


class NumericReading(NamedTuple):
    """A numeric date as read, and what to warn about it (None: nothing)."""

    day: dt.date
    warning: str | None = None


def _valid(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _words(day: dt.date) -> str:
    return f"{day.day} {day:%B} {day.year}"


def read_numeric(first: int, second: int, year: int, separators: str, raw: str, order: str,
                 order_given: bool, check_day) -> NumericReading:
    """The day that FIRST SECONDS YEAR (written with SEPARATORS) names; CHECK_DAY(year, month, day, raw)
    makes the date or raises the error that explains why it is not one."""
    text = raw.strip()
    if set(separators) == {"."}:
        return NumericReading(check_day(year, second, first, raw))
    if order == "YMD":
        raise ClaimtrackError(
            f"'{text}' puts the year last, but CLAIMTRACK_DATE_ORDER is YMD. Write it as {year}-MM-DD."
        )
    if order == "DMY":
        return NumericReading(check_day(year, second, first, raw))
    if order_given:
        return NumericReading(check_day(year, first, second, raw))
    month_first, day_first = _valid(year, first, second), _valid(year, second, first)
    if month_first is not None and day_first is not None and first != second:
        return NumericReading(month_first, (
            f"{text} read as {_words(month_first)} (month first); set CLAIMTRACK_DATE_ORDER=DMY to read it "
            f"day first ({_words(day_first)}), or CLAIMTRACK_DATE_ORDER=MDY to read month first without this warning."
        ))
    if month_first is None and day_first is not None:
        raise ClaimtrackError(
            f"'{text}' reads only day first ({_words(day_first)}), but numeric dates are read month first. "
            f"Set CLAIMTRACK_DATE_ORDER=DMY to read them day first, or write {day_first.isoformat()}."
        )
    return NumericReading(check_day(year, first, second, raw))
