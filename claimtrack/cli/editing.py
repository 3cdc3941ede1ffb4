"""`claimtrack edit`: change a claim by options, or in an editor as a short form (claimtrack.edit_form)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from claimtrack import render
from claimtrack.cli.common import interactive, reading, state, warn_if_future, writing
from claimtrack.cli.options import Context, IdArg, Json, Kind, Note, Outlet, Published, Role, Said, SourceUrl, Title
from claimtrack.errors import ClaimtrackError


def edit(
    ctx: typer.Context,
    claim_id: IdArg,
    text: Annotated[Optional[str], typer.Option("--text", help="New text.")] = None,
    speaker: Annotated[Optional[str], typer.Option("--speaker", "-s", help="Another speaker.")] = None,
    role: Role = None,
    kind: Annotated[Optional[Kind], typer.Option("--kind", help="quote or claim.", case_sensitive=False)] = None,
    said: Said = None,
    source: SourceUrl = None,
    outlet: Outlet = None,
    title: Title = None,
    published: Published = None,
    tag: Annotated[Optional[List[str]], typer.Option("--tag", help="Add a tag (repeat for more).")] = None,
    untag: Annotated[Optional[List[str]], typer.Option("--untag", help="Remove a tag (repeat for more).")] = None,
    context: Context = None,
    note: Note = None,
    as_json: Json = False,
) -> None:
    """Change a claim. An empty value clears an optional field (--said "").

    Without options, in a terminal, the claim opens in $VISUAL (else $EDITOR) as a short form: one
    "field: value" a line, and the text below a "text:" line. Save and close: what changed is applied as one
    edit. Saved unchanged, or the editor exits with an error: nothing changes. A form that cannot be applied
    (an unknown field, a date that cannot be read) opens again with the error at the top; give up by saving
    it unchanged, and your edited form is kept in a file whose name is printed.

    Example: claimtrack edit 3 --said "early December 2023" --tag nvidia --untag misc
    """
    from claimtrack.drafts import claim_patch

    settings = state(ctx).dates
    options = dict(text=text, speaker=speaker, kind=kind.value if kind else None, role=role, said=said, url=source,
                   outlet=outlet, title=title, published=published, context=context, note=note, add_tags=tag,
                   remove_tags=untag)
    given = {name: value for name, value in options.items() if value is not None}
    if not given:
        claim, given = _edit_in_editor(ctx, claim_id)
        if claim is None:
            return
    else:
        def patch_for(current):
            # Made inside the write, from the claim as it is then: a relative --said counts from its publication date.
            return claim_patch(settings=settings, current_published=current.published, **given)

        with writing(ctx) as store:
            claim = store.edit_claim(claim_id, patch_for)
    if given.get("said"):
        warn_if_future(claim.said, settings.current_day())
    if as_json:
        render.print_json(claim.to_dict())
    else:
        typer.echo(f"Updated claim {claim_id}.")


def _edit_in_editor(ctx: typer.Context, claim_id: int):
    """Open the claim's form in the editor until it is applied or given up.

    Returns the claim as changed and the claim_patch arguments applied, or (None, {}) when nothing changed.
    """
    from claimtrack import edit_form
    from claimtrack.drafts import claim_patch

    if not interactive():
        raise ClaimtrackError(
            f"Nothing to change: give the changes as options, e.g. claimtrack edit {claim_id} --said \"March 2024\" "
            "(see claimtrack edit --help). Without options, edit opens an editor, which needs a terminal."
        )
    command = editor_command()
    settings = state(ctx).dates
    with reading(ctx) as store:
        claim = store.claim(claim_id)
    original = edit_form.claim_values(claim)
    pristine = edit_form.render(original, claim_id)
    path = _form_file(claim_id, pristine)
    shown = pristine
    while True:
        status = _run_editor(command, path)
        edited = _read_form(path)
        if status != 0:
            _give_up(path, edited, pristine, f"The editor exited with status {status}. Nothing changed.")
        if edited == shown:
            if shown == pristine:
                path.unlink(missing_ok=True)
                typer.echo(f"Nothing changed: the form was saved as it was. Claim {claim_id} is as before.", err=True)
                return None, {}
            _give_up(path, edited, pristine, "The form was saved unchanged after an error. Nothing changed.")
        try:
            wanted = edit_form.changes(original, edit_form.parse(edited))
            if wanted:
                # Checked here, against the claim as shown, so that a mistake reopens the form.
                claim_patch(settings=settings, current_published=claim.published, **wanted)
        except ClaimtrackError as error:
            shown = edit_form.with_error(edited, error.message)
            _write_form(path, shown)
            continue
        break
    if not wanted:
        path.unlink(missing_ok=True)
        typer.echo(f"Nothing changed: the form gives claim {claim_id} the values it has.", err=True)
        return None, {}

    def patch_for(current):
        # Another change made while the editor was open must not be overwritten unseen.
        now = edit_form.claim_values(current)
        clashes = [field for field in _fields_of(wanted) if now[field] != original[field]]
        if clashes:
            raise ClaimtrackError(
                f"Claim {claim_id} was changed while you were editing it ({', '.join(clashes)}). Nothing changed; "
                f"your form is kept in {path}. Look at the claim again (claimtrack show {claim_id}) and edit it again."
            )
        return claim_patch(settings=settings, current_published=current.published, **wanted)

    try:
        with writing(ctx) as store:
            changed = store.edit_claim(claim_id, patch_for)
    except ClaimtrackError as error:
        if str(path) not in error.message:
            error.message += f" Your form is kept in {path}."
        raise
    path.unlink(missing_ok=True)
    return changed, wanted


def editor_command() -> list[str]:
    """The editor to run, split as a shell would: $VISUAL, else $EDITOR; an error when neither is set."""
    import shlex

    for variable in ("VISUAL", "EDITOR"):
        value = os.environ.get(variable, "").strip()
        if value:
            try:
                words = shlex.split(value)
            except ValueError as error:
                raise ClaimtrackError(f"Cannot read ${variable} ({value}): {error}. Fix its quotes.") from None
            if words:
                return words
    raise ClaimtrackError(
        "No editor is set. Set $VISUAL or $EDITOR (e.g. export EDITOR=nano), or give the changes as options "
        "(see claimtrack edit --help)."
    )


def _form_file(claim_id: int, form: str) -> Path:
    """A new file, readable by its owner alone, holding FORM."""
    import tempfile

    try:
        form.encode("utf-8")
    except UnicodeEncodeError:
        raise ClaimtrackError(
            f"Claim {claim_id} holds characters that cannot be written to a file (lone surrogates). "
            "Change it with options instead (see claimtrack edit --help)."
        ) from None
    handle, name = tempfile.mkstemp(prefix=f"claimtrack-edit-{claim_id}-", suffix=".txt")
    os.close(handle)
    _write_form(Path(name), form)
    return Path(name)


def _write_form(path: Path, form: str) -> None:
    # newline="": the text's own line breaks go to the file as they are (a "\r" in a note comes back).
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(form)


def _read_form(path: Path) -> str:
    """The form as saved (line breaks as they are); empty when the editor removed the file."""
    if not path.exists():
        return ""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.read()
    except UnicodeDecodeError:
        raise ClaimtrackError(f"The saved form is not UTF-8 text. Nothing changed; it is kept in {path}.") from None


def _run_editor(command: list[str], path: Path) -> int:
    """Run the editor on PATH at this terminal; its exit status."""
    import subprocess

    try:
        return subprocess.run([*command, str(path)]).returncode
    except OSError as error:
        raise ClaimtrackError(
            f"Cannot run the editor '{command[0]}': {error.strerror}. Set $VISUAL or $EDITOR to an editor "
            "that is installed, or give the changes as options. Nothing changed."
        ) from None


def _give_up(path: Path, edited: str, pristine: str, message: str) -> None:
    """Stop with MESSAGE; the form is kept (and named) when it holds edits of the person's, else removed."""
    if edited.strip() and edited != pristine:
        raise ClaimtrackError(f"{message} Your edited form is kept in {path}.")
    path.unlink(missing_ok=True)
    raise ClaimtrackError(message)


def _fields_of(wanted: dict) -> list[str]:
    """The form fields a claim_patch's keyword arguments change."""
    return list(dict.fromkeys("tags" if name in ("add_tags", "remove_tags") else name for name in wanted))
