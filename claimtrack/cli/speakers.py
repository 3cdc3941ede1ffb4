"""Commands on speakers: list them, give them aliases, merge duplicates."""

from __future__ import annotations

from typing import Annotated, List

import typer

from claimtrack import render
from claimtrack.cli.common import reading, writing

app = typer.Typer(no_args_is_help=False, rich_markup_mode=None, add_completion=False)


@app.callback(invoke_without_command=True)
def speakers(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List speakers with their aliases, role and claim counts.

    Example: claimtrack speakers --json
    """
    if ctx.invoked_subcommand is not None:
        return
    with reading(ctx) as store:
        found = store.speakers()
    render.print_speakers(found, as_json=as_json)


@app.command("alias")
def alias(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The speaker (name, alias or word prefix).")],
    aliases: Annotated[List[str], typer.Argument(help="Other names for the same person.")],
) -> None:
    """Give a speaker other names: any of them finds the speaker afterwards.

    Example: claimtrack speakers alias "Zhou Hongyi" "周鸿祎" "Hongyi Zhou"
    """
    with writing(ctx) as store:
        speaker_id = store.add_aliases(name, aliases)
        [shown] = store.speakers(only=speaker_id)
    typer.echo(f"{shown.name} is also known as: {'; '.join(shown.aliases)}")


@app.command("merge")
def merge(
    ctx: typer.Context,
    duplicate: Annotated[str, typer.Argument(help="The speaker to merge away.")],
    keep: Annotated[str, typer.Argument(help="The speaker to keep.")],
) -> None:
    """Move every claim and alias of DUPLICATE onto KEEP; DUPLICATE's name becomes an alias.

    Example: claimtrack speakers merge "Zhou Hong-yi" "Zhou Hongyi"
    """
    with writing(ctx) as store:
        keep_id = store.merge_speakers(duplicate, keep)
        [shown] = store.speakers(only=keep_id)
    typer.echo(f"Merged into {shown.name} ({shown.claims} claims; also known as: {'; '.join(shown.aliases)}).")
