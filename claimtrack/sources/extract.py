"""Main text and metadata from a page's bytes: pure (bytes and a content type in, an Extracted out).

HTML goes through trafilatura (made for news pages: main text, title, site name, author, language) with
htmldate for the publication date; PDFs through pypdf; plain text is its own text. Both libraries are
imported here, inside the functions, so no other command pays for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimtrack.dates import PartialDate

HTML_TYPES = ("text/html", "application/xhtml+xml")
PDF_TYPES = ("application/pdf",)
TEXT_TYPES = ("text/plain",)
ACCEPTED_TYPES = HTML_TYPES + PDF_TYPES + TEXT_TYPES


@dataclass(frozen=True)
class Extracted:
    """What a page says about itself, and its main text; NOTE says why the text is empty when it is."""

    text: str = ""
    title: str | None = None
    site_name: str | None = None
    author: str | None = None
    published: PartialDate | None = None
    language: str | None = None
    note: str | None = None


def media_type(content_type: str | None) -> str:
    """The media type of a Content-Type header, lower case, without its parameters."""
    return (content_type or "").split(";")[0].strip().lower()


def kind_of(content_type: str | None, body: bytes = b"") -> str | None:
    """'html', 'pdf' or 'text' for a content type claimtrack reads (sniffed from BODY when none is given)."""
    media = media_type(content_type)
    if media in HTML_TYPES:
        return "html"
    if media in PDF_TYPES or (not media and body[:5] == b"%PDF-"):
        return "pdf"
    if media in TEXT_TYPES:
        return "text"
    if not media and re.match(rb"\s*(<!doctype html|<html)", body[:200], re.I):
        return "html"
    return None


def extract(body: bytes, content_type: str | None, url: str | None = None) -> Extracted:
    """The main text and metadata of BODY, read as its CONTENT_TYPE says (or as its first bytes show)."""
    kind = kind_of(content_type, body)
    if not body.strip():
        return Extracted(note="the page is empty")
    if kind == "pdf":
        return extract_pdf(body)
    if kind == "text":
        return Extracted(text=_decode(body, content_type).strip())
    if kind == "html":
        return extract_html(body, url)
    return Extracted(note=f"claimtrack does not read {media_type(content_type) or 'this kind of file'}")


def extract_html(body: bytes, url: str | None = None) -> Extracted:
    """Main text and metadata of an HTML page; the date at the precision the page gives it."""
    import logging

    import trafilatura
    from htmldate import find_date

    # trafilatura and htmldate log what they could not find at WARNING: the note below says it once.
    for name in ("trafilatura", "htmldate", "courlan"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    # The bytes, not a decoded string: trafilatura reads the declared charset and checks it against the
    # bytes, so a page that declares iso-8859-1 but sends UTF-8 is read as UTF-8.
    document = trafilatura.load_html(body)
    if document is None:
        return Extracted(note="the page is not readable HTML")
    # No URL for trafilatura: it would give the host name as the site name of a page that names none.
    result = trafilatura.bare_extraction(document, with_metadata=True, include_comments=False,
                                         favor_precision=True)
    data = result.as_dict() if hasattr(result, "as_dict") else (result or {})
    text = (data.get("text") or "").strip()
    published = None
    found = find_date(document, url=url, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
    if found:
        published = _precise_date(found, body, url)
    return Extracted(
        text=text,
        title=_clean(data.get("title")),
        site_name=_clean(data.get("sitename")),
        author=_clean(data.get("author")),
        published=published,
        language=_clean(data.get("language")) or _declared_language(body),
        note=None if text else "no main text found on the page",
    )


def extract_pdf(body: bytes) -> Extracted:
    """The text layer of a PDF, with its title and author; an empty text says the PDF has no text layer."""
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    try:
        reader = PdfReader(io.BytesIO(body))
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata or {}
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        return Extracted(note=f"the PDF cannot be read ({error})")
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    title = _clean(str(info.get("/Title") or "")) if info else None
    author = _clean(str(info.get("/Author") or "")) if info else None
    note = None if text else "the PDF has no text layer (a scan?): kept, with no text"
    return Extracted(text=text, title=title, author=author, note=note)


def _precise_date(found: str, body: bytes, url: str | None) -> PartialDate:
    """htmldate always answers with a day, even for a page that gives only a month ("2024-03": it fills in
    a day of its own): the date keeps day precision only when the page or its address names that day."""
    from claimtrack.dates import from_iso

    year, month, day = found.split("-")
    text = body.decode("utf-8", "replace") + " " + (url or "")
    d = str(int(day))
    names_day = re.search(
        rf"{year}-{month}-{day}|{year}/{month}/{day}|{year}{month}{day}|\b0?{d}\.0?{int(month)}\.{year}"
        rf"|\b0?{d}(st|nd|rd|th)?\.?\s+\w+\.?\s+{year}|\b\w+\.?\s+0?{d}(st|nd|rd|th)?,?\s+{year}", text)
    if names_day is None:
        return from_iso(f"{year}-{month}", "month", text=f"{year}-{month}")
    return from_iso(found, "day", text=found)


def _declared_language(body: bytes) -> str | None:
    match = re.search(rb"<html[^>]*\blang=[\"']?([A-Za-z]{2,3})", body[:4000], re.I)
    return match.group(1).decode("ascii").lower() if match else None


def _decode(body: bytes, content_type: str | None) -> str:
    declared = re.search(r"charset=([\w.:-]+)", content_type or "", re.I)
    for encoding in ("utf-8", declared.group(1) if declared else None, "cp1252"):
        if encoding:
            try:
                return body.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                continue
    return body.decode("utf-8", "replace")


def _clean(value: str | None) -> str | None:
    value = " ".join((value or "").split())
    return value or None
