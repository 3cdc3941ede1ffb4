"""Quote extraction measured on the labelled article set (tests/fixtures/articles/), as the extraction
contract scores it: precision and recall of quotes, accuracy of speakers and dates."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimtrack.extract.scoring import articles, score

ARTICLES = Path(__file__).parent / "fixtures" / "articles"
FEWEST = 32


def test_extraction_quality_on_the_labelled_set():
    count = len(articles(ARTICLES)) if ARTICLES.is_dir() else 0
    if count < FEWEST:
        pytest.skip(f"the labelled set has {count} articles; the measure needs at least {FEWEST}")
    result = score(ARTICLES)
    print(f"\n{count} articles, {result.labelled} labelled quotes, {result.predicted} proposed")
    print(f"precision {result.precision:.3f}  recall {result.recall:.3f}  "
          f"speakers {result.speaker_accuracy:.3f}  dates {result.date_accuracy:.3f}")
    for name, quote, speaker in result.misses:
        print(f"missed: {name}: {quote[:70]!r} ({speaker})")
    for name, quote, speaker in result.extras:
        print(f"not a labelled quote: {name}: {quote[:70]!r} ({speaker})")
    assert result.precision >= 0.95, result.extras
    assert result.recall >= 0.95, result.misses
    assert result.speaker_accuracy >= 0.9, result.wrong_speakers
