"""The small slips of a working day: a new database made by mistake is noticed, a mistyped command or option
gets the closest one, fixed choices take any case, and counts read as English."""

from __future__ import annotations

import json

import pytest
import typer
from typer.core import _click

from conftest import add, fails, invoke, ok
from claimtrack.cli import app


# -- a new database says so ----------------------------------------------------------------------

def test_the_first_write_says_it_created_the_database_once(tmp_path, monkeypatch):
    monkeypatch.delenv("CLAIMTRACK_DB")
    first = ok("add", "cold water", "--speaker", "A")
    assert first.stderr == "Created claims.db.\n" and first.stdout == "1\n"
    assert (tmp_path / "claims.db").exists()
    assert ok("add", "warm water", "--speaker", "A").stderr == ""


def test_the_path_is_named_as_it_was_given(tmp_path):
    (tmp_path / "desk").mkdir()
    assert ok("--db", "desk/work.db", "add", "x", "--speaker", "A").stderr == "Created desk/work.db.\n"


def test_a_write_that_fails_on_a_new_file_creates_nothing_and_says_nothing_of_it(db_path):
    result = fails("verdict", "3", "refuted")
    assert "Created" not in result.stderr and not db_path.exists()


def test_a_dry_run_creates_nothing_and_says_nothing(tmp_path, db_path):
    (tmp_path / "in.csv").write_text("text,speaker\r\ncold water,A\r\n", encoding="utf-8")
    result = ok("import", str(tmp_path / "in.csv"), "--dry-run")
    assert "Created" not in result.stderr and not db_path.exists()


def test_an_import_into_a_new_file_says_so(tmp_path):
    (tmp_path / "in.csv").write_text("text,speaker\r\ncold water,A\r\n", encoding="utf-8")
    assert "Created" in ok("--db", "new.db", "import", str(tmp_path / "in.csv")).stderr


def test_a_read_of_a_missing_database_creates_nothing(db_path):
    fails("list")
    assert not db_path.exists()


# -- a mistyped command or option --------------------------------------------------------------

@pytest.mark.parametrize("args, suggestion", [
    (["lst"], "Did you mean list?"),
    (["ls"], "Did you mean list?"),
    (["serch", "x"], "Did you mean search?"),
    (["rm", "1"], "Did you mean delete?"),
    (["speakers", "renam", "a", "b"], "Did you mean rename?"),
    (["evidence", "ad", "1"], "Did you mean add?"),
])
def test_an_unknown_command_suggests_the_closest(args, suggestion):
    stderr = fails(*args, code=2).stderr
    mistyped = args[1] if args[0] in ("speakers", "evidence") else args[0]
    assert f"No such command '{mistyped}'. {suggestion}" in stderr, stderr


def test_a_command_like_nothing_known_suggests_nothing():
    stderr = fails("zzzzqqq", code=2).stderr
    assert "No such command 'zzzzqqq'." in stderr and "Did you mean" not in stderr


@pytest.mark.parametrize("args, suggestion", [
    (["add", "x", "--speaker", "A", "--date", "2024"], "Did you mean --said or --published?"),
    (["add", "x", "--speakr", "A"], "Did you mean --speaker?"),
    (["add", "x", "--author", "A"], "Did you mean --speaker?"),
    (["verdict", "1", "refuted", "--date", "2024"], "Did you mean --on?"),
    (["evidence", "add", "1", "--date", "2024"], "Did you mean --published?"),
    (["list", "--date", "2024"], "Did you mean --since, --until or --as-of?"),
    (["list", "--Speaker", "A"], "Did you mean --speaker?"),
    (["list", "--verdit", "refuted"], "Did you mean --verdict?"),
    (["--dbb", "x.db", "list"], "Did you mean --db?"),
])
def test_an_unknown_option_suggests_the_closest(args, suggestion):
    stderr = fails(*args, code=2).stderr
    assert suggestion in stderr, stderr
    assert "Possible options" not in stderr


