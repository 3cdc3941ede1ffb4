"""The interchange record: one claim with everything about it, as JSON. Checked here before it is stored.

    {"uuid", "kind", "text", "role", "context", "note", "created_at", "updated_at", "verdict", "attribution",
     "said_on", "said_precision", "said_text", "said_approximate", "said_qualifier",
     "speaker": {"name", "aliases"}, "source": SOURCE | null, "tags": [...],
     "appearances": [{"uuid", "added_at", "source": SOURCE}],
     "evidence": [{"uuid", "stance", "quote", "note", "added_at", "source": SOURCE}],
     "history": [{"uuid", "at", "effective_on", "effective_precision", "field", "old", "new", "note",
                  "evidence": [evidence uuids]}]}
    SOURCE = {"url", "outlet", "title", "published_on", "published_precision", "published_text",
              "published_approximate", "published_qualifier", "archived_url", "recorded_at"}

Only "text" and "speaker" are required; what is missing is filled in the same way every time, so
that importing the same file twice changes nothing.
"""

from __future__ import annotations

import json
import re
import uuid as uuidlib

from claimtrack import dates, names
from claimtrack.errors import ClaimtrackError
from claimtrack.model import ATTRIBUTIONS, KINDS, STANCES, VERDICTS
from claimtrack.urls import check_url

# Derived uuids (for records that come without one) live under this namespace.
NAMESPACE = uuidlib.UUID("6f1c1b0e-6a53-4d1e-9b1e-2f0c6c1a7e55")


class RecordError(ClaimtrackError):
    """A record that cannot be imported; the importer adds the line number."""


def derived_uuid(*parts: str) -> str:
    """A uuid that the same parts always give."""
    return str(uuidlib.uuid5(NAMESPACE, "\x1f".join(parts)))


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def check_unicode(raw: str, data) -> None:
    """Refuse lone surrogates (\\ud800 written in JSON): they are not text and cannot be stored."""
    if _SURROGATE_ESCAPE.search(raw):
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise RecordError("a string holds a lone surrogate (an invalid \\ud800-\\udfff escape), which is not text") from None


def check_record(data, stamp: str) -> dict:
    """A complete, validated interchange record from DATA; STAMP fills in missing times."""
    if isinstance(data, list):
        raise RecordError("expected a JSON object (one claim), got an array")
    if not isinstance(data, dict):
        raise RecordError(f"expected a JSON object (one claim), got {type(data).__name__}")
    text = _text(data.get("text"), "text")
    speaker = data.get("speaker")
    if isinstance(speaker, str):
        speaker = {"name": speaker, "aliases": []}
    if not isinstance(speaker, dict):
        raise RecordError("the speaker is missing: give \"speaker\": {\"name\": ...} or a name")
    speaker_name = _text(speaker.get("name"), "speaker name")
    if not names.name_words(speaker_name):
        raise RecordError(f"'{speaker_name}' is not a speaker name")
    aliases = sorted({_text(a, "alias") for a in speaker.get("aliases") or []} - {speaker_name})
    kind = data.get("kind") or "quote"
    if kind not in KINDS:
        raise RecordError(f"'{kind}' is not a kind; use one of: {', '.join(KINDS)}")
    record_uuid = _uuid(data.get("uuid")) or derived_uuid(names.speaker_key(speaker_name), names.text_key(text))
    created_at = data.get("created_at") or stamp
    record = {
        "uuid": record_uuid,
        "kind": kind,
        "text": text,
        "role": _optional(data.get("role")),
        "context": _optional(data.get("context")),
        "note": _optional(data.get("note")),
        "created_at": created_at,
        "updated_at": data.get("updated_at") or created_at,
        "speaker": {"name": speaker_name, "aliases": aliases},
        "source": _source(data.get("source")),
        "tags": sorted({names.tag_name(t) for t in data.get("tags") or []}),
        **_said(data),
    }
    for key in ("created_at", "updated_at"):
        if not isinstance(record[key], str):
            raise RecordError(f"{key} must be a timestamp string")
    record["appearances"] = [
        {"uuid": _uuid(a.get("uuid")) or derived_uuid(record_uuid, "appearance", str(n)),
         "added_at": a.get("added_at") or stamp, "source": _source(a.get("source"), required=True)}
        for n, a in enumerate(_objects(data.get("appearances"), "appearances"))
    ]
    record["evidence"] = [_evidence(e, record_uuid, n, stamp) for n, e in enumerate(_objects(data.get("evidence"), "evidence"))]
    history = [_change(h, record_uuid, n, stamp) for n, h in enumerate(_objects(data.get("history"), "history"))]
    if not any(h["field"] == "created" for h in history):
        history.append(_made(record_uuid, "created", None, kind, created_at))
    # A verdict or attribution given without its history gets the one change that explains it.
    for field, default, allowed in (("verdict", "unverified", VERDICTS), ("attribution", "reported", ATTRIBUTIONS)):
        value = data.get(field) or default
        if value not in allowed:
            raise RecordError(f"'{value}' is not a {field}; use one of: {', '.join(allowed)}")
        if value != default and not any(h["field"] == field for h in history):
            history.append(_made(record_uuid, field, default, value, data.get(f"{field}_on") or created_at))
        record[field] = value
    record["history"] = history
    return record


