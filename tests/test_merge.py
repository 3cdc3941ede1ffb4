"""Import merges by time: a claim's fields, its evidence and its history, in either order, any number of times."""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import add, ok

# Each field a user edits, as `edit` options, and the record's values that show it.
EDITS = {
    "text": (("--text", "the cold water, poured again"), lambda r: r["text"]),
    "title": (("--title", "A second title"), lambda r: r["source"]["title"]),
    "outlet": (("--outlet", "Second Outlet"), lambda r: r["source"]["outlet"]),
    "tags": (("--tag", "later"), lambda r: r["tags"]),
    "said": (("--said", "2024-02-03"), lambda r: (r["said_on"], r["said_precision"])),
}


def start(db: Path) -> None:
    """A claim with a source, tags, a date and evidence, and a second one beside it."""
    ok("--db", str(db), "add", "--speaker", "Zhou Hongyi", "--said", "early February 2024",
       "--source", "https://example.com/sora", "--outlet", "Example News", "--title", "Sora", "--tag", "sora",
       "--", "a barrel of cold water poured down China's head")
    ok("--db", str(db), "add", "--speaker", "Unnamed reporter", "--kind", "claim", "--", "chips are scarce")
    ok("--db", str(db), "evidence", "add", "2", "--url", "https://bis.example/rule", "--stance", "supports",
       "--note", "first reading")


def export(db: Path) -> str:
    return ok("--db", str(db), "export", "--format", "jsonl").stdout


def save(db: Path, path: Path, fmt: str = "jsonl") -> Path:
    ok("--db", str(db), "export", "--format", fmt, "--output", str(path))
    return path


def imported(db: Path, path: Path) -> str:
    return ok("--db", str(db), "import", str(path)).stdout


def claim(db: Path, speaker: str = "Zhou Hongyi") -> str:
    """The id in DB of the claim of SPEAKER (ids are each database's own; uuids are shared)."""
    return next(str(c["id"]) for c in json.loads(ok("--db", str(db), "list", "--json").stdout) if c["speaker"] == speaker)


def record(db: Path, speaker: str = "Zhou Hongyi") -> dict:
    return next(r for r in map(json.loads, export(db).splitlines()) if r["speaker"]["name"] == speaker)


def pair(tmp_path: Path) -> tuple[Path, Path]:
    """Mine and a colleague's database, the colleague's made from an export of mine."""
    mine, theirs = tmp_path / "mine.db", tmp_path / "theirs.db"
    start(mine)
    imported(theirs, save(mine, tmp_path / "shared.jsonl"))
    assert export(theirs) == export(mine)
    return mine, theirs


@pytest.mark.parametrize("field", EDITS)
def test_an_older_export_does_not_undo_a_later_edit(tmp_path, field):
    mine, theirs = pair(tmp_path)
    old = save(mine, tmp_path / "old.jsonl")
    options, shown = EDITS[field]
    ok("--db", str(mine), "edit", claim(mine), *options)
    edited = export(mine)
    assert "0 added, 0 updated, 2 unchanged" in imported(mine, old)
    assert export(mine) == edited
    # Nor does the colleague's file, which holds the claim as it was before my edit.
    assert "0 added, 0 updated" in imported(mine, save(theirs, tmp_path / "theirs.jsonl"))
    assert export(mine) == edited
    assert shown(record(mine)) != shown(record(theirs))


@pytest.mark.parametrize("field", EDITS)
def test_a_colleagues_later_change_lands_and_mine_of_another_field_stays(tmp_path, field):
    mine, theirs = pair(tmp_path)
    options, shown = EDITS[field]
    other = "note" if field != "text" else "context"
    ok("--db", str(mine), "edit", claim(mine), f"--{other}", "mine, meanwhile")
    ok("--db", str(theirs), "edit", claim(theirs), *options)
    assert "0 added, 1 updated, 1 unchanged" in imported(mine, save(theirs, tmp_path / "theirs.jsonl"))
    assert shown(record(mine)) == shown(record(theirs))
    assert record(mine)[other] == "mine, meanwhile"
    assert "0 added, 1 updated, 1 unchanged" in imported(theirs, save(mine, tmp_path / "mine.jsonl"))
    assert export(mine) == export(theirs)


