"""How well extraction does on a labelled article set (tests/fixtures/articles/): precision and recall of
quotes, accuracy of speakers and dates, as the extraction contract defines them."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ARTICLE_SUFFIXES = {".txt": "text", ".md": "markdown", ".html": "html"}


def normalise(text: str | None) -> str:
    """NFKC, case-folded, only letters and digits kept, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = "".join(ch if ch.isalnum() or ch.isspace() else "" for ch in text)
    return " ".join(text.split())


def speaker_key(name: str | None) -> str:
    """A speaker's name normalised as quotes are, a leading "the" dropped."""
    return re.sub(r"^the ", "", normalise(name))


@dataclass
class Score:
    """Counts over a set; the figures are properties."""

    predicted: int = 0
    labelled: int = 0
    matched_predictions: int = 0
    matched_labels: int = 0
    right_speakers: int = 0
    right_dates: int = 0
    misses: list = field(default_factory=list)
    extras: list = field(default_factory=list)
    wrong_speakers: list = field(default_factory=list)
    wrong_dates: list = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched_predictions / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched_labels / self.labelled if self.labelled else 1.0

    @property
    def speaker_accuracy(self) -> float:
        return self.right_speakers / self.matched_labels if self.matched_labels else 1.0

    @property
    def date_accuracy(self) -> float:
        return self.right_dates / self.matched_labels if self.matched_labels else 1.0


def articles(folder: Path) -> list[tuple[Path, Path]]:
    """(article, labels) pairs of FOLDER, in number order."""
    pairs = []
    for path in sorted(folder.iterdir()):
        if path.suffix in ARTICLE_SUFFIXES and path.with_suffix(".json").exists():
            pairs.append((path, path.with_suffix(".json")))
    return pairs


def predict(path: Path, labels: dict):
    """The candidates extraction proposes for one article file of the set."""
    from claimtrack.dates import from_iso
    from claimtrack.extract.article import read_article
    from claimtrack.extract.candidates import extract_quotes

    article = read_article(path.read_bytes(), ARTICLE_SUFFIXES[path.suffix])
    published = from_iso(labels["published"]) if labels.get("published") else article.published
    return extract_quotes(article.text, published=published)


def score(folder: Path) -> Score:
    """Precision, recall, speaker and date accuracy of extraction over every article of FOLDER."""
    total = Score()
    for path, label_path in articles(folder):
        labels = json.loads(label_path.read_text(encoding="utf-8"))
        predicted = predict(path, labels)
        add(total, path.name, predicted, labels.get("quotes", []))
    return total


def add(total: Score, name: str, predicted, labelled: list[dict]) -> None:
    """Count one article's predictions against its labels into TOTAL."""
    by_key = {}
    for label in labelled:
        by_key.setdefault(normalise(label["quote"]), label)
    total.predicted += len(predicted)
    total.labelled += len(labelled)
    seen = set()
    for candidate in predicted:
        key = normalise(candidate.quote)
        label = by_key.get(key)
        if label is None:
            total.extras.append((name, candidate.quote, candidate.speaker))
            continue
        total.matched_predictions += 1
        if key in seen:
            continue
        seen.add(key)
        if speaker_key(candidate.speaker) == speaker_key(label.get("speaker")):
            total.right_speakers += 1
        else:
            total.wrong_speakers.append((name, label["quote"][:50], label.get("speaker"), candidate.speaker))
        said = (candidate.said.value, candidate.said.precision) if candidate.said else (None, None)
        if said == (label.get("said"), label.get("said_precision")):
            total.right_dates += 1
        else:
            total.wrong_dates.append((name, label["quote"][:50], (label.get("said"), label.get("said_precision")), said))
    matched = {normalise(c.quote) for c in predicted}
    for label in labelled:
        if normalise(label["quote"]) in matched:
            total.matched_labels += 1
        else:
            total.misses.append((name, label["quote"], label.get("speaker")))
