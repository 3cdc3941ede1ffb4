"""Hostile input across every command: a clear message, no traceback, and the database byte for byte as it was."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from conftest import add, file_hash, invoke, ok

INJECTION = "'; DROP TABLE claims; --"
RTL = "\u202eZhou Hongyi\u202c"
ZERO_WIDTH = "Zhou\u200bHongyi"
HUGE = "x" * 1_000_000
BIG_ID = str(2**63)
NEGATIVE_ID = "-1"

# (arguments, expected exit code, words the message must contain). "{dir}" and "{file:NAME}" are filled in.
CASES = [
    # empty and blank values
    (["add", "", "--speaker", "A"], 1, "text is empty"),
    (["add", " \t\n ", "--speaker", "A"], 1, "text is empty"),
    (["add", "x", "--speaker", ""], 1, "speaker is empty"),
    (["add", "x", "--speaker", "\u200b\u200b"], 1, "not a speaker name"),
    (["add", "x", "--speaker", "A", "--tag", ""], 1, "tag is empty"),
    (["edit", "1", "--text", ""], 1, "text is empty"),
    (["edit", "1", "--speaker", "   "], 1, "speaker is empty"),
    (["search", ""], 1, "empty"),
    (["search", "   "], 1, "empty"),
    (["speakers", "alias", "Zhou Hongyi", ""], 1, "alias is empty"),
    # NUL bytes
    (["add", "x\x00y", "--speaker", "A"], 1, "NUL"),
    (["add", "x", "--speaker", "A\x00B"], 1, "NUL"),
    (["add", "x", "--speaker", "A", "--tag", "t\x00"], 1, "NUL"),
    (["add", "x", "--speaker", "A", "--note", "n\x00"], 1, "NUL"),
    (["search", "cold\x00water"], 1, "NUL"),
    # injection as speaker, tag and search query (reads: nothing to change)
    (["list", "--speaker", INJECTION], 1, "No speaker matches"),
    (["list", "--outlet", INJECTION], 0, ""),
    (["list", "--tag", INJECTION], 0, ""),
    (["search", INJECTION], 0, ""),
    (["search", '"; DROP TABLE claims; --'], 1, "search query"),
    (["speakers", "merge", INJECTION, "A"], 1, "No speaker matches"),
    (["evidence", "list", "1", "--stance", INJECTION], 2, "supports"),
    # FTS5 operators and unbalanced quotes
    (["search", '"unbalanced'], 1, "search query"),
    (["search", "cold AND"], 1, "search query"),
    (["search", "OR"], 1, "search query"),
    (["search", "NEAR(cold"], 1, "search query"),
    (["search", "(cold"], 1, "search query"),
    (["search", "nosuchcolumn:cold"], 1, "search query"),
    (["search", "*"], 1, "search query"),
    (["search", "^"], 1, "search query"),
    # dates
    (["add", "x", "--speaker", "A", "--said", "31 February 2024"], 1, "not a real date"),
    (["add", "x", "--speaker", "A", "--said", "2024-13-01"], 1, "no month 13"),
    (["add", "x", "--speaker", "A", "--said", "yesterday-ish"], 1, "'yesterday-ish'"),
    (["add", "x", "--speaker", "A", "--said", "0000-01-01"], 1, "not a year"),
    (["add", "x", "--speaker", "A", "--said", "99999"], 1, "Could not read"),
    (["add", "x", "--speaker", "A", "--said", "Monday", "--published", "2024"], 1, "exact publication date"),
    (["list", "--since", "2024-02-30"], 1, "not a real date"),
    (["list", "--as-of", "the day after never"], 1, "Could not read"),
    (["verdict", "1", "refuted", "--on", "31/31/2024"], 1, "not a real date"),
    # ids at the edges of SQLite's integer range, and below it
    (["show", BIG_ID], 2, "Invalid value"),
    (["show", NEGATIVE_ID], 2, ""),
    (["show", "0"], 2, "Invalid value"),
    (["show", str(2**63 - 1)], 1, "no claim with id"),
    (["edit", str(2**63 - 1), "--note", "x"], 1, "no claim with id"),
    (["delete", BIG_ID, "--yes"], 2, "Invalid value"),
    (["evidence", "remove", str(2**63 - 1), "--yes"], 1, "no evidence with id"),
    (["verdict", "1", "refuted", "--evidence", BIG_ID], 2, "Invalid value"),
    (["show", "1e3"], 2, "Invalid value"),
    # limits
    (["list", "--limit", "-5"], 2, "Invalid value"),
    (["list", "--limit", "0"], 2, "Invalid value"),
    (["search", "cold", "--limit", "-1"], 2, "Invalid value"),
    (["list", "--limit", BIG_ID], 2, "Invalid value"),
    # URLs
    (["add", "x", "--speaker", "A", "--source", "javascript:alert(1)"], 1, "http(s)"),
    (["add", "x", "--speaker", "A", "--source", "file:///etc/passwd"], 1, "http(s)"),
    (["add", "x", "--speaker", "A", "--source", "https://exa mple.com"], 1, "spaces"),
    (["evidence", "add", "1", "--url", "http://", "--stance", "refutes"], 1, "http(s)"),
    # paths: directories, /dev/null, files that are not SQLite
    (["--db", "{dir}", "list"], 1, "is a directory"),
    (["--db", "{dir}", "add", "x", "--speaker", "A"], 1, "is a directory"),
    (["--db", "/dev/null", "list"], 1, "not a regular file"),
    (["--db", "/dev/null", "add", "x", "--speaker", "A"], 1, "not a regular file"),
    (["--db", "{file:notes.txt}", "list"], 1, "not a SQLite database"),
    (["import", "{dir}"], 1, "not a file"),
    (["import", "/dev/null"], 1, "not a file"),
    (["export", "--format", "jsonl", "--output", "{dir}"], 1, "is a directory"),
    (["report", "--output", "/dev/null/x.md"], 1, "does not exist"),
    (["backup", "{dir}"], 1, "is a directory"),
    # import files: invalid UTF-8, lone surrogates, broken records
    (["import", "{file:latin1.jsonl}"], 1, "not UTF-8"),
    (["import", "{file:surrogate.jsonl}"], 1, "not UTF-8"),
    (["import", "{file:surrogate-escape.jsonl}"], 1, "line 1"),
    (["import", "{file:array.jsonl}"], 1, "got an array"),
    (["import", "{file:number.jsonl}"], 1, "got int"),
    (["import", "{file:nul.jsonl}"], 1, "NUL"),
    (["import", "{file:empty.jsonl}"], 1, "is empty"),
    (["import", "{file:blank.jsonl}"], 1, "holds no claims"),
    (["import", "{file:injection.csv}", "--format", "jsonl"], 1, "not valid JSON"),
    # right-to-left and zero-width characters in names: read, never confused with another speaker
    (["list", "--speaker", RTL], 0, ""),
    (["list", "--speaker", ZERO_WIDTH], 1, "No speaker matches"),
    (["speakers", "alias", "Zhou Hongyi", "zhou hongyi"], 0, ""),
    # a megabyte of text where a name or a query is expected
    (["list", "--speaker", HUGE], 1, "No speaker matches"),
    (["search", HUGE], 0, ""),
    (["list", "--tag", HUGE], 0, ""),
]

FILES = {
    "notes.txt": b"my notes, not a database\n" * 50,
    "latin1.jsonl": '{"text": "caf\u00e9", "speaker": "A"}\n'.encode("latin-1"),
    "surrogate.jsonl": b'{"text": "\xed\xa0\x80", "speaker": "A"}\n',
    "surrogate-escape.jsonl": b'{"text": "\\ud800 lone", "speaker": "A"}\n',
    "array.jsonl": b'[1, 2, 3]\n',
    "number.jsonl": b'42\n',
    "nul.jsonl": b'{"text": "a\\u0000b", "speaker": "A"}\n',
    "empty.jsonl": b"",
    "blank.jsonl": b"\n\n  \n",
    "injection.csv": f"text,speaker\n{INJECTION},A\n".encode(),
}


def _fill(args: list[str], tmp_path: Path) -> list[str]:
    filled = []
    for arg in args:
        if arg == "{dir}":
            arg = str(tmp_path)
        elif arg.startswith("{file:"):
            name = arg[6:-1]
            (tmp_path / name).write_bytes(FILES[name])
            arg = str(tmp_path / name)
        filled.append(arg)
    return filled


def test_there_are_at_least_sixty_cases():
    assert len(CASES) >= 60


@pytest.mark.parametrize("args, code, words", CASES, ids=[f"{n}-{' '.join(a)[:30]}" for n, (a, _, _) in enumerate(CASES)])
def test_hostile_input(tmp_path, db_path, args, code, words):
    add("cold water", "Zhou Hongyi", "--source", "https://example.com/a", "--tag", "sora")
    ok("evidence", "add", "1", "--url", "https://example.com/e", "--stance", "supports")
    before = file_hash(db_path)
    result = invoke(*_fill(args, tmp_path))
    output = result.stdout + result.stderr
    assert result.exit_code == code, (result.exit_code, output[:500], result.exception)
    assert "Traceback" not in output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    if code:
        assert result.stderr.strip() and words in result.stderr, result.stderr[:500]
    assert file_hash(db_path) == before


def test_injection_as_text_is_stored_literally_and_harms_nothing():
    add(INJECTION, INJECTION, "--tag", INJECTION, "--note", INJECTION)
    claim = json.loads(ok("show", "1", "--json").stdout)
    assert claim["text"] == INJECTION and claim["speaker"] == INJECTION and claim["note"] == INJECTION
    assert json.loads(ok("list", "--tag", INJECTION, "--json").stdout)[0]["id"] == 1
    assert "OK" in ok("check").stdout


FRAGMENT_BUILDERS = {"_columns", "_marks", "_assignments", "join"}


def _fixed_fragment(value: ast.expr) -> bool:
    """Calls that only ever return SQL text of the module's own (placeholders, column lists)."""
    return isinstance(value, ast.Call) and getattr(value.func, "id", getattr(value.func, "attr", "")) in FRAGMENT_BUILDERS