def test_of_two_changes_to_one_field_the_later_wins_on_both_sides(tmp_path):
    mine, theirs = pair(tmp_path)
    for options, _ in EDITS.values():
        ok("--db", str(mine), "edit", claim(mine), *options)
    time.sleep(1.1)  # times are kept to the second: the colleague's changes are a second later
    ok("--db", str(theirs), "edit", claim(theirs), "--text", "theirs", "--title", "Their title", "--outlet", "Their Outlet",
       "--tag", "theirs", "--said", "2024-01")
    mine_file, theirs_file = save(mine, tmp_path / "mine.jsonl"), save(theirs, tmp_path / "theirs.jsonl")
    imported(mine, theirs_file)
    imported(theirs, mine_file)
    assert export(mine) == export(theirs)
    merged = record(mine)
    assert merged["text"] == "theirs" and merged["source"]["title"] == "Their title"
    assert merged["source"]["outlet"] == "Their Outlet" and merged["tags"] == ["sora", "theirs"]
    assert merged["said_on"] == "2024-01"


def test_a_corrected_stance_or_note_of_evidence_lands_and_an_older_one_does_not_undo_it(tmp_path):
    mine, theirs = pair(tmp_path)
    old = save(mine, tmp_path / "old.jsonl")
    ok("--db", str(theirs), "evidence", "edit", "1", "--stance", "refutes", "--note", "read again")
    assert "0 added, 1 updated, 1 unchanged" in imported(mine, save(theirs, tmp_path / "theirs.jsonl"))
    [item] = json.loads(ok("--db", str(mine), "evidence", "list", claim(mine, "Unnamed reporter"), "--json").stdout)
    assert (item["stance"], item["note"]) == ("refutes", "read again") and item["updated_at"]
    assert export(mine) == export(theirs)
    assert "0 added, 0 updated, 2 unchanged" in imported(mine, old)
    assert export(mine) == export(theirs)


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv"])
def test_our_own_export_imported_back_changes_nothing(tmp_path, db_path, fmt):
    start(db_path)
    # A corrected verdict: the CSV says only the verdict now in effect.
    ok("verdict", "2", "refuted", "--on", "2024-03-01")
    ok("verdict", "2", "supported", "--on", "2024-03-02", "--note", "corrected")
    ok("attribution", "1", "confirmed")
    ok("edit", claim(db_path), "--title", "Sora, again", "--note", "checked")
    ok("evidence", "edit", "1", "--stance", "context")
    ok("speakers", "alias", "Zhou Hongyi", "周鸿祎")
    history = [ok("show", str(n), "--json").stdout for n in (1, 2)]
    before = export(db_path)
    path = save(db_path, tmp_path / f"mine.{fmt}", fmt)
    assert "0 added, 0 updated, 2 unchanged" in imported(db_path, path)
    assert export(db_path) == before
    assert [ok("show", str(n), "--json").stdout for n in (1, 2)] == history


def test_our_claimreview_imported_back_leaves_what_it_does_not_carry(tmp_path, db_path):
    """ClaimReview carries no note, context or tags and no said-date words: their absence is not a change."""
    start(db_path)
    ok("edit", claim(db_path), "--note", "checked by phone", "--context", "on Sora", "--tag", "china-ai")
    ok("verdict", claim(db_path), "refuted", "--on", "2024-03-01")
    time.sleep(1.1)  # the review file is a second newer than every change
    before = export(db_path)
    path = tmp_path / "reviews.json"
    ok("export", "--format", "claimreview", "--publisher", "Desk", "--base-url", "https://desk.example/r/",
       "--output", str(path))
    assert "0 added, 0 updated, 1 unchanged" in imported(db_path, path)
    assert export(db_path) == before


