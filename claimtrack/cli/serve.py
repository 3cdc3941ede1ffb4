"""claimtrack serve: the record in a browser (Datasette, read-only), on this machine unless access is controlled."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from claimtrack.cli.common import state

DEFAULT_PORT = 8001


def serve(
    ctx: typer.Context,
    port: Annotated[int, typer.Option("--port", "-p", help="The port to listen on.", min=1, max=65535)] = DEFAULT_PORT,
    host: Annotated[str, typer.Option("--host", help="The address to listen on: 127.0.0.1 (this machine only) unless access is controlled (CLAIMTRACK_SERVE_PASSWORD_HASH).")] = "127.0.0.1",
    open_browser: Annotated[bool, typer.Option("--open", help="Open the home page in a browser once it answers.")] = False,
    title: Annotated[Optional[str], typer.Option("--title", help="The desk's name on every page (default: the database's file name).")] = None,
) -> None:
    """Serve the record read-only in a browser: search, facets, a page per claim and speaker, the report, JSON and CSV.

    Other claimtrack commands keep writing while it runs; pages show the new data. Serving beyond this machine
    needs CLAIMTRACK_SERVE_PASSWORD_HASH (made by `datasette hash-password`).

    Example: claimtrack serve --open
    """
    from claimtrack.render import visible
    from claimtrack.web import serve as run

    path = state(ctx).db
    desk = title or path.stem.replace("_", " ").replace("-", " ").strip().capitalize() or "Claims"
    run(path, host=host, port=port, title=desk, open_browser=open_browser,
        say=lambda message: typer.echo(visible(message), err=True))
