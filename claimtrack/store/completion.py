"""Names for shell completion: speakers (with their aliases) and tags that begin with what was typed.

Completion runs at every press of Tab, so it opens the file read-only and answers from the name columns
alone: no schema check, no upgrade, never a write; a file that is missing, locked or not claimtrack's
completes nothing rather than fail.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

# Enough to choose from; a shell shows no more than a screen anyway.
MAX_NAMES = 200
_QUERIES = {
    "speakers": "SELECT name FROM speakers WHERE name LIKE :start ESCAPE '\\' "
                "UNION SELECT alias FROM aliases WHERE alias LIKE :start ESCAPE '\\'",
    "tags": "SELECT name FROM tags WHERE name LIKE :start ESCAPE '\\'",
}


def _like(prefix: str) -> str:
    """PREFIX as a LIKE pattern that matches only itself at the start (% and _ taken literally)."""
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def names(path: Path, kind: str, typed: str) -> list[str]:
    """The names of KIND ("speakers" or "tags") in the database at PATH that begin with TYPED, sorted; none
    when the database cannot be read."""
    if not path.is_file():
        return []
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro&immutable=1", uri=True)
    except (sqlite3.Error, ValueError):
        return []
    try:
        conn.execute("PRAGMA query_only = ON")
        rows = conn.execute(_QUERIES[kind] + " ORDER BY 1 LIMIT :limit",
                            {"start": _like(typed), "limit": MAX_NAMES}).fetchall()
    except sqlite3.Error:
        return []
    finally:
        conn.close()
    # LIKE ignores the case of ASCII letters; a shell completes only what begins with the very letters typed.
    return [row[0] for row in rows if isinstance(row[0], str) and row[0].startswith(typed)]
