"""The questions `add` asks at a terminal: the quote (pasted, on as many lines as it has), the speaker
(found as --speaker filters find one, a misspelling caught), and the role, date and source."""

from __future__ import annotations

import contextlib
import sys
from typing import Iterator

import typer

from claimtrack.errors import ClaimtrackError


def _say(message: str) -> None:
    from claimtrack.render import visible

    typer.echo(visible(message))


def ask_text(prompt: str) -> str:
    """A quote or claim of any number of lines, ended by an empty line (or the end of input)."""
    typer.echo(f"{prompt} (paste or type it; an empty line ends it):")
    lines: list[str] = []
    while True:
        line = sys.stdin.readline()
        if not line:  # the end of input (Ctrl-D) ends the text as an empty line does
            if lines:
                break
            raise ClaimtrackError("Nothing added: no quote or claim was given.")
        line = line.rstrip("\r\n")
        if line.strip():
            lines.append(line)
        elif lines:
            break
        else:
            typer.echo("It is empty. Paste or type the words, then an empty line (Ctrl-D gives up):")
    return "\n".join(lines)


@contextlib.contextmanager
def known_speakers(ctx: typer.Context) -> Iterator:
    """The store to look speakers up in while asking, or None when there is no database with claims yet."""
    from claimtrack.cli.common import reading

    with contextlib.ExitStack() as stack:
        try:
            store = stack.enter_context(reading(ctx))
        except ClaimtrackError:
            store = None  # no database yet (the add will create it): every speaker is a new one
        yield store


def ask_speaker(store) -> str:
    """The speaker, asked until one is given: an answer such as 'zhou' finds a known speaker by the start of
    their words, as --speaker filters do; a new name close to a known one is asked about."""
    from claimtrack import names

    while True:
        answer = typer.prompt("Speaker", default="", show_default=False).strip()
        if not names.name_words(answer):
            typer.echo("A speaker is needed: a name with letters or digits, or a role if that is all you know "
                       "(Meta's chief scientist).")
            continue
        if store is None or store.find_speaker(answer) is not None:
            return answer
        matches = store.prefix_speakers(answer)
        if len(matches) == 1:
            found = store.speaker_name(matches[0])
            _say(f"That is {found}.")
            return found
        if matches:
            listed = "; ".join(store.speaker_name(i) for i in matches[:10])
            _say(f"'{answer}' matches several speakers: {listed}. Give more of the name.")
            continue
        return checked_speaker(store, answer, asking=True)[0]


def checked_speaker(store, name: str, *, asking: bool) -> tuple[str, str | None]:
    """NAME, or the known speaker it was meant to be, and the closest known speaker to warn about.

    A name no one has that is close to a known speaker's (a typo, the start of the name) is asked about
    at a terminal (ASKING); in a pipe it stays a new speaker, and the closest is returned for
    warn_new_speaker to name once the claim is added.
    """
    from claimtrack.render import visible

    closest = store.close_speaker(name) if store is not None else None
    if closest is None:
        return name, None
    if not asking:
        return name, closest
    question = f"{name} is not a known speaker. Did you mean {closest}?"
    return (closest if typer.confirm(visible(question), default=True) else name), None


def warn_new_speaker(name: str, closest: str) -> None:
    """Say that NAME became a new speaker although CLOSEST is known, and how to make them one."""
    from claimtrack.cli.common import warn

    warn(f"{name} is not a known speaker, and was added as a new one; the closest known speaker is {closest}. "
         f"If that is who said it: claimtrack speakers merge \"{name}\" \"{closest}\".")


def ask_details(settings) -> tuple[str | None, str | None, str | None]:
    """The role, the said date and the source URL, each optional (Enter skips it); a date or URL that cannot
    be read is asked again, so that nothing typed before is lost."""
    from claimtrack import dates
    from claimtrack.urls import check_url

    role = typer.prompt("Role (Enter for none)", default="", show_default=False).strip() or None
    said = _ask_valid("Said (a date such as February 2024; Enter for none)",
                      lambda text: dates.parse(text, None, settings))
    source = _ask_valid("Source URL (Enter for none)", check_url)
    return role, said, source


def _ask_valid(prompt: str, check) -> str | None:
    while True:
        answer = typer.prompt(prompt, default="", show_default=False).strip()
        if not answer:
            return None
        try:
            check(answer)
        except ClaimtrackError as error:
            _say(f"{error.message} Try again:")
            continue
        return answer
