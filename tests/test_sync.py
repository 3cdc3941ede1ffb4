"""claimtrack sync: three databases and a bare repository on one machine, real git, no network."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimtrack.sync import layout
from tests.conftest import fails, file_hash, invoke, ok


@contextlib.contextmanager
def user(name: str):
    """Commands run as NAME (CLAIMTRACK_USER)."""
    before = os.environ.get("CLAIMTRACK_USER")
    os.environ["CLAIMTRACK_USER"] = name
    try:
        yield
    finally:
        if before is None:
            del os.environ["CLAIMTRACK_USER"]
        else:
            os.environ["CLAIMTRACK_USER"] = before


class Member:
    """One person of the desk: a database in FOLDER, its working copy beside it."""

    def __init__(self, folder: Path, name: str):
        self.name = name
        self.db = folder / f"{name.lower()}.db"
        self.copy = folder / f"{name.lower()}-sync"

    def ok(self, *args: str):
        with user(self.name):
            return ok("--db", str(self.db), *args)

    def invoke(self, *args: str):
        with user(self.name):
            return invoke("--db", str(self.db), *args)

    def fails(self, *args: str, code: int = 1):
        with user(self.name):
            return fails("--db", str(self.db), *args, code=code)

    def add(self, text: str, speaker: str, *options: str) -> int:
        return int(self.ok("add", "--speaker", speaker, *options, "--", text).stdout.strip())

    def export(self) -> str:
        return self.ok("export", "--format", "jsonl").stdout

    def claims(self) -> list[dict]:
        return json.loads(self.ok("list", "--json").stdout)

    def id_of(self, text: str) -> str:
        """The id this database gives the claim TEXT (ids are each database's own; uuids are shared)."""
        return str(next(c["id"] for c in self.claims() if c["text"] == text))

    def texts(self) -> set[str]:
        return {c["text"] for c in self.claims()}


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """git as a person working by hand (never this machine's settings)."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "Hand", "GIT_AUTHOR_EMAIL": "h@example.com",
           "GIT_COMMITTER_NAME": "Hand", "GIT_COMMITTER_EMAIL": "h@example.com"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)


def desk(folder: Path, *names: str) -> tuple[Path, list[Member]]:
    """A bare repository and a member for each of NAMES, the first with two claims, all linked and synced."""
    remote = folder / "desk.git"
    members = [Member(folder, name) for name in names]
    # Dated, so that every member lists them in the same order: between claims with no date, list falls back
    # on each database's own ids, and a new member numbers what it reads in by file, not by time recorded.
    members[0].add("The river is clean", "Ann Lee", "--said", "2024-01-10")
    members[0].add("Exports doubled", "Bo Chen", "--source", "https://example.com/exports", "--said", "2024-02-01")
    for member in members:
        member.ok("sync", "--init", str(remote))
    return remote, members


def test_init_sets_up_an_empty_repository_and_commits_under_the_authors_name(tmp_path):
    remote, (ann,) = desk(tmp_path, "Ann")
    files = git(ann.copy, "ls-files").stdout.split()
    assert ".gitattributes" in files and "README.md" in files
    claims = [f for f in files if f.startswith("claims/")]
    assert len(claims) == 2 and all(len(f.split("/")) == 4 for f in claims)
    assert len([f for f in files if f.startswith("speakers/")]) == 2
    assert len([f for f in files if f.startswith("sources/")]) == 1
    log = git(remote, "log", "--format=%an|%s", "--all").stdout.splitlines()
    assert "Ann|2 claims added, 2 speakers, 1 page" in log
    record = json.loads((ann.copy / claims[0]).read_text())
    assert record["speaker"] == {"name": record["speaker"]["name"]}  # aliases live in the speaker's file
    assert (ann.copy / claims[0]).read_text().count("\n") > 20  # one field a line: diffs show the field
    assert "merge=claimtrack" in (ann.copy / ".gitattributes").read_text()
    assert "claimtrack sync merge-driver" in git(ann.copy, "config", "merge.claimtrack.driver").stdout


def test_a_new_member_reads_the_record_in_and_every_change_carries_its_author(tmp_path):
    _, (ann, bea) = desk(tmp_path, "Ann", "Bea")
    assert [c["text"] for c in bea.claims()] == [c["text"] for c in ann.claims()]
    bea.ok("verdict", bea.id_of("The river is clean"), "refuted")
    bea.ok("sync")
    ann.ok("sync")
    shown = ann.ok("show", "1").stdout
    assert "by Ann" in shown and "refuted (by Bea)" in shown
    history = json.loads(ann.ok("show", "1", "--json").stdout)["history"]
    assert [h["author"] for h in history] == ["Ann", "Bea"]
    exported = [json.loads(line) for line in ann.export().splitlines()]
    assert {h.get("author") for r in exported for h in r["history"]} == {"Ann", "Bea"}
    assert [c["id"] for c in json.loads(ann.ok("list", "--changed-by", "Bea", "--json").stdout)] == [1]
    assert len(json.loads(ann.ok("list", "--changed-by", "Ann", "--json").stdout)) == 2
    assert ann.ok("list", "--changed-by", "Cy", "--json").stdout.strip() == "[]"
    assert len(json.loads(ann.ok("list", "--changed-since", "2000-01-01", "--json").stdout)) == 2
    assert json.loads(ann.ok("list", "--changed-since", "2999-01-01", "--json").stdout) == []
    assert ann.export() == bea.export()


def test_a_commit_message_sums_up_the_change(tmp_path):
    remote, (ann,) = desk(tmp_path, "Ann")
    ann.add("Third claim", "Ann Lee")
    ann.ok("verdict", "1", "refuted")
    ann.ok("evidence", "add", "2", "--url", "https://example.com/e", "--stance", "refutes")
    ann.ok("sync")
    assert git(remote, "log", "-1", "--format=%an|%s").stdout.strip() == \
        "Ann|1 claim added, 1 verdict, 1 evidence, 1 page"


def test_conflicting_edits_of_one_field_resolve_to_the_later_change_everywhere(tmp_path):
    _, (ann, bea, cy) = desk(tmp_path, "Ann", "Bea", "Cy")
    ann.ok("edit", "1", "--note", "first")
    # (times are kept to the second: the later edit is a second later)
    time.sleep(1.1)
    bea.ok("edit", bea.id_of("The river is clean"), "--note", "second")
    for member in (bea, ann, cy, bea):
        member.ok("sync")
    notes = {json.loads(m.ok("show", m.id_of("The river is clean"), "--json").stdout)["note"] for m in (ann, bea, cy)}
    assert notes == {"second"}
    assert ann.export() == bea.export() == cy.export()


def test_deletes_and_restores_travel(tmp_path):
    _, (ann, bea) = desk(tmp_path, "Ann", "Bea")
    river = bea.id_of("The river is clean")
    ann.ok("delete", "1", "--yes")
    ann.ok("sync")
    bea.ok("sync")
    assert bea.texts() == {"Exports doubled"}
    assert "The river is clean" in bea.ok("trash").stdout
    bea.ok("restore", river)
    bea.ok("sync")
    ann.ok("sync")
    assert ann.texts() == {"The river is clean", "Exports doubled"}
    assert ann.export() == bea.export()


def test_a_speaker_merged_on_one_side_takes_the_claims_added_under_the_duplicate_on_the_other(tmp_path):
    _, (ann, bea) = desk(tmp_path, "Ann", "Bea")
    ann.add("Chen's first", "B. Chen")
    ann.ok("sync")
    bea.ok("sync")
    ann.ok("speakers", "merge", "B. Chen", "Bo Chen")
    bea.add("Chen's second", "B. Chen")
    for member in (ann, bea, ann, bea):
        member.ok("sync")
    for member in (ann, bea):
        speakers = {c["text"]: c["speaker"] for c in member.claims()}
        assert speakers["Chen's first"] == speakers["Chen's second"] == "Bo Chen"
    assert ann.export() == bea.export()


def test_aliases_travel_in_the_speakers_file(tmp_path):
    _, (ann, bea) = desk(tmp_path, "Ann", "Bea")
    ann.ok("speakers", "alias", "Ann Lee", "A. Lee")
    ann.ok("sync")
    bea.ok("sync")
    assert bea.ok("list", "--speaker", "A. Lee", "--json").stdout.count('"id"') == 1
    assert ann.export() == bea.export()


def test_a_rejected_push_is_fetched_merged_and_pushed_again(tmp_path):
    remote, (ann, bea, cy) = desk(tmp_path, "Ann", "Bea", "Cy")
    cy.add("Cy's claim", "Cy Diaz")
    bea.ok("verdict", bea.id_of("Exports doubled"), "supported")
    # Cy pushes while Bea is pushing: Bea's working copy runs Cy's sync just before its push goes out.
    hook = bea.copy / ".git" / "hooks" / "pre-push"
    hook.write_text(
        "#!/bin/sh\nunset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE\n"
        f"if [ ! -e '{tmp_path}/pushed' ]; then touch '{tmp_path}/pushed'; "
        f"CLAIMTRACK_USER=Cy '{sys.executable}' -m claimtrack --db '{cy.db}' sync >/dev/null 2>&1 || exit 0; fi\n"
    )
    hook.chmod(0o755)
    result = bea.ok("sync")
    assert (tmp_path / "pushed").exists()
    assert "Pushed" in result.stdout
    log = git(remote, "log", "--format=%an|%s").stdout
    assert "Cy|1 claim added, 1 speaker" in log and "Bea|1 verdict" in log
    assert "Cy's claim" in bea.texts()
    for member in (ann, cy):
        member.ok("sync")
    assert ann.export() == bea.export() == cy.export()


def test_a_conflict_left_by_hand_is_reported_and_nothing_is_imported(tmp_path):
    _, (ann, bea) = desk(tmp_path, "Ann", "Bea")
    bea.add("Bea's claim", "Bea Lind")
    bea.ok("sync")
    # By hand, a merge of two versions of the README that conflict, left unfinished.
    git(ann.copy, "checkout", "-qb", "side")
    (ann.copy / "README.md").write_text("side\n")
    git(ann.copy, "commit", "-qam", "side")
    git(ann.copy, "checkout", "-q", "-")
    (ann.copy / "README.md").write_text("main\n")
    git(ann.copy, "commit", "-qam", "main")
    assert git(ann.copy, "merge", "side").returncode != 0
    before = file_hash(ann.db)
    result = ann.fails("sync")
    assert "merge was left unfinished" in result.stderr and "Nothing was imported" in result.stderr
    assert file_hash(ann.db) == before
    assert "Bea's claim" not in ann.texts()
    ann.fails("sync", "--status")


def test_a_detached_head_is_reported_and_nothing_is_imported(tmp_path):
    _, (ann, bea) = desk(tmp_path, "Ann", "Bea")
    bea.add("Bea's claim", "Bea Lind")
    bea.ok("sync")
    git(ann.copy, "checkout", "-q", "--detach")
    before = file_hash(ann.db)
    result = ann.fails("sync")
    assert "HEAD is detached" in result.stderr and "Nothing was imported" in result.stderr
    assert file_hash(ann.db) == before


def test_offline_the_local_commit_is_kept_and_goes_with_the_next_sync(tmp_path):
    remote, (ann, bea) = desk(tmp_path, "Ann", "Bea")
    away = tmp_path / "away.git"
    remote.rename(away)  # the shared drive is not mounted
    ann.ok("verdict", "1", "refuted")
    result = ann.ok("sync")
    assert "could not reach" in result.stderr and "committed" in result.stderr
    assert git(ann.copy, "log", "-1", "--format=%an|%s").stdout.strip() == "Ann|1 verdict"
    assert ann.ok("sync", "--status").stdout.count("1 commit not pushed") == 1
    away.rename(remote)
    assert "Pushed" in ann.ok("sync").stdout
    bea.ok("sync")
    assert json.loads(bea.ok("show", bea.id_of("The river is clean"), "--json").stdout)["verdict"] == "refuted"


def test_status_and_dry_run_say_what_waits_and_change_nothing(tmp_path):
    _, (ann, bea) = desk(tmp_path, "Ann", "Bea")
    ann.ok("verdict", "1", "refuted")
    bea.add("Bea's claim", "Bea Lind")
    bea.ok("sync")
    before = file_hash(ann.db)
    head = git(ann.copy, "rev-parse", "HEAD").stdout
    status = ann.ok("sync", "--status").stdout
    assert "1 claim and 0 speakers changed since the last sync" in status
    assert "1 commit to merge, touching 1 claim" in status
    dry = ann.ok("sync", "--dry-run").stdout
    assert "write and commit 1 verdict (1 file)" in dry and "merge 1 commit" in dry and "Nothing was changed" in dry
    assert file_hash(ann.db) == before and git(ann.copy, "rev-parse", "HEAD").stdout == head


def test_mistakes_are_plain_errors(tmp_path):
    ann = Member(tmp_path, "Ann")
    ann.add("x", "Ann Lee")
    assert "not linked" in ann.fails("sync").stderr
    assert "not linked" in ann.fails("sync", "--status").stderr
    ann.fails("sync", "--path", str(tmp_path / "x"), code=2)
    ann.fails("sync", "--init", str(tmp_path / "r.git"), "--status", code=2)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    before = file_hash(ann.db)
    assert "not an empty folder" in ann.fails("sync", "--init", str(tmp_path / "r.git"), "--path",
                                              str(tmp_path / "full")).stderr
    assert file_hash(ann.db) == before
    assert "Could not clone" in ann.fails("sync", "--init", "file:///nonexistent/desk.git").stderr
    ann.ok("sync", "--init", str(tmp_path / "r.git"))
    assert "already linked" in ann.fails("sync", "--init", str(tmp_path / "other.git")).stderr
    shutil.rmtree(ann.copy)
    assert "working copy" in ann.fails("sync").stderr


# -- many changes on three machines, synced in any order ---------------------------------------------

SPEAKERS = ["Ann Lee", "Bo Chen", "B. Chen"]
OPERATIONS = st.one_of(
    st.tuples(st.just("add"), st.integers(0, 2), st.integers(0, 999)),
    st.tuples(st.just("note"), st.integers(1, 6), st.integers(0, 9)),
    st.tuples(st.just("verdict"), st.integers(1, 6), st.sampled_from(["supported", "refuted", "mixed"])),
    st.tuples(st.just("evidence"), st.integers(1, 6), st.integers(0, 3)),
    st.tuples(st.just("delete"), st.integers(1, 6), st.just(0)),
    st.tuples(st.just("restore"), st.integers(1, 6), st.just(0)),
    st.tuples(st.just("alias"), st.integers(0, 1), st.integers(0, 2)),
    st.tuples(st.just("merge"), st.just(0), st.just(0)),
    st.tuples(st.just("sync"), st.just(0), st.just(0)),
)


def _operate(member: Member, operation: tuple) -> None:
    """Do OPERATION on MEMBER's database; one that does not apply (no such claim) is refused and changes nothing."""
    what, a, b = operation
    if what == "add":
        member.invoke("add", "--speaker", SPEAKERS[a], "--", f"{member.name} says {b}")
    elif what == "note":
        member.invoke("edit", str(a), "--note", f"note {b} by {member.name}")
    elif what == "verdict":
        member.invoke("verdict", str(a), b)
    elif what == "evidence":
        member.invoke("evidence", "add", str(a), "--url", f"https://example.com/{b}", "--stance", "refutes")
    elif what == "delete":
        member.invoke("delete", str(a), "--yes")
    elif what == "restore":
        member.invoke("restore", str(a))
    elif what == "alias":
        member.invoke("speakers", "alias", SPEAKERS[a], f"{SPEAKERS[a].split()[0]} {['X', 'Y', 'Z'][b]}.")
    elif what == "merge":
        # Duplicates are merged into the name the desk keeps (merging both ways at once needs a person).
        member.invoke("speakers", "merge", "B. Chen", "Bo Chen")
    elif what == "sync":
        member.ok("sync")


@settings(max_examples=int(os.environ.get("SYNC_EXAMPLES", "6")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 2), OPERATIONS), min_size=1, max_size=14),
       st.permutations([0, 1, 2]))
def test_random_changes_on_three_databases_converge_to_identical_exports(tmp_path, steps, order):
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    _, members = desk(folder, "Ann", "Bea", "Cy")
    members[0].add("A third claim", "B. Chen")
    members[0].ok("sync")
    for index, operation in steps:
        _operate(members[index], operation)
    # Everyone syncs, in some order, until each has seen all the others' changes.
    for _ in range(3):
        for index in order:
            members[index].ok("sync")
    exports = [member.export() for member in members]
    assert exports[0] == exports[1] == exports[2]
    # No change one side made is lost: every claim anyone added is there (or in the trash).
    added = {f"{m.name} says {b}" for i, (what, _, b) in steps if what == "add" for m in [members[i]]}
    present = {json.loads(line)["text"] for line in exports[0].splitlines()}
    trashed = members[0].ok("trash", "--json").stdout
    assert all(text in present or text in trashed for text in added)
