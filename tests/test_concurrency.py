"""Two terminals can add at once: WAL mode, a busy timeout and immediate write transactions."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from conftest import ok


def test_parallel_adds_from_separate_processes_all_land(db_path):
    ok("add", "first", "--speaker", "A")  # the schema exists before the race starts

    def worker(n: int) -> list[int]:
        codes = []
        for i in range(5):
            result = subprocess.run(
                [sys.executable, "-m", "claimtrack", "--db", str(db_path), "add", f"claim {n}-{i}",
                 "--speaker", f"Speaker {n}", "--tag", "race"],
                capture_output=True, text=True,
            )
            codes.append(result.returncode)
        return codes

    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = [c for batch in pool.map(worker, range(4)) for c in batch]
    assert codes == [0] * 20
    claims = json.loads(ok("list", "--json", "--tag", "race").stdout)
    assert len(claims) == 20 and len({c["id"] for c in claims}) == 20
