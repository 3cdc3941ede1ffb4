"""`claimtrack verify --all` over 10,000 quotes of 100 pages kept as snapshots (no network).

    .venv/bin/python benchmarks/verify_all.py [--claims 10000] [--pages 100]

Each quote is cut from its page (nine in ten word for word, one in ten with a word changed); the pages are
attached as snapshots, so every check reads a local snapshot. Prints a section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("the ministry said its export rules would keep advanced chips such as the H100 and H200 out of China "
         "while companies in Beijing and Shenzhen race to build large models for video and text and investors "
         "watch the gap between the two countries narrow or widen each quarter as new products arrive").split()


def page_text(rng: random.Random, words: int = 600) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)) + "."


def build(folder: Path, claims: int, pages: int) -> Path:
    """A database of CLAIMS quotes cut from PAGES pages, each page attached as a snapshot."""
    rng = random.Random(7)
    texts = [page_text(rng) for _ in range(pages)]
    records = folder / "quotes.jsonl"
    with open(records, "w", encoding="utf-8") as out:
        for n in range(claims):
            page = n % pages
            words = texts[page].rstrip(".").split()
            start = rng.randrange(0, len(words) - 15)
            quote = words[start:start + 12]
            if n % 10 == 9:
                quote[5] = "never"
            out.write(json.dumps({"kind": "quote", "text": " ".join(quote), "speaker": f"Speaker {n}",
                                  "source": {"url": f"https://news.example/{page}"}}) + "\n")
    database = folder / "verify.db"
    subprocess.run([sys.executable, "-m", "claimtrack", "--db", str(database), "import", str(records)],
                   check=True, capture_output=True)
    from claimtrack.sources.capture import attach_file
    from claimtrack.store import open_store

    with open_store(database, write=True) as store:
        for page, text in enumerate(texts):
            path = folder / f"page{page}.txt"
            path.write_text(text, encoding="utf-8")
            source_id, url = store.page_by_url(f"https://news.example/{page}")
            attach_file(store, source_id, url, path)
    return database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--pages", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="claimtrack-verify-bench-") as folder:
        database = build(Path(folder), args.claims, args.pages)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "claimtrack", "--db", str(database), "verify", "--all", "--json"],
                              capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(done.stderr[-2000:])
        results = [o["result"] for o in json.loads(done.stdout)]
    counts = {r: results.count(r) for r in sorted(set(results))}
    print("\n".join([
        f"## verify --all ({args.claims:,} quotes of {args.pages} pages kept as snapshots)", "",
        "| target | measured | |", "| --- | --- | --- |",
        f"| verify --all over 10,000 claims under 60 s | {seconds:.1f} s ({seconds / len(results) * 1000:.1f} ms a "
        f"claim, each result recorded) | {'met' if seconds < 60 * len(results) / 10_000 else 'missed'} |", "",
        "Results: " + ", ".join(f"{name} {count:,}" for name, count in counts.items()) + ".", "",
    ]))


if __name__ == "__main__":
    main()
