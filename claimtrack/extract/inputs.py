"""Where `claimtrack extract` reads articles from: files, folders, standard input and pages on the web.

A page the database has a snapshot of is read from that snapshot (the page as it was when kept); any other
URL is fetched as `source fetch` fetches it, held in memory, and kept as a snapshot only if quotes from it
are recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from claimtrack.errors import ClaimtrackError

# Larger than any article: a bigger file is a mistake (a database, a video, a dump), not news copy.
MAX_BYTES = 10 * 1024 * 1024
SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html",
            ".htm": "html", ".xhtml": "html", ".pdf": "pdf"}


@dataclass(frozen=True)
class Input:
    """One article to read: what to call it, its bytes, its kind if known, and the page it is (if a URL)."""

    label: str
    data: bytes
    kind: str | None = None
    url: str | None = None
    content_type: str | None = None
    response: object | None = None  # a claimtrack.sources.http.Response fetched now, to keep if used


def is_url(item: str) -> bool:
    """True when ITEM is an http(s) address rather than a path."""
    return item.lower().startswith(("http://", "https://"))


def expand(items: list[str]) -> list[str]:
    """The articles ITEMS name: a folder stands for the articles in it (by suffix, in name order)."""
    found: list[str] = []
    for item in items:
        if item == "-" or is_url(item):
            found.append(item)
            continue
        path = Path(item)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            if not files:
                raise ClaimtrackError(f"{item} is a folder with no article in it (.txt, .md, .html or .pdf files).")
            found.extend(str(p) for p in files)
        else:
            found.append(item)
    return list(dict.fromkeys(found))


def from_file(item: str) -> Input:
    """The article in the file ITEM; a plain error for a missing, empty, binary or huge file."""
    path = Path(item)
    if not path.exists():
        raise ClaimtrackError(f"There is no file {item}. Check the path.")
    if not path.is_file():
        raise ClaimtrackError(f"{item} is not a file. Give an article's file, a folder of them, a URL, or - for "
                              "standard input.")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ClaimtrackError(f"{item} is {size / 1e6:,.0f} MB: larger than any article claimtrack reads "
                              f"({MAX_BYTES // 1024 // 1024} MB). Give the article's text, not a whole archive.")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ClaimtrackError(f"Cannot read {item}: {error.strerror}.") from None
    return _checked(Input(item, data, SUFFIXES.get(path.suffix.lower())))


def from_stdin(stream) -> Input:
    """The article on standard input."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ClaimtrackError(f"Standard input holds more than {MAX_BYTES // 1024 // 1024} MB: larger than any "
                              "article claimtrack reads.")
    return _checked(Input("standard input", data))


def from_url(store, url: str) -> Input:
    """The page at URL: from its latest snapshot if the database keeps one, else fetched now."""
    from claimtrack.sources import warc

    known = _known_snapshot(store, url)
    if known is not None:
        warc_file, content_type, stored_url = known
        try:
            data = warc.payload(warc.folder_for(store.path), warc_file)
        except (OSError, ClaimtrackError) as error:
            raise ClaimtrackError(f"The snapshot of {url} cannot be read ({error}). claimtrack check says more; "
                                  f"claimtrack source fetch {url} keeps a new one.") from None
        return _checked(Input(url, data, _kind(content_type, data), stored_url, content_type))
    from claimtrack.sources.http import FetchError, Limits, client, fetch

    limits = Limits.from_env()
    http = client(limits)
    try:
        response = fetch(http, url, limits)
    except FetchError as error:
        raise ClaimtrackError(f"Cannot fetch {url}: {error}.") from None
    finally:
        http.close()
    return _checked(Input(url, response.body, _kind(response.content_type, response.body), url,
                          response.content_type, response))


def _known_snapshot(store, url: str) -> tuple[str, str | None, str] | None:
    from claimtrack.urls import normalize_url

    row = store.conn.execute(
        "SELECT n.warc_file, n.content_type, s.url FROM sources s JOIN snapshots n ON n.source_id = s.id "
        "WHERE s.url_key = ? ORDER BY n.id DESC LIMIT 1", (normalize_url(url),)).fetchone()
    return (row[0], row[1], row[2]) if row else None


def _kind(content_type: str | None, data: bytes) -> str | None:
    from claimtrack.sources.extract import kind_of

    kind = kind_of(content_type, data)
    return {"html": "html", "pdf": "pdf", "text": "text"}.get(kind or "", None)


def _checked(found: Input) -> Input:
    if not found.data.strip():
        raise ClaimtrackError(f"{found.label} is empty: there is no article to read.")
    if found.kind != "pdf" and not found.data.startswith(b"%PDF-") and b"\x00" in found.data[:8192]:
        raise ClaimtrackError(f"{found.label} is not text (a binary file). Give an article as plain text, "
                              "Markdown, HTML or PDF.")
    return found


def read(found: Input):
    """The Article in an Input: a PDF's text layer read first."""
    from claimtrack.extract.article import read_article

    if found.kind == "pdf" or found.data.startswith(b"%PDF-"):
        from claimtrack.sources.extract import extract_pdf

        text = extract_pdf(found.data).text
        if not text.strip():
            raise ClaimtrackError(f"{found.label} is a PDF with no text layer (a scan?): there is no text to read.")
        return read_article(text, "text")
    return read_article(found.data, found.kind)
