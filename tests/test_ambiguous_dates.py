"""Numeric dates that read two ways: the default order reads them month first and says so, a date that reads
only day first says to set CLAIMTRACK_DATE_ORDER=DMY, and dotted dates are day first everywhere."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, strategies as st

from claimtrack import dates
from claimtrack.dates import DateSettings
from claimtrack.errors import ClaimtrackError
from conftest import add, fails, ok

TODAY = dt.date(2024, 2, 21)
years = st.integers(1900, 2100)
numbers = st.integers(1, 31)


def read(text: str, **settings) -> tuple[dates.PartialDate, list[str]]:
    """TEXT parsed with SETTINGS, and what the reading warned about."""
    heard: list[str] = []
    return dates.parse(text, settings=DateSettings(today=TODAY, on_warning=heard.append, **settings)), heard


def valid(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# -- the parser -----------------------------------------------------------------------------------

@given(years, st.integers(1, 12), st.integers(1, 12), st.sampled_from("/-"))
def test_a_date_valid_both_ways_is_read_month_first_with_a_warning(year, first, second, separator):
    text = f"{first:02d}{separator}{second:02d}{separator}{year}"
    date, heard = read(text)
    assert date.value == dt.date(year, first, second).isoformat() and date.precision == "day"
    if first == second:
        assert heard == []  # the same day either way
    else:
        [warning] = heard
        month_first, day_first = dt.date(year, first, second), dt.date(year, second, first)
        assert warning.startswith(f"{text} read as {month_first.day} {month_first:%B} {year} (month first)")
        assert "set CLAIMTRACK_DATE_ORDER=DMY to read it day first" in warning
        assert f"({day_first.day} {day_first:%B} {year})" in warning


@given(years, numbers, numbers, st.sampled_from(["MDY", "DMY"]))
def test_a_date_order_that_was_set_reads_without_a_warning(year, first, second, order):
    month, day = (first, second) if order == "MDY" else (second, first)
    text = f"{first}/{second}/{year}"
    if valid(year, month, day) is None:
        with pytest.raises(ClaimtrackError, match="not a real date"):
            read(text, order=order, order_given=True)
        return
    date, heard = read(text, order=order, order_given=True)
    assert date.value == dt.date(year, month, day).isoformat() and heard == []


@given(years, st.integers(13, 31), st.integers(1, 12))
def test_a_date_that_reads_only_day_first_says_to_set_dmy(year, first, second):
    text = f"{first}/{second}/{year}"
    day_first = valid(year, second, first)
    with pytest.raises(ClaimtrackError) as raised:
        read(text)
    if day_first is None:
        assert "not a real date" in raised.value.message
    else:
        assert "CLAIMTRACK_DATE_ORDER=DMY" in raised.value.message
        assert day_first.isoformat() in raised.value.message  # the form that cannot be misread
    if day_first is not None:
        date, heard = read(text, order="DMY", order_given=True)
        assert date.value == day_first.isoformat() and heard == []


@given(years, numbers, st.integers(1, 12), st.sampled_from([("MDY", False), ("MDY", True), ("DMY", True),
                                                            ("YMD", True)]))
def test_dotted_dates_are_day_first_whatever_the_setting(year, day, month, setting):
    order, order_given = setting
    text = f"{day:02d}.{month:02d}.{year}"
    expected = valid(year, month, day)
    if expected is None:
        with pytest.raises(ClaimtrackError, match="not a real date"):
            read(text, order=order, order_given=order_given)
        return
    date, heard = read(text, order=order, order_given=order_given)
    assert date.value == expected.isoformat() and heard == []


@given(years, st.integers(13, 31), st.integers(13, 31))
def test_a_date_valid_neither_way_is_not_a_real_date(year, first, second):
    with pytest.raises(ClaimtrackError, match="not a real date"):
        read(f"{first}/{second}/{year}")


def test_examples_from_the_desk():
    assert read("12/03/2023")[1] == [
        "12/03/2023 read as 3 December 2023 (month first); set CLAIMTRACK_DATE_ORDER=DMY to read it day first "
        "(12 March 2023), or CLAIMTRACK_DATE_ORDER=MDY to read month first without this warning."
    ]
    assert read("20.02.2024")[0].value == "2024-02-20"
    assert read("around 12/03/2023")[0].qualifier == "around" and read("around 12/03/2023")[1]
    with pytest.raises(ClaimtrackError, match="reads only day first .13 March 2023.*CLAIMTRACK_DATE_ORDER=DMY"):
        read("13/03/2023")


def test_without_a_listener_nothing_is_said_and_the_reading_is_the_same():
    assert dates.parse("12/03/2023", settings=DateSettings()).value == "2023-12-03"


def test_the_environment_tells_set_from_default(monkeypatch):
    assert not DateSettings.from_env().order_given
    monkeypatch.setenv("CLAIMTRACK_DATE_ORDER", "mdy")
    assert DateSettings.from_env().order_given and DateSettings.from_env().order == "MDY"


# -- through the commands ---------------------------------------------------------------------

WARNED = "Warning: 12/03/2023 read as 3 December 2023 (month first); set CLAIMTRACK_DATE_ORDER=DMY"


def _claim(number: int = 1) -> dict:
    return json.loads(ok("show", str(number), "--json").stdout)


@pytest.mark.parametrize("command", [
    ["add", "cold water", "--speaker", "A", "--said", "12/03/2023"],
    ["add", "cold water", "--speaker", "A", "--published", "12/03/2023", "--source", "https://example.com/p"],
    ["edit", "1", "--said", "12/03/2023"],
    ["verdict", "1", "refuted", "--on", "12/03/2023"],
    ["attribution", "1", "disputed", "--on", "12/03/2023"],
    ["evidence", "add", "1", "--url", "https://example.com/e", "--stance", "refutes", "--published", "12/03/2023"],
    ["appearance", "add", "1", "--url", "https://example.com/a", "--published", "12/03/2023"],
    ["list", "--since", "12/03/2023"],
])
def test_every_command_that_reads_a_date_warns_once(command):
    add("first", "A")
    result = ok(*command)
    assert result.stderr.count(WARNED) == 1, result.stderr


def test_evidence_edit_warns():
    add("first", "A")
    ok("evidence", "add", "1", "--url", "https://example.com/e", "--stance", "refutes")
    assert ok("evidence", "edit", "1", "--published", "12/03/2023").stderr.count(WARNED) == 1


def test_a_relative_said_counted_from_an_ambiguous_published_date_warns_once():
    result = ok("add", "cold water", "--speaker", "A", "--said", "yesterday", "--published", "12/03/2023",
                "--source", "https://example.com/p")
    assert result.stderr.count(WARNED) == 1
    assert _claim()["said_on"] == "2023-12-02"


def test_the_warned_reading_is_what_is_stored():
    add("cold water", "A", "--said", "12/03/2023")
    assert _claim()["said_on"] == "2023-12-03"


def test_with_the_order_set_nothing_is_said(monkeypatch):
    monkeypatch.setenv("CLAIMTRACK_DATE_ORDER", "DMY")
    result = ok("add", "cold water", "--speaker", "A", "--said", "12/03/2023")
    assert "Warning" not in result.stderr and _claim()["said_on"] == "2023-03-12"
    monkeypatch.setenv("CLAIMTRACK_DATE_ORDER", "MDY")
    assert "Warning" not in ok("edit", "1", "--said", "12/03/2023").stderr
    assert _claim()["said_on"] == "2023-12-03"


def test_a_date_that_reads_only_day_first_is_refused_and_changes_nothing(db_path):
    add("cold water", "A")
    before = db_path.read_bytes()
    stderr = fails("edit", "1", "--said", "13/03/2023").stderr
    assert "CLAIMTRACK_DATE_ORDER=DMY" in stderr and "2023-03-13" in stderr
    assert db_path.read_bytes() == before


def test_a_dotted_date_is_day_first_even_when_month_first_is_set(monkeypatch):
    monkeypatch.setenv("CLAIMTRACK_DATE_ORDER", "MDY")
    result = ok("add", "cold water", "--speaker", "A", "--said", "02.03.2024")
    assert "Warning" not in result.stderr and _claim()["said_on"] == "2024-03-02"
