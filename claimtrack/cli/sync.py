"""sync: share one record through a git repository (claimtrack.sync), and the merge driver git calls."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from claimtrack.cli.common import reading, state, warn, writing

app = typer.Typer(rich_markup_mode=None, add_completion=False, invoke_without_command=True, no_args_is_help=False)


@app.callback()
def sync(
    ctx: typer.Context,
    init: Annotated[Optional[str], typer.Option(
        "--init", metavar="REPOSITORY",
        help="Link the database to a git repository (a folder or any URL git accepts; an empty one is set up, a "
             "populated one read in), then sync.")] = None,
    path: Annotated[Optional[Path], typer.Option(
        "--path", metavar="DIR", help="With --init: where the working copy goes (default: beside the database, "
                                      "named after it: claims-sync).")] = None,
    show_status: Annotated[bool, typer.Option("--status", help="Say what is waiting here and on the remote.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what a sync would do; change nothing.")] = False,
) -> None:
    """Exchange changes with the desk's shared git repository: write this database's changes into the working
    copy and commit them under your name (CLAIMTRACK_USER, else git's user.name), fetch and merge the others',
    read them in, and push.

    Example: claimtrack sync --init git@github.com:desk/claims.git; then claimtrack sync
    """
    if ctx.invoked_subcommand is not None:
        return
    from claimtrack.errors import ClaimtrackError
    from claimtrack.sync import engine
    from claimtrack.sync.author import current_author

    if path is not None and init is None:
        raise ClaimtrackError("--path goes with --init (where the working copy of a new link goes).", exit_code=2)
    if sum((init is not None, show_status, dry_run)) > 1:
        raise ClaimtrackError("Give one of --init, --status and --dry-run.", exit_code=2)
    author = current_author()
    if show_status or dry_run:
        with reading(ctx) as store:
            found = engine.status(store, author)
        _print_status(found, dry_run)
        return
    with writing(ctx) as store:
        if init is not None:
            root, outcome = engine.init(store, state(ctx).db, init, path, author)
            typer.echo(f"Linked to {_shown(store.sync_link()['repository'])}; the working copy is {_shown(str(root))}.")
        else:
            outcome = engine.sync(store, author)
        link = store.sync_link()
    _print_outcome(outcome, link, author)


def _shown(text: str) -> str:
    from claimtrack.render import visible

    return visible(text)


def _print_outcome(outcome, link: dict, author: str | None) -> None:
    from claimtrack.sync.writing import Written

    repository = _shown(link["repository"])
    if outcome.written.counts:
        typer.echo(f"Written and committed: {outcome.written.message()}.")
    read = {k: v for k, v in outcome.read.items() if v}
    if read:
        typer.echo("Read from the shared record: " + ", ".join(f"{n} claim{'s' if n != 1 else ''} {what}"
                                                               for what, n in read.items()) + ".")
    if outcome.offline:
        warn(f"could not reach {link['repository']} ({outcome.offline}). Your changes are committed in "
             f"{link['path']} and go with the next sync.")
    elif outcome.pushed:
        typer.echo(f"Pushed to {repository}.")
    elif not outcome.written.counts and not read:
        typer.echo(f"Up to date with {repository}.")
    if author is None and outcome.written != Written():
        warn("changes are recorded without an author: set CLAIMTRACK_USER or git's user.name "
             "(git config --global user.name \"Your Name\").")


def _print_status(found, dry_run: bool) -> None:
    waiting = found.claims_waiting + found.speakers_waiting
    if found.offline:
        warn(f"could not reach {found.repository} ({found.offline}); the remote is as last fetched.")
    repository = _shown(found.repository)
    if dry_run:
        steps = []
        if found.would_write.files:
            files = found.would_write.files
            steps.append(f"write and commit {found.would_write.message()} ({files} file{'s' if files != 1 else ''})")
        if found.commits_to_fetch:
            steps.append(f"merge {found.commits_to_fetch} commit{'s' if found.commits_to_fetch != 1 else ''} "
                         f"from {repository} and read in {found.claims_to_read} claim"
                         f"{'s' if found.claims_to_read != 1 else ''}")
        if found.would_write.files or found.commits_to_push:
            steps.append(f"push to {repository}")
        if not steps:
            typer.echo(f"Nothing to do: up to date with {repository}.")
            return
        typer.echo("claimtrack sync would:")
        for step in steps:
            typer.echo(f"- {step}")
        typer.echo("Nothing was changed.")
        return
    typer.echo(f"Linked to {repository}; working copy {_shown(found.path)}.")
    typer.echo(f"Here: {found.claims_waiting} claim{'s' if found.claims_waiting != 1 else ''} and "
               f"{found.speakers_waiting} speaker{'s' if found.speakers_waiting != 1 else ''} changed since the last "
               f"sync; {found.commits_to_push} commit{'s' if found.commits_to_push != 1 else ''} not pushed."
               if waiting or found.commits_to_push else "Here: nothing waiting.")
    typer.echo(f"Remote: {found.commits_to_fetch} commit{'s' if found.commits_to_fetch != 1 else ''} to merge, "
               f"touching {found.claims_to_read} claim{'s' if found.claims_to_read != 1 else ''}."
               if found.commits_to_fetch else "Remote: nothing new.")


@app.command("merge-driver", hidden=True)
def merge_driver(
    ancestor: Annotated[Path, typer.Argument(help="%O: the common ancestor's version (not needed).")],
    mine: Annotated[Path, typer.Argument(help="%A: our version; the merge is written here.")],
    theirs: Annotated[Path, typer.Argument(help="%B: their version.")],
    path: Annotated[str, typer.Argument(help="%P: the file's path in the repository.")],
) -> None:
    """The merge driver git runs for a record changed on both sides (registered by claimtrack sync).

    Example: claimtrack sync merge-driver %O %A %B %P
    """
    from claimtrack.sync.driver import merge_files

    if not merge_files(mine, theirs, path):
        raise typer.Exit(1)
