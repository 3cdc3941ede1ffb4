"""schema.org ClaimReview JSON-LD, as fact-checkers publish it.

Read from a JSON-LD document (one ClaimReview, an array, an `@graph`, or the DataFeed wrapper of the
public ClaimReview feeds) or from the `<script type="application/ld+json">` blocks of an HTML page. Every
ClaimReview node is imported, wherever it sits; other nodes (WebPage, Organization...) are passed over.

The verdict comes from the publisher's words (`reviewRating.alternateName`): a `ratingValue` is on the
publisher's own scale, so a number alone decides nothing. The label is kept in the note of the verdict
change ("Rated 'Pants on Fire' by PolitiFact: <review URL>"), or, when it maps to no verdict, in the
claim's note. A review exported by claimtrack carries the claim's uuid, kind and speaker's role, so it
is recognised as the claim it came from.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator

from claimtrack.errors import ClaimtrackError
from claimtrack.exporters.claimreview import QUOTATION
from claimtrack.importers import json_document, json_text, whole_text
from claimtrack.interchange import derived_uuid
from claimtrack.model import VERDICTS

NAMES = ["claimreview"]

# Publishers' labels, folded (lower case, one space, no end punctuation), by the verdict each means.
LABELS = {
    "supported": ("true", "correct", "accurate", "verified", "supported"),
    "refuted": ("false", "incorrect", "inaccurate", "pants on fire", "fake", "fabricated", "hoax", "wrong",
                "refuted"),
    "mixed": ("mostly true", "half true", "half-true", "mixture", "mixed", "partly false", "partly true",
              "partially false", "partially true", "mostly false"),
    "misleading": ("misleading", "missing context", "out of context", "lacks context", "needs context"),
    "unprovable": ("unproven", "unsupported", "unverifiable", "unprovable", "no evidence"),
}
BY_LABEL = {label: verdict for verdict, labels in LABELS.items() for label in labels}
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def verdict_of(label: str | None) -> str:
    """The verdict a publisher's textual rating means; unverified when it is not one of the known labels."""
    if not label:
        return "unverified"
    folded = re.sub(r"\s+", " ", label.strip().lower()).rstrip(".!")
    return folded if folded in VERDICTS else BY_LABEL.get(folded, "unverified")


def _types(node: dict) -> set[str]:
    """The node's @type names, whether one or a list, short or a full schema.org IRI."""
    given = node.get("@type")
    given = given if isinstance(given, list) else [given]
    return {re.split(r"[/:#]", t)[-1] for t in given if isinstance(t, str)}


def reviews(document) -> Iterator[dict]:
    """Every ClaimReview node in a JSON-LD value, in document order, however deep (without recursion)."""
    pending = [document]
    while pending:
        node = pending.pop()
        if isinstance(node, dict) and "ClaimReview" in _types(node):
            yield node
            continue
        children = node if isinstance(node, list) else node.values() if isinstance(node, dict) else ()
        pending.extend(reversed([c for c in children if isinstance(c, (dict, list))]))