def _made(record_uuid: str, field: str, old, new, when: str) -> dict:
    effective = dates.from_iso(when[:10], "day") if len(when) >= 10 else dates.from_iso(when)
    return {"uuid": derived_uuid(record_uuid, field, str(new)), "at": when if "T" in when else f"{when[:10]}T00:00:00Z",
            "effective_on": effective.value, "effective_precision": effective.precision,
            "field": field, "old": old, "new": new, "note": "imported", "evidence": []}


def _text(value, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RecordError(f"the {what} is missing or empty")
    if "\x00" in value:
        raise RecordError(f"the {what} contains a NUL character")
    return value.strip()


def _optional(value) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise RecordError(f"expected text, got {value!r}")
    return names.clean_optional(value)


_CANONICAL_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _uuid(value) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, str) and _CANONICAL_UUID.match(value):
        return value
    try:
        return str(uuidlib.UUID(str(value)))
    except ValueError:
        raise RecordError(f"'{value}' is not a UUID") from None


def _objects(value, what: str) -> list[dict]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise RecordError(f"{what} must be a list of objects")
    return value


def _date(value, precision, approximate=None, qualifier=None, text=None, what="date") -> dates.PartialDate | None:
    if value in (None, ""):
        return None
    try:
        return dates.from_iso(value, precision or None, approximate=approximate, qualifier=qualifier, text=text)
    except ClaimtrackError as error:
        raise RecordError(f"unreadable {what}: {error.message}") from None


def _said(data: dict) -> dict:
    said = _date(data.get("said_on"), data.get("said_precision"), data.get("said_approximate"),
                 data.get("said_qualifier"), data.get("said_text"), "said_on")
    return {
        "said_on": said.value if said else None,
        "said_precision": said.precision if said else None,
        "said_text": said.text if said else None,
        "said_approximate": said.approximate if said else None,
        "said_qualifier": said.qualifier if said else None,
    }


def _source(data, required: bool = False) -> dict | None:
    if data is None and not required:
        return None
    if not isinstance(data, dict):
        raise RecordError("a source must be an object with a url, outlet, title or published_on")
    url = _optional(data.get("url"))
    published = _date(data.get("published_on"), data.get("published_precision"), data.get("published_approximate"),
                      data.get("published_qualifier"), data.get("published_text"), "published_on")
    source = {
        "url": _checked_url(url),
        "outlet": _optional(data.get("outlet")),
        "title": _optional(data.get("title")),
        "published_on": published.value if published else None,
        "published_precision": published.precision if published else None,
        "published_text": published.text if published else None,
        "published_approximate": published.approximate if published else None,
        "published_qualifier": published.qualifier if published else None,
        "archived_url": _checked_url(_optional(data.get("archived_url"))),
        "recorded_at": data.get("recorded_at"),
    }
    if not (source["url"] or source["outlet"] or source["title"] or source["published_on"]):
        return None if not required else _fail("a source needs at least a url, outlet, title or published_on")
    return source


def _fail(message: str):
    raise RecordError(message)


def _checked_url(url: str | None) -> str | None:
    if url is None:
        return None
    try:
        return check_url(url)
    except ClaimtrackError as error:
        raise RecordError(error.message) from None


def _evidence(data: dict, record_uuid: str, n: int, stamp: str) -> dict:
    stance = data.get("stance")
    if stance not in STANCES:
        raise RecordError(f"evidence stance '{stance}' is not one of: {', '.join(STANCES)}")
    source = _source(data.get("source"), required=True)
    return {
        "uuid": _uuid(data.get("uuid")) or derived_uuid(record_uuid, "evidence", str(n)),
        "stance": stance, "quote": _optional(data.get("quote")), "note": _optional(data.get("note")),
        "added_at": data.get("added_at") or stamp, "source": source,
    }


def _change(data: dict, record_uuid: str, n: int, stamp: str) -> dict:
    field = data.get("field")
    if not isinstance(field, str) or not field:
        raise RecordError("a history entry needs a field")
    effective = _date(data.get("effective_on"), data.get("effective_precision"), what="effective_on")
    at = data.get("at") or stamp
    if effective is None:
        effective = dates.from_iso(at[:10], "day")
    for key in ("old", "new"):
        if data.get(key) is not None and not isinstance(data.get(key), str):
            raise RecordError(f"history {key} must be text")
    if field == "verdict" and data.get("new") not in VERDICTS:
        raise RecordError(f"history verdict '{data.get('new')}' is not one of: {', '.join(VERDICTS)}")
    if field == "attribution" and data.get("new") not in ATTRIBUTIONS:
        raise RecordError(f"history attribution '{data.get('new')}' is not one of: {', '.join(ATTRIBUTIONS)}")
    return {
        "uuid": _uuid(data.get("uuid")) or derived_uuid(record_uuid, "history", str(n)),
        "at": at, "effective_on": effective.value, "effective_precision": effective.precision,
        "field": field, "old": data.get("old"), "new": data.get("new"), "note": _optional(data.get("note")),
        "evidence": sorted(_uuid(u) for u in data.get("evidence") or []),
    }