def test_a_csv_with_fewer_columns_changes_only_the_columns_it_has(tmp_path, db_path):
    start(db_path)
    ok("edit", claim(db_path), "--note", "checked by phone")
    uuid = record(db_path)["uuid"]
    time.sleep(1.1)
    path = tmp_path / "few.csv"
    path.write_text(f"uuid,text,speaker,role\n{uuid},a barrel of cold water poured down China's head,Zhou Hongyi,"
                    "founder of 360\n", encoding="utf-8")
    assert "0 added, 1 updated, 0 unchanged" in imported(db_path, path)
    mine = record(db_path)
    assert (mine["role"], mine["note"], mine["tags"], mine["said_on"]) == ("founder of 360", "checked by phone",
                                                                          ["sora"], "2024-02")


def test_a_csv_from_a_colleague_changes_a_field_once_however_often_it_is_imported(tmp_path):
    mine, theirs = pair(tmp_path)
    time.sleep(1.1)  # the colleague's file is a second newer than my claims
    ok("--db", str(theirs), "edit", claim(theirs), "--note", "from the spreadsheet")
    path = save(theirs, tmp_path / "theirs.csv", "csv")
    assert "0 added, 1 updated, 1 unchanged" in imported(mine, path)
    assert record(mine)["note"] == "from the spreadsheet"
    once = export(mine)
    assert [h["field"] for h in record(mine)["history"]].count("note") == 1
    assert "0 added, 0 updated, 2 unchanged" in imported(mine, path)
    assert export(mine) == once
    # Another database importing the same file records the same change (the same uuid), so the two agree.
    other = tmp_path / "other.db"
    imported(other, tmp_path / "shared.jsonl")
    imported(other, path)
    assert export(other) == once


def test_either_order_of_two_files_gives_the_same_database(tmp_path):
    mine, theirs = pair(tmp_path)
    ok("--db", str(mine), "edit", claim(mine), "--text", "mine", "--tag", "a")
    ok("--db", str(mine), "verdict", claim(mine), "misleading")
    ok("--db", str(theirs), "edit", claim(theirs), "--text", "theirs", "--outlet", "Other")
    ok("--db", str(theirs), "verdict", claim(theirs), "refuted")
    ok("--db", str(theirs), "evidence", "edit", "1", "--note", "theirs")
    ok("--db", str(mine), "evidence", "edit", "1", "--note", "mine")
    a, b = save(mine, tmp_path / "a.jsonl"), save(theirs, tmp_path / "b.jsonl")
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    imported(first, a), imported(first, b)
    imported(second, b), imported(second, a)
    assert export(first) == export(second)
    imported(mine, b), imported(theirs, a)
    assert export(mine) == export(theirs) == export(first)
    for db in (first, second, mine, theirs):
        assert "0 added, 0 updated" in imported(db, a) and "0 added, 0 updated" in imported(db, b)


# -- two databases edited apart, then exchanged ------------------------------------------------

TEXTS = st.sampled_from(["alpha", "beta", "gamma"])
STEPS = st.one_of(
    st.tuples(st.just("edit"), st.sampled_from([1, 2]), st.sampled_from(["--text", "--title", "--outlet", "--note"]),
              TEXTS),
    st.tuples(st.just("edit"), st.sampled_from([1, 2]), st.just("--tag"), TEXTS),
    st.tuples(st.just("edit"), st.sampled_from([1, 2]), st.just("--said"), st.sampled_from(["2024-01", "2023"])),
    st.tuples(st.just("verdict"), st.sampled_from([1, 2]), st.sampled_from(["supported", "refuted", "misleading"])),
    st.tuples(st.just("evidence add"), st.sampled_from([1, 2]), st.sampled_from(["supports", "refutes"])),
    st.tuples(st.just("evidence edit"), st.just(1), st.sampled_from(["supports", "refutes", "context"]), TEXTS),
)


