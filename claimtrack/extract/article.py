"""An article's paragraphs and what it says about itself, from plain text, Markdown or an HTML page.

HTML goes through claimtrack.sources.extract (trafilatura, imported only then); Markdown loses its markup
(emphasis, links, headings, block-quote marks) but keeps its quotation marks.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from claimtrack.dates import PartialDate

KINDS = ("text", "markdown", "html")


@dataclass(frozen=True)
class Article:
    """TEXT is the paragraphs joined by blank lines: the text quote offsets point into."""

    text: str
    paragraphs: tuple[str, ...]
    title: str | None = None
    outlet: str | None = None
    published: PartialDate | None = None
    url: str | None = None


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace")


def guess_kind(text: str) -> str:
    """'html', 'markdown' or 'text', from how TEXT begins and what markup it uses."""
    head = text[:2000].lstrip().lower()
    if head.startswith(("<!doctype html", "<html")) or re.search(r"<(?:p|article|body|div)\b[^>]*>", head):
        return "html"
    if text.lstrip().startswith("---\n") or re.search(r"(?m)^(?:#{1,6} |> |\* |- \*\*)|\*\*\w|\]\(https?:", text[:20000]):
        return "markdown"
    return "text"


def read_article(data: bytes | str, kind: str | None = None) -> Article:
    """The paragraphs and metadata of an article given as bytes or text; KIND is 'text', 'markdown' or 'html'
    (guessed from the content when None)."""
    if kind is not None and kind not in KINDS:
        from claimtrack.errors import ClaimtrackError

        raise ClaimtrackError(f"'{kind}' is not a kind of article; use one of: {', '.join(KINDS)}.")
    if isinstance(data, bytes) and b"\x00" in data[:8000]:
        return Article("", ())
    text = _decode(data)
    kind = kind or guess_kind(text)
    if kind == "html":
        return _html(data if isinstance(data, bytes) else data.encode("utf-8"))
    title = published = None
    if kind == "markdown":
        text, meta = _markdown(text)
        title = meta.get("title")
        published = _date(meta.get("date"))
    paragraphs = _paragraphs(text)
    if title is None and paragraphs and len(paragraphs[0]) < 200 and not paragraphs[0].endswith((".", '"', "”")):
        title = paragraphs[0]
    return Article("\n\n".join(paragraphs), tuple(paragraphs), title, None, published, None)


def _paragraphs(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = re.split(r"\n[ \t]*\n+", text) if re.search(r"\n[ \t]*\n", text) else text.split("\n")
    return [" ".join(b.split()) if "\n" not in b.strip() else "\n".join(" ".join(line.split())
            for line in b.strip().split("\n")) for b in blocks if b.strip()]


def _date(value) -> PartialDate | None:
    from claimtrack.dates import from_iso
    from claimtrack.errors import ClaimtrackError

    value = str(value or "").strip()[:10]
    try:
        return from_iso(value) if re.fullmatch(r"\d{4}(?:-\d\d(?:-\d\d)?)?", value) else None
    except ClaimtrackError:
        return None


def _markdown(text: str) -> tuple[str, dict]:
    """Markdown as plain paragraphs, and its front matter's simple fields."""
    meta = {}
    front = re.match(r"---\n(.*?)\n---\n", text.replace("\r\n", "\n"), re.S)
    if front:
        for line in front.group(1).splitlines():
            key, _, value = line.partition(":")
            if value.strip():
                meta[key.strip().lower()] = value.strip().strip("\"'")
        text = text.replace("\r\n", "\n")[front.end():]
    lines = []
    for line in text.split("\n"):
        line = re.sub(r"^\s{0,3}(?:#{1,6}\s+|>\s?)+", "", line)
        line = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", line)
        if re.fullmatch(r"\s*(?:[-*_]\s*){3,}", line):
            line = ""
        lines.append(line)
    text = "\n".join(lines)
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\[[^\]]*\]", r"\1", text)
    text = re.sub(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])", r"\2", text)
    text = re.sub(r"`([^`]+)`", r"\1", text)
    if "title" not in meta:
        heading = re.search(r"(?m)^#\s+(.+)$", text)
        if heading:
            meta["title"] = heading.group(1).strip()
    return text, meta


def _html(body: bytes) -> Article:
    from claimtrack.sources.extract import extract_html

    page = extract_html(body)
    paragraphs = _paragraphs(page.text)
    page_head = body[:200000].decode("utf-8", "replace")
    url = _meta(page_head, "og:url") or _link(page_head, "canonical")
    outlet = page.site_name or _json_ld(page_head, "publisher")
    published = page.published or _date(_meta(page_head, "article:published_time"))
    title = page.title or _meta(page_head, "og:title")
    if title and paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    return Article("\n\n".join(paragraphs), tuple(paragraphs), title, outlet, published, url)


def _meta(head: str, prop: str) -> str | None:
    import html

    for tag in re.findall(r"<meta\b[^>]*>", head, re.I):
        if re.search(rf"""(?:property|name)\s*=\s*["']{re.escape(prop)}["']""", tag, re.I):
            content = re.search(r"""content\s*=\s*["']([^"']*)["']""", tag, re.I)
            if content and content.group(1).strip():
                return html.unescape(content.group(1).strip())
    return None


def _link(head: str, rel: str) -> str | None:
    for tag in re.findall(r"<link\b[^>]*>", head, re.I):
        if re.search(rf"""rel\s*=\s*["']{rel}["']""", tag, re.I):
            href = re.search(r"""href\s*=\s*["']([^"']+)["']""", tag, re.I)
            if href:
                return href.group(1)
    return None


def _json_ld(head: str, key: str) -> str | None:
    for block in re.findall(r"<script[^>]*application/ld\+json[^>]*>(.*?)</script>", head, re.S | re.I):
        try:
            data = json.loads(block)
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            value = item.get(key) if isinstance(item, dict) else None
            if isinstance(value, dict):
                value = value.get("name")
            if isinstance(value, str) and value.strip():
                return value.strip()
    return None
