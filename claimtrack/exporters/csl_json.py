"""CSL-JSON: the sources the selected claims cite, for Pandoc --citeproc and Zotero.

Each source is cited by its URL as the user gave it (as every export cites it). Its type, the first
rule that fits:
- `post`: a page on a social network (x.com, twitter.com, facebook.com, instagram.com, threads.net,
  bsky.app, tiktok.com, weibo.com, linkedin.com, reddit.com, t.me, truthsocial.com, youtube.com, or a
  host whose name starts with mastodon.);
- `report`: a PDF, a government body's page (a .gov, .gov.xx, .gouv.xx, .gc.ca, .mil or europa.eu
  host), or a title or URL that says "report" or "press release";
- `article-newspaper`: a page with an outlet;
- `webpage`: anything else.
A date keeps its precision (a week or quarter is a range of days or months), its approximation
(`circa`) and a season (`season`: 1 spring, 2 summer, 3 autumn, 4 winter).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from urllib.parse import urlsplit

from claimtrack import dates
from claimtrack.urls import normalize_url

NAMES = ["csl-json", "csl"]
SOCIAL = {"x.com", "twitter.com", "facebook.com", "fb.com", "instagram.com", "threads.net", "bsky.app",
          "tiktok.com", "weibo.com", "weibo.cn", "linkedin.com", "reddit.com", "t.me", "truthsocial.com",
          "youtube.com", "youtu.be"}
GOVERNMENT = re.compile(r"(^|\.)(gov|mil)(\.[a-z]{2})?$|(^|\.)gouv\.[a-z]{2}$|(^|\.)gc\.ca$|(^|\.)europa\.eu$")
SAYS_REPORT = re.compile(r"(?<![a-z])reports?(?![a-z])|press[\s_-]*releases?", re.IGNORECASE)
SEASONS = {"spring": 1, "summer": 2, "autumn": 3, "fall": 3, "winter": 4}


def kind(source: dict) -> str:
    """The CSL type of a source (the rules are in the module docstring)."""
    url = source.get("url") or ""
    parts = urlsplit(url) if url else None
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.") if parts else ""
    if host in SOCIAL or host.startswith("mastodon."):
        return "post"
    if (parts and parts.path.lower().endswith(".pdf")) or GOVERNMENT.search(host) \
            or SAYS_REPORT.search(source.get("title") or "") or SAYS_REPORT.search(url):
        return "report"
    return "article-newspaper" if source.get("outlet") else "webpage"


def _parts(day: dt.date, precision: str) -> list[int]:
    return {"year": [day.year], "month": [day.year, day.month]}.get(precision, [day.year, day.month, day.day])


def date_parts(value: str, precision: str | None, approximate: bool = False, qualifier: str | None = None) -> dict:
    """A CSL date at the precision known: [[2024]], [[2024, 2]], [[2024, 2, 19]], a week or quarter as a
    range; approximate dates are circa, a season is given as one."""
    date = dates.from_iso(value, precision)
    if date.precision == "week":
        parts = [_parts(date.start, "day"), _parts(date.end, "day")]
    elif date.precision == "quarter":
        parts = [_parts(date.start, "month"), _parts(date.end, "month")]
    else:
        parts = [_parts(date.start, date.precision)]
    entry: dict = {"date-parts": parts}
    if qualifier in SEASONS:
        entry["season"] = SEASONS[qualifier]
    elif approximate or qualifier:
        entry["circa"] = True
    return entry


def item(source: dict) -> dict:
    """The CSL item of one source; its id is stable across databases."""
    key = normalize_url(source["url"]) if source.get("url") else "|".join(
        str(source.get(k) or "") for k in ("outlet", "title", "published_on"))
    entry = {"id": "src-" + hashlib.sha256(key.encode()).hexdigest()[:12], "type": kind(source)}
    for csl, field in (("title", "title"), ("container-title", "outlet"), ("URL", "url")):
        if source.get(field):
            entry[csl] = source[field]
    if source.get("published_on"):
        entry["issued"] = date_parts(source["published_on"], source.get("published_precision"),
                                     bool(source.get("published_approximate")), source.get("published_qualifier"))
    if source.get("recorded_at"):
        entry["accessed"] = date_parts(source["recorded_at"][:10], "day")
    return entry


def sources_of(record: dict):
    """Every source a record cites: where it appeared, and its evidence."""
    if record.get("source"):
        yield record["source"]
    for appearance in record["appearances"]:
        yield appearance["source"]
    for evidence in record["evidence"]:
        yield evidence["source"]


def export(store, where, out, options) -> int:
    """Write the distinct sources as a CSL-JSON array, sorted by id; return how many."""
    items: dict[str, dict] = {}
    for record in store.records(where):
        for source in sources_of(record):
            entry = item(source)
            items.setdefault(entry["id"], entry)
    out.write(json.dumps([items[k] for k in sorted(items)], ensure_ascii=False, indent=2) + "\n")
    return len(items)
