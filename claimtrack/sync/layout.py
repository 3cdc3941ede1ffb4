"""The shared repository's layout: one file a record, sharded, written so that a git diff shows what changed.

    claims/ab/cd/<uuid>.json     one claim (its interchange record), by the first four digits of its uuid
    speakers/ab/<sha1>.json      one speaker: name and aliases, or the speaker it was merged into
    sources/ab/<sha1>.json       one page (a source): its address and details
    .gitattributes               every record merged by claimtrack's merge driver
    README.md                    this layout, for a reader without claimtrack

Claims differ in uuid, so edits to different claims never touch the same file. A speaker's file is named by
the SHA-1 of its name's key (names.speaker_key: case, accents and punctuation folded), a page's by the SHA-1
of its normalised address (or, without one, of its outlet, title and date): two people who add the same
speaker or page write the same file. Keys are written sorted, one field a line (indent 1), so a change shows
as the lines of the fields it changed. A claim's speaker is named only by name: its aliases are in the
speaker's file, so an alias added does not rewrite every claim of that speaker.

A claim's file also says how often the claim went to the trash and came back ("trash_changes", odd: it is in
the trash) so that deletes and restores travel as changes.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from claimtrack import names
from claimtrack.errors import ClaimtrackError
from claimtrack.urls import normalize_url

CLAIMS, SPEAKERS, SOURCES = "claims", "speakers", "sources"
RECORD_DIRS = (CLAIMS, SPEAKERS, SOURCES)
TRASH = "trash_changes"
ATTRIBUTES = "".join(f"{folder}/** merge=claimtrack\n" for folder in RECORD_DIRS)
DRIVER = "claimtrack"
README = """# A claimtrack desk's shared record

Written by `claimtrack sync`; readable without it. One file a record, JSON with its keys sorted and one field a
line, so `git log -p` reads as a log of the desk's work.

- `claims/ab/cd/<uuid>.json`: one claim (quote or claim), by the first four digits of its uuid: its text,
  speaker, dates, source, tags, evidence, appearances and its history (each change with its time and author).
  `trash_changes`, when present, counts its moves to the trash and back (odd: deleted).
- `speakers/ab/<sha1>.json`: one speaker: name and aliases (or `merged_into`: the speaker it became).
- `sources/ab/<sha1>.json`: one page cited: address, outlet, title, publication date, archived copy.

Merges are made by claimtrack's merge driver (`.gitattributes`): two versions of a record are merged field by
field by change time, histories, evidence and appearances are unioned; no conflict markers.
"""


def dumps(record: dict) -> str:
    """A record's file text: sorted keys, one field a line, a final newline."""
    return json.dumps(record, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def claim_path(uuid: str) -> str:
    """Where the claim UUID's file is, relative to the repository."""
    return f"{CLAIMS}/{uuid[:2]}/{uuid[2:4]}/{uuid}.json"


def speaker_path(key: str) -> str:
    """Where the file of the speaker whose name has KEY is."""
    digest = hashlib.sha1(key.encode()).hexdigest()
    return f"{SPEAKERS}/{digest[:2]}/{digest}.json"


def speaker_path_for(name: str) -> str:
    """Where the file of the speaker NAME is."""
    return speaker_path(names.speaker_key(name))


def source_key(page: dict) -> str:
    """What makes two pages the same page: the normalised address, else outlet, title and date."""
    if page.get("url"):
        return normalize_url(page["url"])
    return "\x1f".join(page.get(field) or "" for field in ("outlet", "title", "published_on"))


def source_path(page: dict) -> str:
    """Where the file of PAGE (a source object of a record) is."""
    digest = hashlib.sha1(source_key(page).encode()).hexdigest()
    return f"{SOURCES}/{digest[:2]}/{digest}.json"


def claim_file(record: dict, trash_changes: int) -> dict:
    """The claim file of an interchange RECORD: the speaker by name only, the trash count when there is one."""
    written = {**record, "speaker": {"name": record["speaker"]["name"]}}
    if trash_changes:
        written[TRASH] = trash_changes
    return written


def record_of(written: dict, aliases: list[str]) -> tuple[dict, int]:
    """The interchange record a claim file holds, with its speaker's ALIASES, and its trash count."""
    record = {key: value for key, value in written.items() if key != TRASH}
    speaker = written.get("speaker")
    if isinstance(speaker, dict):
        record["speaker"] = {**speaker, "aliases": aliases}
    return record, int(written.get(TRASH) or 0)


def kind_of(path: str) -> str | None:
    """CLAIMS, SPEAKERS or SOURCES for a record file's path; None for any other file."""
    head, _, rest = path.partition("/")
    return head if head in RECORD_DIRS and rest.endswith(".json") else None


def pages_of(record: dict) -> list[dict]:
    """Every page a record cites (its source, appearances and evidence)."""
    pages = [record.get("source"), *(a.get("source") for a in record.get("appearances", ())),
             *(e.get("source") for e in record.get("evidence", ()))]
    return [page for page in pages if page]


def write_text(root: Path, relative: str, text: str) -> bool:
    """Write TEXT to ROOT/RELATIVE unless it holds it already; whether it changed."""
    path = root / relative
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def read_json(root: Path, relative: str) -> dict | None:
    """The record at ROOT/RELATIVE, or None when there is none."""
    try:
        return json.loads((root / relative).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except ValueError as error:
        raise ClaimtrackError(f"{root / relative} is not a record claimtrack can read ({error}). Fix or remove it "
                              "with git there, then sync again. Nothing was imported.") from None
