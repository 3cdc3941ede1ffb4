"""Benchmark of claimtrack source fetch: a local web site of N article pages, fetched whole.

    python benchmarks/sources.py                       # 1,000 pages
    python benchmarks/sources.py --pages 100 --output benchmarks/.work/sources.md

Measures the wall time of `claimtrack source fetch --all` over N pages served from 127.0.0.1 (target:
1,000 pages under 30 s), the median time of text extraction a page (target: under 50 ms), and what a
snapshot adds a page to the database and to its folder. Nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAGE = (HERE.parent / "tests" / "fixtures" / "pages" / "opengraph.html").read_bytes()
CLAIMTRACK = str(Path(sys.executable).with_name("claimtrack"))


def article(number: int) -> bytes:
    """A news article of about 8 kB: the fixture page with paragraphs of its own."""
    paragraphs = "".join(
        f"<p>Paragraph {i} of article {number}: officials said measure {i} would be reviewed after {i + 2} "
        f"months, and exporters could ask for exemptions under rule {number * 7 + i}.</p>\n" for i in range(40))
    return PAGE.replace(b"</article>", paragraphs.encode() + b"</article>")


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        body = article(int(self.path.rsplit("/", 1)[1]))
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def run(pages: int, work: Path) -> dict:
    """Serve PAGES articles, add a claim citing each, fetch them all; return the figures."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    work.mkdir(parents=True, exist_ok=True)
    db = work / "sources-bench.db"
    subprocess.run(["rm", "-rf", str(db), f"{db}-wal", f"{db}-shm", f"{db}.sources"], check=True)
    corpus = work / "sources-bench.jsonl"
    with open(corpus, "w", encoding="utf-8") as out:
        for n in range(pages):
            out.write(json.dumps({"text": f"Claim {n}", "speaker": {"name": "Trade minister"},
                                  "source": {"url": f"http://127.0.0.1:{server.server_port}/a/{n}"}}) + "\n")
    env = {**os.environ, "CLAIMTRACK_DB": str(db)}
    subprocess.run([CLAIMTRACK, "import", str(corpus)], env=env, check=True, capture_output=True)
    subprocess.run([CLAIMTRACK, "check"], env=env, check=True, capture_output=True)  # settles the WAL
    before = db.stat().st_size
    start = time.perf_counter()
    subprocess.run([CLAIMTRACK, "source", "fetch", "--all"], env=env, check=True, capture_output=True)
    fetch_seconds = time.perf_counter() - start
    subprocess.run([CLAIMTRACK, "check"], env=env, check=True, capture_output=True)
    server.shutdown()
    folder = work / "sources-bench.db.sources"
    from claimtrack.sources.extract import extract

    extract(article(0), "text/html")  # the libraries' first load is not a page's time
    times = []
    for n in range(200):
        body = article(n)
        t = time.perf_counter()
        extract(body, "text/html", f"https://example.com/a/{n}")
        times.append(time.perf_counter() - t)
    return {
        "pages": pages, "fetch_seconds": fetch_seconds, "page_bytes": len(article(0)),
        "extract_median_ms": statistics.median(times) * 1000,
        "database_bytes_a_page": (db.stat().st_size - before) / pages,
        "folder_bytes_a_page": sum(p.stat().st_size for p in folder.iterdir()) / pages,
    }


def markdown(result: dict) -> str:
    """The figures as a section of BENCHMARKS.md."""
    per_thousand = result["fetch_seconds"] * 1000 / result["pages"]
    return "\n".join([
        f"## Fetching sources ({result['pages']:,} local pages of {result['page_bytes']:,} bytes)", "",
        "| target | measured | |", "| --- | --- | --- |",
        f"| fetch 1,000 pages under 30 s | {per_thousand:.1f} s a thousand pages | "
        f"{'met' if per_thousand < 30 else 'missed'} |",
        f"| text extraction under 50 ms a page (median) | {result['extract_median_ms']:.1f} ms | "
        f"{'met' if result['extract_median_ms'] < 50 else 'missed'} |", "",
        f"A snapshot adds {result['database_bytes_a_page']:,.0f} bytes a page to the database (text, metadata, "
        f"change log) and {result['folder_bytes_a_page']:,.0f} bytes to its folder (a gzipped WARC record).", "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--work", type=Path, default=HERE / ".work")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    text = markdown(run(args.pages, args.work))
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
