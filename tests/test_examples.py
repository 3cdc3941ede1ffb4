"""The bundled examples: the example file is canonical, and the usage script still works."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ok

EXAMPLES = Path(__file__).parent.parent / "examples"


def test_the_example_file_imports_and_exports_unchanged(tmp_path):
    example = EXAMPLES / "sora-china-2024.jsonl"
    ok("--db", str(tmp_path / "x.db"), "import", str(example))
    assert ok("--db", str(tmp_path / "x.db"), "export", "--format", "jsonl").stdout == example.read_text(encoding="utf-8")


def test_the_usage_script_builds_the_same_claims(tmp_path):
    claimtrack = Path(sys.executable).parent / "claimtrack"
    db = tmp_path / "script.db"
    subprocess.run(["bash", str(EXAMPLES / "add-commands.sh"), str(db)], check=True, capture_output=True,
                   env={**os.environ, "CLAIMTRACK": str(claimtrack)})
    built = [json.loads(line) for line in ok("--db", str(db), "export", "--format", "jsonl").stdout.splitlines()]
    shipped = [json.loads(line) for line in (EXAMPLES / "sora-china-2024.jsonl").read_text(encoding="utf-8").splitlines()]

    def essence(records):
        return sorted((r["speaker"]["name"], r["text"], r["said_on"], r["verdict"], len(r["evidence"])) for r in records)

    assert essence(built) == essence(shipped)
