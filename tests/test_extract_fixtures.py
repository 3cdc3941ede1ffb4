"""The labelled article set for quote extraction (tests/fixtures/articles/) is itself well formed.

These tests check the set, not any extractor: every article has its labels and every label file its
article, the labels have the shape the extraction contract gives, every labelled quote and not-quote
can be found in the article's text, and every said-date is a valid reduced ISO date of its precision.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest

ARTICLES = Path(__file__).parent / "fixtures" / "articles"
ARTICLE_SUFFIXES = (".txt", ".md", ".html")
NAME = re.compile(r"^(\d\d)-[a-z0-9]+(?:-[a-z0-9]+)*$")
PRECISIONS = {"day", "week", "month", "year"}
DATE_SHAPES = {
    "day": re.compile(r"^\d{4}-\d\d-\d\d$"),
    "week": re.compile(r"^\d{4}-\d\d-\d\d$"),
    "month": re.compile(r"^\d{4}-\d\d$"),
    "year": re.compile(r"^\d{4}$"),
}
# A piece of a quote is found in the article as one unbroken run of words; a quote made of more
# pieces than this is more likely words scattered over the page than one speaker's quote.
MOST_PIECES = 8


def article_files() -> list[Path]:
    """Every article of the set, in number order."""
    return sorted(p for p in ARTICLES.iterdir() if p.suffix in ARTICLE_SUFFIXES and p.name != "README.md")


def label_files() -> list[Path]:
    """Every label file of the set, in number order."""
    return sorted(ARTICLES.glob("*.json"))


class _PageText(HTMLParser):
    """The text a reader sees on a page: tags removed, entities unescaped, scripts and styles left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skipping += 1
        elif tag in ("p", "br", "div", "h1", "h2", "h3", "li", "blockquote", "article", "section", "header", "footer"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skipping:
            self._skipping -= 1
        elif tag in ("p", "div", "h1", "h2", "h3", "li", "blockquote"):
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def article_text(path: Path) -> str:
    """The readable text of an article file (for a page, without its markup)."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix != ".html":
        return raw
    parser = _PageText()
    parser.feed(raw)
    parser.close()
    return html.unescape("".join(parser.parts))


def words(text: str) -> list[str]:
    """Text as the scorer compares it: NFKC, case-folded, only letters and digits, split into words."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(c if c.isalnum() else " " for c in folded).split()


def pieces_in_order(quote: list[str], text: list[str]) -> int | None:
    """How many unbroken runs of TEXT, in order, make up QUOTE (longest run first); None if they do not."""
    at, pieces, start = 0, 0, 0
    while at < len(quote):
        best_len, best_end = 0, None
        for i in range(start, len(text)):
            n = 0
            while at + n < len(quote) and i + n < len(text) and text[i + n] == quote[at + n]:
                n += 1
            if n > best_len:
                best_len, best_end = n, i + n
                if at + n == len(quote):
                    break
        if not best_len:
            return None
        at += best_len
        start = best_end
        pieces += 1
    return pieces


def labels(path: Path) -> dict:
    """The parsed label file of an article."""
    return json.loads(path.read_text(encoding="utf-8"))


def resolved(value: str, precision: str) -> dt.date:
    """The first day a reduced ISO date of PRECISION stands for."""
    if precision == "year":
        return dt.date(int(value), 1, 1)
    if precision == "month":
        year, month = value.split("-")
        return dt.date(int(year), int(month), 1)
    return dt.date.fromisoformat(value)


def published_date(value: str) -> tuple[dt.date, str]:
    """The publication date of a label file and the precision it is given at."""
    for precision in ("day", "month", "year"):
        if DATE_SHAPES[precision].match(value):
            return resolved(value, precision), precision
    raise AssertionError(f"published {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")


ALL = article_files()
LABELS = label_files()


def test_the_set_is_large_enough():
    quotes = sum(len(labels(p)["quotes"]) for p in LABELS)
    assert len(ALL) >= 32, len(ALL)
    assert quotes >= 120, quotes
    assert sum(not labels(p)["quotes"] for p in LABELS) >= 2, "a few articles have no quote at all"


def test_articles_are_numbered_one_to_n_with_one_file_each():
    numbers = [int(NAME.match(p.stem).group(1)) for p in ALL]
    assert numbers == list(range(1, len(ALL) + 1)), numbers
    assert all(NAME.match(p.stem) for p in ALL)


def test_every_article_has_labels_and_every_label_an_article():
    assert sorted(p.stem for p in ALL) == sorted(p.stem for p in LABELS)


@pytest.mark.parametrize("path", LABELS, ids=lambda p: p.stem)
def test_label_file_has_the_contract_fields(path):
    data = labels(path)
    assert set(data) == {"published", "quotes", "not_quotes"}
    published_date(data["published"])
    assert isinstance(data["quotes"], list) and isinstance(data["not_quotes"], list)
    for quote in data["quotes"]:
        assert set(quote) == {"quote", "speaker", "role", "said", "said_precision"}, quote
        assert isinstance(quote["quote"], str) and quote["quote"].strip() == quote["quote"] and quote["quote"]
        assert isinstance(quote["speaker"], str) and quote["speaker"].strip()
        assert not quote["speaker"].lower().startswith("the "), "organisations are named without a leading 'the'"
        assert quote["role"] is None or (isinstance(quote["role"], str) and quote["role"].strip())
        # The marks are not part of the quote.
        assert quote["quote"][0] not in "\"'“”‘’«»", quote["quote"]
    for entry in data["not_quotes"]:
        assert isinstance(entry, str) and entry.strip() == entry and entry


@pytest.mark.parametrize("path", LABELS, ids=lambda p: p.stem)
def test_said_dates_are_reduced_iso_dates_of_their_precision(path):
    data = labels(path)
    published, _ = published_date(data["published"])
    for quote in data["quotes"]:
        said, precision = quote["said"], quote["said_precision"]
        assert (said is None) == (precision is None), quote
        if said is None:
            continue
        assert precision in PRECISIONS, quote
        assert DATE_SHAPES[precision].match(said), quote
        start = resolved(said, precision)  # raises on a date that does not exist
        if precision == "week":
            assert start.weekday() == 0, f"a week is given by its Monday: {quote}"
        assert start <= published, f"said after the article was published: {quote}"


def _article_of(label: Path) -> Path:
    return next(p for p in ALL if p.stem == label.stem)


@pytest.mark.parametrize("path", LABELS, ids=lambda p: p.stem)
def test_every_labelled_quote_is_in_the_article(path):
    text = words(article_text(_article_of(path)))
    for quote in labels(path)["quotes"]:
        pieces = pieces_in_order(words(quote["quote"]), text)
        assert pieces is not None, f"not in the article: {quote['quote']!r}"
        assert pieces <= MOST_PIECES, f"{pieces} pieces: {quote['quote']!r}"


@pytest.mark.parametrize("path", LABELS, ids=lambda p: p.stem)
def test_every_not_quote_is_in_the_article_and_is_no_quote(path):
    data = labels(path)
    text = " ".join(words(article_text(_article_of(path))))
    quoted = {" ".join(words(q["quote"])) for q in data["quotes"]}
    for entry in data["not_quotes"]:
        folded = " ".join(words(entry))
        assert f" {folded} " in f" {text} ", f"not in the article: {entry!r}"
        assert folded not in quoted, f"both a quote and a not-quote: {entry!r}"


@pytest.mark.parametrize("path", [p for p in ALL if p.suffix == ".html"], ids=lambda p: p.stem)
def test_pages_are_whole_news_pages(path):
    raw = path.read_text(encoding="utf-8").lower()
    assert "<html" in raw and "<article" in raw and "</article>" in raw


def test_the_pieces_check_can_fail():
    text = words("“The gap,” he said, “is widening.” Nothing else was said.")
    assert pieces_in_order(words("The gap, is widening."), text) == 2
    assert pieces_in_order(words("The gap is closing."), text) is None
    assert pieces_in_order(words("is widening. The gap,"), text) is None


def test_page_text_drops_tags_and_scripts_and_unescapes_entities(tmp_path):
    page = tmp_path / "01-x.html"
    page.write_text(
        '<html><head><script type="application/ld+json">{"a": "hidden"}</script></head>'
        "<body><article><p>&ldquo;Fish&rdquo; &amp; <b>chips</b></p></article></body></html>",
        encoding="utf-8",
    )
    text = article_text(page)
    assert "hidden" not in text and "“Fish” & chips" in text
