"""claimtrack.dates: dates kept at the precision the words give."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings, strategies as st

from claimtrack import dates
from claimtrack.dates import DateSettings, PartialDate
from claimtrack.errors import ClaimtrackError

TODAY = dt.date(2026, 11, 24)
S = DateSettings(today=TODAY)
WEDNESDAY = dates.parse("2024-02-21", settings=S)


@pytest.mark.parametrize(
    "text, value, precision, approximate, qualifier",
    [
        ("December 2023", "2023-12", "month", False, None),
        ("Dec. 2023", "2023-12", "month", False, None),
        ("2023-12", "2023-12", "month", False, None),
        ("Feb 19, 2024", "2024-02-19", "day", False, None),
        ("19 February 2024", "2024-02-19", "day", False, None),
        ("Monday 19 February 2024", "2024-02-19", "day", False, None),
        ("2024-02-19", "2024-02-19", "day", False, None),
        ("2023", "2023", "year", False, None),
        ("Q4 2023", "2023-10", "quarter", False, None),
        ("2023-Q2", "2023-04", "quarter", False, None),
        ("fourth quarter of 2023", "2023-10", "quarter", False, None),
        ("2024-W08", "2024-02-19", "week", False, None),
        ("week of 21 February 2024", "2024-02-19", "week", False, None),
        ("early December 2023", "2023-12", "month", True, "early"),
        ("mid-December 2023", "2023-12", "month", True, "mid"),
        ("mid-2023", "2023", "year", True, "mid"),
        ("late 2023", "2023", "year", True, "late"),
        ("around March 2024", "2024-03", "month", True, "around"),
        ("circa 2019", "2019", "year", True, "circa"),
        ("c. 1995", "1995", "year", True, "circa"),
        ("the summer of 2023", "2023", "year", True, "summer"),
        ("winter 2023", "2023", "year", True, "winter"),
    ],
)
def test_absolute_dates_keep_their_precision(text, value, precision, approximate, qualifier):
    parsed = dates.parse(text, settings=S)
    assert (parsed.value, parsed.precision, parsed.approximate, parsed.qualifier) == (
        value, precision, approximate, qualifier,
    )
    assert parsed.text == text


@pytest.mark.parametrize(
    "text, value, precision",
    [
        ("Monday", "2024-02-19", "day"),
        ("on Monday", "2024-02-19", "day"),
        ("last Monday", "2024-02-19", "day"),
        ("Wednesday", "2024-02-21", "day"),
        ("last Wednesday", "2024-02-14", "day"),
        ("yesterday", "2024-02-20", "day"),
        ("today", "2024-02-21", "day"),
        ("5 days ago", "2024-02-16", "day"),
        ("2 weeks ago", "2024-02-05", "week"),
        ("last week", "2024-02-12", "week"),
        ("last month", "2024-01", "month"),
        ("three months ago", "2023-11", "month"),
        ("last year", "2023", "year"),
    ],
)
def test_relative_dates_count_from_the_publication_date(text, value, precision):
    parsed = dates.parse(text, WEDNESDAY, S)
    assert (parsed.value, parsed.precision) == (value, precision)


def test_relative_dates_without_publication_count_from_today():
    assert dates.parse("yesterday", settings=S).value == "2026-11-23"


@pytest.mark.parametrize("base", ["February 2024", "2024", "Q1 2024", "mid-2024"])
def test_relative_date_against_a_coarse_publication_date_is_refused(base):
    with pytest.raises(ClaimtrackError, match="exact publication date"):
        dates.parse("last Monday", dates.parse(base, settings=S), S)


@pytest.mark.parametrize(
    "text, message",
    [
        ("2024-13-01", "no month 13"),
        ("31 February 2024", "29 days, not 31"),
        ("2023-02-29", "28 days, not 29"),
        ("02/30/2024", "29 days, not 30"),
        ("Tuesday 19 February 2024", "was a Monday"),
        ("2024-W54", "no week 54"),
        ("yesterday-ish", "Could not read the date 'yesterday-ish'"),
        ("", "empty"),
        ("0000", "not a year"),
        ("03/04/24", "four digits"),
    ],
)
def test_impossible_and_unreadable_dates_are_errors(text, message):
    with pytest.raises(ClaimtrackError, match=message):
        dates.parse(text, settings=S)


def test_numeric_dates_follow_the_configured_order():
    assert dates.parse("03/04/2024", settings=DateSettings(order="MDY", today=TODAY)).value == "2024-03-04"
    assert dates.parse("03/04/2024", settings=DateSettings(order="DMY", today=TODAY)).value == "2024-04-03"
    with pytest.raises(ClaimtrackError):
        dates.parse("03/04/2024", settings=DateSettings(order="YMD", today=TODAY))


def test_order_and_languages_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("CLAIMTRACK_DATE_ORDER", "dmy")
    monkeypatch.setenv("CLAIMTRACK_LANGUAGES", "en, fr")
    settings_ = DateSettings.from_env(TODAY)
    assert settings_.order == "DMY" and settings_.languages == ("en", "fr")
    monkeypatch.setenv("CLAIMTRACK_DATE_ORDER", "XYZ")
    with pytest.raises(ClaimtrackError, match="CLAIMTRACK_DATE_ORDER"):
        DateSettings.from_env()


def test_other_languages_go_through_dateparser_with_their_precision():
    french = DateSettings(languages=("en", "fr"), today=TODAY)
    assert dates.parse("le 19 février 2024", settings=french).value == "2024-02-19"
    month = dates.parse("février 2024", settings=french)
    assert (month.value, month.precision) == ("2024-02", "month")
    with pytest.raises(ClaimtrackError):
        dates.parse("février 2024", settings=S)  # English only: not read


def test_relative_words_in_another_language_need_an_exact_base():
    french = DateSettings(languages=("fr",), today=TODAY)
    assert dates.parse("hier", WEDNESDAY, french).value == "2024-02-20"
    with pytest.raises(ClaimtrackError, match="exact publication date"):
        dates.parse("hier", dates.parse("2024", settings=S), french)


def test_periods_have_start_and_end():
    assert dates.since_bound("December 2023", S) == dt.date(2023, 12, 1)
    assert dates.until_bound("December 2023", S) == dt.date(2023, 12, 31)
    assert dates.until_bound("Q1 2024", S) == dt.date(2024, 3, 31)
    assert dates.until_bound("2024", S) == dt.date(2024, 12, 31)
    assert dates.until_bound("2024-W08", S) == dt.date(2024, 2, 25)


@pytest.mark.parametrize(
    "text, words",
    [("2024-02-19", "19 February 2024"), ("early December 2023", "early December 2023"),
     ("mid-2023", "mid-2023"), ("Q4 2023", "Q4 2023"), ("c. 1995", "circa 1995"), ("2023", "2023")],
)
def test_describe_says_the_date_again(text, words):
    assert dates.parse(text, settings=S).describe() == words


PRECISION = st.sampled_from(["day", "week", "month", "quarter", "year"])
QUALIFIER = st.sampled_from([None, "early", "mid", "late", "around", "circa"])


def _at_precision(day: dt.date, precision: str) -> PartialDate:
    if precision == "day":
        return PartialDate(day.isoformat(), "day")
    if precision == "week":
        return PartialDate((day - dt.timedelta(days=day.weekday())).isoformat(), "week")
    if precision == "month":
        return PartialDate(f"{day.year:04d}-{day.month:02d}", "month")
    if precision == "quarter":
        return PartialDate(f"{day.year:04d}-{(day.month - 1) // 3 * 3 + 1:02d}", "quarter")
    return PartialDate(f"{day.year:04d}", "year")


@given(st.dates(min_value=dt.date(1000, 1, 8), max_value=dt.date(9999, 12, 24)), PRECISION, QUALIFIER)
def test_described_dates_read_back_the_same(day, precision, qualifier):
    plain = _at_precision(day, precision)
    original = PartialDate(plain.value, plain.precision, qualifier is not None, qualifier)
    again = dates.parse(original.describe(), settings=S)
    assert (again.value, again.precision, again.approximate, again.qualifier) == (
        original.value, original.precision, original.approximate, original.qualifier,
    )
    assert again.start <= day <= again.end


@given(st.dates(min_value=dt.date(1900, 1, 8), max_value=dt.date(2100, 1, 1)), st.integers(0, 6))
def test_weekdays_resolve_to_the_latest_such_day(base_day, weekday):
    base = PartialDate(base_day.isoformat(), "day")
    name = dt.date(2024, 1, 1 + weekday).strftime("%A")  # 2024-01-01 was a Monday
    bare = dates.parse(name, base, S).start
    last = dates.parse(f"last {name}", base, S).start
    assert bare.weekday() == weekday == last.weekday()
    assert 0 <= (base_day - bare).days <= 6
    assert 1 <= (base_day - last).days <= 7


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=30))
def test_any_text_is_a_date_or_a_clear_error(text):
    try:
        parsed = dates.parse(text, WEDNESDAY, S)
    except ClaimtrackError as error:
        assert error.message
    else:
        assert parsed.precision in dates.PRECISIONS
        assert parsed.start <= parsed.end
