"""Evidence, appearances, verdicts, attribution, the history of every change, and the --as-of view."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest

from claimtrack.store import SCHEMA_VERSION
from conftest import add, fails, file_hash, ok

H100 = "US export rules bar NVIDIA's H100 and H200 chips from being sold to China."


def shown(claim_id: int = 1) -> dict:
    return json.loads(ok("show", str(claim_id), "--json").stdout)


def listed(*options: str) -> list[int]:
    return [c["id"] for c in json.loads(ok("list", "--json", *options).stdout)]


def evidence(url: str, stance: str, *options: str, claim: int = 1) -> int:
    return int(ok("evidence", "add", str(claim), "--url", url, "--stance", stance, *options).stdout)


def test_a_new_claim_is_unverified_and_reported_with_a_created_row():
    add(H100, "Unnamed reporter", "--source", "https://example.com/report")
    claim = shown()
    assert (claim["verdict"], claim["attribution"]) == ("unverified", "reported")
    assert claim["evidence"] == []
    assert [h["field"] for h in claim["history"]] == ["created"]
    assert claim["appearances"] == [
        {"url": "https://example.com/report", "outlet": None, "title": None, "published_on": None}
    ]


def test_evidence_is_added_listed_and_recorded_in_the_history():
    add(H100, "Unnamed reporter")
    first = evidence("https://www.bis.doc.gov/rule", "supports", "--published", "2023-10-17", "--outlet", "BIS",
                     "--title", "Export rule", "--quote", "advanced computing items", "--note", "the rule")
    second = evidence("https://example.com/analysis", "context")
    claim = shown()
    assert [e["id"] for e in claim["evidence"]] == [first, second]
    item = claim["evidence"][0]
    assert {k: item[k] for k in ("stance", "url", "title", "outlet", "published_on", "quote", "note")} == {
        "stance": "supports", "url": "https://www.bis.doc.gov/rule", "title": "Export rule", "outlet": "BIS",
        "published_on": "2023-10-17", "quote": "advanced computing items", "note": "the rule",
    }
    assert item["added_at"]
    history = [h for h in claim["history"] if h["field"] == "evidence"]
    assert history[0]["effective_on"] == "2023-10-17" and history[0]["new"].startswith("supports:")
    assert [e["id"] for e in json.loads(ok("evidence", "list", "1", "--stance", "context", "--json").stdout)] == [second]
    assert len(json.loads(ok("evidence", "list", "--json").stdout)) == 2
    assert "bis.doc.gov" in ok("evidence", "list").stdout


def test_the_same_page_is_one_source_whatever_the_url_decoration(db_path):
    add("x", "A", "--source", "https://Example.com/story/?utm_source=feed#top")
    evidence("https://example.com/story", "context")
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM sources").fetchone()[0] == 1
    assert conn.execute("SELECT url FROM sources").fetchone()[0] == "https://Example.com/story/?utm_source=feed#top"
    conn.close()


def test_evidence_removal_is_refused_while_a_verdict_cites_it_unless_forced(db_path):
    add(H100, "Unnamed reporter")
    cited = evidence("https://www.bis.doc.gov/rule", "supports")
    loose = evidence("https://example.com/other", "context")
    ok("verdict", "1", "supported", "--evidence", str(cited))
    before = file_hash(db_path)
    err = fails("evidence", "remove", str(cited), "--yes").stderr
    assert "cited by the verdict 'supported'" in err and "--force" in err
    assert file_hash(db_path) == before
    assert "--yes" in fails("evidence", "remove", str(loose)).stderr
    ok("evidence", "remove", str(loose), "--yes")
    ok("evidence", "remove", str(cited), "--yes", "--force")
    claim = shown()
    assert claim["evidence"] == [] and claim["verdict"] == "supported"
    removals = [h for h in claim["history"] if h["field"] == "evidence" and h["new"] is None]
    assert len(removals) == 2


def test_verdict_and_attribution_are_separate_questions():
    add("a barrel of cold water poured down China's head", "Zhou Hongyi")
    ok("verdict", "1", "misleading", "--note", "Chinese labs answered within months")
    ok("attribution", "1", "confirmed", "--note", "on his Weibo")
    claim = shown()
    assert (claim["verdict"], claim["attribution"]) == ("misleading", "confirmed")
    changes = [(h["field"], h["old"], h["new"], h["note"]) for h in claim["history"] if h["field"] in ("verdict", "attribution")]
    assert changes == [("verdict", "unverified", "misleading", "Chinese labs answered within months"),
                       ("attribution", "reported", "confirmed", "on his Weibo")]
    assert listed("--verdict", "misleading") == [1] and listed("--verdict", "refuted") == []
    assert listed("--attribution", "confirmed") == [1]


def test_the_latest_effective_change_wins_and_a_backdated_change_gets_the_old_value_then():
    add("x", "A", "--said", "2023")
    ok("verdict", "1", "refuted", "--on", "2024-03-01")
    ok("verdict", "1", "supported", "--on", "2024-01-01")  # recorded later, effective earlier
    claim = shown()
    assert claim["verdict"] == "refuted"
    backdated = [h for h in claim["history"] if h["field"] == "verdict" and h["new"] == "supported"][0]
    assert (backdated["old"], backdated["effective_on"]) == ("unverified", "2024-01-01")
    ok("verdict", "1", "mixed", "--on", "2024-03-01")  # same day: the later recorded wins
    assert shown()["verdict"] == "mixed"


def test_as_of_reads_the_standing_by_effective_dates():
    claim = add("a barrel of cold water", "Zhou Hongyi", "--said", "February 2024")
    primary = evidence("https://weibo.example/zhou", "supports", "--published", "2024-02-18")
    ok("attribution", str(claim), "confirmed", "--on", "2024-03-01", "--evidence", str(primary))
    ok("verdict", str(claim), "refuted", "--on", "2024-06-01")
    ok("attribution", str(claim), "disputed", "--on", "2024-01-10")  # backdated, before the claim: warns

    def standing(as_of: str) -> tuple:
        rows = json.loads(ok("list", "--json", "--as-of", as_of).stdout)
        return tuple((c["verdict"], c["attribution"]) for c in rows)

    assert standing("2023-12-31") == ()  # not yet said
    assert standing("2024-02-10") == (("unverified", "disputed"),)
    assert standing("2024-03-01") == (("unverified", "confirmed"),)
    assert standing("2024-05-31") == (("unverified", "confirmed"),)
    assert standing("2024-06-01") == (("refuted", "confirmed"),)
    assert standing("2025") == (("refuted", "confirmed"),)
    assert listed("--as-of", "2024-02-10", "--has-evidence") == []
    assert listed("--as-of", "2024-02-20", "--has-evidence") == [claim]
    assert listed("--as-of", "2024-04-01", "--verdict", "unverified") == [claim]
    assert listed("--as-of", "2024-07-01", "--verdict", "unverified") == []
    assert listed("--has-evidence") == [claim] and listed("--no-evidence") == []


def test_as_of_leaves_out_undated_claims_published_later():
    early = add("early", "A", "--published", "2024-01-05")
    late = add("late", "A", "--published", "2024-05-05")
    unknown = add("unknown", "A")
    assert listed("--as-of", "2024-02-01") == [unknown, early]
    assert late in listed("--as-of", "2024-06-01")


def test_edits_leave_a_history_row_per_field():
    add("cold watr", "Zhou Hongyi", "--said", "2024", "--tag", "misc")
    ok("edit", "1", "--text", "cold water", "--said", "February 2024", "--tag", "sora", "--untag", "misc",
       "--speaker", "Yin Ye")
    changes = {h["field"]: (h["old"], h["new"]) for h in shown()["history"] if h["field"] != "created"}
    assert changes == {
        "text": ("cold watr", "cold water"), "speaker": ("Zhou Hongyi", "Yin Ye"),
        "said_on": ("2024", "2024-02"), "said_precision": ("year", "month"), "tags": ("misc", "sora"),
    }


def test_merging_speakers_records_the_move_on_each_claim():
    add("x", "Meta's chief scientist")
    add("y", "Yann LeCun")
    ok("speakers", "merge", "Meta's chief scientist", "Yann LeCun")
    moved = [h for h in shown(1)["history"] if h["field"] == "speaker"]
    assert [(h["old"], h["new"]) for h in moved] == [("Meta's chief scientist", "Yann LeCun")]


def test_appearances_list_the_first_source_first():
    add("cold water", "Zhou Hongyi", "--source", "https://example.com/first", "--outlet", "First")
    appearance = int(ok("appearance", "add", "1", "--url", "https://example.com/second", "--published",
                        "2024-02-26", "--outlet", "Second").stdout)
    assert appearance >= 1
    ok("add", "--appearance-of", "1", "--source", "https://example.com/third", "--outlet", "Third")
    claim = shown()
    assert [a["outlet"] for a in claim["appearances"]] == ["First", "Second", "Third"]
    assert [h["field"] for h in claim["history"]].count("appearance") == 2
    assert "appeared again" in ok("show", "1").stdout
    fails("appearance", "add", "1", "--url", "https://EXAMPLE.com/second/")  # already listed


def test_adding_the_same_words_again_without_a_terminal_adds_and_warns():
    add("A barrel of “cold water”", "Zhou Hongyi")
    result = ok("add", "a barrel of \"cold   water\"", "--speaker", "hongyi zhou")
    assert result.stdout.strip() == "2"
    assert "claim 1 has the same text" in result.stderr and "--appearance-of 1" in result.stderr


def test_show_has_a_timeline_in_date_order():
    add(H100, "Unnamed reporter", "--said", "February 2024", "--source", "https://example.com/r",
        "--published", "2024-02-20", "--outlet", "Reuters")
    evidence("https://www.bis.doc.gov/rule", "supports", "--published", "2023-10-17", "--outlet", "BIS")
    ok("verdict", "1", "supported", "--on", "2023-10-17", "--evidence", "1")
    out = ok("show", "1").stdout
    timeline = out.split("Timeline:\n")[1].splitlines()
    assert [re.split(r"\s{2,}", line.strip())[1] for line in timeline] == ["supports", "verdict", "said", "published"]
    assert "unverified → supported citing #1" in out


BAD = [
    (["evidence", "add", "9", "--url", "https://e.com", "--stance", "supports"], 1, "no claim with id 9"),
    (["evidence", "add", "1", "--url", "https://e.com", "--stance", "agrees"], 2, "supports"),
    (["evidence", "add", "1", "--url", "e.com", "--stance", "supports"], 1, "http(s)"),
    (["evidence", "add", "1", "--url", " ", "--stance", "supports"], 1, "URL is empty"),
    (["evidence", "add", "1", "--url", "https://e.com", "--stance", "supports", "--published", "31 February 2024"], 1, "not a real date"),
    (["evidence", "remove", "99", "--yes"], 1, "no evidence with id 99"),
    (["evidence", "list", "9"], 1, "no claim with id 9"),
    (["verdict", "9", "refuted"], 1, "no claim with id 9"),
    (["verdict", "1", "false"], 2, "refuted"),
    (["verdict", "1", "refuted", "--on", "soonish"], 1, "soonish"),
    (["verdict", "1", "refuted", "--evidence", "99"], 1, "no evidence with id 99"),
    (["attribution", "1", "fake"], 2, "misattributed"),
    (["attribution", "9", "confirmed"], 1, "no claim with id 9"),
    (["appearance", "add", "9", "--url", "https://e.com"], 1, "no claim with id 9"),
    (["add", "--appearance-of", "1"], 1, "--source"),
    (["list", "--as-of", "yesterday-ish"], 1, "yesterday-ish"),
    (["list", "--verdict", "wrong"], 2, "wrong"),
]


@pytest.mark.parametrize("args, code, message", BAD, ids=[" ".join(a)[:40] for a, _, _ in BAD])
def test_bad_standing_input_is_refused_and_changes_nothing(db_path, args, code, message):
    add("x", "A")
    before = file_hash(db_path)
    assert message in fails(*args, code=code).stderr
    assert file_hash(db_path) == before


def test_evidence_of_another_claim_cannot_be_cited(db_path):
    add("x", "A")
    add("y", "B")
    other = evidence("https://e.com/1", "refutes", claim=2)
    before = file_hash(db_path)
    assert "belongs to another claim" in fails("verdict", "1", "refuted", "--evidence", str(other)).stderr
    assert file_hash(db_path) == before


def test_evidence_for_a_deleted_claim_is_refused():
    add("x", "A")
    ok("delete", "1", "--yes")
    assert "no claim with id 1" in fails("evidence", "add", "1", "--url", "https://e.com", "--stance", "refutes").stderr


def test_a_schema_1_database_upgrades_with_its_data_intact(tmp_path, fixtures):
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    conn.executescript((fixtures / "schema-v1.sql").read_text(encoding="utf-8"))
    conn.row_factory = sqlite3.Row
    # text_key is a derived index key (a fingerprint since schema 4); everything else must survive as it was.
    tables = ("speakers", "aliases", "sources", "claims", "tags", "claim_tags")
    before = {t: [{k: r[k] for k in r.keys() if k != "text_key"} for r in conn.execute(f"SELECT * FROM {t} ORDER BY 1")]
              for t in tables}
    conn.close()
    claims = json.loads(ok("--db", str(db), "list", "--json").stdout)
    assert len(claims) == len(before["claims"]) == 8
    assert all(c["verdict"] == "unverified" and c["attribution"] == "reported" for c in claims)
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    for table, rows in before.items():
        after = [{k: r[k] for k in rows[0]} for r in conn.execute(f"SELECT * FROM {table} ORDER BY 1")]
        assert after == rows, table
    assert conn.execute("SELECT count(*) FROM history WHERE field = 'created'").fetchone()[0] == 8
    conn.close()
    cold = json.loads(ok("--db", str(db), "search", "cold water", "--json").stdout)
    assert [c["speaker"] for c in cold] == ["Zhou Hongyi"]
    ok("--db", str(db), "verdict", "1", "misleading")
    assert json.loads(ok("--db", str(db), "show", "1", "--json").stdout)["verdict"] == "misleading"


def test_as_of_lists_dated_claims_newest_first_then_undated_ones_whatever_the_limit():
    add("said early 2023", "A Person", "--said", "2023-01-10")
    add("said in 2024", "A Person", "--said", "2024-01-10")
    add("undated, published before", "A Person", "--source", "https://example.com/a", "--published", "2023-02-01")
    add("undated, published after", "A Person", "--source", "https://example.com/b", "--published", "2024-02-01")
    add("undated, no source", "A Person")
    add("said late 2022", "A Person", "--said", "2022-12-01")
    add("said mid 2023", "A Person", "--said", "2023-05-31")
    full = [c["text"] for c in json.loads(ok("list", "--json", "--as-of", "2023-06-01").stdout)]
    assert full[:3] == ["said mid 2023", "said early 2023", "said late 2022"]
    assert sorted(full[3:]) == ["undated, no source", "undated, published before"]
    for limit in range(1, len(full) + 2):
        shown = json.loads(ok("list", "--json", "--as-of", "2023-06-01", "--limit", str(limit)).stdout)
        assert [c["text"] for c in shown] == full[:limit]


def test_evidence_can_be_corrected_with_a_change_time_and_a_history_row(db_path):
    add(H100, "Unnamed reporter")
    item = evidence("https://www.bis.doc.gov/rule", "supports", "--quote", "advanced computing", "--note", "the rule")
    assert json.loads(ok("evidence", "list", "1", "--json").stdout)[0]["updated_at"] is None  # as added
    out = json.loads(ok("evidence", "edit", str(item), "--stance", "context", "--note", "", "--json").stdout)
    assert (out["stance"], out["quote"], out["note"]) == ("context", "advanced computing", None)
    [stored] = json.loads(ok("evidence", "list", "1", "--json").stdout)
    assert (stored["stance"], stored["quote"], stored["note"]) == ("context", "advanced computing", None)
    assert stored["updated_at"] and stored["updated_at"] >= stored["added_at"]
    corrected = [h for h in shown()["history"] if h["field"] == "evidence"][-1]
    assert (corrected["old"], corrected["new"]) == (
        "supports: https://www.bis.doc.gov/rule", "context: https://www.bis.doc.gov/rule"
    )
    assert "stance" in corrected["note"] and "note" in corrected["note"]
    ok("evidence", "edit", str(item), "--quote", "")
    assert json.loads(ok("evidence", "list", "1", "--json").stdout)[0]["quote"] is None
    # Giving the values it already has changes nothing, not even the history.
    before = file_hash(db_path)
    ok("evidence", "edit", str(item), "--stance", "context")
    assert file_hash(db_path) == before


@pytest.mark.parametrize("args, code, message", [
    (["evidence", "edit", "1"], 1, "Nothing to change"),
    (["evidence", "edit", "99", "--note", "x"], 1, "no evidence with id 99"),
    (["evidence", "edit", "1", "--stance", "agrees"], 2, "supports"),
])
def test_a_bad_evidence_correction_is_refused_and_changes_nothing(db_path, args, code, message):
    add("x", "A")
    evidence("https://e.com/1", "refutes")
    before = file_hash(db_path)
    assert message in fails(*args, code=code).stderr
    assert file_hash(db_path) == before


def test_the_store_corrects_evidence_in_one_transaction(db_path):
    from claimtrack.model import UNSET
    from claimtrack.store import open_store

    add("x", "A")
    item = evidence("https://e.com/1", "refutes", "--quote", "q")
    with open_store(db_path, write=True) as store:
        changed = store.edit_evidence(item, stance="supports", quote=UNSET, note="checked")
        assert store.evidence_item(item) == changed
        assert (changed.stance, changed.quote, changed.note) == ("supports", "q", "checked")
        assert changed.updated_at is not None


def _zone_on_another_day() -> str:
    """A time zone whose calendar day is not the UTC day right now, with an hour to spare either side."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    utc = dt.datetime.now(dt.timezone.utc)
    for name in ("Pacific/Kiritimati", "Etc/GMT+12"):  # UTC+14 and UTC-12: one is always on another day
        local = utc.astimezone(ZoneInfo(name))
        midnight = dt.datetime.combine(local.date(), dt.time(), ZoneInfo(name))
        if local.date() != utc.date() and dt.timedelta(hours=1) < local - midnight < dt.timedelta(hours=23):
            return name
    pytest.skip("no zone is an hour away from midnight on another day just now")


def test_today_is_the_users_day_not_the_utc_one(db_path):
    import datetime as dt
    import os
    import subprocess
    import sys
    from zoneinfo import ZoneInfo

    zone = _zone_on_another_day()

    def run(*args: str) -> None:
        done = subprocess.run([sys.executable, "-m", "claimtrack", *args], capture_output=True, text=True,
                              env={**os.environ, "TZ": zone})
        assert done.returncode == 0, done.stderr

    run("add", "--speaker", "A", "x")
    run("edit", "1", "--note", "checked")
    run("verdict", "1", "refuted")
    run("attribution", "1", "confirmed")
    run("evidence", "add", "1", "--url", "https://example.com/e", "--stance", "refutes")
    local, utc = dt.datetime.now(ZoneInfo(zone)).date().isoformat(), dt.datetime.now(dt.timezone.utc).date().isoformat()
    assert local != utc
    history = shown()["history"]
    assert [h["field"] for h in history] == ["created", "note", "verdict", "attribution", "evidence"]
    assert {h["effective_on"] for h in history} == {local}
