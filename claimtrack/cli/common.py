"""What every command shares: where the database is, how dates are read, and talking to the user."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import typer

from claimtrack.dates import DateSettings, PartialDate
from claimtrack.errors import ClaimtrackError

DEFAULT_DB = "claims.db"


@dataclass(frozen=True)
class State:
    """The global options: the database path and the date settings."""

    db: Path
    dates: DateSettings

    @classmethod
    def from_environment(cls, db: Path | None) -> State:
        """--db wins over CLAIMTRACK_DB, which wins over ./claims.db."""
        path = db or Path(os.environ.get("CLAIMTRACK_DB") or DEFAULT_DB)
        return cls(Path(path), DateSettings.from_env(on_warning=_once(warn)))


def _once(say):
    """SAY, but each message only once: a date read twice in one command (to check it, then to store it)
    is warned about once."""
    said: set[str] = set()

    def tell(message: str) -> None:
        if message not in said:
            said.add(message)
            say(message)

    return tell


def state(ctx: typer.Context) -> State:
    """The State the main callback stored on the root context."""
    return ctx.find_root().obj


@contextlib.contextmanager
def reading(ctx: typer.Context) -> Iterator:
    """A store opened for reading."""
    from claimtrack.store import open_store

    with open_store(state(ctx).db, write=False) as store:
        _tell(store)
        yield store


@contextlib.contextmanager
def writing(ctx: typer.Context, rehearse: bool = False) -> Iterator:
    """A store opened for writing (created if missing); REHEARSE: an in-memory copy, for a dry run."""
    from claimtrack.store import open_store

    with open_store(state(ctx).db, write=True, rehearse=rehearse) as store:
        _tell(store)
        # Recorded with each change: "verdict", "evidence add" (the path below the program's own name).
        store.command = ctx.command_path[len(ctx.find_root().command_path):].strip() or "claimtrack"
        from claimtrack.sync.author import current_author

        store.author = current_author()
        yield store
    if store.created:
        # Said once the write succeeded (a failed one removes the file again), so a forgotten CLAIMTRACK_DB
        # or --db is noticed at the first claim, not the hundredth.
        from claimtrack.render import visible

        typer.echo(f"Created {visible(str(state(ctx).db))}.", err=True)


def _tell(store) -> None:
    for notice in store.notices:
        typer.echo(notice, err=True)


def interactive() -> bool:
    """True when a person is at the terminal to answer questions."""
    return sys.stdin.isatty()


def warn(message: str) -> None:
    """A warning on stderr: the command still goes ahead."""
    from claimtrack.render import visible

    typer.echo(f"Warning: {visible(message)}", err=True)


def warn_if_future(said: PartialDate | None, today: dt.date) -> None:
    """Warn when a claim is dated after today: usually a typo in the year."""
    if said is not None and said.start > today:
        warn(f"the said date '{said.text}' ({said.describe()}) is in the future. Check the year.")


def require_text(value: str | None, prompt: str, option: str) -> str:
    """A required value: asked for in a terminal, an error (exit 2) without one."""
    if value is not None:
        return value
    if not interactive():
        raise ClaimtrackError(f"Missing {option}. Give it on the command line (see --help).", exit_code=2)
    return typer.prompt(prompt)


def confirm_or_refuse(yes: bool, question: str) -> None:
    """Go ahead when --yes was given or the person at the terminal agrees; otherwise stop with an error."""
    if yes:
        return
    if not interactive():
        raise ClaimtrackError(f"{question.rstrip('?')}: this needs confirmation. Add --yes.")
    from claimtrack.render import visible

    if not typer.confirm(visible(question)):
        raise ClaimtrackError("Nothing changed.")


def claim_filter(ctx: typer.Context, store, speaker, tag, outlet, kind, since, until, verdict, attribution,
                 has_evidence, as_of, verification=None, changed_by=None, changed_since=None):
    """The ClaimFilter for the shared filter options, and a description of each filter in words."""
    from claimtrack import dates
    from claimtrack.model import ClaimFilter

    settings = state(ctx).dates
    speaker_id = store.resolve_speaker(speaker) if speaker is not None else None
    where = ClaimFilter(
        speaker_id=speaker_id,
        tag=tag,
        outlet=outlet,
        kind=kind.value if kind else None,
        since=dates.since_bound(since, settings).isoformat() if since else None,
        until=dates.until_bound(until, settings).isoformat() if until else None,
        verdict=verdict.value if verdict else None,
        attribution=attribution.value if attribution else None,
        has_evidence=has_evidence,
        as_of=dates.until_bound(as_of, settings).isoformat() if as_of else None,
        verification=verification.value if verification else None,
        changed_by=" ".join(changed_by.split()) if changed_by is not None else None,
        changed_since=dates.since_bound(changed_since, settings).isoformat() if changed_since else None,
    )
    words = []
    if speaker_id is not None:
        words.append(f"speaker {store.speaker_name(speaker_id)}")
    for label, value in (("tag", tag), ("outlet", outlet), ("kind", kind and kind.value),
                         ("said since", since), ("said until", until), ("verdict", verdict and verdict.value),
                         ("attribution", attribution and attribution.value), ("as of", as_of),
                         ("verification", verification and verification.value), ("changed by", changed_by),
                         ("changed since", changed_since)):
        if value:
            words.append(f"{label} {value}")
    if has_evidence is not None:
        words.append("with evidence" if has_evidence else "without evidence")
    return where, words


@contextlib.contextmanager
def output_file(path: Path | None, database: Path) -> Iterator:
    """Standard output, or a new owner-only file that appears whole or not at all (written aside, then renamed).

    Never DATABASE, one of its files or any other SQLite file, however the path is spelled.
    """
    if path is None:
        yield sys.stdout
        return
    from claimtrack.files import check_output, text_file

    check_output(path, database)
    with text_file(path) as handle:
        yield handle
