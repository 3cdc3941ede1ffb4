"""Checking source URLs, and the normalised form under which one page is one source."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from claimtrack.errors import ClaimtrackError

_TRACKING = {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid"}
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SPACE = re.compile(r"[\s\x00]")
# Most URLs are already in normal form: lower-case host, no port, query or fragment.
_PLAIN = re.compile(r"^(https?)://([a-z0-9][a-z0-9.\-]*)(/[^?#\s%\\]*)?$")


def check_url(url: str) -> str:
    """Return URL stripped, or refuse it unless it is an absolute http(s) address."""
    text = url.strip()
    if _PLAIN.match(text):
        return text
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise ClaimtrackError(f"'{url}' is not a valid URL. Give the full address, e.g. https://example.com/page.") from None
    if parts.scheme.lower() not in _DEFAULT_PORTS or not parts.hostname:
        raise ClaimtrackError(
            f"'{url}' is not an http(s) URL. Give the full address starting with https:// or http://."
        )
    if _SPACE.search(text):
        raise ClaimtrackError(f"'{url}' contains spaces. Encode them as %20 or check the URL.")
    return text


def normalize_url(url: str) -> str:
    """The key of a page: scheme and host lower-case, default port, fragment and tracking parameters dropped."""
    plain = _PLAIN.match(url)
    if plain:
        path = plain.group(3) or "/"
        return f"{plain.group(1)}://{plain.group(2)}{path.rstrip('/') or '/'}"
    parts = urlsplit(check_url(url))
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    if parts.port and parts.port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{parts.port}"
    if parts.username:
        host = f"{parts.username}@{host}"
    path = parts.path or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in _TRACKING
    ]
    return urlunsplit((scheme, host, path, urlencode(query, doseq=True), ""))
