"""The interchange record: one claim with everything about it, as JSON. Checked here before it is stored.

    {"uuid", "kind", "text", "role", "context", "note", "created_at", "updated_at", "verdict", "attribution",
     "said_on", "said_precision", "said_text", "said_approximate", "said_qualifier",
     "speaker": {"name", "aliases"}, "source": SOURCE | null, "tags": [...],
     "appearances": [{"uuid", "added_at", "source": SOURCE}],
     "evidence": [{"uuid", "stance", "quote", "note", "added_at", "updated_at", "source": SOURCE}],
     "history": [{"uuid", "at", "effective_on", "effective_precision", "field", "old", "new", "note",
                  "evidence": [evidence uuids], and if retracted: "retracted_at", "retraction_note",
                  and if known: "author"}]}
    SOURCE = {"url", "outlet", "title", "published_on", "published_precision", "published_text",
              "published_approximate", "published_qualifier", "archived_url", "recorded_at"}

Only "text" and "speaker" are required; what is missing is filled in the same way every time, so
that importing the same file twice changes nothing. An evidence item's "updated_at" is when it was last
corrected (null: never since it was added). A history entry's "retracted_at" is when it was withdrawn as a
mistake, with the reason in "retraction_note" (an entry that counts has neither, as exports made before
retraction existed); a 'created' entry cannot be retracted.

A record without history (a CSV row, a ClaimReview) gets the history that explains it: a "created" entry
and, for a verdict or attribution other than the default, the change that set it. These entries are
marked MADE: they describe a claim the database does not know yet, and a merge into a known claim leaves
them out (they would add a second "created" entry, and date a verdict change that never happened).

A format that carries only some fields (a CSV with fewer columns, a ClaimReview, which has no note, tags or
context) leaves the others out of its records: the record keeps the names of the fields it was given
(GIVEN), and a merge into a known claim keeps the claim's own values of the fields the record did not give,
rather than reading their absence as "cleared".
"""

from __future__ import annotations

import uuid as uuidlib

from claimtrack import dates, names
from claimtrack.errors import ClaimtrackError
from claimtrack.fields import (
    FIELD_NAME, RecordError, _choice, _day_or_time, _each, _got, _list, _name, _objects, _optional, _tag, _text,
    _time, _unique, _url, _uuid, _within,
)
from claimtrack.merge import GIVEN, MADE
from claimtrack.model import ATTRIBUTIONS, KINDS, STANCES, VERDICTS

# Derived uuids (for records that come without one) live under this namespace.
NAMESPACE = uuidlib.UUID("6f1c1b0e-6a53-4d1e-9b1e-2f0c6c1a7e55")


def derived_uuid(*parts: str) -> str:
    """A uuid that the same parts always give."""
    return str(uuidlib.uuid5(NAMESPACE, "\x1f".join(parts)))


def check_record(data, stamp: str) -> dict:
    """A complete, validated interchange record from DATA; STAMP fills in missing times."""
    if isinstance(data, list):
        raise RecordError("expected a JSON object (one claim), got an array")
    if not isinstance(data, dict):
        raise RecordError(f"expected a JSON object (one claim), got {type(data).__name__}")
    text = _text(data.get("text"), "text")
    speaker = data.get("speaker")
    if isinstance(speaker, str):
        speaker = {"name": speaker}
    elif speaker is None:
        raise RecordError("missing: give a name, or an object such as {\"name\": \"Ann Lee\"}", "speaker")
    elif not isinstance(speaker, dict):
        raise RecordError(f"expected a name or an object such as {{\"name\": \"Ann Lee\"}}, got {_got(speaker)}", "speaker")
    speaker_name = _name(speaker.get("name"), "speaker.name")
    aliases = sorted(set(_each(_list(speaker.get("aliases"), "speaker.aliases"), "speaker.aliases",
                                 lambda alias, _n: _name(alias, None))) - {speaker_name})
    kind = _choice(data.get("kind"), "kind", KINDS, "quote")
    record_uuid = _uuid(data.get("uuid"), "uuid") or derived_uuid(names.speaker_key(speaker_name), names.text_key(text))
    created_at = _time(data.get("created_at"), "created_at", stamp)
    _choice(data.get("verdict"), "verdict", VERDICTS, None)
    _choice(data.get("attribution"), "attribution", ATTRIBUTIONS, None)
    _day_or_time(data.get("verdict_on"), "verdict_on")
    _day_or_time(data.get("attribution_on"), "attribution_on")
    record = {
        "uuid": record_uuid,
        "kind": kind,
        "text": text,
        "role": _optional(data.get("role"), "role"),
        "context": _optional(data.get("context"), "context"),
        "note": _optional(data.get("note"), "note"),
        "created_at": created_at,
        "updated_at": _time(data.get("updated_at"), "updated_at", created_at),
        "speaker": {"name": speaker_name, "aliases": aliases},
        "source": _within("source", _source, data.get("source")),
        "tags": sorted(set(_each(_list(data.get("tags"), "tags"), "tags", _tag))),
        **_said(data),
    }
    record["appearances"] = _each(_objects(data.get("appearances"), "appearances"), "appearances",
                                  lambda a, n: _appearance(a, record_uuid, n, stamp))
    record["evidence"] = _each(_objects(data.get("evidence"), "evidence"), "evidence",
                               lambda e, n: _evidence(e, record_uuid, n, stamp))
    _unique(record["appearances"], "appearances")
    cited = _unique(record["evidence"], "evidence")
    history = _each(_objects(data.get("history"), "history"), "history",
                    lambda h, n: _change(h, record_uuid, n, stamp, cited))
    _unique(history, "history")
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
    record[GIVEN] = frozenset(data)
    return record


