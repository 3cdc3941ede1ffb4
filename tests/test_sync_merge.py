"""The merge of two versions of a record file (claimtrack.sync.records) and the merge driver git runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimtrack.sync import layout
from claimtrack.sync.driver import merge_files
from claimtrack.sync.records import merge_claim, merge_source, merge_speaker

UUID = "6f1c1b0e-6a53-4d1e-9b1e-2f0c6c1a7e55"


def _entry(n: int, field: str, old, new, at: str, **more) -> dict:
    return {"uuid": f"00000000-0000-4000-8000-{n:012d}", "at": at, "effective_on": at[:10], "effective_precision": "day",
            "field": field, "old": old, "new": new, "note": None, "evidence": [], **more}


def _base() -> dict:
    return {
        "uuid": UUID, "kind": "quote", "text": "The river is clean", "role": None, "context": None, "note": None,
        "created_at": "2024-01-01T09:00:00Z", "updated_at": "2024-01-01T09:00:00Z", "verdict": "unverified",
        "attribution": "reported", "said_on": None, "said_precision": None, "said_text": None,
        "said_approximate": None, "said_qualifier": None, "speaker": {"name": "Ann Lee"}, "source": None,
        "tags": [], "appearances": [], "evidence": [],
        "history": [_entry(0, "created", None, "quote", "2024-01-01T09:00:00Z", author="Ann")],
    }


def _page(url: str) -> dict:
    return {"url": url, "outlet": None, "title": None, "published_on": None, "published_precision": None,
            "published_text": None, "published_approximate": None, "published_qualifier": None,
            "archived_url": None, "recorded_at": "2024-01-01T09:00:00Z"}


# One change to a record: what it is, and (n, second) to make its uuid and time its own.
CHANGES = st.tuples(st.sampled_from(["note", "verdict", "evidence", "appearance", "retract", "trash", "tag"]),
                    st.integers(1, 40), st.integers(0, 59))


def _apply(record: dict, change: tuple) -> dict:
    """RECORD after CHANGE, as a database would write it."""
    what, n, second = change
    at = f"2024-02-01T10:00:{second:02d}Z"
    # A change's uuids are its own: the same change made on both sides is the one both hold.
    n = n * 100 + second + 1_000_000 * ["note", "verdict", "evidence", "appearance", "retract", "trash", "tag"].index(what)
    record = json.loads(json.dumps(record))
    if any(item["uuid"].endswith(f"{n:012d}") for item in record["history"] + record["evidence"] + record["appearances"]):
        return record  # made already
    record["updated_at"] = max(record["updated_at"], at)
    if what == "note":
        record["history"].append(_entry(n, "note", record["note"], f"note {n // 100 % 100}", at))
        record["note"] = f"note {n // 100 % 100}"
    elif what == "tag":
        record["history"].append(_entry(n, "tags", None, f"t{n}", at))
        record["tags"] = sorted(set(record["tags"]) | {f"t{n}"})
    elif what == "verdict":
        new = ["supported", "refuted", "mixed"][n // 100 % 3]
        record["history"].append(_entry(n, "verdict", record["verdict"], new, at))
        record["verdict"] = new
    elif what == "evidence":
        record["evidence"].append({"uuid": f"10000000-0000-4000-8000-{n:012d}", "stance": "refutes", "quote": None,
                                   "note": f"e{n}", "added_at": at, "updated_at": None,
                                   "source": _page(f"https://example.com/{n}")})
        record["evidence"].sort(key=lambda e: (e["added_at"], e["uuid"]))
    elif what == "appearance":
        record["appearances"].append({"uuid": f"20000000-0000-4000-8000-{n:012d}", "added_at": at,
                                      "source": _page(f"https://example.org/{n}")})
        record["appearances"].sort(key=lambda a: (a["added_at"], a["uuid"]))
    elif what == "retract":
        for entry in record["history"]:
            if entry["field"] == "verdict" and not entry.get("retracted_at"):
                entry["retracted_at"], entry["retraction_note"] = at, "entered by mistake"
                break
    elif what == "trash":
        record[layout.TRASH] = int(record.get(layout.TRASH) or 0) + 1
    record["history"].sort(key=lambda h: (h["effective_on"], h["at"], h["uuid"]))
    return record


def _side(changes: list[tuple]) -> dict:
    record = _base()
    for change in changes:
        record = _apply(record, change)
    return record


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(CHANGES, max_size=6), st.lists(CHANGES, max_size=6), st.lists(CHANGES, max_size=6))
def test_a_claims_merge_is_commutative_idempotent_and_keeps_every_change(common, mine, theirs):
    start = _side(common)
    a, b = start, start
    for change in mine:
        a = _apply(a, change)
    for change in theirs:
        b = _apply(b, change)
    merged = merge_claim(a, b)
    assert merged == merge_claim(b, a)
    assert merge_claim(merged, a) == merged and merge_claim(b, merged) == merged
    assert merge_claim(a, a) == a
    # Nothing either side added is lost: history, evidence and appearances are unions.
    for key in ("history", "evidence", "appearances"):
        assert {item["uuid"] for item in merged[key]} == {item["uuid"] for item in a[key] + b[key]}
    assert merged.get(layout.TRASH, 0) == max(a.get(layout.TRASH, 0), b.get(layout.TRASH, 0))
    # The text a file is written as does not depend on the order either.
    assert layout.dumps(merged) == layout.dumps(merge_claim(b, a))


def test_conflicting_edits_of_one_field_resolve_to_the_later_change_either_way():
    early = _apply(_base(), ("note", 1, 5))
    late = _apply(_base(), ("note", 2, 30))
    for merged in (merge_claim(early, late), merge_claim(late, early)):
        assert merged["note"] == "note 2"
        assert {h["new"] for h in merged["history"] if h["field"] == "note"} == {"note 1", "note 2"}


def test_the_merged_verdict_is_the_one_the_merged_history_leaves_in_effect():
    first = _apply(_base(), ("verdict", 1, 10))
    second = _apply(_base(), ("verdict", 2, 20))
    assert first["verdict"] != second["verdict"]
    assert merge_claim(first, second)["verdict"] == second["verdict"]  # the later change
    retracted = _apply(second, ("retract", 3, 40))
    assert merge_claim(first, retracted)["verdict"] == first["verdict"]


def test_history_entries_keep_their_author_and_a_retraction_from_either_side():
    mine = _apply(_base(), ("verdict", 1, 10))
    mine["history"][-1]["author"] = "Bea"
    theirs = json.loads(json.dumps(mine))
    del theirs["history"][-1]["author"]  # an older record, written before authors were kept
    theirs = _apply(theirs, ("retract", 2, 50))
    merged = merge_claim(mine, theirs)
    entry = next(h for h in merged["history"] if h["field"] == "verdict")
    assert entry["author"] == "Bea" and entry["retracted_at"] == "2024-02-01T10:00:50Z"


def test_speakers_union_their_aliases_and_a_merge_wins():
    assert merge_speaker({"name": "Ann Lee", "aliases": ["A. Lee"]}, {"name": "Ann Lee", "aliases": ["Annie"]}) == \
        {"name": "Ann Lee", "aliases": ["A. Lee", "Annie"]}
    merged = {"name": "B. Chen", "merged_into": "Bo Chen"}
    assert merge_speaker({"name": "B. Chen", "aliases": ["Chen B."]}, merged) == merged
    assert merge_speaker(merged, {"name": "B. Chen", "aliases": []}) == merged


def test_a_page_keeps_the_earlier_time_it_was_recorded():
    one, other = _page("https://example.com/a"), _page("https://example.com/a")
    other["recorded_at"], other["title"] = "2023-05-01T00:00:00Z", "A title"
    assert merge_source(one, other)["recorded_at"] == "2023-05-01T00:00:00Z"
    assert merge_source(one, other) == merge_source(other, one)


def test_the_driver_merges_into_ours_and_refuses_what_is_not_a_record(tmp_path):
    mine, theirs = tmp_path / "a", tmp_path / "b"
    mine.write_text(layout.dumps(_apply(_base(), ("note", 1, 5))))
    verdict = _apply(_base(), ("verdict", 2, 9))
    theirs.write_text(layout.dumps(verdict))
    assert merge_files(mine, theirs, layout.claim_path(UUID))
    merged = json.loads(mine.read_text())
    assert merged["note"] == "note 1" and merged["verdict"] == verdict["verdict"] != "unverified"
    (tmp_path / "c").write_text("<<<<<<< not json")
    assert not merge_files(tmp_path / "c", theirs, layout.claim_path(UUID))
    assert not merge_files(mine, theirs, "README.md")


def _git(cwd, *args):
    env = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "T",
           "GIT_COMMITTER_EMAIL": "t@example.com"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)


def test_git_runs_the_driver_and_leaves_no_conflict_markers(tmp_path):
    """Two branches change one claim file (same lines): git's merge calls claimtrack's driver."""
    repo = tmp_path / "r"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "merge.claimtrack.driver", f"{sys.executable} -m claimtrack sync merge-driver %O %A %B %P")
    (repo / ".gitattributes").write_text(layout.ATTRIBUTES)
    path = repo / layout.claim_path(UUID)
    path.parent.mkdir(parents=True)
    path.write_text(layout.dumps(_base()))
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "base")
    _git(repo, "checkout", "-qb", "other")
    path.write_text(layout.dumps(_apply(_base(), ("note", 2, 30))))
    _git(repo, "commit", "-qam", "theirs")
    _git(repo, "checkout", "-q", "main")
    path.write_text(layout.dumps(_apply(_base(), ("note", 1, 5))))
    _git(repo, "commit", "-qam", "ours")
    done = _git(repo, "merge", "-q", "--no-edit", "other")
    assert done.returncode == 0, done.stderr
    text = path.read_text()
    assert "<<<<<<<" not in text
    merged = json.loads(text)
    assert merged["note"] == "note 2" and len([h for h in merged["history"] if h["field"] == "note"]) == 2
