"""claimtrack stats: how many claims each speaker, outlet, tag or month has, by verdict."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated, TextIO

import typer

from claimtrack.cli.common import claim_filter, reading
from claimtrack.cli.options import (
    AsOf, AttributionFilter, HasEvidence, Json, KindFilter, OutletFilter, Since, SpeakerFilter, TagFilter, Until,
    VerdictFilter,
)


class By(str, Enum):
    verdict = "verdict"
    speaker = "speaker"
    outlet = "outlet"
    tag = "tag"
    month = "month"


# The widest bar on a terminal, in characters.
BAR_WIDTH = 40


def stats(
    ctx: typer.Context,
    speaker: SpeakerFilter = None, tag: TagFilter = None, outlet: OutletFilter = None, kind: KindFilter = None,
    since: Since = None, until: Until = None, verdict: VerdictFilter = None, attribution: AttributionFilter = None,
    has_evidence: HasEvidence = None, as_of: AsOf = None,
    by: Annotated[By, typer.Option("--by", help="Count for each verdict, speaker, outlet, tag or month (said).", case_sensitive=False)] = By.verdict,
    as_json: Json = False,
) -> None:
    """Counts of claims by verdict for each speaker, outlet, tag or month: bars on a terminal, rows in a pipe.

    Example: claimtrack stats --by speaker --since 2024
    """
    from claimtrack.store.stats import claim_counts

    with reading(ctx) as store:
        where, _ = claim_filter(ctx, store, speaker, tag, outlet, kind, since, until, verdict, attribution,
                                has_evidence, as_of)
        groups = claim_counts(store.conn, where, by.value)
    if as_json:
        from claimtrack.render import print_json

        print_json([g.to_dict() for g in groups])
    elif sys.stdout.isatty():
        _bars(groups, by.value)
    else:
        _rows(groups, sys.stdout)


def _rows(groups, out: TextIO) -> None:
    """One tab-separated line per group: name, total, then each verdict as verdict=count."""
    from claimtrack.render import field

    for group in groups:
        counts = " ".join(f"{v}={n}" for v, n in group.verdicts.items())
        out.write(f"{field(group.name)}\t{group.total}\t{counts}\n")


def _bars(groups, by: str) -> None:
    """A bar per group, its parts coloured by verdict, scaled to the largest group."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from claimtrack.model import VERDICTS
    from claimtrack.render import visible

    console = Console(highlight=False)
    if not groups:
        console.print("No claims.")
        return
    largest = max(g.total for g in groups)
    table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
    table.add_column(by.capitalize(), overflow="fold", max_width=40)
    table.add_column("Claims", justify="right")
    table.add_column("By verdict", no_wrap=True)
    for group in groups:
        bar = Text()
        for verdict, count in group.verdicts.items():
            # Every verdict present shows, however small its share.
            width = max(1, round(count * BAR_WIDTH / largest))
            bar.append("█" * width, style=_bar_style(verdict))
        table.add_row(Text(visible(group.name)), str(group.total), bar)
    console.print(table)
    present = [v for v in VERDICTS if any(v in g.verdicts for g in groups)]
    key = Text("  ").join(Text(f"█ {v}", style=_bar_style(v)) for v in present)
    console.print(key)


def _bar_style(verdict: str) -> str:
    from claimtrack.render import STANDING_STYLES

    # "dim" alone would draw unverified bars faint: grey reads better as a colour of its own.
    style = STANDING_STYLES.get(verdict, "white")
    return {"dim": "grey50", "yellow": "yellow"}.get(style, style) if verdict != "misleading" else "dark_orange"
