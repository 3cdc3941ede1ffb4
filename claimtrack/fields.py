"""The checks of single values in an interchange record: each by type and form, each error naming its field.

claimtrack.interchange checks a whole record with these; what they accept is what the store keeps, so that no
stored value can make a later command fail.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid as uuidlib
from functools import lru_cache

from claimtrack import names
from claimtrack.errors import ClaimtrackError
from claimtrack.urls import check_url


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


def _url(value, field: str) -> str | None:
    url = _optional(value, field)
    if url is None:
        return None
    try:
        return check_url(url)
    except ClaimtrackError as error:
        raise RecordError(error.message, field) from None


# A history entry's field: a name such as verdict or said_on (what a later version adds is kept as given).
FIELD_NAME = re.compile(r"[a-z][a-z_]{0,39}")
