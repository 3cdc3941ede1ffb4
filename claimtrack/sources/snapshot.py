"""A snapshot of a page as the store gives it back: plain values, for show and --json."""

from __future__ import annotations

from dataclasses import dataclass

from claimtrack.dates import PartialDate


@dataclass(frozen=True)
class Snapshot:
    """One kept copy of a source: fetched (kind 'fetch') or attached by hand ('attach')."""

    id: int
    source_id: int
    url: str
    kind: str
    fetched_at: str
    final_url: str | None
    status: int | None
    content_type: str | None
    size: int
    sha256: str
    warc_file: str
    warc_record_id: str
    file_name: str | None
    text: str
    title: str | None
    site_name: str | None
    author: str | None
    published: PartialDate | None
    language: str | None
    note: str | None
    last_checked: str | None = None

    def to_dict(self, *, text: bool = True) -> dict:
        """The snapshot as JSON-ready values; the text left out unless TEXT."""
        data = {
            "id": self.id, "url": self.url, "kind": self.kind, "fetched_at": self.fetched_at,
            "final_url": self.final_url, "status": self.status, "content_type": self.content_type,
            "size": self.size, "sha256": self.sha256, "warc_file": self.warc_file,
            "warc_record_id": self.warc_record_id, "file_name": self.file_name, "title": self.title,
            "site_name": self.site_name, "author": self.author,
            "published_on": self.published.value if self.published else None,
            "published_precision": self.published.precision if self.published else None,
            "language": self.language, "note": self.note, "last_checked": self.last_checked,
            "text_length": len(self.text),
        }
        if text:
            data["text"] = self.text
        return data
