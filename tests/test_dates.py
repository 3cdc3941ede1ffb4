"""claimtrack.dates: dates kept at the precision the words give."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings, strategies as st

from claimtrack import dates
from claimtrack.dates import DateSettings, PartialDate
from claimtrack.errors import ClaimtrackError
from conftest import fails, file_hash, ok

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


# --- Every part of a date comes from the words, or from the base day for relative words ---

BASE_A = PartialDate("2024-02-21", "day")
BASE_B = PartialDate("2019-07-09", "day")  # every part differs from BASE_A: year, month, day, weekday


@pytest.mark.parametrize("text", ["the 1990s", "1990s", "early 2000s", "the '90s", "2020s"])
def test_decades_are_refused_with_the_forms_that_work(text):
    with pytest.raises(ClaimtrackError, match="decade.*circa 1995"):
        dates.parse(text, settings=S)


@pytest.mark.parametrize("text", ["noon", "March", "19 March", "the 5th", "Tuesday 3pm"])
def test_words_that_leave_out_the_year_or_the_day_are_refused(text):
    # dateparser fills what the words leave out from its base day; nothing of that may be stored.
    # (A month or day without its year is counted from a publication date: see tests/test_article_dates.py.)
    bases = (None,) if text in ("March", "19 March") else (None, BASE_A)
    for base in bases:
        with pytest.raises(ClaimtrackError, match="does not give the whole date"):
            dates.parse(text, base, S)


def test_hours_and_minutes_are_finer_than_claimtrack_keeps():
    # Against a base day at midnight "1 hour ago" is the day before: a date the words never meant.
    with pytest.raises(ClaimtrackError, match="keeps days"):
        dates.parse("1 hour ago", BASE_A, S)
    assert dates.parse("now", BASE_A, S).value == "2024-02-21"


def test_a_year_given_in_two_digits_is_refused_in_any_language():
    with pytest.raises(ClaimtrackError, match="four digits"):
        dates.parse("5 mars 24", settings=DateSettings(languages=("fr",), today=TODAY))


RELATIVE_WORDS = {"yesterday", "today", "tomorrow", "now", "ago", "last", "next", "this", "past", "previous",
                  "in", "from", "before", "decade", *dates.WEEKDAYS}
_WORD = st.sampled_from(
    ["early", "mid", "late", "around", "circa", "c.", "summer", "the", "of", "in", "on", "week", "quarter",
     "q1", "q4", "first", "fourth", "noon", "3pm", "at", "s", "'s", "foo", "de", "le", "hour", "hours", "days",
     "weeks", "months", "years", "day", "month", "year", *sorted(RELATIVE_WORDS)]
)
_MONTH_NAME = st.sampled_from(sorted(dates.MONTHS))
_DAY_NUMBER = st.builds(lambda n, suffix: f"{n}{suffix}", st.integers(1, 31), st.sampled_from(["", "st", "th"]))
_YEAR = st.one_of(st.integers(1900, 2100), st.integers(1, 9999), st.integers(0, 99)).map(str)
_DECADE = st.integers(0, 999).map(lambda n: f"{n * 10}s")
_TOKEN = st.one_of(_WORD, _MONTH_NAME, _DAY_NUMBER, _YEAR, _DECADE, st.integers(1, 12).map(str))
_SEPARATOR = st.sampled_from([" ", " ", ", ", "-", "/", "."])


@st.composite
def date_expressions(draw):
    tokens = draw(st.lists(_TOKEN, min_size=1, max_size=5))
    text = tokens[0]
    for token in tokens[1:]:
        text += draw(_SEPARATOR) + token
    return text


def _numbers(text: str) -> set[int]:
    import re

    return {int(number) for number in re.findall(r"\d+", text)}


def _words(text: str) -> set[str]:
    import re

    return set(re.findall(r"[a-z]+", text.lower()))


def _traceable(parsed: PartialDate, text: str) -> None:
    """Every part of PARSED at its precision is written in TEXT: the year in digits, the month by name or
    number, the quarter or week by its number, the day by its number."""
    numbers, words = _numbers(text), _words(text)
    start = parsed.start
    assert start.year in numbers, (text, parsed)
    if parsed.precision in ("month", "day"):
        names = {name for name, number in dates.MONTHS.items() if number == start.month}
        assert start.month in numbers or names & words, (text, parsed)
    if parsed.precision == "quarter":
        quarter = (start.month - 1) // 3 + 1
        ordinals = {word for word, number in dates.ORDINAL_QUARTERS.items() if number == quarter}
        assert quarter in numbers or ordinals & words or f"q{quarter}" in words, (text, parsed)
    if parsed.precision == "week":
        assert "week" in words or "w" in words or words & {f"w{n}" for n in range(54)}, (text, parsed)
    if parsed.precision == "day":
        assert start.day in numbers, (text, parsed)


def _counts_from_the_base(text: str) -> bool:
    """Relative words, or an English month without a year ("19 March"), which a publication date completes."""
    return bool(_words(text) & RELATIVE_WORDS) or (
        bool(_words(text) & set(dates.MONTHS)) and not any(number >= 100 for number in _numbers(text))
    )


def _parse_or_none(text, base, settings_):
    try:
        return dates.parse(text, base, settings_)
    except ClaimtrackError as error:
        assert error.message and not error.message.endswith("..")
        return None


@settings(max_examples=300, deadline=None)
@given(date_expressions())
def test_every_part_of_a_date_comes_from_the_words_or_from_the_base_for_relative_words(text):
    readings = [_parse_or_none(text, base, S) for base in (None, BASE_A, BASE_B)]
    accepted = [r for r in readings if r is not None]
    if _counts_from_the_base(text):
        for parsed in accepted:
            assert parsed.precision in dates.PRECISIONS and parsed.start <= parsed.end
        return
    # Not relative: the base day cannot matter, so every base gives the same answer or the same refusal...
    assert len({(r.value, r.precision) if r else None for r in readings}) == 1, (text, readings)
    # ...and the words account for every part of it.
    for parsed in accepted:
        _traceable(parsed, text)


@settings(max_examples=100, deadline=None)
@given(date_expressions())
def test_in_other_languages_too_no_part_comes_from_the_base_day(text):
    french_german = DateSettings(languages=("en", "fr", "de"), today=TODAY)
    if _counts_from_the_base(text):
        return
    readings = [_parse_or_none(text, base, french_german) for base in (None, BASE_A, BASE_B)]
    assert len({(r.value, r.precision) if r else None for r in readings}) == 1, (text, readings)
    for parsed in readings:
        if parsed is not None:
            _traceable(parsed, text)


@pytest.mark.parametrize(
    "text", ["1000000 days ago", "10000 years ago", "99999999999 weeks ago", "99999999999 days ago",
             "99999999999 months ago"],
)
def test_relative_dates_beyond_the_calendar_are_plain_errors(text):
    with pytest.raises(ClaimtrackError, match="year 1|1 to 9999"):
        dates.parse(text, settings=S)


def test_a_weekday_before_the_first_day_of_the_calendar_is_a_plain_error():
    with pytest.raises(ClaimtrackError, match="year 1"):
        dates.parse("last Monday", PartialDate("0001-01-01", "day"), S)


@pytest.mark.parametrize("said", ["1000000 days ago", "99999999999 weeks ago", "10000 years ago"])
def test_said_beyond_the_calendar_is_a_plain_message_and_nothing_is_stored(db_path, said):
    ok("add", "first", "--speaker", "A", "--said", "2024")
    before = file_hash(db_path)
    result = fails("add", "second", "--speaker", "A", "--said", said)
    assert said in result.stderr
    assert file_hash(db_path) == before


@pytest.mark.parametrize("languages, unknown", [("en,xx", "xx"), ("klingon", "klingon"), ("fr, tlh ", "tlh")])
def test_an_unknown_language_is_named_as_such(monkeypatch, languages, unknown):
    monkeypatch.setenv("CLAIMTRACK_LANGUAGES", languages)
    result = fails("add", "quote", "--speaker", "A", "--said", "hier")
    assert f"CLAIMTRACK_LANGUAGES: '{unknown}' is not a language" in result.stderr
    # Case does not matter in a code dateparser knows.
    monkeypatch.setenv("CLAIMTRACK_LANGUAGES", "EN,Fr")
    assert ok("add", "quote", "--speaker", "A", "--said", "le 19 février 2024", "--json")


_LOCAL_DAY_CHILD = """
import datetime as dt, json, subprocess, sys
before = dt.date.today()
out = subprocess.run([sys.executable, "-m", "claimtrack", "add", "quote", "--speaker", "A", "--said", sys.argv[1],
                      "--json"], capture_output=True, text=True, check=True).stdout
