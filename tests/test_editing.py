"""`claimtrack edit ID` in an editor: a real pseudo-terminal, and a small script as $VISUAL/$EDITOR."""

from __future__ import annotations

import json
import re
import shlex
import sys
from pathlib import Path

import pytest

from conftest import add, fails, file_hash, ok
from test_terminal import in_terminal

# The editor: each run takes the next step of a plan (what to replace, whether to save, its exit status),
# and keeps a copy of the form it was given.
EDITOR = r'''
import json, subprocess, sys
plan, form = sys.argv[1], sys.argv[-1]
with open(plan, encoding="utf-8") as handle:
    steps = json.load(handle)
step = steps.pop(0)
with open(plan, "w", encoding="utf-8") as handle:
    json.dump(steps, handle)
with open(form, encoding="utf-8", newline="") as handle:
    text = handle.read()
with open(plan + ".seen", "a", encoding="utf-8") as handle:
    handle.write(json.dumps({"form": text, "args": sys.argv[2:-1]}) + "\n")
for old, new in step.get("replace", []):
    if old not in text:
        sys.exit(f"editor script: {old!r} is not in the form")
    text = text.replace(old, new, 1)
if "text" in step:
    text = text.split("\ntext:\n")[0] + "\ntext:\n" + step["text"] + "\n"
if step.get("run"):
    subprocess.run(step["run"], check=True)
if step.get("save", True):
    with open(form, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
sys.exit(step.get("exit", 0))
'''


@pytest.fixture(autouse=True)
def no_editor_of_the_users(monkeypatch):
    """The person running the tests may have an editor set; no test must open it."""
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)


def editor(tmp_path: Path, *steps: dict, arguments: str = "") -> tuple[str, Path]:
    """The command line of an editor that takes STEPS, one a run; and the file that records what it saw."""
    script = tmp_path / "editor.py"
    script.write_text(EDITOR, encoding="utf-8")
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(list(steps)), encoding="utf-8")
    command = f"{shlex.quote(sys.executable)} {shlex.quote(str(script))} {shlex.quote(str(plan))} {arguments}"
    return command.strip(), Path(str(plan) + ".seen")


