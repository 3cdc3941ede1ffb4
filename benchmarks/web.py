"""Benchmark of claimtrack serve: pages of a large record over HTTP, the server warm.

    python benchmarks/web.py                                  # 100,000 claims
    python benchmarks/web.py --sizes 100000 1000000 --runs 20

Serves a synthetic record (benchmarks/corpus.py, imported as `make bench` does) on a loopback port and times
each page from request to last byte, after warming it: the claims page (Datasette's table of the readable
view, with its default facets), a search, a facet by verdict (targets: median under 500 ms), a claim's page
(target: under 100 ms), a speaker's page and the home page. Prints a Markdown section. Nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
CLAIMTRACK = str(Path(sys.executable).with_name("claimtrack"))
TARGETS = {"claims page": 500, "search": 500, "facet by verdict": 500, "claim page": 100}


def record(size: int) -> Path:
    """A database of SIZE synthetic claims for this benchmark alone (made once, then reused)."""
    WORK.mkdir(exist_ok=True)
    db = WORK / f"web-{size}.db"
    if db.exists():
        return _upgraded(db)
    made = WORK / f"claims-{size}.db"  # made by `make bench` from the same corpus: copied, not imported again
    if made.exists() and not Path(f"{made}-wal").exists():
        shutil.copyfile(made, db)
        return _upgraded(db)
    corpus = WORK / f"corpus-{size}.jsonl"
    if not corpus.exists():
        subprocess.run([sys.executable, str(HERE / "corpus.py"), str(size), str(corpus)], check=True)
    subprocess.run([CLAIMTRACK, "--db", str(db), "import", str(corpus)], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return db


def _upgraded(db: Path) -> Path:
    """DB brought to the current schema before it is served (a database copied from an older `make bench` run
    would otherwise be upgraded while the first page waits), with no backup copy kept beside it."""
    subprocess.run([CLAIMTRACK, "--db", str(db), "check"], check=False, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    for backup in db.parent.glob(f"{db.name}.schema-*.backup"):
        backup.unlink()
    return db


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pages(db: Path) -> dict[str, str]:
    """The pages timed, each a path on the server."""
    conn = sqlite3.connect(db)
    claim = conn.execute("SELECT id FROM claims WHERE id IN (SELECT claim_id FROM evidence) LIMIT 1").fetchone()[0]
    speaker = conn.execute("SELECT speaker_id FROM claims GROUP BY speaker_id ORDER BY count(*) DESC LIMIT 1 OFFSET 500"
                           ).fetchone()[0]
    conn.close()
    return {
        "claims page": "/record/claim_list",
        "search": "/record/claim_list?_search=barrel+water",
        "facet by verdict": "/record/claim_list.json?_facet=verdict&_size=0",
        "claims JSON, a search": "/record/claim_list.json?_search=export+rules&_shape=array",
        "claim page": f"/claim/{claim}",
        "speaker page": f"/speaker/{speaker}",
        "home page": "/",
    }


def measure(base: str, path: str, runs: int) -> list[float]:
    """Milliseconds of RUNS requests for PATH, after two to warm it."""
    timings = []
    with httpx.Client(timeout=120) as client:
        for n in range(runs + 2):
            start = time.perf_counter()
            response = client.get(base + path)
            elapsed = (time.perf_counter() - start) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}: {response.text[:300]}")
            if n >= 2:
                timings.append(elapsed)
    return timings


def bench(size: int, runs: int) -> list[tuple[str, str, list[float]]]:
    db = record(size)
    port = free_port()
    server = subprocess.Popen([CLAIMTRACK, "--db", str(db), "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                httpx.get(base + "/-/versions.json", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        return [(label, path, measure(base, path, runs)) for label, path in pages(db).items()]
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    lines = ["## Web view (claimtrack serve)", "",
             f"`python benchmarks/web.py --sizes {' '.join(map(str, args.sizes))} --runs {args.runs}`: "
             f"each page requested {args.runs} times over HTTP on 127.0.0.1 after two warming requests; "
             "milliseconds from request to last byte.", "",
             "| claims | page | median ms | fastest–slowest ms | target |", "|---:|---|---:|---:|---|"]
    for size in args.sizes:
        for label, path, timings in bench(size, args.runs):
            target = TARGETS.get(label)
            median = statistics.median(timings)
            verdict = "" if target is None else f"< {target} ms: {'met' if median < target else 'missed'}"
            lines.append(f"| {size:,} | {label} (`{path.split('?')[0]}{'?…' if '?' in path else ''}`) | "
                         f"{median:.0f} | {min(timings):.0f}–{max(timings):.0f} | {verdict} |")
    print("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