after = dt.date.today()
print(json.dumps({"stored": json.loads(out)["said_on"], "local": [before.isoformat(), after.isoformat()]}))
"""


@pytest.mark.parametrize("said, back", [("yesterday", 1), ("today", 0), ("hier", 1)])
def test_relative_dates_count_from_the_users_local_day_not_utc(monkeypatch, said, back):
    import json
    import os
    import subprocess
    import sys
    from zoneinfo import ZoneInfo

    # One of UTC+14 and UTC-12 is on another calendar day than UTC at any moment.
    utc_day = dt.datetime.now(dt.timezone.utc).date()
    zone = next(z for z in ("Etc/GMT-14", "Etc/GMT+12") if dt.datetime.now(ZoneInfo(z)).date() != utc_day)
    env = {**os.environ, "TZ": zone, "CLAIMTRACK_LANGUAGES": "en,fr"}
    zone_days = {dt.datetime.now(ZoneInfo(zone)).date()}
    child = subprocess.run([sys.executable, "-c", _LOCAL_DAY_CHILD, said], env=env, capture_output=True,
                           text=True, check=True)
    zone_days.add(dt.datetime.now(ZoneInfo(zone)).date())
    result = json.loads(child.stdout)
    local_days = {dt.date.fromisoformat(day) for day in result["local"]}
    assert local_days <= zone_days  # the child's calendar is the zone's (TZ is honoured)
    assert dt.date.fromisoformat(result["stored"]) in {day - dt.timedelta(days=back) for day in local_days}


@given(st.dates(min_value=dt.date(1900, 1, 8), max_value=dt.date(2100, 1, 1)), st.integers(0, 6))
def test_a_weekday_in_another_language_is_the_same_day_as_in_english(base_day, weekday):
    base = PartialDate(base_day.isoformat(), "day")
    french = DateSettings(languages=("en", "fr"), today=TODAY)
    english = dt.date(2024, 1, 1 + weekday).strftime("%A")  # 2024-01-01 was a Monday
    name = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"][weekday]
    assert dates.parse(name, base, french) == dates.parse(english, base, french)


@pytest.mark.parametrize("text", ["yesterday 2019", "2020 3 days ago", "last year 1990", "hier 2019"])
def test_relative_words_beside_a_year_are_refused_not_half_read(text):
    # dateparser would count back from the base and drop the year the words give.
    with pytest.raises(ClaimtrackError, match="mixes relative words with a year"):
        dates.parse(text, BASE_A, DateSettings(languages=("en", "fr"), today=TODAY))
    assert dates.parse("il y a 1500 jours", BASE_A, DateSettings(languages=("fr",), today=TODAY)).start == (
        BASE_A.start - dt.timedelta(days=1500)
    )
