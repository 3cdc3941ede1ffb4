"""schema.org ClaimReview JSON-LD, as fact-checkers publish it."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from claimtrack.errors import ClaimtrackError
from claimtrack.exporters.claimreview import RATINGS
from claimtrack.importers import json_document
from claimtrack.interchange import derived_uuid
from claimtrack.model import VERDICTS

NAMES = ["claimreview"]
BY_RATING = {value: verdict for verdict, value in RATINGS.items()} | {4: "supported"}


def _name(person) -> str | None:
    if isinstance(person, list):
        person = person[0] if person else None
    if isinstance(person, dict):
        return person.get("name")
    return person if isinstance(person, str) else None


def _verdict(rating: dict) -> str:
    name = str(rating.get("alternateName", "")).strip().lower()
    if name in VERDICTS:
        return name
    try:
        return BY_RATING.get(round(float(rating.get("ratingValue"))), "unverified")
    except (TypeError, ValueError):
        return "unverified"


def _source(work) -> dict | None:
    if isinstance(work, str):
        return {"url": work}
    if isinstance(work, dict) and (work.get("url") or work.get("name")):
        return {"url": work.get("url"), "title": work.get("headline") or work.get("name"),
                "published_on": (work.get("datePublished") or "")[:10] or None}
    return None


def record(review: dict, place: str, path: Path) -> dict:
    """The interchange record of one ClaimReview."""
    if "claimReviewed" not in review:
        raise ClaimtrackError(f"{path}, {place}: this ClaimReview has no claimReviewed (the claim's text). Nothing was imported.")
    item = review.get("itemReviewed") or {}
    speaker = _name(item.get("author")) or _name(review.get("itemReviewed", {}).get("name"))
    appearances = item.get("appearance") or []
    if isinstance(appearances, dict):
        appearances = [appearances]
    first = _source(item.get("firstAppearance")) or (_source(appearances[0]) if appearances else None)
    reviewed_on = (review.get("datePublished") or "")[:10]
    verdict = _verdict(review.get("reviewRating") or {})
    key = review.get("url") or f"{speaker}|{review['claimReviewed']}"
    return {
        "uuid": derived_uuid("claimreview", key),
        "kind": "claim",
        "text": review["claimReviewed"],
        "speaker": {"name": speaker, "aliases": []} if speaker else None,
        "said_on": (item.get("datePublished") or "")[:10] or None,
        "source": first,
        "verdict": verdict,
        "verdict_on": reviewed_on or None,
        "note": f"Reviewed by {_name(review.get('author'))}: {review['url']}" if review.get("url") else None,
    }


def read(path: Path) -> Iterator[tuple[str, object]]:
    """Each ClaimReview object of the document."""
    document = json_document(path)
    items = document if isinstance(document, list) else document.get("@graph", [document]) if isinstance(document, dict) else []
    for number, review in enumerate(items, start=1):
        if not isinstance(review, dict):
            raise ClaimtrackError(f"{path}, item {number}: expected a ClaimReview object. Nothing was imported.")
        yield f"item {number}", record(review, f"item {number}", path)
