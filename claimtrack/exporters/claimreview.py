"""schema.org ClaimReview JSON-LD, for claims that have a verdict.

Besides what fact-checkers publish, each review carries what claimtrack needs to know the claim again
when the file comes back: the claim's uuid (`identifier`; the review's `url` is the base URL plus it),
its kind (a quote's `itemReviewed` has `additionalType` schema.org/Quotation), the speaker's role
(`itemReviewed.author.jobTitle`), the uuid of each appearance (`identifier` of each work) and of the
verdict change the rating states (`reviewRating.identifier`). The author is an `Organization` when the
speaker is an organisation (the kind `speakers` shows), else a `Person`.
"""

from __future__ import annotations

import json

from claimtrack import dates
from claimtrack.errors import ClaimtrackError
from claimtrack.names import guess_speaker_kind

NAMES = ["claimreview"]
# The 1-5 scale fact-checkers publish; a verdict without a place on it gets no rating value.
RATINGS = {"refuted": 1, "misleading": 2, "mixed": 3, "supported": 5}
QUOTATION = "https://schema.org/Quotation"


def work(source: dict, identifier: str | None = None) -> dict:
    """The CreativeWork of a source, cited by its URL as the user gave it."""
    entry = {"@type": "CreativeWork"}
    for key, field in (("url", "url"), ("name", "title"), ("datePublished", "published_on")):
        if source.get(field):
            entry[key] = source[field]
    if source.get("outlet"):
        entry["publisher"] = {"@type": "Organization", "name": source["outlet"]}
    if identifier:
        entry["identifier"] = identifier
    return entry


def reviewed_on(record: dict) -> str:
    """When the review was made: the latest verdict change's date (else the day the claim was last changed),
    but never before the claim was said (a verdict dated earlier was recorded later: that day is taken)."""
    verdicts = [h for h in record["history"] if h["field"] == "verdict" and not h.get("retracted_at")]
    day = verdicts[-1]["effective_on"] if verdicts else record["updated_at"][:10]
    precision = verdicts[-1]["effective_precision"] if verdicts else "day"
    if record.get("said_on"):
        said = dates.from_iso(record["said_on"], record.get("said_precision"))
        if dates.from_iso(day, precision).end < said.start:
            recorded = verdicts[-1]["at"][:10] if verdicts else day
            day = max(recorded, said.start.isoformat())
    return day


def review(record: dict, publisher: str, base_url: str, speaker_kind: str = "person") -> dict | None:
    """The ClaimReview of a record, or None while it is unverified; SPEAKER_KIND: person or organisation."""
    if record["verdict"] == "unverified":
        return None
    verdicts = [h for h in record["history"] if h["field"] == "verdict" and not h.get("retracted_at")]
    works = [work(record["source"])] if record.get("source") else []
    works += [work(a["source"], a["uuid"]) for a in record["appearances"]]
    author = "Organization" if speaker_kind == "organisation" else "Person"
    item = {"@type": "Claim", "author": {"@type": author, "name": record["speaker"]["name"]}}
    if record["kind"] == "quote":
        item["additionalType"] = QUOTATION
    if record.get("role"):
        item["author"]["jobTitle"] = record["role"]
    if record.get("said_on"):
        item["datePublished"] = record["said_on"]
    if record.get("source"):
        item["firstAppearance"] = works[0]
    if works:
        item["appearance"] = works
    rating = {"@type": "Rating", "alternateName": record["verdict"]}
    if record["verdict"] in RATINGS:
        rating.update(ratingValue=RATINGS[record["verdict"]], bestRating=5, worstRating=1)
    if verdicts:
        rating["identifier"] = verdicts[-1]["uuid"]
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "identifier": record["uuid"],
        "url": base_url.rstrip("/") + "/" + record["uuid"],
        "claimReviewed": record["text"],
        "itemReviewed": item,
        "reviewRating": rating,
        "datePublished": reviewed_on(record),
        "author": {"@type": "Organization", "name": publisher},
    }


def export(store, where, out, options) -> int:
    """Write a JSON array of ClaimReview objects; return how many."""
    publisher, base_url = options.get("publisher"), options.get("base_url")
    if not publisher or not base_url:
        raise ClaimtrackError("The claimreview format needs --publisher NAME and --base-url URL.", exit_code=2)
    # The interchange record carries a speaker's names, not their kind: the kinds are looked up once.
    kinds = store.speaker_kinds()
    count = 0
    out.write("[")
    for record in store.records(where):
        name = record["speaker"]["name"]
        reviewed = review(record, publisher, base_url, kinds.get(name) or guess_speaker_kind(name))
        if reviewed is None:
            continue
        out.write(",\n" if count else "\n")
        out.write(json.dumps(reviewed, ensure_ascii=False, sort_keys=True, indent=2))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count
