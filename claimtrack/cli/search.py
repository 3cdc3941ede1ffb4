"""The search command: full-text search over claims."""

from __future__ import annotations

from typing import Annotated

import typer

from claimtrack import render
from claimtrack.cli.common import reading
from claimtrack.cli.options import Json, Limit


def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help='Words to find; FTS5 syntax ("exact phrase", OR, NOT, prefix*) works too.')],
    limit: Limit = None,
    as_json: Json = False,
) -> None:
    """Full-text search over claim text, context and speaker names, best match first.

    Example: claimtrack search "cold water"
    """
    with reading(ctx) as store:
        hits = store.search(query, limit)
    render.print_hits(hits, as_json=as_json)