def _first(value):
    """The first of a list, or the value itself."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _text(value) -> str | None:
    value = _first(value)
    return value.strip() or None if isinstance(value, str) else None


def _name(person) -> str | None:
    person = _first(person)
    if isinstance(person, dict):
        return _text(person.get("name"))
    return _text(person)


def _uuid(value) -> str | None:
    """A claimtrack uuid given as an identifier (or at the end of a URL)."""
    value = _text(value)
    if value is None:
        return None
    match = _UUID.search(value.lower())
    return match.group() if match and value.lower().endswith(match.group()) else None


class _Place:
    """Where a review sits, for messages."""

    def __init__(self, path: Path, place: str):
        self.path, self.place = path, place

    def error(self, message: str) -> ClaimtrackError:
        return ClaimtrackError(f"{self.path}, {self.place}: {message}. Nothing was imported.")

    def date(self, value, field: str) -> str | None:
        """An ISO 8601 date (a time is cut to its day) at the precision given."""
        if value is None or value == "":
            return None
        if isinstance(value, str) and (match := _DATE.match(value.strip())):
            rest = value.strip()[match.end():]
            if not rest or (len(match.group()) == 10 and rest[0] in "T "):
                return match.group()
        raise self.error(f"{field} is not a date such as 2024-02-19 (got {value!r})")


def _source(work, place: _Place, field: str) -> dict | None:
    work = _first(work)
    if isinstance(work, str):
        return {"url": work}
    if not isinstance(work, dict):
        return None
    source = {"url": _text(work.get("url")), "title": _text(work.get("headline")) or _text(work.get("name")),
              "outlet": _name(work.get("publisher")), "published_on": place.date(work.get("datePublished"), field)}
    return source if any(source.values()) else None


def _rated(label: str | None, rating: dict, author: str | None, url: str | None) -> str | None:
    """What the publisher said, in words: "Rated 'False' by PolitiFact: https://..."."""
    if label:
        said = f"Rated '{label}'"
    elif rating.get("ratingValue") is not None:
        scale = (f" on a scale of {rating['worstRating']} to {rating['bestRating']}"
                 if rating.get("worstRating") is not None and rating.get("bestRating") is not None else "")
        said = f"Rated {rating['ratingValue']}{scale}"
    elif author or url:
        said = "Reviewed"
    else:
        return None
    return said + (f" by {author}" if author else "") + (f": {url}" if url else "")


def record(review: dict, place: _Place) -> dict:
    """The interchange record of one ClaimReview."""
    text = _text(review.get("claimReviewed"))
    if text is None:
        raise place.error("this ClaimReview has no claimReviewed (the claim's text)")
    item = _first(review.get("itemReviewed"))
    item = item if isinstance(item, dict) else {}
    speaker = _name(item.get("author"))
    if speaker is None:
        raise place.error("the claim has no author (itemReviewed.author), and claimtrack needs its speaker")
    author = _first(item.get("author"))
    url = _text(review.get("url"))
    key = url or f"{speaker}|{text}"
    record_uuid = _uuid(review.get("identifier")) or _uuid(url) or derived_uuid("claimreview", key)
    additional = item.get("additionalType")
    additional = additional if isinstance(additional, list) else [additional]

    source = _source(item.get("firstAppearance"), place, "itemReviewed.firstAppearance.datePublished")
    works = item.get("appearance")
    works = works if isinstance(works, list) else [works] if works else []
    appearances = []
    for n, work in enumerate(works):
        seen = _source(work, place, f"itemReviewed.appearance[{n}].datePublished")
        if seen is None or seen == source:
            continue
        identifier = _uuid(work.get("identifier")) if isinstance(work, dict) else None
        if source is None and identifier is None:
            source = seen  # a publisher's first appearance, given only in the list
            continue
        appearances.append({"uuid": identifier or derived_uuid(record_uuid, "appearance", seen["url"] or str(n)),
                            "source": seen})

    rating = _first(review.get("reviewRating"))
    rating = rating if isinstance(rating, dict) else {}
    label = _text(rating.get("alternateName"))
    verdict = verdict_of(label)
    rated = _rated(label, rating, _name(review.get("author")), url)
    reviewed = place.date(review.get("datePublished"), "datePublished")
    history = []
    if verdict != "unverified":
        history.append({
            "uuid": _uuid(rating.get("identifier")) or derived_uuid(record_uuid, "claimreview", key, verdict),
            "field": "verdict", "old": "unverified", "new": verdict, "note": rated,
            "at": reviewed if reviewed and len(reviewed) == 10 else None, "effective_on": reviewed,
        })
    return {
        "uuid": record_uuid,
        "kind": "quote" if QUOTATION in additional or "Quotation" in additional else "claim",
        "text": text,
        "speaker": {"name": speaker, "aliases": []},
        "role": _text(author.get("jobTitle")) if isinstance(author, dict) else None,
        "said_on": place.date(item.get("datePublished"), "itemReviewed.datePublished"),
        "source": source,
        "appearances": appearances,
        "verdict": verdict,
        "history": history,
        # (only when the label is nowhere else: a ClaimReview carries no note to replace the claim's own)
        **({"note": rated} if verdict == "unverified" and rated else {}),
    }


class _Scripts(HTMLParser):
    """The JSON-LD blocks of an HTML page, each with the line it starts on."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.blocks: list[tuple[int, str]] = []
        self._open: tuple[int, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        kind = (dict(attrs).get("type") or "").split(";")[0].strip().lower()
        if tag == "script" and kind == "application/ld+json":
            self._open = (self.getpos()[0] + (self.get_starttag_text() or "").count("\n"), [])

    def handle_data(self, data):
        if self._open is not None:
            self._open[1].append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._open is not None:
            self.blocks.append((self._open[0], "".join(self._open[1])))
            self._open = None


def documents(path: Path) -> Iterator[object]:
    """The JSON-LD documents of the file: the file itself, or each block of an HTML page."""
    text = whole_text(path)
    if not text.lstrip("\ufeff \t\r\n").startswith("<"):
        yield json_document(path)
        return
    scripts = _Scripts()
    scripts.feed(text)
    scripts.close()
    for line, block in scripts.blocks:
        yield json_text(block, f"{path}, the JSON-LD block at line {line}", line)


def read(path: Path) -> Iterator[tuple[str, object]]:
    """Each ClaimReview of the file."""
    number = 0
    for document in documents(path):
        for review in reviews(document):
            number += 1
            yield f"ClaimReview {number}", record(review, _Place(path, f"ClaimReview {number}"))
    if number == 0:
        raise ClaimtrackError(f"{path} holds no ClaimReview: there is nothing to import.")
