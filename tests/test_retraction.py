"""Retraction of a dated entry: it stays in the history, marked, and no longer counts; the report, the
interchange format and merges carry it."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import HealthCheck, given, settings, strategies as st

from claimtrack.dates import PartialDate
from claimtrack.merge import in_effect, merged_retraction
from claimtrack.model import Change
from claimtrack.store.retraction import pair_added
from conftest import add, fails, file_hash, ok


def shown(claim_id: int = 1, *db: str) -> dict:
    return json.loads(ok(*db, "show", str(claim_id), "--json").stdout)


def entry(claim: dict, number: int) -> dict:
    return next(h for h in claim["history"] if h["entry"] == number)


def standing_as_of(day: str, *db: str) -> tuple:
    return tuple((c["verdict"], c["attribution"]) for c in json.loads(ok(*db, "list", "--json", "--as-of", day).stdout))


def today() -> str:
    return PartialDate(dt.date.today().isoformat(), "day").describe()


def desk() -> None:
    """A claim, a refuting document, and two verdicts: supported in October 2023, refuted in January 2024."""
    add("US export rules bar the H100 from China.", "Unnamed reporter", "--kind", "claim", "--said", "2023-09-01")
    ok("evidence", "add", "1", "--url", "https://bis.example/rule", "--stance", "supports", "--published",
       "2023-10-17", "--outlet", "BIS", "--quote", "a licence is required", "--note", "Thresholds\nno product names")
    ok("verdict", "1", "supported", "--on", "2023-10-17", "--evidence", "1", "--note", "The rule\nof 17 October")
    ok("verdict", "1", "refuted", "--on", "2024-01-10", "--note", "typed for the wrong claim")


def test_history_entries_are_numbered_in_the_order_recorded():
    desk()
    claim = shown()
    assert sorted(h["entry"] for h in claim["history"]) == [1, 2, 3, 4]
    assert [entry(claim, n)["field"] for n in (1, 2, 3, 4)] == ["created", "evidence", "verdict", "verdict"]
    assert all(h["retracted_at"] is None and h["retraction_note"] is None for h in claim["history"])
    out = ok("show", "1").stdout
    assert "[2] #1 BIS" in out and "[3] unverified → supported citing #1" in out and "[4] supported → refuted" in out


def test_a_retracted_verdict_no_longer_counts_now_or_as_of_a_date():
    desk()
    assert shown()["verdict"] == "refuted"
    assert standing_as_of("2024-02-01") == (("refuted", "reported"),)
    result = ok("retract", "1", "4", "--note", "wrong claim")
    assert result.stdout == "Retracted entry 4 of claim 1: verdict refuted from 10 January 2024. Its verdict is now supported.\n"
    claim = shown()
    assert claim["verdict"] == "supported"
    retracted = entry(claim, 4)
    assert retracted["retracted_at"].endswith("Z") and retracted["retraction_note"] == "wrong claim"
    assert retracted["new"] == "refuted"  # it stays in the history, as it was
    assert standing_as_of("2024-02-01") == (("supported", "reported"),)
    assert standing_as_of("2023-10-01") == (("unverified", "reported"),)
    assert json.loads(ok("list", "--json", "--verdict", "refuted").stdout) == []
    assert "(retracted " in ok("show", "1").stdout and ": wrong claim)" in ok("show", "1").stdout
    # A later verdict takes as its old value the one in effect, not the retracted one.
    ok("verdict", "1", "misleading", "--on", "2024-03-01")
    assert next(h for h in shown()["history"] if h["new"] == "misleading")["old"] == "supported"


def test_retract_json_is_the_history_entry():
    desk()
    out = json.loads(ok("retract", "1", "3", "--json").stdout)
    assert out["entry"] == 3 and out["field"] == "verdict" and out["new"] == "supported"
    assert out["retracted_at"] and out["retraction_note"] is None
    assert shown()["verdict"] == "refuted"


def test_retracting_the_only_verdict_leaves_the_default():
    add("x", "A")
    ok("verdict", "1", "refuted")
    ok("attribution", "1", "misattributed")
    ok("retract", "1", "2")
    ok("retract", "1", "3")
    claim = shown()
    assert (claim["verdict"], claim["attribution"]) == ("unverified", "reported")


def test_what_cannot_be_retracted_is_a_plain_error_and_changes_nothing(db_path):
    desk()
    ok("edit", "1", "--text", "US export rules bar the H100 and H200 from China.")
    ok("retract", "1", "4")
    before = file_hash(db_path)
    for args, words in (
        (["retract", "1", "1"], "records that the claim was added"),
        (["retract", "1", "4"], "already retracted on"),
        (["retract", "1", "9"], "has no entry 9"),
        (["retract", "1", "5"], "a change of text"),
        (["retract", "7", "1"], "no claim with id 7"),
    ):
        assert words in fails(*args).stderr
        assert file_hash(db_path) == before
    fails("retract", "1", "0", code=2)


def test_retracted_evidence_is_shown_as_retracted_and_left_out_of_the_report():
    desk()
    ok("retract", "1", "2", "--note", "the wrong rule")
    evidence = shown()["evidence"][0]
    assert evidence["retracted_at"] and evidence["retraction_note"] == "the wrong rule"
    assert json.loads(ok("evidence", "list", "--json").stdout)[0]["retraction_note"] == "the wrong rule"
    out = ok("show", "1").stdout
    assert "[2] #1 BIS (retracted " in out and "the wrong rule)" in out
    report = ok("report").stdout
    assert "Evidence:" not in report and "1 claim, 0 sources cited." in report
    full = ok("report", "--with-retracted").stdout
    assert "- **Supports** (17 October 2023): Thresholds[^1] (retracted " in full and "the wrong rule)" in full
    assert "1 claim, 1 source cited." in full


def test_show_and_report_print_quotes_and_whole_notes():
    desk()
    out = ok("show", "1").stdout
    assert "“a licence is required”" in out
    assert "Note: Thresholds\n" in out and "no product names" in out
    assert "Note: The rule\n" in out and "of 17 October" in out
    report = ok("report").stdout
    assert "  Quoted: “a licence is required”\n  no product names\n" in report
    assert "- 17 October 2023: verdict **supported** (was unverified)[^1]\n  Note: The rule\n  of 17 October\n" in report
    assert "- 10 January 2024: verdict **refuted** (was supported)\n  Note: typed for the wrong claim\n" in report


def test_the_report_hides_a_retracted_verdict_unless_asked():
    desk()
    ok("retract", "1", "4", "--note", "wrong claim")
    report = ok("report").stdout
    assert "Verdict: **supported**" in report and "verdict **refuted**" not in report
    full = ok("report", "--with-retracted").stdout
    assert "- 10 January 2024: verdict **refuted** (was supported) (retracted " in full and "wrong claim)" in full


def test_text_and_speaker_changes_are_on_the_timeline():
    add("cold watr", "Zhou Hongi")
    ok("edit", "1", "--text", "cold water", "--speaker", "Zhou Hongyi")
    out = ok("show", "1").stdout
    assert "text changed: cold watr → cold water" in out
    assert "speaker changed: Zhou Hongi → Zhou Hongyi" in out
    assert "[2] " in out and "[3] " in out


def test_a_retracted_entry_is_struck_through_in_a_terminal():
    from test_terminal import in_terminal

    desk()
    ok("retract", "1", "4", "--note", "wrong claim")
    _, output = in_terminal("show", "1", env={"COLUMNS": "160", "TERM": "xterm-256color"})
    assert "\x1b[9m" in output or ";9m" in output or ";9;" in output
    assert "(retracted " in output


def test_a_verdict_that_does_not_become_the_current_one_says_so():
    add("x", "A", "--said", "2023-09-01")
    ok("verdict", "1", "refuted")
    result = ok("verdict", "1", "supported", "--on", "2023-10-17")
    assert result.stdout == (f"Recorded, but the current verdict of claim 1 stays refuted (from {today()}); "
                             "to withdraw that entry: claimtrack retract 1 2.\n")
    assert "verdict supported" not in result.stdout
    ok("retract", "1", "2")
    assert shown()["verdict"] == "supported"
    result = ok("attribution", "1", "confirmed")
    assert result.stdout == "Claim 1: attribution confirmed.\n"
    result = ok("attribution", "1", "disputed", "--on", "2023-10-01")
    assert result.stdout.startswith("Recorded, but the current attribution of claim 1 stays confirmed")


def test_a_verdict_dated_before_the_claim_was_said_gives_no_warning():
    add("x", "A", "--said", "2024")
    result = ok("verdict", "1", "refuted", "--on", "2023-05-01")
    assert result.stderr == "" and result.stdout == "Claim 1: verdict refuted.\n"
    assert shown()["verdict"] == "refuted"


def test_undo_takes_a_retraction_back():
    desk()
    ok("retract", "1", "4")
    ok("undo", "--yes")
    claim = shown()
    assert claim["verdict"] == "refuted" and entry(claim, 4)["retracted_at"] is None


# -- interchange ---------------------------------------------------------------------------


def export(*db: str) -> str:
    return ok(*db, "export", "--format", "jsonl").stdout


def test_export_import_export_with_retractions_is_byte_identical(tmp_path):
    desk()
    ok("retract", "1", "4", "--note", "wrong claim")
    ok("retract", "1", "2")
    first = export()
    history = json.loads(first)["history"]
    assert {h["retraction_note"] for h in history if h.get("retracted_at")} == {"wrong claim", None}
    assert sum(1 for h in history if h.get("retracted_at")) == 2
    # An entry that counts is written as before retraction existed: no keys for it.
    assert all("retraction_note" not in h for h in history if not h.get("retracted_at"))
    (tmp_path / "out.jsonl").write_text(first, encoding="utf-8")
    other = ("--db", str(tmp_path / "other.db"))
    ok(*other, "import", str(tmp_path / "out.jsonl"))
    assert export(*other) == first
    claim = shown(1, *other)
    assert claim["verdict"] == "supported" and claim["evidence"][0]["retracted_at"]
    assert standing_as_of("2024-02-01", *other) == (("supported", "reported"),)


def test_an_import_merges_retractions_and_never_undoes_one(tmp_path):
    desk()
    (tmp_path / "before.jsonl").write_text(export(), encoding="utf-8")
    other = ("--db", str(tmp_path / "other.db"))
    ok(*other, "import", str(tmp_path / "before.jsonl"))
    ok("retract", "1", "4", "--note", "wrong claim")
    (tmp_path / "after.jsonl").write_text(export(), encoding="utf-8")
    ok(*other, "import", str(tmp_path / "after.jsonl"))
    claim = shown(1, *other)
    assert claim["verdict"] == "supported"
    uuid = next(h["uuid"] for h in claim["history"] if h["new"] == "refuted")
    assert next(h for h in claim["history"] if h["uuid"] == uuid)["retraction_note"] == "wrong claim"
    # An older record, without the retraction, does not take it back.
    ok(*other, "import", str(tmp_path / "before.jsonl"))
    assert shown(1, *other)["verdict"] == "supported"
    assert export(*other) == export()
    # Retracted on both sides: the earlier retraction is kept, with its note.
    record = json.loads(export())
    for change in record["history"]:
        if change["uuid"] == uuid:
            change.update(retracted_at="2024-03-01T10:00:00Z", retraction_note="noticed earlier")
    (tmp_path / "earlier.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    ok("import", str(tmp_path / "earlier.jsonl"))
    mine = next(h for h in shown()["history"] if h["uuid"] == uuid)
    assert (mine["retracted_at"], mine["retraction_note"]) == ("2024-03-01T10:00:00Z", "noticed earlier")
    ok(*other, "import", str(tmp_path / "earlier.jsonl"))
    assert export(*other) == export()


def test_an_imported_record_may_not_retract_its_creation(tmp_path):
    record = {"text": "x", "speaker": "A", "history": [
        {"field": "created", "at": "2024-01-01T00:00:00Z", "new": "quote", "retracted_at": "2024-01-02T00:00:00Z"}]}
    (tmp_path / "bad.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert "retracted_at" in fails("import", str(tmp_path / "bad.jsonl")).stderr


# -- the rules, on plain values --------------------------------------------------------------


def test_in_effect_leaves_out_retracted_changes():
    changes = [("2023-10-17", "2024-01-01T00:00:00Z", "a", "unverified", "supported", None),
               ("2024-01-10", "2024-01-02T00:00:00Z", "b", "supported", "refuted", "2024-01-03T00:00:00Z")]
    assert in_effect(changes) == "supported"
    assert in_effect([c[:5] for c in changes]) == "refuted"
    assert in_effect(changes[1:]) is None


def test_merged_retraction_keeps_the_earliest_whichever_side_has_it():
    plain = {"retracted_at": None, "retraction_note": None}
    late = {"retracted_at": "2024-05-01T00:00:00Z", "retraction_note": "late"}
    early = {"retracted_at": "2024-04-01T00:00:00Z", "retraction_note": None}
    assert merged_retraction(plain, plain) == (None, None)
    assert merged_retraction(plain, late) == merged_retraction(late, plain) == ("2024-05-01T00:00:00Z", "late")
    assert merged_retraction(late, early) == merged_retraction(early, late) == ("2024-04-01T00:00:00Z", None)


def test_evidence_added_in_one_second_is_paired_with_its_own_entry():
    day = PartialDate("2024-01-01", "day")
    second = "2024-01-01T00:00:00Z"

    def change(n, new, old=None):
        return Change(f"u{n}", second, day, "evidence", old, new, None, (), n)

    history = [change(2, "refutes: https://b.example"), change(3, "supports: https://a.example"),
               change(4, "context: https://a.example", "supports: https://a.example")]
    # Evidence 10 was corrected since (its entry said "supports"), 11 is as added.
    evidence = [(10, second, "context: https://a.example"), (11, second, "refutes: https://b.example")]
    paired = pair_added(evidence, history)
    assert {i: c.entry for i, c in paired.items()} == {11: 2, 10: 3}


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(["supported", "refuted", "mixed"]),
                                st.sampled_from(["2023-10-17", "2024-01-10", "2024-02"]), st.booleans()),
                      min_size=1, max_size=4))
def test_any_retractions_survive_a_round_trip_byte_identical(steps, tmp_path):
    db = tmp_path / "gen.db"
    other = tmp_path / "gen-other.db"
    for path in (db, other):
        path.unlink(missing_ok=True)
    run = ("--db", str(db))
    ok(*run, "add", "--speaker", "A", "--said", "2023-09-01", "--", "x")
    for n, (value, on, retracted) in enumerate(steps):
        ok(*run, "verdict", "1", value, "--on", on)
        if retracted:
            ok(*run, "retract", "1", str(n + 2), "--note", f"mistake {n}")
    first = export(*run)
    (tmp_path / "gen.jsonl").write_text(first, encoding="utf-8")
    ok("--db", str(other), "import", str(tmp_path / "gen.jsonl"))
    assert export("--db", str(other)) == first
    kept = [s for s in steps if not s[2]]
    assert shown(1, "--db", str(other))["verdict"] == shown(1, *run)["verdict"]
    if not kept:
        assert shown(1, *run)["verdict"] == "unverified"


def test_claimreview_rates_by_the_verdict_in_effect_not_a_retracted_one():
    desk()
    ok("retract", "1", "4")
    supported = entry(shown(), 3)["uuid"]
    [review] = json.loads(ok("export", "--format", "claimreview", "--publisher", "Desk", "--base-url",
                             "https://desk.example/r").stdout)
    assert review["reviewRating"]["alternateName"] == "supported"
    assert review["reviewRating"]["identifier"] == supported and review["datePublished"] == "2023-10-17"
