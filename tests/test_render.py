"""What claimtrack prints: stored text is shown, never executed; output survives any encoding and any width."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from conftest import add, fails, ok
from test_terminal import in_terminal

# What a web page or an imported file can smuggle into stored text, each between ordinary words.
SEQUENCES = {
    "hyperlink": "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "clipboard": "\x1b]52;c;ZXZpbA==\x07",
    "title": "\x1b]0;pwned\x07\x1b]2;owned\x1b\\",
    "csi": "\x1b[2J\x1b[31mred\x1b[0m",
    "c1": "\x9b31m\x9d0;c1 title\x9c",
    "bell": "\x07",
    "overwrite": "fake\x08\x08\x08\x08real\rstart",
    "delete": "\x7f",
    "bidi": "\u202egnirts\u202c",
    "other": "\x01\x0b\x0c\x1f\x85",
}
TEXT = "cold " + " middle ".join(SEQUENCES.values()) + " water"
# Anything a terminal would act on. Tab and newline are checked separately, per output.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SGR = re.compile(r"\x1b\[[0-9;]*m")


def hostile(field: str) -> str:
    return f"{field} {TEXT}\tafter tab\nnext line"


def build_hostile_desk() -> None:
    """A claim, a speaker, evidence and a verdict with control sequences in every text a user can give."""
    add(hostile("quote"), hostile("speaker"), "--role", hostile("role"), "--source", "https://example.com/a",
        "--outlet", hostile("outlet"), "--title", hostile("title"), "--tag", "sora\x1b[31m", "--context",
        hostile("context"), "--note", hostile("note"))
    add("a plain second quote", "Zhou Hongyi")
    ok("speakers", "alias", "Zhou Hongyi", hostile("alias"))
    ok("evidence", "add", "1", "--url", "https://example.com/e", "--stance", "refutes", "--outlet", hostile("ev outlet"),
       "--title", hostile("ev title"), "--note", hostile("ev note"), "--quote", hostile("ev quote"))
    ok("verdict", "1", "refuted", "--evidence", "1", "--note", hostile("verdict note"))


# Every pipe output that prints records: the command, and how many tab-separated fields a record has.
PIPE_COMMANDS = [
    (("list",), 9),
    (("search", "cold"), 4),
    (("speakers",), 8),  # the kind last
    (("evidence", "list"), 6),
]


def test_text_is_stored_exactly_and_json_shows_it_exactly():
    build_hostile_desk()
    claim = json.loads(ok("show", "1", "--json").stdout)
    assert claim["text"] == hostile("quote") and claim["note"] == hostile("note")
    raw = ok("show", "1", "--json").stdout
    # C1 controls, DEL and bidi overrides travel as JSON escapes: the same value, no raw byte a terminal obeys.
    assert not CONTROL.search(raw), CONTROL.findall(raw)
    for command, _ in PIPE_COMMANDS:
        raw = ok(*command, "--json").stdout
        assert not CONTROL.search(raw), (command, CONTROL.findall(raw))
        json.loads(raw)


@pytest.mark.parametrize("command, fields", PIPE_COMMANDS)
def test_a_pipe_gets_one_harmless_line_per_record(command, fields):
    build_hostile_desk()
    out = ok(*command).stdout
    assert not CONTROL.search(out), CONTROL.findall(out)
    records = len(json.loads(ok(*command, "--json").stdout))
    lines = out.splitlines()
    assert len(lines) == records and records >= 1
    assert all(len(line.split("\t")) == fields for line in lines), lines
    assert "\\x1b" in out  # shown, not dropped


def test_show_in_a_pipe_shows_every_field_without_a_control_sequence():
    build_hostile_desk()
    out = ok("show", "1").stdout
    assert not CONTROL.search(out), CONTROL.findall(out)
    for field in ("quote", "speaker", "role", "outlet", "title", "context", "note", "ev outlet", "verdict note"):
        assert f"{field} cold" in out
    assert out.count("\\x1b]8;;http://evil.example") >= 5 and "\\u202e" in out and "\\x9b31m" in out


@pytest.mark.parametrize("command", [("list",), ("search", "cold"), ("show", "1"), ("speakers",),
                                     ("evidence", "list")])
def test_a_terminal_gets_tables_without_a_control_sequence(command):
    build_hostile_desk()
    code, out = in_terminal(*command, env={"NO_COLOR": "", "COLUMNS": "300"})
    assert code == 0, out
    assert "\x1b[" in out  # rich's own styles are there, so the terminal really was one
    shown = SGR.sub("", out).replace("\r\n", "\n")
    assert not CONTROL.search(shown), CONTROL.findall(shown)
    assert "\\x1b]8;;http://evil.example" in shown


def run(*args: str, encoding: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    return subprocess.run([sys.executable, "-m", "claimtrack", *args], capture_output=True, env=env)


WORLD = "周鸿祎 said “a barrel of cold water” 😀 at the café"


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
@pytest.mark.parametrize("command", [("list",), ("show", "1"), ("search", "barrel"), ("speakers",),
                                     ("evidence", "list"), ("report",), ("export", "--format", "csv"),
                                     ("list", "--json"), ("export", "--format", "jsonl")])
def test_an_output_that_cannot_show_the_text_gets_it_escaped(command, encoding):
    add(WORLD, "周鸿祎", "--role", "café “boss” 😀", "--outlet", "“Curly” 😀", "--source", "https://example.com/a")
    ok("evidence", "add", "1", "--url", "https://example.com/e", "--stance", "refutes", "--outlet", "Café “Ouest” 😀")
    result = run(*command, encoding=encoding)
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr.decode(errors="replace")
    out = result.stdout.decode(encoding)
    # What the encoding cannot show becomes its escape (a JSON one, so JSON stays JSON); the rest goes out as is.
    assert "\\u201c" in out and "\\ud83d\\ude00" in out
    assert ("café" if encoding == "latin-1" else "caf\\u00e9") in out.replace("Caf", "caf")
    if command in (("list", "--json"), ("export", "--format", "jsonl")):
        record = json.loads(out.splitlines()[0] if command[0] == "export" else out)
        record = record if command[0] == "export" else record[0]
        assert record["text"] == WORLD


@pytest.mark.parametrize("columns", ["10", "0", "25", "45"])
@pytest.mark.parametrize("command", [("list",), ("search", "weapons"), ("show", "1")])
def test_a_narrow_terminal_still_shows_every_word(command, columns):
    words = "supplying weapons for the ongoing AI war against Tuesday's unbelievable competitors"
    add(words, "Meta's chief scientist", "--said", "December 2023", "--tag", "nvidia")
    code, out = in_terminal(*command, env={"COLUMNS": columns})
    assert code == 0, out
    shown = SGR.sub("", out)
    for word in words.split():
        assert word in shown, (word, shown)


def test_messages_and_warnings_that_repeat_stored_or_given_text_show_it_harmlessly():
    hostile = "Zhou\x1b]0;owned\x07 Hongyi"
    result = fails("list", "--speaker", hostile)  # no database yet: nothing matches
    ok("add", "--speaker", "Zhou Hongyi", "--said", "February 2024", "--", "cold water")
    result = fails("list", "--speaker", hostile)
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\\x1b" in result.stderr
    result = ok("add", "--speaker", "Zhou Hongyi", "--said", "3000", "--", "cold \x1b[2Jwater")
    assert "\x1b" not in result.stderr
