"""claimtrack stats (claims by verdict for each group) and the readable views' dates, which the web view shows."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

from hypothesis import given, strategies as st

from claimtrack.dates import PRECISIONS, PartialDate
from claimtrack.views_schema import said_in_words
from conftest import add, fails, ok


def _record():
    add("cold water", "Zhou Hongyi", "--said", "2024-02", "--tag", "sora", "--tag", "china-ai", "--outlet", "Reuters")
    add("wake-up call", "Zhou Hongyi", "--said", "2024-02-23", "--tag", "sora")
    add("secret weapons", "Yin Ye", "--said", "December 2023", "--outlet", "reuters")
    add("undated words", "Yin Ye")
    ok("verdict", "1", "refuted")
    ok("verdict", "3", "supported")


def test_counts_by_verdict_for_each_group_as_json():
    _record()
    by = {name: json.loads(ok("stats", "--by", name, "--json").stdout) for name in
          ("verdict", "speaker", "outlet", "tag", "month")}
    assert [(g["group"], g["total"]) for g in by["verdict"]] == [("unverified", 2), ("supported", 1), ("refuted", 1)]
    # Equal totals in name order.
    assert [(g["group"], g["verdicts"]) for g in by["speaker"]] == [
        ("Yin Ye", {"unverified": 1, "supported": 1}), ("Zhou Hongyi", {"unverified": 1, "refuted": 1})]
    # Outlets are one group however they are capitalised; a claim without one is counted too.
    assert {g["group"].lower(): g["total"] for g in by["outlet"]} == {"reuters": 2, "no outlet": 2}
    assert {g["group"]: g["total"] for g in by["tag"]} == {"sora": 2, "china-ai": 1, "untagged": 2}
    assert [(g["group"], g["total"]) for g in by["month"]] == [("2023-12", 1), ("2024-02", 2), ("undated", 1)]


def test_filters_narrow_the_counts_and_a_pipe_gets_plain_rows():
    _record()
    rows = ok("stats", "--by", "month", "--speaker", "Zhou Hongyi").stdout.splitlines()
    assert rows == ["2024-02\t2\tunverified=1 refuted=1"]
    assert ok("stats", "--verdict", "supported").stdout == "supported\t1\tsupported=1\n"
    assert ok("stats", "--tag", "nothing-like-it").stdout == ""


def test_a_wrong_grouping_or_filter_is_a_plain_error():
    _record()
    fails("stats", "--by", "colour", code=2)
    assert "speaker" in fails("stats", "--speaker", "Nobody Known").stderr.lower()


def test_bars_on_a_terminal_are_scaled_and_coloured_by_verdict(monkeypatch):
    import io

    from rich.console import Console

    from claimtrack.cli import stats as command
    from claimtrack.model import ClaimFilter
    from claimtrack.store import open_store
    from claimtrack.store.stats import claim_counts

    _record()
    with open_store("claims.db", write=False) as store:
        groups = claim_counts(store.conn, ClaimFilter(), "speaker")
    out = io.StringIO()
    monkeypatch.setattr("rich.console.Console", lambda **kw: Console(file=out, width=100, force_terminal=True, **kw))
    command._bars(groups, "speaker")
    text = out.getvalue()
    assert "Zhou Hongyi" in text and "\x1b[" in text
    # The largest group's bar is the full width; each verdict present has its own part and key.
    assert text.count("█") >= command.BAR_WIDTH and "refuted" in text and "supported" in text


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)), st.sampled_from(PRECISIONS),
       st.sampled_from([None, "early", "mid", "late"]))
def test_the_views_date_in_words_is_what_claimtrack_says(day, precision, qualifier):
    # Stored values as claimtrack keeps them: a reduced ISO date, a week by its Monday, a quarter by its month.
    start = {"day": day, "week": day - dt.timedelta(days=day.weekday()), "month": day.replace(day=1),
             "quarter": day.replace(day=1, month=(day.month - 1) // 3 * 3 + 1), "year": day.replace(day=1, month=1)}
    value = start[precision].isoformat()
    value = value[:7] if precision in ("month", "quarter") else value[:4] if precision == "year" else value
    date = PartialDate(value, precision, qualifier=qualifier)
    conn = sqlite3.connect(":memory:")
    got = conn.execute(f"SELECT {said_in_words(':start', ':precision', ':qualifier')}",
                       {"start": date.start.isoformat(), "precision": precision, "qualifier": qualifier}).fetchone()[0]
    assert got == date.describe()
