"""CSV for a spreadsheet: a byte order mark so that Excel reads UTF-8, the id first, rows in id order, the
evidence count and the note of the verdict in effect; and every exported file imports back."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

from conftest import add, fails, ok

BOM = b"\xef\xbb\xbf"


def rows(data: bytes) -> list[dict]:
    """The rows of an exported CSV, read as Excel reads it (the BOM says UTF-8)."""
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def export(tmp_path, *options: str, name: str = "out.csv") -> bytes:
    path = tmp_path / name
    ok(*options, "export", "--format", "csv", "--output", str(path))
    return path.read_bytes()


def test_the_file_starts_with_a_byte_order_mark_then_the_id_column(tmp_path):
    add("寒い水が中国の頭に注がれた", "周鸿祎")
    data = export(tmp_path)
    assert data.startswith(BOM + b"id,uuid,kind,text,")
    [row] = rows(data)
    assert (row["id"], row["text"], row["speaker"]) == ("1", "寒い水が中国の頭に注がれた", "周鸿祎")


def test_standard_output_gets_the_byte_order_mark_too():
    add("cold water", "A")
    result = subprocess.run([sys.executable, "-m", "claimtrack", "export", "--format", "csv"],
                            capture_output=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert result.returncode == 0 and result.stdout.startswith(BOM + b"id,"), result.stderr


def test_an_output_that_is_not_utf8_gets_no_mark():
    add("cold water", "A")
    result = subprocess.run([sys.executable, "-m", "claimtrack", "export", "--format", "csv"],
                            capture_output=True, env={**os.environ, "PYTHONIOENCODING": "latin-1"})
    assert result.returncode == 0 and result.stdout.startswith(b"id,uuid,"), result.stdout[:40]


def test_rows_are_in_id_order_even_when_uuids_sort_otherwise(tmp_path):
    # Uuids in falling order: claim 1 has the largest, so uuid order would be the reverse of id order.
    lines = [json.dumps({"uuid": f"{n}0000000-0000-4000-8000-000000000000", "text": f"claim {9 - n}",
                         "speaker": {"name": "A"}}) for n in range(9, 0, -1)]
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ok("import", str(tmp_path / "in.jsonl"))
    exported = rows(export(tmp_path))
    assert [r["id"] for r in exported] == [str(n) for n in range(1, 10)]
    assert [r["text"] for r in exported] == [f"claim {n}" for n in range(9)]


def test_evidence_count_and_the_note_of_the_verdict_in_effect(tmp_path):
    add("cold water", "A")
    add("warm water", "B")
    for n in (1, 2):
        ok("evidence", "add", "1", "--url", f"https://example.com/{n}", "--stance", "refutes")
    ok("verdict", "1", "misleading", "--note", "first reading")
    ok("verdict", "1", "refuted", "--note", "the ministry's own figures, page 4")
    one, two = rows(export(tmp_path))
    assert (one["verdict"], one["verdict_note"], one["evidence"]) == ("refuted", "the ministry's own figures, page 4", "2")
    assert (two["verdict"], two["verdict_note"], two["evidence"]) == ("unverified", "", "0")


def test_retracted_entries_do_not_count(tmp_path):
    add("cold water", "A")
    ok("evidence", "add", "1", "--url", "https://example.com/1", "--stance", "refutes")
    ok("evidence", "add", "1", "--url", "https://example.com/2", "--stance", "supports")
    ok("verdict", "1", "supported", "--note", "looked right")
    ok("verdict", "1", "refuted", "--note", "typed in the wrong claim")
    history = json.loads(ok("show", "1", "--json").stdout)["history"]
    mistaken = next(h["entry"] for h in history if h["field"] == "verdict" and h["new"] == "refuted")
    added = [h["entry"] for h in history if h["field"] == "evidence"]
    ok("retract", "1", str(mistaken))
    ok("retract", "1", str(added[-1]))
    [row] = rows(export(tmp_path))
    assert (row["verdict"], row["verdict_note"], row["evidence"]) == ("supported", "looked right", "1")


def test_an_exported_file_imports_back_and_exports_the_same(tmp_path):
    add("寒い水 — “cold”, water", "周鸿祎", "--said", "19 February 2024", "--role", "founder",
        "--source", "https://example.com/a", "--outlet", "Sina", "--tag", "sora", "--tag", "ai")
    add("=SUM(A1:A9) is not a formula here", "Yann LeCun", "--kind", "claim", "--said", "mid-2023",
        "--context", "line one\nline two")
    add("undated words", "Zhou Hongyi", "--note", "'quoted' note")
    first = export(tmp_path, name="first.csv")
    ok("--db", str(tmp_path / "second.db"), "import", str(tmp_path / "first.csv"))
    second = export(tmp_path, "--db", str(tmp_path / "second.db"), name="second.csv")
    assert second == first


def test_verdicts_survive_the_round_trip_and_a_second_one_changes_nothing(tmp_path):
    add("cold water", "A")
    ok("evidence", "add", "1", "--url", "https://example.com/1", "--stance", "refutes")
    ok("verdict", "1", "refuted", "--note", "reasons")
    first = export(tmp_path, name="first.csv")
    ok("--db", str(tmp_path / "b.db"), "import", str(tmp_path / "first.csv"))
    second = export(tmp_path, "--db", str(tmp_path / "b.db"), name="second.csv")
    # CSV carries no evidence or history: the verdict comes back, its reasons stay in the lossless formats.
    (row_one,), (row_two,) = rows(first), rows(second)
    assert {k: v for k, v in row_two.items() if k not in ("evidence", "verdict_note")} == \
        {k: v for k, v in row_one.items() if k not in ("evidence", "verdict_note")}
    assert row_two["verdict"] == "refuted" and row_two["evidence"] == "0"
    ok("--db", str(tmp_path / "c.db"), "import", str(tmp_path / "second.csv"))
    assert export(tmp_path, "--db", str(tmp_path / "c.db"), name="third.csv") == second


def test_import_reads_a_file_with_or_without_the_mark(tmp_path):
    for name, data in (("with.csv", BOM + "text,speaker\r\nΚρύο νερό,Α\r\n".encode()),
                       ("without.csv", "text,speaker\r\nΚρύο νερό,Α\r\n".encode())):
        (tmp_path / name).write_bytes(data)
        ok("--db", str(tmp_path / f"{name}.db"), "import", str(tmp_path / name))
        [claim] = json.loads(ok("--db", str(tmp_path / f"{name}.db"), "list", "--json").stdout)
        assert (claim["text"], claim["speaker"]) == ("Κρύο νερό", "Α")


def test_the_read_only_columns_are_ignored_on_import(tmp_path):
    (tmp_path / "in.csv").write_text("id,text,speaker,evidence,verdict_note\r\n77,cold water,A,3,because\r\n",
                                     encoding="utf-8")
    ok("import", str(tmp_path / "in.csv"))
    [claim] = json.loads(ok("list", "--json").stdout)
    assert claim["id"] == 1 and claim["text"] == "cold water"
    assert json.loads(ok("show", "1", "--json").stdout)["evidence"] == []


def test_an_unknown_column_is_still_refused(tmp_path):
    (tmp_path / "in.csv").write_text("text,speaker,evidense\r\ncold water,A,3\r\n", encoding="utf-8")
    assert "'evidense' is not a claimtrack column" in fails("import", str(tmp_path / "in.csv")).stderr