def test_no_sql_is_built_from_user_values():
    """f-strings that reach execute() may only splice in the module's own fixed fragments."""
    allowed = {
        "_columns", "_CLAIM_JOINS", "_CLAIM_COLUMNS", "source", "extra_join", "group", "group_order", "selected",
        "evidence_by_then", "by_then", "marks", "named", "_marks", "where", "conditions", "order_column",
        "id_column", "SPEAKER_NAMES", "_SOURCE_COLUMNS", "_EVIDENCE_COLUMNS", "_SOURCE_ROW", "field", "columns",
        "_UNCITED", "SOURCE_KEY", "verdict", "sql", "exists", "name", "BUSY_TIMEOUT_SECONDS", "range", "len",
        "join", "insert", "refresh", "statement", "chunk", "_STANDING_AS_OF", "n", "v", "enumerate", "VERDICTS",
        "RECORD_JSON", "APPLICATION_ID", "_COLUMNS", "LOG_TRIGGER_PREFIX", "table", "column", "numbered",
        "SCHEMA_VERSION", "EVIDENCE_ROW", "FTS_COLUMNS", "_LINKED", "event", "action", "row", "window_rank",
    }
    package = Path(__file__).parent.parent / "claimtrack"
    offenders = []
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in ("execute", "executemany") and node.args:
                for sub in ast.walk(node.args[0]):
                    if isinstance(sub, ast.FormattedValue) and not _fixed_fragment(sub.value):
                        names = {n.id for n in ast.walk(sub.value) if isinstance(n, ast.Name)}
                        names |= {n.attr for n in ast.walk(sub.value) if isinstance(n, ast.Attribute)}
                        if not names or not names <= allowed | {"self", "conn", "format", "upper"}:
                            offenders.append(f"{path.name}:{sub.lineno} {ast.unparse(sub.value)}")
    assert offenders == [], offenders