def _made(record_uuid: str, field: str, old, new, when: str) -> dict:
    """A history entry made up for a record without one (marked MADE): its uuid comes from its content."""
    effective = dates.from_iso(when[:10], "day") if len(when) >= 10 else dates.from_iso(when)
    return {"uuid": derived_uuid(record_uuid, field, str(new)), "at": when if "T" in when else f"{when[:10]}T00:00:00Z",
            "effective_on": effective.value, "effective_precision": effective.precision,
            "field": field, "old": old, "new": new, "note": "imported", "evidence": [], MADE: True}


_QUALIFIERS = frozenset(dates.QUALIFIERS.values())
_QUALIFIER_CHOICES = (None, "", *sorted(_QUALIFIERS))
_PRECISION_CHOICES = (None, "", *dates.PRECISIONS)


# The keys of each date of a record: NAME_on, _precision, _approximate, _qualifier, _text.
_DATE_KEYS = {name: tuple(f"{name}_{part}" for part in ("on", "precision", "approximate", "qualifier", "text"))
              for name in ("said", "published", "effective")}


def _date(data: dict, name: str) -> dates.PartialDate | None:
    """The date DATA holds under NAME_on with its NAME_precision, _approximate, _qualifier and _text
    (a history entry's effective_on has only a precision); errors name the key."""
    on, precision_key, approximate_key, qualifier_key, text_key = _DATE_KEYS[name]
    value = data.get(on)
    precision = data.get(precision_key)
    # (membership in a tuple compares with ==, so any JSON value can be tested; 0 and 1 pass as false and true)
    if precision not in _PRECISION_CHOICES:
        raise RecordError(f"expected one of {', '.join(dates.PRECISIONS)}, got {_got(precision)}", precision_key)
    if name == "effective":
        approximate = qualifier = text = None
    else:
        approximate = data.get(approximate_key)
        if approximate not in (None, False, True):
            raise RecordError(f"expected true, false or null, got {_got(approximate)}", approximate_key)
        qualifier = data.get(qualifier_key)
        if qualifier not in _QUALIFIER_CHOICES:
            raise RecordError(f"expected null or one of {', '.join(sorted(_QUALIFIERS))}, got {_got(qualifier)}",
                              qualifier_key)
        text = data.get(text_key)
        if text is not None:
            text = _optional(text, text_key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise RecordError(f"expected a date such as 2024-02-21, 2024-02 or 2024, got {_got(value)}", on)
    try:
        date = dates.from_iso(value, precision or None, approximate=approximate, qualifier=qualifier or None, text=text)
        if value.startswith("9999"):
            date.end  # noqa: B018 - a week starting late in 9999 ends after the last day a date can hold
    except (ClaimtrackError, OverflowError) as error:
        message = error.message if isinstance(error, ClaimtrackError) else f"{value!r} ends after the year 9999"
        raise RecordError(message, on) from None
    return date


def _said(data: dict) -> dict:
    said = _date(data, "said")
    return {
        "said_on": said.value if said else None,
        "said_precision": said.precision if said else None,
        "said_text": said.text if said else None,
        "said_approximate": said.approximate if said else None,
        "said_qualifier": said.qualifier if said else None,
    }


def _source(data, required: bool = False) -> dict | None:
    """A source object; errors name the key inside it (the caller names the source)."""
    if data is None and not required:
        return None
    if not isinstance(data, dict):
        raise RecordError(f"expected an object with a url, outlet, title or published_on, got {_got(data)}")
    published = _date(data, "published")
    source = {
        "url": _url(data.get("url"), "url"),
        "outlet": _optional(data.get("outlet"), "outlet"),
        "title": _optional(data.get("title"), "title"),
        "published_on": published.value if published else None,
        "published_precision": published.precision if published else None,
        "published_text": published.text if published else None,
        "published_approximate": published.approximate if published else None,
        "published_qualifier": published.qualifier if published else None,
        "archived_url": _url(data.get("archived_url"), "archived_url"),
        "recorded_at": _time(data.get("recorded_at"), "recorded_at", None),
    }
    if not (source["url"] or source["outlet"] or source["title"] or source["published_on"]):
        if required:
            raise RecordError("needs at least a url, outlet, title or published_on")
        return None
    return source


def _appearance(data: dict, record_uuid: str, n: int, stamp: str) -> dict:
    return {
        "uuid": _uuid(data.get("uuid"), "uuid") or derived_uuid(record_uuid, "appearance", str(n)),
        "added_at": _time(data.get("added_at"), "added_at", stamp),
        "source": _within("source", _source, data.get("source"), True),
    }


def _evidence(data: dict, record_uuid: str, n: int, stamp: str) -> dict:
    stance = _choice(data.get("stance"), "stance", STANCES, None)
    if stance is None:
        raise RecordError(f"missing: give one of {', '.join(STANCES)}", "stance")
    source = _within("source", _source, data.get("source"), True)
    return {
        "uuid": _uuid(data.get("uuid"), "uuid") or derived_uuid(record_uuid, "evidence", str(n)),
        "stance": stance, "quote": _optional(data.get("quote"), "quote"), "note": _optional(data.get("note"), "note"),
        "added_at": _time(data.get("added_at"), "added_at", stamp),
        "updated_at": _time(data.get("updated_at"), "updated_at", None), "source": source,
    }


def _change(data: dict, record_uuid: str, n: int, stamp: str, evidence: set[str]) -> dict:
    """History entry N; EVIDENCE holds the uuids of the record's evidence, which it may cite."""
    field = data.get("field")
    if not isinstance(field, str) or not FIELD_NAME.fullmatch(field):
        raise RecordError(f"expected the name of a field, such as verdict, got {_got(field)}", "field")
    at = _time(data.get("at"), "at", stamp)
    effective = _date(data, "effective") or dates.from_iso(at[:10], "day")
    for key in ("old", "new"):
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise RecordError(f"expected text or null, got {_got(value)}", key)
    for name, allowed in (("verdict", VERDICTS), ("attribution", ATTRIBUTIONS)):
        if field == name and data.get("new") not in allowed:
            raise RecordError(f"a {name} is one of {', '.join(allowed)}, got {_got(data.get('new'))}", "new")
    cited = _each(_list(data.get("evidence"), "evidence"), "evidence", _cited_uuid)
    for k, uuid in enumerate(cited):
        if uuid not in evidence:
            raise RecordError(f"{uuid} is not the uuid of any of this claim's evidence", f"evidence[{k}]")
    retracted_at = _time(data.get("retracted_at"), "retracted_at", None)
    if retracted_at is not None and field == "created":
        raise RecordError("the entry that records a claim's creation cannot be retracted", "retracted_at")
    return {
        "uuid": _uuid(data.get("uuid"), "uuid") or derived_uuid(record_uuid, "history", str(n)),
        "at": at, "effective_on": effective.value, "effective_precision": effective.precision,
        "field": field, "old": data.get("old"), "new": data.get("new"), "note": _optional(data.get("note"), "note"),
        "evidence": sorted(cited), "retracted_at": retracted_at,
        # (a reason without a retraction would be a note about nothing)
        "retraction_note": _optional(data.get("retraction_note"), "retraction_note") if retracted_at else None,
        # Who made the change (records written before authors were kept have none).
        "author": _optional(data.get("author"), "author"),
    }


def _cited_uuid(value, _n: int) -> str:
    uuid = _uuid(value, None)
    if uuid is None:
        raise RecordError(f"expected the uuid of one of this claim's evidence, got {_got(value)}")
    return uuid