def test_an_unknown_option_changes_nothing(db_path):
    add("cold water", "A")
    before = db_path.read_bytes()
    fails("verdict", "1", "refuted", "--date", "2024", code=2)
    assert db_path.read_bytes() == before


@pytest.mark.parametrize("args", [
    ["add", "cold", "water", "--speaker", "A"],
    ["search", "cold", "water"],
    ["show", "1", "2"],
])
def test_an_extra_argument_says_to_quote_a_value_of_several_words(args):
    stderr = fails(*args, code=2).stderr
    assert "unexpected extra argument" in stderr and "goes in quotes" in stderr


def test_a_value_in_quotes_is_one_argument():
    assert ok("add", "cold water", "--speaker", "Zhou Hongyi").stdout == "1\n"


# -- fixed choices in any case -----------------------------------------------------------------

def _choices():
    """Every option and argument with fixed choices, in every command."""
    root = typer.main.get_command(app)
    ctx = _click.core.Context(root)

    def walk(command, path):
        if hasattr(command, "list_commands"):
            for name in command.list_commands(ctx):
                yield from walk(command.get_command(ctx, name), [*path, name])
        for param in command.params:
            if hasattr(param.type, "choices"):
                yield " ".join(path), param

    return list(walk(root, []))


def test_there_are_fixed_choices_to_check():
    names = {(path, param.name) for path, param in _choices()}
    assert {("add", "kind"), ("evidence add", "stance"), ("verdict", "value"), ("export", "format"),
            ("speakers edit", "kind"), ("report", "group_by")} <= names


@pytest.mark.parametrize("path, param", _choices(), ids=lambda v: v if isinstance(v, str) else v.name)
def test_every_fixed_choice_accepts_any_case(path, param):
    assert param.type.case_sensitive is False, f"{path} {param.name}"
    for choice in param.type.choices:
        value = choice.value if hasattr(choice, "value") else choice
        assert param.type.convert(value.upper(), param, None) is not None


def test_choices_in_capitals_work_through_the_command_line():
    ok("add", "x", "--speaker", "A", "--kind", "CLAIM")
    ok("evidence", "add", "1", "--url", "https://example.com", "--stance", "Refutes")
    ok("verdict", "1", "REFUTED")
    ok("attribution", "1", "Disputed")
    ok("speakers", "edit", "A", "--kind", "Organisation")
    [claim] = json.loads(ok("list", "--verdict", "Refuted", "--kind", "claim", "--json").stdout)
    assert (claim["kind"], claim["verdict"], claim["attribution"]) == ("claim", "refuted", "disputed")
    assert ok("export", "--format", "JSONL").stdout.count("\n") == 1


# -- help and counts -----------------------------------------------------------------------------

@pytest.mark.parametrize("command", [["evidence", "add"], ["appearance", "add"]])
def test_help_of_a_command_without_said_does_not_mention_it(command):
    help_text = ok(*command, "--help").stdout
    assert "--said" not in help_text and "--published" in help_text


def test_add_help_still_says_relative_said_dates_count_from_published():
    assert "--said dates count from it" in " ".join(ok("add", "--help").stdout.split())


def test_one_claim_reads_in_the_singular(tmp_path):
    add("cold water", "A")
    path = tmp_path / "one.jsonl"
    ok("export", "--format", "jsonl", "--output", str(path))
    assert "Exported 1 item to" in invoke("export", "--format", "jsonl", "--output", str(tmp_path / "two.jsonl")).stderr
    assert "Imported 1 record (jsonl)" in ok("--db", "other.db", "import", str(path)).stdout
    assert "1 claim," in ok("report").stdout
    repaired = ok("check", "--repair")
    assert "(1 claim)" in repaired.stdout + repaired.stderr
    assert "1 claims" not in repaired.stdout + repaired.stderr
    ok("delete", "1", "--yes")
    assert "Deleted 1 claim for good" in ok("trash", "empty", "--yes").stdout
