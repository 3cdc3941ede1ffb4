"""No imported value can crash claimtrack, now or later: import checks every field of a record, names the
line and field of what it refuses, stores times in one form, and `check` names stored values that do not parse."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import fails, file_hash, invoke, ok

GOOD = {"text": "The gap is wider than thought.", "speaker": "Zhou Hongyi"}
FIRST = {"text": "A first claim, imported before the bad line.", "speaker": "Ann Lee"}
URL = "https://example.com/page"
EVIDENCE_UUID = "00000000-0000-4000-8000-0000000000e1"


def write_lines(path, *records) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


def with_field(path: tuple, value) -> dict:
    """GOOD with VALUE put at PATH (keys and list indexes), the objects on the way filled in validly."""
    record = json.loads(json.dumps(GOOD))
    record["speaker"] = {"name": "Zhou Hongyi", "aliases": ["周鸿祎"]}
    record["source"] = {"url": URL, "outlet": "Example"}
    record["appearances"] = [{"source": {"url": "https://example.org/again"}}]
    record["evidence"] = [{"uuid": EVIDENCE_UUID, "stance": "refutes", "source": {"url": "https://example.net/r"}}]
    record["history"] = [{"field": "verdict", "old": "unverified", "new": "refuted", "at": "2024-03-01T00:00:00Z",
                          "effective_on": "2024-03-01", "evidence": [EVIDENCE_UUID]}]
    target = record
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return record


# (where in the record, the value, the field the message must name): each was a Python error,
# a silently stored value that later reads could not parse, or an error that named no field.
BAD = [
    (("said_on",), ["2024"], "said_on"),
    (("said_on",), {"y": 2024}, "said_on"),
    (("said_on",), 2024, "said_on"),
    (("said_approximate",), ["x"], "said_approximate"),
    (("said_precision",), "fortnight", "said_precision"),
    (("said_qualifier",), 3, "said_qualifier"),
    (("said_text",), ["February"], "said_text"),
    (("tags",), [5], "tags[0]"),
    (("tags",), "sora", "tags"),
    (("tags",), [["a"]], "tags[0]"),
    (("tags",), [" "], "tags[0]"),
    (("created_at",), 5, "created_at"),
    (("created_at",), "yesterday", "created_at"),
    (("created_at",), "2024-02-21T10:00:00", "created_at"),
    (("updated_at",), "2024-02-30T10:00:00Z", "updated_at"),
    (("updated_at",), [], "updated_at"),
    (("text",), {"a": 1}, "text"),
    (("text",), True, "text"),
    (("role",), 1e308, "role"),
    (("note",), 10**30, "note"),
    (("context",), "a\x00b", "context"),
    (("kind",), False, "kind"),
    (("kind",), ["quote"], "kind"),
    (("uuid",), 12345678901234567890123456789012, "uuid"),
    (("verdict",), ["refuted"], "verdict"),
    (("verdict_on",), 20240221, "verdict_on"),
    (("attribution_on",), "last week", "attribution_on"),
    (("speaker",), 7, "speaker"),
    (("speaker", "name"), ["Zhou"], "speaker.name"),
    (("speaker", "aliases"), [1], "speaker.aliases[0]"),
    (("speaker", "aliases"), "Zhou", "speaker.aliases"),
    (("speaker", "aliases"), ["!!!"], "speaker.aliases[0]"),
    (("source",), "https://example.com", "source"),
    (("source", "url"), {}, "source.url"),
    (("source", "url"), "ftp://example.com/x", "source.url"),
    (("source", "archived_url"), 1, "source.archived_url"),
    (("source", "published_on"), True, "source.published_on"),
    (("source", "published_on"), "2024-13-45", "source.published_on"),
    (("source", "recorded_at"), 1700000000, "source.recorded_at"),
    (("appearances",), {"source": {}}, "appearances"),
    (("appearances",), [None], "appearances[0]"),
    (("appearances", 0, "added_at"), 0, "appearances[0].added_at"),
    (("appearances", 0, "source"), None, "appearances[0].source"),
    (("evidence", 0, "stance"), ["refutes"], "evidence[0].stance"),
    (("evidence", 0, "quote"), 5, "evidence[0].quote"),
    (("evidence", 0, "added_at"), "21/02/2024", "evidence[0].added_at"),
    (("evidence", 0, "source", "published_on"), [2024, 2], "evidence[0].source.published_on"),
    (("history", 0, "field"), None, "history[0].field"),
    (("history", 0, "field"), {"a": 1}, "history[0].field"),
    (("history", 0, "at"), 1.5, "history[0].at"),
    (("history", 0, "at"), "2024-02-21T25:00:00Z", "history[0].at"),
    (("history", 0, "effective_on"), ["2024"], "history[0].effective_on"),
    (("history", 0, "effective_precision"), "eon", "history[0].effective_precision"),
    (("history", 0, "new"), "maybe", "history[0].new"),
    (("history", 0, "old"), 5, "history[0].old"),
    (("history", 0, "evidence"), [5], "history[0].evidence[0]"),
    (("history", 0, "evidence"), "00000000-0000-4000-8000-0000000000e1", "history[0].evidence"),
    (("history", 0, "evidence"), ["00000000-0000-4000-8000-0000000000e2"], "history[0].evidence[0]"),
]


@pytest.mark.parametrize("where, value, field", BAD, ids=[".".join(map(str, b[0])) + f"={b[1]!r}"[:40] for b in BAD])
def test_a_value_of_the_wrong_type_or_form_is_an_error_naming_its_line_and_field(tmp_path, db_path, where, value, field):
    ok("add", "--speaker", "Ann Lee", "--", "Already here.")
    before = file_hash(db_path)
    path = write_lines(tmp_path / "in.jsonl", FIRST, with_field(where, value))
    err = fails("import", path).stderr
    assert f"line 2, field {field}: " in err, err
    assert "Nothing was imported." in err and ".." not in err, err
    assert len(err.strip().splitlines()) == 1, err
    assert file_hash(db_path) == before


def test_the_valid_record_the_cases_start_from_imports(tmp_path):
    ok("import", write_lines(tmp_path / "in.jsonl", with_field(("note",), "fine")))
    assert json.loads(ok("export", "--format", "jsonl").stdout)["history"]


def test_the_same_uuid_twice_in_a_record_names_the_second(tmp_path):
    record = with_field(("evidence",), [
        {"uuid": EVIDENCE_UUID, "stance": "refutes", "source": {"url": "https://example.net/a"}},
        {"uuid": EVIDENCE_UUID, "stance": "supports", "source": {"url": "https://example.net/b"}},
    ])
    err = fails("import", write_lines(tmp_path / "in.jsonl", record)).stderr
    assert "line 1, field evidence[1].uuid: " in err, err


def test_a_lone_surrogate_names_its_field(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"text": "t", "speaker": "A B", "evidence": [{"note": "\\ud800"}]}\n', encoding="utf-8")
    err = fails("import", str(path)).stderr
    assert "line 1, field evidence[0].note: " in err and ".." not in err, err


@pytest.mark.parametrize("given, stored", [
    ("2024-02-21T10:00:00Z", "2024-02-21T10:00:00Z"),
    ("2024-02-21T10:00:00.123456Z", "2024-02-21T10:00:00Z"),
    ("2024-02-21T11:30:00+01:30", "2024-02-21T10:00:00Z"),
    ("2024-02-21T05:00:00-0500", "2024-02-21T10:00:00Z"),
    ("2024-02-21 10:00Z", "2024-02-21T10:00:00Z"),
    ("2024-02-22T01:00:00+15", "2024-02-21T10:00:00Z"),
    ("2024-02-21", "2024-02-21T00:00:00Z"),
])
def test_times_are_stored_in_one_form(tmp_path, given, stored):
    record = with_field(("created_at",), given)
    record["updated_at"] = given
    record["evidence"][0]["added_at"] = given
    record["source"]["recorded_at"] = given
    ok("import", write_lines(tmp_path / "in.jsonl", record))
    out = json.loads(ok("export", "--format", "jsonl").stdout)
    assert (out["created_at"], out["updated_at"], out["evidence"][0]["added_at"]) == (stored, stored, stored)
    assert out["source"]["recorded_at"] == stored


# -- any JSON value in any field -------------------------------------------------------------

# Values a field might hold: half the time one that fits some field, so that many records import.
# (NaN and Infinity never reach a field: the JSON reader refuses them, tested with the reader.)
PLAUSIBLE = st.sampled_from([None, "", " ", "2024", "2024-02", "2024-02-19", "2024-13", "2024-02-21T10:00:00Z",
                             "2024-02-21T10:00:00+01:00", URL, "https://example.com/p?a=1#x", "day", "week", "month",
                             "mid", "refuted", "supports", "verdict", "quote", "Ann Lee", EVIDENCE_UUID, True, False,
                             [], ["sora"], {}])
JSON = PLAUSIBLE | st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
TOP = ["uuid", "kind", "text", "role", "context", "note", "created_at", "updated_at", "verdict", "attribution",
       "verdict_on", "attribution_on", "said_on", "said_precision", "said_text", "said_approximate", "said_qualifier",
       "speaker", "source", "tags", "appearances", "evidence", "history"]
SOURCE = ["url", "outlet", "title", "published_on", "published_precision", "published_text", "published_approximate",
          "published_qualifier", "archived_url", "recorded_at"]
PATHS = (
    [(key,) for key in TOP] + [("speaker", "name"), ("speaker", "aliases")]
    + [("source", key) for key in SOURCE]
    + [("appearances", 0, key) for key in ("uuid", "added_at", "source")]
    + [("appearances", 0, "source", key) for key in SOURCE]
    + [("evidence", 0, key) for key in ("uuid", "stance", "quote", "note", "added_at", "source")]
    + [("evidence", 0, "source", key) for key in SOURCE]
    + [("history", 0, key) for key in ("uuid", "at", "effective_on", "effective_precision", "field", "old", "new",
                                       "note", "evidence")]
)
READS = [("list",), ("show", "1"), ("search", "gap"), ("speakers",), ("evidence", "list"), ("report",), ("check",)]
EXPORTS = [("--format", f) for f in ("jsonl", "json", "csv", "csl-json")] + [
    ("--format", "claimreview", "--publisher", "Desk", "--base-url", "https://desk.example/")]
FIELD_NAMED = re.compile(r"^Error: .*, line 2, field [\w.\[\]]+: .+\. Nothing was imported\.$")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(st.tuples(st.sampled_from(PATHS), JSON), min_size=1, max_size=3))
def test_any_json_value_in_any_field_is_imported_or_refused_cleanly_and_every_read_still_works(tmp_path, changes):
    db = tmp_path / "claims.db"
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / f"claims.db{suffix}").unlink(missing_ok=True)
    ok("add", "--speaker", "Ann Lee", "--", "The gap is closing.")
    record = with_field(("note",), None)
    for where, value in changes:
        try:
            record = _put(record, where, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change replaced what this one reaches into
    before = file_hash(db)
    result = invoke("import", write_lines(tmp_path / "in.jsonl", FIRST, record))
    assert "Traceback" not in result.stderr and result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    event("imported" if result.exit_code == 0 else "refused")
    if result.exit_code != 0:
        assert result.exit_code == 1, result.stderr
        message = result.stderr.strip()
        assert FIELD_NAMED.match(message) and ".." not in message, message
        assert file_hash(db) == before
    shown = [("show", "2"), ("show", "3")] if result.exit_code == 0 else []
    for command in READS + shown:
        ran = invoke(*command)
        assert ran.exit_code == 0, (command, ran.stdout, ran.stderr, ran.exception)
    for options in EXPORTS:
        ran = invoke("export", *options)
        assert ran.exit_code == 0, (options, ran.stderr, ran.exception)


def _put(record: dict, where: tuple, value) -> dict:
    target = record
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    return record


# -- check names what does not parse ---------------------------------------------------------

@pytest.mark.parametrize("sql, named", [
    ("UPDATE claims SET said_on = '2024-13-45' WHERE id = 2", "claim 2: said_on '2024-13-45' is not a date (precision day)"),
    ("UPDATE claims SET said_precision = 'fortnight' WHERE id = 2", "claim 2: said_precision 'fortnight' is not one of"),
    ("UPDATE claims SET created_at = '21/02/2024' WHERE id = 2", "claim 2: created_at '21/02/2024' is not a UTC time"),
    ("UPDATE claims SET verdict = 'sort of' WHERE id = 2", "claim 2: verdict 'sort of' is not one of"),
    ("UPDATE sources SET published_on = '20x4'", "published_on '20x4' is not a date"),
    ("UPDATE sources SET url = 'not a url'", "url 'not a url' is not an http(s) URL"),
    ("UPDATE evidence SET added_at = 'now'", "of claim 2: added_at 'now' is not a UTC time"),
    ("UPDATE history SET effective_on = '2024-99' WHERE claim_id = 2", "of claim 2: effective_on '2024-99' is not a date"),
    ("UPDATE history SET new = 'maybe' WHERE field = 'verdict'", "of claim 2: new 'maybe' is not a verdict"),
])
def test_check_names_a_stored_value_that_does_not_parse_and_reads_still_work(db_path, sql, named):
    ok("add", "--speaker", "Ann Lee", "--", "Untouched.")
    ok("add", "--speaker", "Zhou Hongyi", "--said", "2024-02-21", "--source", URL, "--published", "2024-02-22", "--",
       "The gap is wider than thought.")
    ok("evidence", "add", "2", "--url", "https://example.net/r", "--stance", "refutes", "--published", "2024-03-01")
    ok("verdict", "2", "refuted")
    ok("check")
    with sqlite3.connect(db_path) as conn:
        conn.execute(sql)
    conn.close()
    err = fails("check").stderr
    assert f"Problem: {named}" in err or named in err, err
    assert ".." not in err
    for command in (("show", "2"), ("list",), ("evidence", "list"), ("export", "--format", "jsonl")):
        ran = invoke(*command)
        assert "Traceback" not in ran.stderr and (ran.exception is None or isinstance(ran.exception, SystemExit)), \
            (command, repr(ran.exception))
    ok("show", "2")
