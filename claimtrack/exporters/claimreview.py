"""schema.org ClaimReview JSON-LD, for claims that have a verdict."""

from __future__ import annotations

import json

from claimtrack.errors import ClaimtrackError

NAMES = ["claimreview"]
# The 1-5 scale fact-checkers publish; a verdict without a place on it gets no rating value.
RATINGS = {"refuted": 1, "misleading": 2, "mixed": 3, "supported": 5}


def review(record: dict, publisher: str, base_url: str) -> dict | None:
    """The ClaimReview of a record, or None while it is unverified."""
    if record["verdict"] == "unverified":
        return None
    verdicts = [h for h in record["history"] if h["field"] == "verdict"]
    appearances = [a["source"] for a in record["appearances"]]
    if record.get("source"):
        appearances.insert(0, record["source"])
    works = [{"@type": "CreativeWork", "url": s["url"], **({"datePublished": s["published_on"]} if s.get("published_on") else {})}
             for s in appearances if s.get("url")]
    item = {"@type": "Claim", "author": {"@type": "Person", "name": record["speaker"]["name"]}}
    if record.get("role"):
        item["author"]["jobTitle"] = record["role"]
    if record.get("said_on"):
        item["datePublished"] = record["said_on"]
    if works:
        item["firstAppearance"] = works[0]
        item["appearance"] = works
    rating = {"@type": "Rating", "alternateName": record["verdict"]}
    if record["verdict"] in RATINGS:
        rating.update(ratingValue=RATINGS[record["verdict"]], bestRating=5, worstRating=1)
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": base_url.rstrip("/") + "/" + record["uuid"],
        "claimReviewed": record["text"],
        "itemReviewed": item,
        "reviewRating": rating,
        "datePublished": verdicts[-1]["effective_on"] if verdicts else record["updated_at"][:10],
        "author": {"@type": "Organization", "name": publisher},
    }


def export(store, where, out, options) -> int:
    """Write a JSON array of ClaimReview objects; return how many."""
    publisher, base_url = options.get("publisher"), options.get("base_url")
    if not publisher or not base_url:
        raise ClaimtrackError("The claimreview format needs --publisher NAME and --base-url URL.", exit_code=2)
    count = 0
    out.write("[")
    for record in store.records(where):
        reviewed = review(record, publisher, base_url)
        if reviewed is None:
            continue
        out.write(",\n" if count else "\n")
        out.write(json.dumps(reviewed, ensure_ascii=False, sort_keys=True, indent=2))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count
