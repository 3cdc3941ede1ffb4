"""Commands that move claims in and out: the Markdown report, export and import."""

from __future__ import annotations

import contextlib
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from claimtrack.cli.common import claim_filter, output_file, reading, writing
from claimtrack.errors import ClaimtrackError
from claimtrack.cli.options import (
    AsOf, AttributionFilter, HasEvidence, KindFilter, OutletFilter, Since, SpeakerFilter, TagFilter, Until,
    VerdictFilter,
)

Output = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to FILE instead of the terminal.")]


class GroupBy(str, Enum):
    speaker = "speaker"
    outlet = "outlet"
    tag = "tag"
    verdict = "verdict"
    none = "none"


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    json = "json"
    csv = "csv"
    claimreview = "claimreview"
    csl_json = "csl-json"


class ImportFormat(str, Enum):
    jsonl = "jsonl"
    json = "json"
    csv = "csv"
    claimreview = "claimreview"


def report(
    ctx: typer.Context,
    speaker: SpeakerFilter = None, tag: TagFilter = None, outlet: OutletFilter = None, kind: KindFilter = None,
    since: Since = None, until: Until = None, verdict: VerdictFilter = None, attribution: AttributionFilter = None,
    has_evidence: HasEvidence = None, as_of: AsOf = None,
    group_by: Annotated[GroupBy, typer.Option("--group-by", help="Sections by speaker, outlet, tag, verdict, or none.", case_sensitive=False)] = GroupBy.speaker,
    title: Annotated[Optional[str], typer.Option("--title", help="The report's title.")] = None,
    stamp: Annotated[bool, typer.Option("--stamp", help="Say when the report was generated (off: same data, same bytes).")] = False,
    with_retracted: Annotated[bool, typer.Option("--with-retracted", help="Also show retracted evidence and verdict or attribution changes, labelled as retracted.")] = False,
    output: Output = None,
) -> None:
    """A Markdown citation report: claims grouped, with verdicts, evidence and numbered footnotes.

    Example: claimtrack report --speaker "Zhou Hongyi" --title "What Zhou Hongyi said about Sora" -o zhou.md
    """
    from claimtrack.report import write_report
    from claimtrack.store import now

    with reading(ctx) as store:
        where, words = claim_filter(ctx, store, speaker, tag, outlet, kind, since, until, verdict, attribution,
                                    has_evidence, as_of)
        counts = store.report_counts(where, with_retracted)
        with output_file(output, store.path) as out:
            write_report(out, store.report_claims(where, group_by.value), title=title or "Citation report",
                         filters=words, counts=counts, group_by=group_by.value, stamp=now() if stamp else None,
                         with_retracted=with_retracted, gone=store.gone_pages())


def export(
    ctx: typer.Context,
    format: Annotated[ExportFormat, typer.Option("--format", "-f", help="jsonl (lossless), json, csv, claimreview or csl-json.", case_sensitive=False)],
    speaker: SpeakerFilter = None, tag: TagFilter = None, outlet: OutletFilter = None, kind: KindFilter = None,
    since: Since = None, until: Until = None, verdict: VerdictFilter = None, attribution: AttributionFilter = None,
    has_evidence: HasEvidence = None, as_of: AsOf = None,
    publisher: Annotated[Optional[str], typer.Option("--publisher", help="claimreview: the reviewing organisation.")] = None,
    base_url: Annotated[Optional[str], typer.Option("--base-url", help="claimreview: review URLs are this plus each claim's uuid.")] = None,
    output: Output = None,
) -> None:
    """Export claims: jsonl (lossless, sorted, diffable), json, csv, ClaimReview JSON-LD or CSL-JSON.

    Example: claimtrack export --format jsonl --output claims.jsonl
    """
    from claimtrack.errors import ClaimtrackError
    from claimtrack.exporters import exporter
    from claimtrack.urls import check_url

    module = exporter(format.value)
    if format is ExportFormat.claimreview:
        if not publisher or not base_url:
            raise ClaimtrackError("--format claimreview needs --publisher NAME and --base-url URL.", exit_code=2)
        check_url(base_url)
    with reading(ctx) as store:
        where, _ = claim_filter(ctx, store, speaker, tag, outlet, kind, since, until, verdict, attribution,
                                has_evidence, as_of)
        with output_file(output, store.path) as out:
            count = module.export(store, where, out, {"publisher": publisher, "base_url": base_url})
    if output is not None:
        typer.echo(f"Exported {count} {'item' if count == 1 else 'items'} to {output}.", err=True)


def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The file to import, or - for standard input.", show_default=False)],
    format: Annotated[Optional[ImportFormat], typer.Option("--format", "-f", help="jsonl, json, csv or claimreview (default: from the file).", case_sensitive=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check the file and count what would change; write nothing.")] = False,
) -> None:
    """Import claims: idempotent (matched by uuid) and atomic (one bad record and nothing is written).

    Example: claimtrack import colleague.jsonl --dry-run
    """
    from claimtrack.importing import import_file

    with _spooled(file) as path, writing(ctx, rehearse=dry_run) as store, _progress(path) as tick:
        summary = import_file(store, path, format.value if format else None, dry_run=dry_run, progress=tick)
    verb = "Would import" if dry_run else "Imported"
    noun = "record" if summary.records == 1 else "records"
    named = "standard input" if str(file) == "-" else file
    typer.echo(f"{verb} {summary.records} {noun} ({summary.format}) from {named}: {summary.added} added, "
               f"{summary.updated} updated, {summary.unchanged} unchanged"
               + (f", {summary.trashed} left in the trash (deleted here; claimtrack restore ID brings one back)"
                  if summary.trashed else "") + ".")


@contextlib.contextmanager
def _spooled(file: Path):
    """FILE itself, or for - what standard input holds, kept in a private temporary file while it is read
    (an import reads its file more than once); the file is removed afterwards."""
    if str(file) != "-":
        yield file
        return
    import shutil
    import tempfile

    if sys.stdin.isatty():
        raise ClaimtrackError("import - reads the records from standard input: pipe them in, e.g. "
                              "claimtrack extract --json article.html | claimtrack import -", exit_code=2)
    with tempfile.TemporaryDirectory(prefix="claimtrack-import-") as folder:
        path = Path(folder) / "standard-input"
        with open(path, "wb") as out:
            shutil.copyfileobj(sys.stdin.buffer, out)
        if path.stat().st_size == 0:
            raise ClaimtrackError("Standard input is empty: there is nothing to import.")
        yield path


class _progress:
    """A rich progress bar on a terminal for large files; nothing in a pipe."""

    LARGE = 256 * 1024  # about two thousand claims

    def __init__(self, path: Path):
        self.path = path
        self.bar = None

    def __enter__(self):
        try:
            large = self.path.is_file() and self.path.stat().st_size > self.LARGE
        except OSError:
            large = False
        if not (large and sys.stderr.isatty()):
            return None
        from rich.progress import Progress

        self.bar = Progress(transient=True, console=None)
        self.bar.start()
        task = self.bar.add_task(f"Importing {self.path.name}", total=None)
        return lambda done: self.bar.advance(task, done)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()
        return False
