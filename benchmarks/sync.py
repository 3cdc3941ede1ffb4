"""Benchmark of claimtrack sync: a desk of N claims shared through a bare git repository on this machine.

    python benchmarks/sync.py                      # 100,000 claims
    python benchmarks/sync.py --claims 10000 --output benchmarks/.work/sync.md

Measures the first sync of a populated desk (every claim written and pushed), the first sync of a new member
(every claim read in: target under 60 s at 100,000), a sync after 100 local and 100 remote changes (target
under 10 s at 100,000), and the repository's size a claim. Nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
CLAIMTRACK = str(Path(sys.executable).with_name("claimtrack"))


def _run(db: Path, user: str, *args: str) -> float:
    """Seconds claimtrack ARGS took on DB as USER."""
    env = {**os.environ, "CLAIMTRACK_USER": user, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    start = time.perf_counter()
    done = subprocess.run([CLAIMTRACK, "--db", str(db), *args], capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"claimtrack {' '.join(args)} failed: {done.stderr}")
    return elapsed


def _changes(db: Path, user: str, work: Path, first: int, count: int) -> None:
    """COUNT verdicts on the claims FIRST... of DB, made as one import (not measured)."""
    env = {**os.environ, "CLAIMTRACK_USER": user}
    lines = subprocess.run([CLAIMTRACK, "--db", str(db), "export", "--format", "jsonl"], capture_output=True,
                           text=True, check=True, env=env).stdout.splitlines()[first:first + count]
    changed = work / f"{user}-changes.jsonl"
    with changed.open("w", encoding="utf-8") as out:
        for line in lines:
            record = json.loads(line)
            at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            record["history"].append({"uuid": str(uuid.uuid4()), "at": at, "effective_on": at[:10],
                                      "effective_precision": "day", "field": "verdict", "old": record["verdict"],
                                      "new": "refuted", "note": "benchmark", "evidence": [], "author": user})
            record["verdict"] = "refuted"
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    _run(db, user, "import", str(changed))


def _size(path: Path, skip: str | None = None) -> int:
    """Bytes of the files under PATH (but not in a folder named SKIP)."""
    total = 0
    for folder, folders, files in os.walk(path):
        if skip in folders:
            folders.remove(skip)
        total += sum(os.path.getsize(os.path.join(folder, name)) for name in files)
    return total


def run(claims: int, work: Path) -> dict:
    """Measure the syncs of a desk of CLAIMS claims in WORK."""
    sys.path.insert(0, str(HERE))
    import corpus

    work = work / "sync"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    source = work / "corpus.jsonl"
    corpus.write(claims, str(source))
    ann, bea, remote = work / "ann.db", work / "bea.db", work / "desk.git"
    _run(ann, "Ann", "import", str(source))
    results = {"claims": claims}
    results["first"] = _run(ann, "Ann", "sync", "--init", str(remote))
    results["member"] = _run(bea, "Bea", "sync", "--init", str(remote))
    _changes(ann, "Ann", work, 0, 100)
    _changes(bea, "Bea", work, claims // 2, 100)
    results["remote_push"] = _run(bea, "Bea", "sync")
    results["after_changes"] = _run(ann, "Ann", "sync")
    _run(bea, "Bea", "sync")
    subprocess.run(["git", "-C", str(remote), "gc", "--quiet"], check=True)
    results["repository"] = _size(remote)
    results["working_copy"] = _size(work / "ann-sync", skip=".git")
    exports = [subprocess.run([CLAIMTRACK, "--db", str(db), "export", "--format", "jsonl"], capture_output=True,
                              check=True).stdout for db in (ann, bea)]
    results["identical"] = exports[0] == exports[1]
    return results


def markdown(results: dict) -> str:
    """The benchmark's section of BENCHMARKS.md."""
    n = results["claims"]
    return "\n".join([
        "## Sync (claimtrack sync through a bare git repository on this machine)",
        "",
        f"A desk of {n:,} claims (benchmarks/corpus.py); times are wall time of one run.",
        "",
        "| what | time | target |",
        "|---|---|---|",
        f"| first sync of a populated desk (every claim written, committed, pushed) | {results['first']:.1f} s | |",
        f"| first sync of a new member (every claim read in) | {results['member']:.1f} s | < 60 s at 100,000 |",
        f"| sync after 100 local and 100 remote changes | {results['after_changes']:.1f} s | < 10 s at 100,000 |",
        f"| the other member's sync of its 100 changes (push) | {results['remote_push']:.1f} s | |",
        "",
        f"Repository (bare, after git gc): {results['repository'] / n:,.0f} bytes a claim; working copy files: "
        f"{results['working_copy'] / n:,.0f} bytes a claim. Both databases' exports identical afterwards: "
        f"{'yes' if results['identical'] else 'NO'}.",
        "",
    ])


def main() -> None:
    """Run the benchmark and print its Markdown section."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=HERE / ".work")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    text = markdown(run(args.claims, args.work))
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
