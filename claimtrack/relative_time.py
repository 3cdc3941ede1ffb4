"""How long ago a stored time was, in words: "2 minutes ago", "yesterday", "3 days ago"."""

from __future__ import annotations

import datetime as dt


def ago(stamp: str, now: dt.datetime | None = None) -> str:
    """STAMP (stored UTC, ISO 8601 to the second) as words relative to NOW (default: this moment)."""
    then = dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
    now = now or dt.datetime.now(dt.timezone.utc)
    seconds = int((now - then).total_seconds())
    if seconds < 0:
        return "just now" if seconds > -60 else f"at {stamp}"
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            if unit == "day" and count == 1:
                return "yesterday"
            if unit == "day" and count > 30:
                return f"on {stamp[:10]}"
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    return "just now" if seconds < 10 else f"{seconds} seconds ago"
