"""Quote extraction on the labelled article set: its quality figures and its speed.

Run: .venv/bin/python benchmarks/extract.py (prints a Markdown section)."""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claimtrack.dates import from_iso  # noqa: E402
from claimtrack.extract.article import read_article  # noqa: E402
from claimtrack.extract.candidates import extract_quotes  # noqa: E402
from claimtrack.extract.scoring import ARTICLE_SUFFIXES, articles, score  # noqa: E402

ARTICLES = ROOT / "tests" / "fixtures" / "articles"


def main() -> None:
    """Print the quality figures and the speed of extraction over the set, as a Markdown section."""
    pairs = articles(ARTICLES)
    print("## Quote extraction\n")
    if not pairs:
        print("No labelled articles in tests/fixtures/articles/.\n")
        return
    result = score(ARTICLES)
    texts = []
    for path, label_path in pairs:
        labels = json.loads(label_path.read_text(encoding="utf-8"))
        article = read_article(path.read_bytes(), ARTICLE_SUFFIXES[path.suffix])
        published = from_iso(labels["published"]) if labels.get("published") else article.published
        texts.append((article.text, published))
    per_thousand = []
    for text, published in texts:
        extract_quotes(text, published=published)  # warm: the first call compiles patterns
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            extract_quotes(text, published=published)
            runs.append(time.perf_counter() - start)
        per_thousand.append(min(runs) * 1000 * 1000 / max(1, len(text.split())))
    start = time.perf_counter()
    for i in range(1000):
        text, published = texts[i % len(texts)]
        extract_quotes(text, published=published)
    total = time.perf_counter() - start
    print(f"{len(pairs)} labelled articles, {result.labelled} quotes; {result.predicted} proposed.\n")
    print("| measure | value | target |")
    print("|---|---|---|")
    print(f"| precision | {result.precision:.3f} | >= 0.95 |")
    print(f"| recall | {result.recall:.3f} | >= 0.95 |")
    print(f"| speaker accuracy | {result.speaker_accuracy:.3f} | >= 0.9 |")
    print(f"| date accuracy | {result.date_accuracy:.3f} | |")
    print(f"| median time per 1,000-word article | {statistics.median(per_thousand):.1f} ms | < 30 ms |")
    print(f"| 1,000 articles (the set repeated) | {total:.1f} s | < 60 s |")
    print()


if __name__ == "__main__":
    main()
