"""Dates as articles write them (claimtrack/article_dates.py through dates.parse) and the date a sentence
gives for the statement it reports (claimtrack/extract/when.py)."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

from claimtrack import dates
from claimtrack.dates import DateSettings, from_iso
from claimtrack.errors import ClaimtrackError
from claimtrack.extract.when import said_date
from conftest import add, fails, ok

TODAY = dt.date(2026, 11, 24)  # a Tuesday, far from every publication date below
S = DateSettings(today=TODAY)
WEDNESDAY = from_iso("2024-02-21")  # published on Wednesday 21 February 2024
FEBRUARY = from_iso("2024-02")  # published in February 2024, day unknown
YEAR_2024 = from_iso("2024")


def reading(text, base):
    parsed = dates.parse(text, base, S)
    return parsed.value, parsed.precision, parsed.qualifier


# --- dates.parse: the new forms at each precision of the publication date ---

@pytest.mark.parametrize(
    "text, value, precision, qualifier",
    [
        ("earlier today", "2024-02-21", "day", None),
        ("this morning", "2024-02-21", "day", None),
        ("last night", "2024-02-20", "day", None),
        ("yesterday afternoon", "2024-02-20", "day", None),
        ("earlier this week", "2024-02-19", "week", None),
        ("Earlier this month", "2024-02", "month", None),
        ("earlier in the year", "2024", "year", None),
        ("the end of 2023", "2023", "year", "late"),
        ("the beginning of 2023", "2023", "year", "early"),
        ("the start of 2023", "2023", "year", "early"),
        ("at the very end of 2023", "2023", "year", "late"),
        ("the middle of 2023", "2023", "year", "mid"),
        ("the end of last year", "2023", "year", "late"),
        ("end of last year", "2023", "year", "late"),
        ("the start of the month", "2024-02", "month", "early"),
        ("the end of the week", "2024-02-19", "week", "late"),
        ("the end of last month", "2024-01", "month", "late"),
        ("the end of December", "2023-12", "month", "late"),
        ("the end of December 2022", "2022-12", "month", "late"),
        ("the end of Q3 2023", "2023-07", "quarter", "late"),
        ("late last year", "2023", "year", "late"),
        ("early this year", "2024", "year", "early"),
        ("Dec. 12", "2023-12-12", "day", None),
        ("December 12", "2023-12-12", "day", None),
        ("December 12th", "2023-12-12", "day", None),
        ("12 December", "2023-12-12", "day", None),
        ("the 12th of December", "2023-12-12", "day", None),
        ("Tuesday, Dec. 12", "2023-12-12", "day", None),
        ("February 21", "2024-02-21", "day", None),  # the publication day itself
        ("February 22", "2023-02-22", "day", None),  # a day later in the year: the year before
        ("February 29", "2020-02-29", "day", None),  # the latest leap day on or before the base
        ("Dec. 12 last year", "2023-12-12", "day", None),
        ("in December", "2023-12", "month", None),
        ("December", "2023-12", "month", None),
        ("Sept.", "2023-09", "month", None),
        ("February", "2024-02", "month", None),
        ("last February", "2023-02", "month", None),
        ("in early December", "2023-12", "month", "early"),
        ("mid-December", "2023-12", "month", "mid"),
        ("December last year", "2023-12", "month", None),
        ("March this year", "2024-03", "month", None),
        ("week of December 12", "2023-12-11", "week", None),
        ("over the weekend", "2024-02-12", "week", None),  # Saturday 17 and Sunday 18 February
        ("last weekend", "2024-02-12", "week", None),
    ],
)
def test_article_forms_count_from_the_publication_day(text, value, precision, qualifier):
    assert reading(text, WEDNESDAY) == (value, precision, qualifier)


@pytest.mark.parametrize(
    "text, value, precision, qualifier",
    [
        ("earlier this month", "2024-02", "month", None),
        ("this month", "2024-02", "month", None),
        ("last month", "2024-01", "month", None),
        ("the start of the month", "2024-02", "month", "early"),
        ("earlier this year", "2024", "year", None),
        ("last year", "2023", "year", None),
        ("late last year", "2023", "year", "late"),
        ("the end of last year", "2023", "year", "late"),
        ("the end of 2023", "2023", "year", "late"),
        ("in December", "2023-12", "month", None),
        ("January", "2024-01", "month", None),
        ("February", "2024-02", "month", None),  # the month of publication, whichever day
        ("Dec. 12", "2023-12-12", "day", None),
        ("12 January", "2024-01-12", "day", None),
        ("12.12.2023", "2023-12-12", "day", None),
    ],
)
def test_forms_that_need_only_the_month_read_against_a_publication_month(text, value, precision, qualifier):
    assert reading(text, FEBRUARY) == (value, precision, qualifier)


@pytest.mark.parametrize(
    "text, value, precision, qualifier",
    [
        ("earlier this year", "2024", "year", None),
        ("late last year", "2023", "year", "late"),
        ("the end of last year", "2023", "year", "late"),
        ("December last year", "2023-12", "month", None),
        ("Dec. 12 last year", "2023-12-12", "day", None),
        ("the beginning of 2024", "2024", "year", "early"),
    ],
)
def test_forms_that_need_only_the_year_read_against_a_publication_year(text, value, precision, qualifier):
    assert reading(text, YEAR_2024) == (value, precision, qualifier)


@pytest.mark.parametrize("text", ["earlier today", "earlier this week", "last night", "the end of the week"])
def test_words_that_need_the_publication_day_are_refused_against_a_month(text):
    with pytest.raises(ClaimtrackError, match="is relative, but the publication date '2024-02' is only known "
                                              "to the month.*--published 2024-02-21"):
        dates.parse(text, FEBRUARY, S)


@pytest.mark.parametrize("text, base", [
    ("February 12", FEBRUARY), ("February", YEAR_2024), ("in December", YEAR_2024), ("Dec. 12", YEAR_2024),
    ("early December", YEAR_2024), ("Tuesday, Dec. 12", YEAR_2024),
])
def test_a_missing_year_that_the_publication_period_cannot_tell_is_refused(text, base):
    with pytest.raises(ClaimtrackError, match=f"'{text}' leaves out the year.*only known to the "
                                              f"{base.precision}.*Give the year"):
        dates.parse(text, base, S)


@pytest.mark.parametrize("text, base", [("earlier this month", YEAR_2024), ("the start of the month", YEAR_2024)])
def test_this_month_against_a_publication_year_is_refused(text, base):
    with pytest.raises(ClaimtrackError, match="only known to the year"):
        dates.parse(text, base, S)


@pytest.mark.parametrize(
    "text, value, precision, qualifier",
    [
        ("earlier today", "2026-11-24", "day", None),
        ("earlier this week", "2026-11-23", "week", None),
        ("earlier this month", "2026-11", "month", None),
        ("the end of last year", "2025", "year", "late"),
        ("the start of the month", "2026-11", "month", "early"),
        ("late last year", "2025", "year", "late"),
        ("the end of 2023", "2023", "year", "late"),
        ("December last year", "2025-12", "month", None),
        ("12.12.2023", "2023-12-12", "day", None),
        ("5.3.2024", "2024-03-05", "day", None),
    ],
)
def test_without_a_publication_date_relative_words_count_from_today(text, value, precision, qualifier):
    assert reading(text, None) == (value, precision, qualifier)


@pytest.mark.parametrize("text", ["Dec. 12", "December 12", "12 December", "in December", "December",
                                  "early December", "the end of December", "Tuesday, Dec. 12"])
def test_without_a_publication_date_a_missing_year_is_still_asked_for(text):
    with pytest.raises(ClaimtrackError, match="does not give the whole date.*Give the year"):
        dates.parse(text, None, S)


BOTH = (WEDNESDAY, None)


@pytest.mark.parametrize(
    "text, message, bases",
    [
        ("31.2.2024", "not a real date: February 2024 has 29 days, not 31", BOTH),
        ("29.2.2023", "not a real date: February 2023 has 28 days, not 29", BOTH),
        ("5.13.2024", "not a real date: there is no month 13", BOTH),
        ("0.3.2024", "March 2024 has 31 days, not 0", BOTH),
        ("12.12.23", "write the year in full", BOTH),
        ("February 30", "not a real date: February has at most 29 days, not 30", BOTH),
        ("31 April", "not a real date: April has at most 30 days, not 31", BOTH),
        ("Thursday, Dec. 12", "does not add up: 12 December 2023 was a Tuesday", (WEDNESDAY,)),
    ],
)
def test_impossible_dates_are_refused_plainly(text, message, bases):
    for base in bases:
        with pytest.raises(ClaimtrackError, match=message):
            dates.parse(text, base, S)


@pytest.mark.parametrize("published, the, last", [
    ("2024-02-24", "2024-02-19", "2024-02-12"),  # a Saturday: "the weekend" is this one, "last weekend" the one before
    ("2024-02-25", "2024-02-19", "2024-02-12"),  # a Sunday
    ("2024-02-26", "2024-02-19", "2024-02-19"),  # a Monday: both are the one just gone
])
def test_the_weekend_is_the_latest_on_or_before_the_publication_day(published, the, last):
    base = from_iso(published)
    assert dates.parse("over the weekend", base, S).value == the
    assert dates.parse("last weekend", base, S).value == last


def test_dotted_dates_are_day_first_whatever_the_order_setting():
    for order in ("MDY", "DMY"):
        assert dates.parse("5.3.2024", None, DateSettings(order=order, order_given=True)).value == "2024-03-05"


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 12), st.integers(1, 31), st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)),
       st.sampled_from(["{M} {d}", "{d} {M}", "{m}. {d}", "the {d}th of {M}"]))
def test_a_day_without_its_year_is_the_latest_on_or_before_the_publication_day(month, day, published, form):
    text = form.format(M=calendar.month_name[month], m=calendar.month_abbr[month], d=day)
    base = from_iso(published.isoformat())
    if day > (29 if month == 2 else calendar.monthrange(2023, month)[1]):
        with pytest.raises(ClaimtrackError, match="not a real date"):
            dates.parse(text, base, S)
        return
    found = dates.parse(text, base, S).start
    assert (found.month, found.day) == (month, day)
    assert found <= published
    # No later such day lies on or before the publication day.
    later = [dt.date(year, month, day) for year in range(found.year + 1, published.year + 1)
             if day <= calendar.monthrange(year, month)[1]]
    assert all(d > published for d in later)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 12), st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)))
def test_a_month_without_its_year_is_the_latest_on_or_before_the_publication_month(month, published):
    found = dates.parse(f"in {calendar.month_name[month]}", from_iso(published.isoformat()), S)
    assert found.precision == "month" and found.start.month == month
    assert found.start <= published < dt.date(found.start.year + 1, month, 1)


# --- the same through `claimtrack add --said` ---

def _said(claim_id: int) -> tuple:
    shown = json.loads(ok("show", str(claim_id), "--json").stdout)
    return shown["said_on"], shown["said_precision"], shown["said_qualifier"]


@pytest.mark.parametrize(
    "said, published, expected",
    [
        ("earlier this week", "2024-02-21", ("2024-02-19", "week", None)),
        ("earlier today", "2024-02-21", ("2024-02-21", "day", None)),
        ("the end of last year", "2024-02-21", ("2023", "year", "late")),
        ("Dec. 12", "2024-02-21", ("2023-12-12", "day", None)),
        ("12 December", "2024-02-21", ("2023-12-12", "day", None)),
        ("in December", "2024-02", ("2023-12", "month", None)),
        ("earlier this month", "2024-02", ("2024-02", "month", None)),
        ("12.12.2023", "2024-02-21", ("2023-12-12", "day", None)),
    ],
)
def test_add_said_reads_the_article_forms_against_published(said, published, expected):
    claim_id = add("The gap is widening.", "Zhou Hongyi", "--said", said, "--source", "https://example.com/a",
                   "--published", published)
    assert _said(claim_id) == expected


def test_add_said_earlier_this_week_without_published_counts_from_today():
    claim_id = add("The gap is widening.", "Zhou Hongyi", "--said", "earlier this week")
    today = dt.date.today()
    assert _said(claim_id) == ((today - dt.timedelta(days=today.weekday())).isoformat(), "week", None)


@pytest.mark.parametrize(
    "said, published, message",
    [
        ("Dec. 12", None, "does not give the whole date"),
        ("in December", None, "does not give the whole date"),
        ("February 12", "2024-02", "leaves out the year"),
        ("earlier this week", "2024-02", "only known to the month"),
        ("31.2.2024", None, "February 2024 has 29 days, not 31"),
        ("5.13.2024", None, "there is no month 13"),
    ],
)
def test_add_said_refuses_what_cannot_be_told_and_changes_nothing(db_path, said, published, message):
    ok("add", "--speaker", "Li Wen", "--", "Investors are looking closer.")
    before = db_path.read_bytes()
    args = ["add", "--speaker", "Zhou Hongyi", "--said", said]
    if published:
        args += ["--source", "https://example.com/a", "--published", published]
    result = fails(*args, "--", "The gap is widening.")
    assert message in result.stderr
    assert db_path.read_bytes() == before
    assert json.loads(ok("list", "--json").stdout)[0]["text"] == "Investors are looking closer."


# --- said_date: the date a sentence gives for its statement ---

SENTENCES = [
    ("Zhou Hongyi, the founder of 360 Security Technology, said on Monday that the gap was widening.",
     "2024-02-19", "day"),
    ("BEIJING, Feb 21 (Global Wire) - Zhou said on Monday that the gap was widening.", "2024-02-19", "day"),
    ("Zhou wrote in a post on Weibo on Monday.", "2024-02-19", "day"),
    ("                , said Rahul Menon, an analyst at Harrow Capital Research, on Friday.", "2024-02-16", "day"),
    ("China's Ministry of Science and Technology said earlier this month that it would act.", "2024-02", "month"),
    ("The Commerce Department said in a statement last week that it was reviewing designs.", "2024-02-12", "week"),
    ("The company said in a blog post on Thursday that Sora would arrive.", "2024-02-15", "day"),
    ("Earlier today, OpenAI's head of product for Sora said on a podcast that the team was busy.",
     "2024-02-21", "day"),
    ("The commission stated on the 4th that the plan was ready.", "2024-02-04", "day"),
    ("Vireo Labs today announced the general availability of Vireo Motion 2.", "2024-02-21", "day"),
    ("In an interview on Tuesday, Smith said the plan would work.", "2024-02-20", "day"),
    ("Smith told reporters in Beijing in December 2023 that the plan would work.", "2023-12", "month"),
    ("Smith told reporters in December that the plan would work.", "2023-12", "month"),
    ("Smith said at the end of 2023 that prices would fall.", "2023", "year"),
    ("Smith said on Dec. 12 that prices would fall.", "2023-12-12", "day"),
    ("Smith said last week that prices would fall.", "2024-02-12", "week"),
    ("Smith wrote earlier this month that prices would fall.", "2024-02", "month"),
    ("Smith said late last year that prices would fall.", "2023", "year"),
    ("Smith, speaking at a conference on Tuesday, said prices would fall.", "2024-02-20", "day"),
    ("Smith on Monday said prices would fall.", "2024-02-19", "day"),
    ("On Monday, Smith said prices would fall.", "2024-02-19", "day"),
    ("Smith said Monday that prices would fall.", "2024-02-19", "day"),
    ("Smith said on 12.12.2023 that prices would fall.", "2023-12-12", "day"),
    ("Smith said in May that prices would fall.", "2023-05", "month"),
    ("Smith said earlier today that prices would fall.", "2024-02-21", "day"),
    ("Smith said yesterday morning that prices would fall.", "2024-02-20", "day"),
    ("Smith told the BBC two weeks ago that prices would fall.", "2024-02-05", "week"),
    ('"We will launch in December," Smith said on Tuesday.', "2024-02-20", "day"),
    ("Smith said in mid-December that prices would fall.", "2023-12", "month"),
    ("Smith said on Friday, Feb. 16, that prices would fall.", "2024-02-16", "day"),
    ("Smith said in December last year that prices would fall.", "2023-12", "month"),
    ("Smith said at the start of the month that prices would fall.", "2024-02", "month"),
    ("The company last week announced a new chip.", "2024-02-12", "week"),
    ("It exists because of a rule,                said Dana Whitfield, an analyst at Corbel Research, "
     "earlier this month.", "2024-02", "month"),
    ("The city's traffic engineer, Priya Shah, said in a memo to the council earlier this month that the "
     "redesign would add time.", "2024-02", "month"),
    ("          said Lena Vogt, the parliament's lead negotiator on the bill, after the vote on Wednesday.",
     "2024-02-21", "day"),
    ("Moonshot said in a post on its official WeChat account last week.", "2024-02-12", "week"),
    ("Meta's chief scientist, who has long argued that fears are overblown, said in a post on Threads over "
     "the weekend that the threshold was arbitrary.", "2024-02-12", "week"),
    ("Corvid said late on Wednesday that it would cooperate fully.", "2024-02-21", "day"),
    ("Professor Gao Yuan, dean of the School of Artificial Intelligence, said to reporter on the 20th:",
     "2024-02-20", "day"),
    ("Huawei's rotating chairman, Eric Xu, said at the company's analyst summit in April last year that "
     "building it was hard.", "2023-04", "month"),
    ("At a conference in Shenzhen at the end of 2023, Wen predicted that start-ups would win.", "2023", "year"),
    ("The Cloud Infrastructure Council, a trade group, said in comments filed with the department in January "
     "that identity checks would be costly.", "2024-01", "month"),
]


@pytest.mark.parametrize("sentence, value, precision", SENTENCES)
def test_said_date_finds_the_date_of_the_statement(sentence, value, precision):
    found = said_date(sentence, WEDNESDAY, settings=S)
    assert found is not None, sentence
    assert (found.value, found.precision) == (value, precision)


@pytest.mark.parametrize(
    "sentence",
    [
        "Smith said the plant closed in December.",  # the date is about what was said
        "Smith said the 2022 rules were too strict.",
        "Smith said emissions would halve by 2030.",
        "Smith said emissions had fallen since 2019.",
        "In 2023, the plant closed, Smith said.",
        "Smith said Monday's vote was a mistake.",
        "Smith said last year's budget was a mistake.",
        "Smith said the December 12 deadline would hold.",
        "Theresa May said prices would fall.",
        '"We will launch in December," Smith said.',  # quoted words never give the date
        "An Nvidia spokesperson said in an emailed statement.",
        "Smith said on 31.2.2024 that prices would fall.",  # not a real date: no date rather than an error
        "Smith said on Dec. 12, 2025 that prices would fall.",  # after the publication day
        "Smith said prices would fall.",
        "Smith said he would vote in December.",
        "",
    ],
)
def test_said_date_gives_nothing_for_dates_not_about_the_statement(sentence):
    assert said_date(sentence, WEDNESDAY, settings=S) is None


def test_said_date_keeps_the_qualifier_the_words_give():
    found = said_date("Smith said at the end of 2023 that prices would fall.", WEDNESDAY, settings=S)
    assert (found.value, found.precision, found.qualifier) == ("2023", "year", "late")


@pytest.mark.parametrize(
    "sentence, published, expected",
    [
        ("Smith said on Monday that prices would fall.", FEBRUARY, None),  # needs the publication day
        ("Smith said earlier this month that prices would fall.", FEBRUARY, ("2024-02", "month")),
        ("Smith said in December that prices would fall.", FEBRUARY, ("2023-12", "month")),
        ("Smith said in December that prices would fall.", YEAR_2024, None),  # 2023 or 2024: cannot tell
        ("Smith said late last year that prices would fall.", YEAR_2024, ("2023", "year")),
        ("Smith said on Monday that prices would fall.", None, None),  # never counted from today
        ("Smith said in December that prices would fall.", None, None),
        ("Smith said in December 2023 that prices would fall.", None, ("2023-12", "month")),
        ("Smith said at the end of 2023 that prices would fall.", None, ("2023", "year")),
    ],
)
def test_said_date_at_each_precision_of_the_publication_date(sentence, published, expected):
    found = said_date(sentence, published, settings=S)
    assert ((found.value, found.precision) if found else None) == expected


def test_said_date_reads_english_without_importing_dateparser():
    program = (
        "import sys\n"
        "from claimtrack.dates import from_iso\n"
        "from claimtrack.extract.when import said_date\n"
        "published = from_iso('2024-02-21')\n"
        f"sentences = {[sentence for sentence, _, _ in SENTENCES]!r}\n"
        "found = [said_date(s, published) for s in sentences]\n"
        "assert all(found), found\n"
        "print('dateparser' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


_FRAGMENTS = st.sampled_from([
    "Smith", "said", "told reporters", "wrote", "on", "in", "at the end of", "the start of", "earlier",
    "this", "last", "week", "month", "year", "Monday", "Friday,", "December", "Dec.", "May", "12", "29",
    "2023", "2030", "12.12.2023", "31.2.2024", "the 4th", "today", "yesterday", "ago", "two weeks", "by",
    "since", ",", '"', "“", "”", "late", "mid-", "that", "the", "rules", "'s", "Feb. 29", "9999", "0001",
])
_PUBLISHED = st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(_FRAGMENTS, max_size=12).map(" ".join)), _PUBLISHED)
def test_said_date_never_raises_and_is_never_after_the_publication_day(sentence, published):
    found = said_date(sentence, from_iso(published.isoformat()), settings=S)
    if found is not None:
        assert found.precision in dates.PRECISIONS
        assert found.start <= published


@settings(max_examples=100, deadline=None)
@given(st.lists(_FRAGMENTS, max_size=12).map(" ".join),
       st.sampled_from([None, from_iso("2024-02"), from_iso("2024"), from_iso("9999"), from_iso("0001-01")]))
def test_said_date_never_raises_against_any_publication_precision(sentence, published):
    found = said_date(sentence, published, settings=S)
    if found is not None and published is not None:
        assert found.start <= published.end