def seen(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []


def claim(claim_id: int = 1) -> dict:
    return json.loads(ok("show", str(claim_id), "--json").stdout)


def a_claim() -> int:
    return add("a barrel of cold water", "Zhou Hongyi", "--said", "February 2024", "--tag", "sora", "--tag", "misc",
               "--role", "founder of 360", "--note", "From the Weibo post.", "--source", "https://example.com/a")


def test_edit_opens_the_form_and_applies_every_change_as_one_edit(tmp_path, db_path):
    a_claim()
    export_before = ok("export", "--format", "json").stdout
    new_text = "# Not a heading\nkind: claim\n\na barrel of “cold water”\n  poured down China's head"
    command, log = editor(tmp_path, {
        "replace": [("said: February 2024", "said: 19 February 2024"), ("tags: misc, sora", "tags: sora, NVIDIA"),
                    ("note: From the Weibo post.", "note:"), ("kind: quote", "kind: claim"),
                    ("role: founder of 360", "role: founder of 360\n and its chairman")],
        "text": new_text,
    })
    code, out = in_terminal("edit", "1", env={"VISUAL": command})
    assert code == 0 and "Updated claim 1." in out, out
    form = seen(log)[0]["form"]
    assert form.startswith("# ") and "\nspeaker: Zhou Hongyi\n" in form and form.endswith("\ntext:\na barrel of cold water\n")
    got = claim()
    assert got["text"] == new_text and got["kind"] == "claim" and got["note"] is None
    assert (got["said_on"], got["tags"], got["role"]) == ("2024-02-19", ["nvidia", "sora"], "founder of 360\nand its chairman")
    assert {"text", "kind", "said_on", "tags", "note", "role"} <= {h["field"] for h in got["history"]}
    # One edit: one undo takes all of it back.
    ok("undo", "--yes")
    assert ok("export", "--format", "json").stdout == export_before


def test_visual_wins_over_editor_which_is_split_as_a_shell_would(tmp_path):
    a_claim()
    command, log = editor(tmp_path, {"replace": [("outlet:", "outlet: South China Morning Post")]},
                          arguments="--wait 'two words'")
    code, out = in_terminal("edit", "1", env={"EDITOR": command})
    assert code == 0, out
    assert seen(log)[0]["args"] == ["--wait", "two words"]
    assert claim()["outlet"] == "South China Morning Post"
    command, log = editor(tmp_path, {"replace": [("outlet: South China Morning Post", "outlet: SCMP")]})
    code, out = in_terminal("edit", "1", env={"VISUAL": command, "EDITOR": "false"})
    assert code == 0 and claim()["outlet"] == "SCMP", out


@pytest.mark.parametrize("step, code, words", [
    ({}, 0, "saved as it was"),
    ({"save": False}, 0, "saved as it was"),
    ({"replace": [("tags: misc, sora", "tags: SORA,  misc")]}, 0, "the values it has"),
    ({"replace": [("said: February 2024", "said: 2020")], "exit": 1}, 1, "exited with status 1"),
])
def test_a_form_saved_unchanged_or_an_editor_that_fails_changes_nothing(tmp_path, db_path, step, code, words):
    a_claim()
    before = file_hash(db_path)
    command, _ = editor(tmp_path, step)
    status, out = in_terminal("edit", "1", env={"VISUAL": command})
    assert status == code and words in out and "Nothing changed" in out and "Traceback" not in out, out
    assert file_hash(db_path) == before


def test_a_form_that_cannot_be_applied_opens_again_with_the_error_and_the_edits_kept(tmp_path):
    a_claim()
    command, log = editor(
        tmp_path,
        {"replace": [("said: February 2024", "said: 31 February 2024"), ("outlet:", "outlet: SCMP")]},
        {"replace": [("said: 31 February 2024", "said: 29 February 2024")]},
    )
    code, out = in_terminal("edit", "1", env={"VISUAL": command})
    assert code == 0 and "Updated claim 1." in out, out
    second = seen(log)[1]["form"]
    assert second.startswith("# Error: ") and "31 February 2024" in second.split("\n")[0]
    assert "outlet: SCMP" in second  # what was typed is still there
    assert (claim()["said_on"], claim()["outlet"]) == ("2024-02-29", "SCMP")


def test_giving_up_after_an_error_changes_nothing_and_keeps_the_form_in_a_file(tmp_path, db_path):
    a_claim()
    before = file_hash(db_path)
    command, log = editor(tmp_path, {"replace": [("speaker: Zhou Hongyi", "speaker: Zhou Hongyi\nverdict: refuted"),
                                                 ("note: From the Weibo post.", "note: my long reasoning")]}, {})
    code, out = in_terminal("edit", "1", env={"VISUAL": command})
    assert code == 1 and "Nothing changed" in out and "Traceback" not in out, out
    assert "'verdict' is not a field" in seen(log)[1]["form"]
    kept = Path(re.search(r"kept in (\S+\.txt)", out.replace("\n", "")).group(1))
    assert "note: my long reasoning" in kept.read_text(encoding="utf-8")
    assert file_hash(db_path) == before
    kept.unlink()


def test_a_change_made_while_the_editor_was_open_is_not_overwritten(tmp_path, db_path):
    a_claim()
    other = [sys.executable, "-m", "claimtrack", "edit", "1", "--role", "chairman of 360"]
    command, _ = editor(tmp_path, {"replace": [("role: founder of 360", "role: CEO of 360")], "run": other})
    code, out = in_terminal("edit", "1", env={"VISUAL": command})
    assert code == 1 and "was changed while you were editing it (role)" in out, out
    assert claim()["role"] == "chairman of 360"
    kept = Path(re.search(r"kept in (\S+\.txt)", out.replace("\n", "")).group(1))
    assert "role: CEO of 360" in kept.read_text(encoding="utf-8")
    kept.unlink()
    # A change of another field meanwhile is no clash: both land.
    other = [sys.executable, "-m", "claimtrack", "edit", "1", "--note", "theirs"]
    command, _ = editor(tmp_path, {"replace": [("outlet:", "outlet: mine")], "run": other})
    code, out = in_terminal("edit", "1", env={"VISUAL": command})
    assert code == 0, out
    assert (claim()["note"], claim()["outlet"]) == ("theirs", "mine")


def test_without_a_terminal_and_without_options_edit_says_to_give_options(db_path, monkeypatch):
    a_claim()
    monkeypatch.setenv("VISUAL", "false")
    before = file_hash(db_path)
    result = fails("edit", "1")
    assert "give the changes as options" in result.stderr and "terminal" in result.stderr
    assert file_hash(db_path) == before


def test_without_an_editor_set_or_installed_edit_says_what_to_set(db_path):
    a_claim()
    before = file_hash(db_path)
    code, out = in_terminal("edit", "1")
    assert code == 1 and "Set $VISUAL or $EDITOR" in out and "Traceback" not in out, out
    code, out = in_terminal("edit", "1", env={"EDITOR": "no-such-editor-claimtrack --wait"})
    assert code == 1 and "Cannot run the editor 'no-such-editor-claimtrack'" in out and "Traceback" not in out, out
    code, out = in_terminal("edit", "1", env={"EDITOR": "'unbalanced"})
    assert code == 1 and "Cannot read $EDITOR" in out, out
    assert file_hash(db_path) == before


def test_edit_of_a_claim_that_does_not_exist_opens_no_editor(tmp_path):
    a_claim()
    command, log = editor(tmp_path, {})
    code, out = in_terminal("edit", "9", env={"VISUAL": command})
    assert code == 1 and "no claim with id 9" in out and not log.exists(), out


def test_options_still_edit_without_an_editor(monkeypatch):
    a_claim()
    monkeypatch.setenv("VISUAL", "false")
    ok("edit", "1", "--untag", "misc", "--said", "March 2024")
    assert (claim()["tags"], claim()["said_on"]) == (["sora"], "2024-03")


# -- evidence edit: the page's title, outlet and date ------------------------------------------

def evidence_item(evidence_id: int) -> dict:
    return next(e for e in json.loads(ok("evidence", "list", "--json").stdout) if e["id"] == evidence_id)


def test_evidence_edit_corrects_the_title_outlet_and_date_of_its_page_as_one_change():
    add("H100 chips cannot be sold to China", "news report")
    ok("evidence", "add", "1", "--url", "https://example.com/bis", "--stance", "supports", "--title", "Rule",
       "--outlet", "BIS")
    before = ok("export", "--format", "json").stdout
    ok("evidence", "edit", "1", "--title", "Export controls rule", "--published", "17 Oct 2023", "--outlet", "",
       "--stance", "context")
    item = evidence_item(1)
    assert (item["title"], item["outlet"], item["published_on"], item["stance"]) == (
        "Export controls rule", None, "2023-10-17", "context")
    assert item["updated_at"] is not None
    rows = [(h["old"], h["new"]) for h in claim()["history"] if h["field"] == "evidence"]
    assert ("title: Rule", "title: Export controls rule") in rows and ("outlet: BIS", "outlet: None") in rows
    assert ("published_on: None", "published_on: 2023-10-17") in rows
    assert ("supports: https://example.com/bis", "context: https://example.com/bis") in rows
    ok("undo", "--yes")
    assert ok("export", "--format", "json").stdout == before


def test_a_page_other_claims_cite_is_corrected_for_them_too_each_with_the_correction_in_its_history():
    add("H100 chips cannot be sold to China", "news report")
    add("The rule covers the H20 too", "analyst", "--source", "https://example.com/bis", "--title", "Rle")
    ok("evidence", "add", "1", "--url", "https://example.com/bis", "--stance", "supports")
    ok("evidence", "edit", "1", "--title", "Rule")
    assert evidence_item(1)["title"] == "Rule" and claim(2)["title"] == "Rule"
    assert any(h["field"] == "title" and (h["old"], h["new"]) == ("Rle", "Rule") for h in claim(2)["history"])
    assert "cited by claim 2 too" in ok("undo", "--list").stdout


def test_evidence_edit_of_values_it_has_changes_nothing_and_a_bad_date_is_refused(db_path):
    add("H100 chips cannot be sold to China", "news report")
    ok("evidence", "add", "1", "--url", "https://example.com/bis", "--stance", "supports", "--title", "Rule",
       "--published", "2023-10-17")
    changes = ok("undo", "--list").stdout
    ok("evidence", "edit", "1", "--title", "Rule", "--published", "17 October 2023")
    assert ok("undo", "--list").stdout == changes and evidence_item(1)["updated_at"] is None
    before = file_hash(db_path)
    assert "not a real date" in fails("evidence", "edit", "1", "--published", "31 February 2023").stderr
    assert "--title, --outlet or --published" in fails("evidence", "edit", "1").stderr
    assert file_hash(db_path) == before


def test_line_breaks_of_every_kind_in_the_claim_come_back_as_they_were(tmp_path):
    add("first line\r\nsecond line\rthird", "Zhou Hongyi", "--note", "a note\r\nover two lines")
    command, _ = editor(tmp_path, {"replace": [("outlet:", "outlet: SCMP")]})
    code, out = in_terminal("edit", "1", env={"VISUAL": command})
    assert code == 0, out
    got = claim()
    assert (got["text"], got["note"], got["outlet"]) == ("first line\r\nsecond line\rthird", "a note\r\nover two lines",
                                                         "SCMP")
    assert [h["field"] for h in got["history"]][1:] == ["outlet"]


def test_a_form_saved_as_another_encoding_changes_nothing_and_is_kept(tmp_path, db_path):
    a_claim()
    before = file_hash(db_path)
    script = tmp_path / "latin1.py"
    script.write_text("import sys\nopen(sys.argv[1], 'ab').write(b'note: caf\\xe9\\n')\n", encoding="utf-8")
    code, out = in_terminal("edit", "1", env={"VISUAL": f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"})
    assert code == 1 and "not UTF-8" in out and "Traceback" not in out, out
    assert file_hash(db_path) == before
    Path(re.search(r"kept in (\S+\.txt)", out.replace("\n", "")).group(1)).unlink()
