"""Quote verification: accuracy on the labelled set in tests/fixtures/verify, and speed.

    .venv/bin/python benchmarks/verify.py            # prints a Markdown section
    .venv/bin/python benchmarks/verify.py --runs 3000  # fewer verifications in the bulk run

Speed is measured in this process, on the library (claimtrack.verify), not through the command line:
one quote against the 20,000-word digest with the source's word index built afresh every time (as for a
claim whose snapshot has not been read yet), and a bulk run of verifications each against a source of
article size that no earlier run has indexed (every source differs by its first line).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURES = ROOT / "tests" / "fixtures" / "verify"
LONG_QUOTES = [
    "Our model was trained on 4 million clips, and it still cannot draw a hand",
    "It is ... solved, and it will ... be solved by next year",
    "WE SHOULD NOT PRETEND THE PROBLEM IS SOLVED",
    "Our model was trained on synthetic data from game engines",
    "Our model was trained on 40 million clips, and it still cannot draw a hand",
]


def _forget() -> None:
    from claimtrack.verify import align, language

    align.source_index.cache_clear()
    language._source_language.cache_clear()


def accuracy() -> tuple[int, int, Counter, list[str]]:
    """(right, total, cases by expected class, ids of wrong cases) on the labelled set."""
    from claimtrack.verify import verify_quote

    cases = json.loads((FIXTURES / "cases.json").read_text(encoding="utf-8"))
    wrong = []
    for case in cases:
        found = verify_quote(case["quote"], (FIXTURES / case["source"]).read_text(encoding="utf-8"))
        if found.result != case["expected"] or list(found.meaning_flags) != case["meaning_flags"]:
            wrong.append(case["id"])
    return len(cases) - len(wrong), len(cases), Counter(case["expected"] for case in cases), wrong


def long_source(runs: int = 15) -> list[tuple[str, float, float]]:
    """Each long-source quote: (quote, median ms with the index built afresh, median ms with it kept)."""
    from claimtrack.verify import verify_quote

    text = (FIXTURES / "long-briefing.txt").read_text(encoding="utf-8")
    rows = []
    for quote in LONG_QUOTES:
        cold, warm = [], []
        for _ in range(runs):
            _forget()
            start = time.perf_counter()
            verify_quote(quote, text)
            cold.append(time.perf_counter() - start)
            start = time.perf_counter()
            verify_quote(quote, text)
            warm.append(time.perf_counter() - start)
        rows.append((quote, statistics.median(cold) * 1000, statistics.median(warm) * 1000))
    return rows


def bulk(count: int) -> tuple[float, Counter, float]:
    """COUNT verifications, each against an article of the set made unique: (seconds, results, the mean
    number of words of a source)."""
    from claimtrack.verify import verify_quote

    cases = [case for case in json.loads((FIXTURES / "cases.json").read_text(encoding="utf-8"))
             if case["source"] != "long-briefing.txt"]
    texts = {case["source"]: (FIXTURES / case["source"]).read_text(encoding="utf-8") for case in cases}
    # A news page runs to several hundred words: each English article of the set is checked with another
    # article after it (the Chinese one stays short).
    names = sorted(name for name in texts if name != "zh-report.txt")
    for i, name in enumerate(names):
        texts[name] += "\n\n" + (FIXTURES / names[(i + 1) % len(names)]).read_text(encoding="utf-8")
    results: Counter = Counter()
    _forget()
    start = time.perf_counter()
    for number in range(count):
        case = cases[number % len(cases)]
        results[verify_quote(case["quote"], f"Copy {number}\n\n" + texts[case["source"]]).result] += 1
    seconds = time.perf_counter() - start
    sizes = [len(texts[case["source"]].split()) for case in cases if case["source"] != "zh-report.txt"]
    return seconds, results, statistics.mean(sizes)


def markdown(runs: int) -> str:
    """The benchmark's section, in Markdown."""
    right, total, classes, wrong = accuracy()
    long_rows = long_source()
    seconds, results, article_words = bulk(runs)
    words = len((FIXTURES / "long-briefing.txt").read_text(encoding="utf-8").split())
    lines = [
        "## Quote verification",
        "",
        f"Accuracy on the labelled set (tests/fixtures/verify/cases.json): **{right}/{total}** "
        f"({right / total:.2f}), class and meaning flags both right"
        + (f"; wrong: {', '.join(wrong)}" if wrong else "") + ".",
        "",
        "| class | cases |",
        "|---|---|",
        *[f"| {name} | {classes[name]} |" for name in sorted(classes)],
        "",
        f"One quote against the {words:,}-word digest (median of 15; the source's index built afresh, then kept):",
        "",
        "| quote | afresh | index kept |",
        "|---|---|---|",
        *[f"| {quote} | {cold:.1f} ms | {warm:.2f} ms |" for quote, cold, warm in long_rows],
        "",
        f"Median over those quotes, index built afresh: **{statistics.median(r[1] for r in long_rows):.1f} ms** "
        "(target under 20 ms).",
        "",
        f"{runs:,} verifications, each against a different article-sized source (the English ones about "
        f"{article_words:.0f} words; never indexed before): **{seconds:.1f} s** "
        f"({seconds / runs * 1000:.2f} ms each; target well under 60 s). "
        "Results: " + ", ".join(f"{name} {n:,}" for name, n in sorted(results.items())) + ".",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    """Prints the Markdown section (accuracy, then speed)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10000, help="verifications in the bulk run")
    args = parser.parse_args()
    print(markdown(args.runs))


if __name__ == "__main__":
    main()
