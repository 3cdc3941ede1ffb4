"""Reviewing an article's quotes at a terminal: each shown in its sentence, accepted, edited, skipped or not."""

from __future__ import annotations

import re

import typer

from claimtrack import render
from claimtrack.errors import ClaimtrackError

CHOICES = {"a": "accept", "e": "edit", "s": "skip", "q": "quit"}
HELP = ("a: add it (or, for words already recorded, add this article as another appearance); e: edit it in "
        "$VISUAL or $EDITOR first; s: skip it; q: stop here (what you accepted is added); Ctrl-C: stop, adding "
        "nothing from this article.")
FORM_HEADER = """\
# The quote found in {label}. Change what you need, save, and close the editor.
# Lines that begin with # are ignored. said is read as --said is, counting from the article's date.
# Everything below the text: line is the quote, exactly as written.
"""


def review(article, settings) -> tuple[list, bool]:
    """Ask about each of ARTICLE's proposals; the accepted ones (as edited) and whether the person quit."""
    from rich.console import Console

    console = Console(stderr=True, highlight=False)
    chosen = []
    total = len(article.proposals)
    console.print(f"[bold]{_escape(article.label)}[/bold]: {total} quote{'s' if total != 1 else ''} found.")
    for number, proposal in enumerate(article.proposals, start=1):
        _show(console, proposal, number, total)
        while True:
            answer = typer.prompt("Add it? [a]ccept, [e]dit, [s]kip, [q]uit, [?]", default="a",
                                  show_default=False, err=True).strip().lower()[:1]
            if answer == "?":
                typer.echo(HELP, err=True)
                continue
            if answer not in CHOICES:
                typer.echo("Answer a, e, s or q (? explains them).", err=True)
                continue
            break
        if answer == "q":
            return chosen, True
        if answer == "s":
            continue
        if answer == "e":
            proposal = _edited(article, proposal, settings)
            if proposal is None:
                continue
            _show(console, proposal, number, total)
        if not proposal.speaker:
            proposal.speaker = _ask_speaker()
        chosen.append(proposal)
    return chosen, False


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(render.visible(text))


def _show(console, proposal, number: int, total: int) -> None:
    """The quote highlighted in its sentence, then who said it, when, and how sure the reading is."""
    sentence = proposal.sentence or proposal.text
    shown = _escape(sentence)
    # The quote's pieces (a quote broken by its attribution is its pieces joined) marked where they stand.
    pieces = [proposal.text] if proposal.text in sentence else re.split(r"(?<=[,.;:?!])\s+", proposal.text)
    marked_any = False
    for piece in pieces:
        marked = _escape(piece)
        if len(piece) > 2 and marked in shown:
            shown = shown.replace(marked, f"[bold yellow]{marked}[/bold yellow]", 1)
            marked_any = True
    if not marked_any:
        shown += f"\n  [bold yellow]“{_escape(proposal.text)}”[/bold yellow]"
    console.print(f"\n[dim]({number}/{total}, confidence {proposal.confidence:.2f})[/dim]")
    console.print(f"  {shown}")
    who = _escape(proposal.speaker) if proposal.speaker else "[red]no speaker found[/red]"
    if proposal.role:
        who += f", {_escape(proposal.role)}"
    console.print(f"  Speaker: {who}")
    console.print(f"  Said:    {_escape(proposal.said.describe()) if proposal.said else 'no date of its own'}")
    if proposal.repeats is not None and proposal.drift is not None:
        from claimtrack.cli.verify_run import summary

        changes = summary(proposal.drift.differences) if proposal.drift.differences else "form only"
        console.print(f"  [cyan]Claim {proposal.repeats} is this quote by this speaker with other words "
                      f"({_escape(changes)}): accepting adds this article as another appearance of it, with the "
                      "drift marked.[/cyan]")
    elif proposal.repeats is not None:
        console.print(f"  [cyan]Claim {proposal.repeats} has these words by this speaker already: accepting adds "
                      "this article as another appearance of it.[/cyan]")


def _ask_speaker() -> str:
    while True:
        name = typer.prompt("Who said it? (speaker)", err=True).strip()
        if name:
            return name


def _edited(article, proposal, settings):
    """The proposal as the person changes it in an editor (None when the form is emptied: skip it)."""
    from claimtrack import dates, edit_form
    from claimtrack.cli.editing import _form_file, _read_form, _run_editor, _write_form, editor_command

    command = editor_command()
    form = FORM_HEADER.format(label=article.label) + "\n".join([
        f"speaker: {proposal.speaker or ''}", f"role: {proposal.role or ''}",
        f"said: {proposal.said.describe() if proposal.said else ''}", "text:", proposal.text, ""])
    path = _form_file(0, form)
    base = article.given.published or article.found.published
    try:
        while True:
            status = _run_editor(command, path)
            text = _read_form(path)
            if status != 0:
                raise ClaimtrackError(f"The editor exited with status {status}. Nothing was added from "
                                      f"{article.label}.")
            try:
                values = edit_form.parse(text)
                quote = values.get("text", "").strip()
                if not quote:
                    typer.echo("The quote was emptied: skipped.", err=True)
                    return None
                said_text = values.get("said", "").strip()
                said = dates.parse(said_text, base, settings) if said_text else None
            except ClaimtrackError as error:
                _write_form(path, edit_form.with_error(text, error.message))
                continue
            break
    finally:
        path.unlink(missing_ok=True)
    speaker = values.get("speaker", "").strip() or None
    if (quote, speaker) != (proposal.text, proposal.speaker):
        proposal.repeats = None  # found again when it is added
    proposal.text, proposal.speaker = quote, speaker
    proposal.role = values.get("role", "").strip() or None
    proposal.said = said
    return proposal