def run(db: Path, step: tuple) -> None:
    kind, claim, *rest = step
    at = ("--db", str(db))
    if kind == "edit":
        ok(*at, "edit", str(claim), rest[0], rest[1])
    elif kind == "verdict":
        ok(*at, "verdict", str(claim), rest[0])
    elif kind == "evidence add":
        ok(*at, "evidence", "add", str(claim), "--url", f"https://e.example/{claim}/{rest[0]}", "--stance", rest[0])
    else:
        ok(*at, "evidence", "edit", str(claim), "--stance", rest[0], "--note", rest[1])


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mine_steps=st.lists(STEPS, max_size=5), their_steps=st.lists(STEPS, max_size=5))
def test_two_databases_edited_apart_converge_whichever_way_they_are_exchanged(mine_steps, their_steps):
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        mine, theirs = pair(tmp)
        for step in mine_steps:
            run(mine, step)
        for step in their_steps:
            run(theirs, step)
        a, b = save(mine, tmp / "a.jsonl"), save(theirs, tmp / "b.jsonl")
        first, second = tmp / "first.db", tmp / "second.db"
        imported(first, a), imported(first, b)
        imported(second, b), imported(second, a)
        imported(mine, b), imported(theirs, a)
        merged = export(mine)
        assert export(theirs) == merged
        assert export(first) == merged and export(second) == merged
        for db in (mine, theirs):
            assert "0 added, 0 updated" in imported(db, a) and "0 added, 0 updated" in imported(db, b)
            assert export(db) == merged


# -- the rules on plain records (claimtrack.merge), without a database ------------------------------------

_TIMES = st.sampled_from(["2024-02-21T10:00:00Z", "2024-02-21T10:00:01Z", "2024-03-01T08:00:00Z"])
_LOGGED = ["text", "note", "role", "said_on", "outlet", "tags"]


@st.composite
def plain_records(draw, uuids=st.sampled_from(["h1", "h2", "h3", "h4"])):
    """A claim's record as merge sees it: a few fields from small sets, so that sides often agree."""
    history = [{"uuid": draw(uuids), "at": draw(_TIMES), "field": draw(st.sampled_from(_LOGGED))}
               for _ in range(draw(st.integers(0, 3)))]
    return {
        "kind": "quote", "text": draw(st.sampled_from(["cold water", "a barrel of cold water"])),
        "role": draw(st.sampled_from([None, "founder"])), "said_on": draw(st.sampled_from([None, "2024-02"])),
        "said_precision": "month", "said_text": None, "said_approximate": False, "said_qualifier": None,
        "context": None, "note": draw(st.sampled_from([None, "checked", "by phone"])),
        "speaker": {"name": "Zhou Hongyi", "aliases": []}, "source": None,
        "tags": draw(st.sampled_from([[], ["sora"], ["sora", "china-ai"]])),
        "created_at": "2024-02-21T10:00:00Z", "updated_at": draw(_TIMES), "history": history,
    }


@settings(max_examples=300)
@given(plain_records(), plain_records())
def test_of_two_records_each_group_that_differs_comes_from_exactly_one(mine, theirs):
    from claimtrack.merge import GROUPS, merge_groups, values_of

    taken, given_back = set(merge_groups(mine, theirs)), set(merge_groups(theirs, mine))
    for group, (fields, _) in GROUPS.items():
        differs = values_of(mine, fields) != values_of(theirs, fields)
        assert (group in taken) + (group in given_back) == (1 if differs else 0), group


@given(st.lists(st.tuples(st.sampled_from(["2024-02-21", "2024-03-01"]), _TIMES, st.sampled_from("abc"),
                          st.sampled_from(["unverified", "refuted", "supported"]),
                          st.sampled_from(["unverified", "refuted", "supported"])), max_size=6), st.randoms())
def test_the_verdict_a_history_leaves_does_not_depend_on_the_order_it_is_stored_in(changes, rng):
    from claimtrack.merge import in_effect

    shuffled = list(changes)
    rng.shuffle(shuffled)
    assert in_effect(shuffled) == in_effect(changes)
