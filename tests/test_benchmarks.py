"""The benchmark harness runs end to end at a small size and writes a well-formed table."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

HARNESS = Path(__file__).parent.parent / "benchmarks" / "run.py"


def test_the_harness_writes_a_table_per_size(tmp_path):
    output = tmp_path / "BENCHMARKS.md"
    subprocess.run([sys.executable, str(HARNESS), "--sizes", "1000", "--runs", "1", "--no-field",
                    "--output", str(output),
                    "--work", str(tmp_path / "work")], check=True, capture_output=True, timeout=600)
    text = output.read_text(encoding="utf-8")
    assert "## 1,000 claims" in text and "cores" in text
    rows = [line for line in text.splitlines() if line.startswith("| `") and "ms |" in line]
    labels = [row.split("`")[1] for row in rows]
    for expected in ("--version", "list --speaker NAME --limit 50", "show ID", "import (whole corpus, empty database)",
                     "export --format jsonl (all)", "report (all claims)", 'list --as-of "2020-01-01" --limit 50',
                     "speakers (every speaker, with counts)"):
        assert expected in labels, labels
    assert any(label.startswith("list --speaker BUSIEST --limit 50 (") for label in labels), labels
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        if len(cells) == 6:
            assert re.fullmatch(r"\d+ ms", cells[1]) and re.fullmatch(r"\d+\.\d\d", cells[3]), row
            assert re.fullmatch(r"\d+ MB", cells[5]), row
    assert re.search(r"Database: \d+ bytes a claim with the full-text index", text)


def test_the_corpus_is_deterministic(tmp_path):
    sys.path.insert(0, str(HARNESS.parent))
    import corpus

    corpus.write(200, str(tmp_path / "a.jsonl"))
    corpus.write(200, str(tmp_path / "b.jsonl"))
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()


def test_the_import_profile_and_the_floors_run_on_a_small_corpus(tmp_path):
    # The scripts BENCHMARKS.md quotes for the import's profile and floors must keep working.
    sys.path.insert(0, str(HARNESS.parent))
    import corpus

    source = tmp_path / "corpus.jsonl"
    corpus.write(300, str(source))
    database = tmp_path / "profile.db"

    def run(script: str, *args: str) -> str:
        return subprocess.run([sys.executable, str(HARNESS.parent / script), *args], check=True,
                              capture_output=True, text=True, timeout=600).stdout

    profile = run("profile_import.py", str(database), str(source))
    assert re.match(r"300 records in [\d.]+ s: SQL [\d.]+ s, waiting for records [\d.]+ s", profile), profile
    assert "INSERT INTO claims" in profile
    parse = run("floors.py", "parse", str(source), "300")
    assert [line.split("a record  ", 1)[1] for line in parse.splitlines()] == [
        "JSON decoding", "checking (check_record)", "preparing the rows (prepare)",
        "pickling, in the parsing process", "unpickling, in the writer"]
    floor = run("floors.py", "sqlite", str(database))
    assert "full-text index" in floor and "every index" in floor and floor.splitlines()[-1].endswith("in all")
    assert not (tmp_path / "profile-floor.db").exists()
    refused = subprocess.run([sys.executable, str(HARNESS.parent / "profile_import.py"), str(database), str(source)],
                             capture_output=True, text=True, timeout=600)
    assert refused.returncode != 0 and "exists" in refused.stderr
