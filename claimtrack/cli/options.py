"""Option and argument types that several commands share."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, List, Optional

import typer

MAX_ID = 2**63 - 1


class Kind(str, Enum):
    """What was said: the speaker's exact words, or a statement."""

    quote = "quote"
    claim = "claim"


class Verdict(str, Enum):
    """Is the claim true?"""

    unverified = "unverified"
    supported = "supported"
    mixed = "mixed"
    misleading = "misleading"
    refuted = "refuted"
    unprovable = "unprovable"


class Attribution(str, Enum):
    """Did the speaker really say it?"""

    reported = "reported"
    confirmed = "confirmed"
    disputed = "disputed"
    misattributed = "misattributed"


def _known(ctx: typer.Context, kind: str, typed: str) -> list[str]:
    """Names of KIND in the database the command line points at, for shell completion (read-only)."""
    import os
    from pathlib import Path

    from claimtrack.store.completion import names

    # At completion time the global options are parsed but not applied: read --db as given.
    db = ctx.find_root().params.get("db") or os.environ.get("CLAIMTRACK_DB") or "claims.db"
    return names(Path(db), kind, typed)


def complete_speaker(ctx: typer.Context, incomplete: str) -> list[str]:
    """Speaker names and aliases beginning with what was typed."""
    return _known(ctx, "speakers", incomplete)


def complete_tag(ctx: typer.Context, incomplete: str) -> list[str]:
    """Tags beginning with what was typed."""
    return _known(ctx, "tags", incomplete)


IdArg = Annotated[int, typer.Argument(help="The claim's id (see claimtrack list).", min=1, max=MAX_ID, metavar="ID")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
Limit = Annotated[Optional[int], typer.Option("--limit", "-n", help="Show at most N claims.", min=1, max=MAX_ID)]
Role = Annotated[Optional[str], typer.Option("--role", help="The speaker's role when they said it.")]
Said = Annotated[
    Optional[str],
    typer.Option("--said", help='When it was said: "19 February 2024", "December 2023", "mid-2023", "Monday".'),
]
SourceUrl = Annotated[Optional[str], typer.Option("--source", help="URL of the page it appeared in.")]
Outlet = Annotated[Optional[str], typer.Option("--outlet", help="The outlet that published it.")]
Title = Annotated[Optional[str], typer.Option("--title", help="Title of the article or page.")]
Published = Annotated[
    Optional[str], typer.Option("--published", help="When the source was published; relative --said dates count from it.")
]
# For commands without --said (evidence add, appearance add), whose help must not mention it.
PagePublished = Annotated[Optional[str], typer.Option("--published", help="When the page was published.")]
FetchPage = Annotated[bool, typer.Option(
    "--fetch", help="Also fetch the page and keep a snapshot (see claimtrack source fetch); a failure is a warning.")]
ArchivedUrl = Annotated[Optional[str], typer.Option(
    "--archived-url", help="An archived copy of the page you already have (Wayback Machine, archive.today...).",
    show_default=False, metavar="URL")]
Tags = Annotated[Optional[List[str]], typer.Option("--tag", help="A tag (repeat for more).", autocompletion=complete_tag)]
Context = Annotated[Optional[str], typer.Option("--context", help="What it was said about, or in answer to.")]
Note = Annotated[Optional[str], typer.Option("--note", help="Your own note.")]

# The filters that list, report and export share.
SpeakerFilter = Annotated[
    Optional[str],
    typer.Option("--speaker", "-s", help="Only this speaker (name, alias or word prefix).", autocompletion=complete_speaker),
]
TagFilter = Annotated[Optional[str], typer.Option("--tag", help="Only claims with this tag.", autocompletion=complete_tag)]
OutletFilter = Annotated[Optional[str], typer.Option("--outlet", help="Only claims from this outlet.")]
KindFilter = Annotated[Optional[Kind], typer.Option("--kind", help="Only quotes or only claims.", case_sensitive=False)]
Since = Annotated[Optional[str], typer.Option("--since", help='Said in or after this period: "December 2023", "2023".')]
Until = Annotated[Optional[str], typer.Option("--until", help="Said in or before this period.")]
VerdictFilter = Annotated[Optional[Verdict], typer.Option("--verdict", help="Only claims with this verdict.", case_sensitive=False)]
class VerificationResult(str, Enum):
    """The results claimtrack verify records, and none: never verified."""

    verbatim = "verbatim"
    form = "form"
    marked_edits = "marked-edits"
    altered = "altered"
    not_found = "not-found"
    unavailable = "unavailable"
    other_language = "other-language"
    none = "none"


VerificationFilter = Annotated[Optional[VerificationResult], typer.Option(
    "--verification", help="Only claims whose latest verification has this result (none: never verified).",
    case_sensitive=False)]
AttributionFilter = Annotated[
    Optional[Attribution], typer.Option("--attribution", help="Only claims with this attribution.", case_sensitive=False)
]
HasEvidence = Annotated[
    Optional[bool], typer.Option("--has-evidence/--no-evidence", help="Only claims with (or without) evidence.")
]
AsOf = Annotated[
    Optional[str],
    typer.Option("--as-of", help="Standing as it was on this date: verdict, attribution and evidence by then."),
]
