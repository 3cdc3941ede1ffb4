"""Commands on speakers: list them, give and take aliases, rename, edit, merge duplicates, delete unused ones."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, List, Optional

import typer

from claimtrack import render
from claimtrack.cli.common import reading, writing

app = typer.Typer(no_args_is_help=False, rich_markup_mode=None, add_completion=False)


@app.callback(invoke_without_command=True)
def speakers(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List speakers with their kind (person or organisation), aliases, role and claim counts.

    A kind nobody gave is guessed from the name (Commission, Ministry, Ltd, Times, Bank... make an
    organisation); set it with claimtrack speakers edit NAME --kind.

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
    keep_alias: Annotated[
        bool,
        typer.Option("--keep-alias", help="Keep DUPLICATE's name as an alias even if it is a misspelling of KEEP's."),
    ] = False,
) -> None:
    """Move every claim and alias of DUPLICATE onto KEEP; DUPLICATE's name becomes an alias.

    A name that differs from KEEP's only by a typo (Zhou Hongi, Zhou Hongyi) is not kept as an alias,
    unless --keep-alias.

    Example: claimtrack speakers merge "Zhou Hong-yi" "Zhou Hongyi"
    """
    with writing(ctx) as store:
        keep_id, dropped = store.merge_speakers(duplicate, keep, keep_alias=keep_alias)
        [shown] = store.speakers(only=keep_id)
    known = f"; also known as: {'; '.join(shown.aliases)}" if shown.aliases else ""
    _say(f"Merged into {shown.name} ({_claims(shown.claims)}{known}).")
    if dropped:
        _say(f"{dropped} is not kept as an alias: it is a misspelling of {shown.name} "
             "(--keep-alias keeps such a name).")


class SpeakerKind(str, Enum):
    """Who a speaker is."""

    person = "person"
    organisation = "organisation"


@app.command("rename")
def rename(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The speaker (name, alias or word prefix).")],
    new_name: Annotated[str, typer.Argument(help="The name to call the speaker by.")],
    keep_alias: Annotated[bool, typer.Option("--keep-alias", help="Keep the old name as an alias.")] = False,
) -> None:
    """Call a speaker by another name; the old name is not kept as an alias unless --keep-alias.

    Each of the speaker's claims records the change in its history. A NEW_NAME that names another
    speaker is refused: merge the two with claimtrack speakers merge.

    Example: claimtrack speakers rename "Zhou Hongi" "Zhou Hongyi"
    """
    with writing(ctx) as store:
        speaker_id, old_name = store.rename_speaker(name, new_name, keep_alias=keep_alias)
        [shown] = store.speakers(only=speaker_id)
    known = f" (also known as: {'; '.join(shown.aliases)})" if shown.aliases else ""
    _say(f"Renamed {old_name} to {shown.name}{known}.")


@app.command("unalias")
def unalias(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The speaker (name, alias or word prefix).")],
    alias: Annotated[str, typer.Argument(help="The alias to take away (any case or accents).")],
) -> None:
    """Take an alias away from a speaker: it no longer finds the speaker.

    Example: claimtrack speakers unalias "Zhou Hongyi" "Zhou Hongi"
    """
    with writing(ctx) as store:
        speaker_id, removed = store.remove_alias(name, alias)
        [shown] = store.speakers(only=speaker_id)
    left = f"; also known as: {'; '.join(shown.aliases)}" if shown.aliases else "; no aliases left"
    _say(f"Removed the alias {removed} from {shown.name}{left}.")


@app.command("delete")
def delete(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The speaker (name, alias or word prefix).")],
) -> None:
    """Delete a speaker that no claim names, with its aliases (claimtrack undo brings it back).

    A speaker with claims is refused: merge it into another with claimtrack speakers merge, or give
    its claims another speaker with claimtrack edit ID --speaker NAME. claimtrack check lists the
    speakers with no claims.

    Example: claimtrack speakers delete "Zhou Hongi"
    """
    with writing(ctx) as store:
        deleted = store.delete_speaker(name)
    _say(f"Deleted the speaker {deleted}.")


@app.command("edit")
def edit(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The speaker (name, alias or word prefix).")],
    kind: Annotated[
        Optional[SpeakerKind],
        typer.Option("--kind", help="person or organisation (a commission, a newspaper, a company).",
                     case_sensitive=False),
    ] = None,
    role: Annotated[
        Optional[str],
        typer.Option("--role", help="Give this role to each of the speaker's claims that gives none."),
    ] = None,
) -> None:
    """Say whether a speaker is a person or an organisation, or fill in the role of their claims.

    A role is recorded with each claim (what the speaker was when they said it): --role gives it to
    every claim of the speaker that has no role, in each claim's history, and leaves a role already
    given as it is (change that with claimtrack edit ID --role). The kind is the speaker's own; a
    ClaimReview export writes an organisation as an Organization.

    Example: claimtrack speakers edit "European Commission" --kind organisation
    """
    with writing(ctx) as store:
        speaker_id, filled = store.edit_speaker(name, kind=kind.value if kind else None, role=role)
        [shown] = store.speakers(only=speaker_id)
    if kind is not None:
        _say(f"{shown.name} is {'an' if shown.kind == 'organisation' else 'a'} {shown.kind}.")
    if role is not None:
        _say(f"Gave the role {role.strip()} to {_claims(filled)} of {shown.name}.")


def _claims(count: int) -> str:
    return f"{count} claim{'s' if count != 1 else ''}"


def _say(message: str) -> None:
    """A line on stdout; the names in it are shown, never executed by the terminal."""
    from claimtrack.render import visible

    typer.echo(visible(message))
