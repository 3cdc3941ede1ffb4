"""The merge driver git runs for a record file changed on both sides (registered by claimtrack sync):

    claimtrack sync merge-driver %O %A %B %P

It writes the merge of %A (ours) and %B (theirs) into %A and exits 0; git then has no conflict to mark. The
common ancestor %O is not needed: every record carries the times of its changes (claimtrack.sync.records).
A file that is not a record, or not JSON, is left to git as a conflict (exit 1), which sync reports.
"""

from __future__ import annotations

import json
from pathlib import Path

from claimtrack.sync.layout import CLAIMS, SOURCES, SPEAKERS, dumps, kind_of
from claimtrack.sync.records import merge_claim, merge_source, merge_speaker

MERGES = {CLAIMS: merge_claim, SPEAKERS: merge_speaker, SOURCES: merge_source}


def merge_files(mine: Path, theirs: Path, path: str) -> bool:
    """Merge the record file THEIRS into MINE (git's %A, rewritten in place); PATH is the file's place in the
    repository. Whether it merged (False: left to git as a conflict)."""
    kind = kind_of(path)
    if kind is None:
        return False
    try:
        ours = json.loads(mine.read_text(encoding="utf-8"))
        other = json.loads(theirs.read_text(encoding="utf-8"))
        merged = MERGES[kind](ours, other)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    mine.write_text(dumps(merged), encoding="utf-8")
    return True
