"""Checking source URLs, and the normalised form under which one page is one source."""

from __future__ import annotations

import ipaddress  # urllib.parse imports it already
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
    """The key of a page: scheme and host lower-case, default port, tracking parameters dropped, and the
    fragment dropped unless it routes the page (a "#!" hashbang or a "#/" route of a single-page site)."""
    plain = _PLAIN.match(url)
    if plain:
        path = plain.group(3) or "/"
        return f"{plain.group(1)}://{plain.group(2)}{path.rstrip('/') or '/'}"
    parts = urlsplit(check_url(url))
    scheme = parts.scheme.lower()
    host = _host(parts.netloc)
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
    # "#section-2" is a place on one page; "#!/story/1" and "#/story/1" are pages of their own.
    fragment = parts.fragment if parts.fragment[:1] in ("!", "/") and parts.fragment.strip("!/") else ""
    return urlunsplit((scheme, host, path, urlencode(query, doseq=True), fragment))


def _host(netloc: str) -> str:
    """The host of NETLOC in lower case; an IPv6 address keeps its brackets, in its shortest form."""
    host = netloc.rpartition("@")[2]
    if not host.startswith("["):
        return host.partition(":")[0].lower()
    literal = host[1 : host.index("]")]
    address, zone_mark, zone = literal.partition("%")
    try:
        address = ipaddress.IPv6Address(address).compressed
    except ValueError:  # an IPvFuture literal ("v1.fe"): kept as written, in lower case
        return f"[{literal.lower()}]"
    return f"[{address}{zone_mark}{zone}]"
