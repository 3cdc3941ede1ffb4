"""The interchange record: one claim with everything about it, as JSON. Checked here before it is stored.

    {"uuid", "kind", "text", "role", "context", "note", "created_at", "updated_at", "verdict", "attribution",
     "said_on", "said_precision", "said_text", "said_approximate", "said_qualifier",
     "speaker": {"name", "aliases"}, "source": SOURCE | null, "tags": [...],
     "appearances": [{"uuid", "added_at", "source": SOURCE}],
     "evidence": [{"uuid", "stance", "quote", "note", "added_at", "updated_at", "source": SOURCE}],
     "history": [{"uuid", "at", "effective_on", "effective_precision", "field", "old", "new", "note",
                  "evidence": [evidence uuids]}]}
    SOURCE = {"url", "outlet", "title", "published_on", "published_precision", "published_text",
              "published_approximate", "published_qualifier", "archived_url", "recorded_at"}

Only "text" and "speaker" are required; what is missing is filled in the same way every time, so
that importing the same file twice changes nothing. An evidence item's "updated_at" is when it was last
corrected (null: never since it was added).

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

import datetime as dt
import json
import re
import uuid as uuidlib
from functools import lru_cache

from claimtrack import dates, names
from claimtrack.errors import ClaimtrackError
from claimtrack.merge import GIVEN, MADE
from claimtrack.model import ATTRIBUTIONS, KINDS, STANCES, VERDICTS
from claimtrack.urls import check_url

# Derived uuids (for records that come without one) live under this namespace.
NAMESPACE = uuidlib.UUID("6f1c1b0e-6a53-4d1e-9b1e-2f0c6c1a7e55")


class RecordError(ClaimtrackError):
    """A record that cannot be imported, and the field at fault; the importer adds the line number."""

    def __init__(self, detail: str, field: str | None = None):
        detail = detail[:-1] if detail.endswith(".") else detail  # the importer ends the sentence
        super().__init__(f"field {field}: {detail}" if field else detail)
        self.field = field
        self.detail = detail

    def within(self, where: str) -> RecordError:
        """The same error, its field named from a level up: "url" within "source" is "source.url"."""
        return RecordError(self.detail, f"{where}.{self.field}" if self.field else where)

    def at(self, place: str) -> str:
        """The message for a record at PLACE ("line 3"): "line 3, field said_on: expected ..."."""
        return f"{place}, field {self.field}: {self.detail}" if self.field else f"{place}: {self.detail}"


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
            raise RecordError("holds a lone surrogate (an invalid \\ud800-\\udfff escape), which is not text",
                              _surrogate_field(data)) from None


def _surrogate_field(data) -> str | None:
    """The path of a string in DATA (a key or a value) that holds a lone surrogate (without recursion:
    JSON may nest deeper than Python's stack)."""
    pending = [("", data)]
    while pending:
        where, value = pending.pop()
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        for key, item in items:
            path = f"{where}[{key}]" if isinstance(key, int) else f"{where}.{key}" if where else key
            if (isinstance(key, str) and not _encodes(key)) or (isinstance(item, str) and not _encodes(item)):
                return path
            pending.append((path, item))
    return None


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


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


def _got(value) -> str:
    """VALUE as an error message shows it: its JSON type, and the start of a string or number."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        shown = repr(value) if not isinstance(value, int) or abs(value) < 10**40 else "a 40-digit or longer integer"
        return f"the number {shown}"
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:60] + "…")
    return "a list" if isinstance(value, list) else "an object"


def _text(value, field: str | None) -> str:
    """Required text, stripped."""
    if not isinstance(value, str):
        raise RecordError("missing" if value is None else f"expected text, got {_got(value)}", field)
    text = value.strip()
    if not text:
        raise RecordError("is empty", field)
    if "\x00" in text:
        raise RecordError("contains a NUL character", field)
    return text


def _optional(value, field: str) -> str | None:
    """Optional text, stripped; empty means none."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise RecordError(f"expected text or null, got {_got(value)}", field)
    text = value.strip()
    if "\x00" in text:
        raise RecordError("contains a NUL character", field)
    return text or None


def _name(value, field: str | None) -> str:
    """A speaker's name or alias: text with at least one word in it."""
    name = _text(value, field)
    if not names.name_words(name):
        raise RecordError(f"{name!r} is not a name: give one with letters or digits", field)
    return name


def _tag(value, _n: int) -> str:
    if not isinstance(value, str):
        raise RecordError(f"expected a tag (text), got {_got(value)}")
    try:
        return names.tag_name(value)
    except ClaimtrackError as error:
        raise RecordError(error.message) from None


def _each(items: list, field: str, check) -> list:
    """CHECK(item, n) of each item of the list FIELD; an error names the item (tags[2], evidence[0].stance)."""
    if not items:
        return []
    try:
        return [check(item, n) for n, item in enumerate(items)]
    except RecordError:
        pass
    for n, item in enumerate(items):  # again, one by one, to name the item at fault
        try:
            check(item, n)
        except RecordError as error:
            raise error.within(f"{field}[{n}]") from None
    raise AssertionError("a check failed once and passed the second time")  # pragma: no cover


def _within(field: str, check, *args):
    """CHECK(*ARGS) of the object FIELD; an error names the field inside it (source.url)."""
    try:
        return check(*args)
    except RecordError as error:
        raise error.within(field) from None


def _choice(value, field: str, allowed: tuple[str, ...], default: str | None):
    """One of ALLOWED; DEFAULT when missing."""
    if value is None or value == "":
        return default
    if isinstance(value, str) and value in allowed:
        return value
    raise RecordError(f"expected one of {', '.join(allowed)}, got {_got(value)}", field)


_CANONICAL_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _uuid(value, field: str | None) -> str | None:
    """A uuid in canonical form, or None when missing."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        if _CANONICAL_UUID.match(value):
            return value
        try:
            return str(uuidlib.UUID(value))
        except ValueError:
            pass
    raise RecordError(f"expected a UUID such as 16c7cd53-5e6e-4c6e-a6e3-7fafc2e6171e, got {_got(value)}", field)


def _list(value, field: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise RecordError(f"expected a list, got {_got(value)}", field)
    return value


def _objects(value, field: str) -> list[dict]:
    """A list of JSON objects (appearances, evidence, history)."""
    for n, item in enumerate(_list(value, field)):
        if not isinstance(item, dict):
            raise RecordError(f"expected an object, got {_got(item)}", f"{field}[{n}]")
    return value or []


def _unique(items: list[dict], field: str) -> set[str]:
    """The uuids of ITEMS, which must all differ."""
    if not items:
        return set()
    uuids = {item["uuid"] for item in items}
    if len(uuids) != len(items):
        seen: set[str] = set()
        for n, item in enumerate(items):
            if item["uuid"] in seen:
                raise RecordError(f"uuid {item['uuid']} is given twice in this claim's {field}", f"{field}[{n}].uuid")
            seen.add(item["uuid"])
    return uuids


# Times are stored in UTC to the second: 2024-02-21T10:00:00Z. Also accepted, and stored in that form:
# fractions of a second (dropped), a numeric offset (+01:00, +0100, +01), a space for the T, minutes
# without seconds, and a date alone (midnight UTC). A time without a zone is refused: it is not one moment.
STAMP_FORM = "2024-02-21T10:00:00Z"
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_STAMP_FORMS = re.compile(
    r"(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:[.,]\d{1,9})?(Z|[+-]\d{2}(?::?\d{2})?)?)?"
)


@lru_cache(maxsize=4096)
def utc_time(value: str) -> str:
    """The stored form of the time VALUE (a string), or ValueError saying why it is not one."""
    if _STAMP.fullmatch(value):
        _datetime(value[:19])
        return value
    match = _STAMP_FORMS.fullmatch(value)
    if not match:
        raise ValueError(f"expected a UTC time such as {STAMP_FORM}")
    day, time, zone = match.groups()
    if time is None:
        _datetime(day)
        return f"{day}T00:00:00Z"
    if zone is None:
        raise ValueError(f"has no time zone: add Z for UTC, as in {STAMP_FORM}")
    if zone != "Z":
        digits = zone[1:].replace(":", "")
        zone = f"{zone[0]}{digits[:2]}:{digits[2:] or '00'}"
    moment = _datetime(f"{day}T{time}{'+00:00' if zone == 'Z' else zone}")
    try:
        moment = moment.astimezone(dt.timezone.utc)
    except OverflowError:
        raise ValueError("lies outside the years 1 to 9999 in UTC") from None
    return (f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T"
            f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}Z")


def _datetime(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError("is not a real date and time") from None


def _time(value, field: str, default: str | None) -> str | None:
    """A time in its stored form; DEFAULT when missing."""
    if value is None or value == "":
        return default
    if isinstance(value, str):
        try:
            return utc_time(value)
        except ValueError as error:
            raise RecordError(f"{error} (got {_got(value)})", field) from None
    raise RecordError(f"expected a UTC time such as {STAMP_FORM}, got {_got(value)}", field)


def _day_or_time(value, field: str) -> None:
    """A day (2024-02-21) or a time in its stored form, as a verdict_on may be."""
    if value is None or value == "":
        return
    if isinstance(value, str) and len(value) in (10, 20):
        try:
            if utc_time(value) in (value, f"{value}T00:00:00Z"):
                return
        except ValueError:
            pass
    raise RecordError(f"expected a day such as 2024-02-21 or a time such as {STAMP_FORM}, got {_got(value)}", field)


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


def _url(value, field: str) -> str | None:
    url = _optional(value, field)
    if url is None:
        return None
    try:
        return check_url(url)
    except ClaimtrackError as error:
        raise RecordError(error.message, field) from None


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


# A history entry's field: a name such as verdict or said_on (what a later version adds is kept as given).
FIELD_NAME = re.compile(r"[a-z][a-z_]{0,39}")


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
    return {
        "uuid": _uuid(data.get("uuid"), "uuid") or derived_uuid(record_uuid, "history", str(n)),
        "at": at, "effective_on": effective.value, "effective_precision": effective.precision,
        "field": field, "old": data.get("old"), "new": data.get("new"), "note": _optional(data.get("note"), "note"),
        "evidence": sorted(cited),
    }


def _cited_uuid(value, _n: int) -> str:
    uuid = _uuid(value, None)
    if uuid is None:
        raise RecordError(f"expected the uuid of one of this claim's evidence, got {_got(value)}")
    return uuid
