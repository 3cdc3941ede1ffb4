"""The work of `claimtrack verify`: each target checked, its result recorded and told."""

from __future__ import annotations

import contextlib
import re
import sys

import typer

from claimtrack import render
from claimtrack.cli.common import writing
from claimtrack.errors import ClaimtrackError

NO_TEXT_TYPES = ("image/", "video/", "audio/")


def run(ctx: typer.Context, targets: list, *, reference: dict | None, drift: bool, as_json: bool,
        single: bool) -> tuple[list[dict], list[str]]:
    """Verify TARGETS (against REFERENCE, a text given with --against, when there is one; DRIFT: across each
    claim's appearances); the outcomes recorded, and the reasons of those skipped."""
    from claimtrack.store.base import now

    outcomes: list[dict] = []
    skipped: list[str] = []
    texts = _Texts()
    with writing(ctx) as store, _progress(len(targets)) as advance, _Chunks(store) as chunks:
        for claim_id in targets:
            # Read one at a time: a run over many claims holds one claim and a few source texts at once.
            target = store.verification_target(claim_id)
            chunks.begin()
            try:
                _check_quote(target)
                if drift:
                    found = _drift(store, target, now())
                else:
                    found = [_one(store, target, reference, now(), texts)]
            except Skip as reason:
                if single and len(targets) == 1:
                    raise ClaimtrackError(str(reason)) from None
                skipped.append(str(reason))
                if not as_json:
                    typer.echo(f"Not verified: {render.visible(str(reason))}", err=True)
                advance()
                continue
            chunks.done(claim_id, found)
            for outcome in found:
                outcomes.append(outcome)
                if not as_json:
                    _say(outcome)
            advance()
    if skipped and not single and not as_json:
        typer.echo(f"{len(skipped)} of {len(targets)} claim(s) not verified (the reasons are above).", err=True)
    return outcomes, skipped


class _Chunks:
    """The run's results written CHUNK claims to a transaction: one change (one undo) for each chunk, so a
    long run neither pays a transaction a claim nor loses more than the chunk under way to Ctrl-C."""

    CHUNK = 200

    def __init__(self, store):
        self.store = store
        self.write = None
        self.claims: list[tuple[int, str]] = []

    def __enter__(self):
        return self

    def begin(self) -> None:
        if self.write is None:
            self.write = self.store.write("verification")
            self.write.__enter__()

    def done(self, claim_id: int, found: list[dict]) -> None:
        self.claims.append((claim_id, found[-1]["result"] if found else ""))
        if len(self.claims) >= self.CHUNK:
            self._end(None)

    def _end(self, error) -> None:
        if self.write is None:
            return
        write, self.write = self.write, None
        if error is None:
            if len(self.claims) == 1:
                claim_id, result = self.claims[0]
                self.store.describe_change(f"claim {claim_id} verified: {result}")
            elif self.claims:
                self.store.describe_change(f"verify of {len(self.claims)} claims ({self.claims[0][0]}–"
                                           f"{self.claims[-1][0]})")
            write.__exit__(None, None, None)
            self.store.release_interrupts()
        else:
            write.__exit__(type(error), error, error.__traceback__)
        self.claims = []

    def __exit__(self, kind, error, trace):
        if error is None:
            self._end(None)
            return False
        try:
            self._end(error)
        except BaseException:
            pass
        return False


class Skip(Exception):
    """A claim that cannot be verified, with the plain reason: nothing is recorded for it."""


def _check_quote(target) -> None:
    if target.kind != "quote":
        raise Skip(f"claim {target.claim_id} is a statement (kind claim), not a quote: its words are not the "
                   "speaker's own, so they cannot be checked word by word.")
    # Chinese, Japanese and Thai are written without spaces: there a run of four characters is several words.
    from claimtrack.scripts import has_unspaced

    unspaced = has_unspaced(target.text) and len("".join(target.text.split())) >= 4
    if len(re.findall(r"\w+", target.text)) < 2 and not unspaced:
        raise Skip(f"claim {target.claim_id} is a quote of one word: too short to find in a source reliably.")


class _Texts:
    """The texts of the last few snapshots read: many claims of one page share its text."""

    def __init__(self, keep: int = 8):
        self.keep = keep
        self.texts: dict[int, str] = {}

    def get(self, store, snapshot_id: int) -> str:
        if snapshot_id not in self.texts:
            if len(self.texts) >= self.keep:
                self.texts.pop(next(iter(self.texts)))
            self.texts[snapshot_id] = store.snapshot_text(snapshot_id)
        return self.texts[snapshot_id]


def _one(store, target, reference: dict | None, at: str, texts: _Texts) -> dict:
    """Check one quote against REFERENCE or its source's latest snapshot; record and return the outcome."""
    from claimtrack.verify import verify_quote

    if reference is not None:
        text, label = reference["text"], reference["label"]
        where = {"snapshot_sha256": reference["sha256"], "snapshot_at": reference["at"], "against": label,
                 "source_url": None, "outlet": None}
        note_where = f"against {label} as read on {_day(reference['at'])}"
        language = None
    else:
        target = _with_snapshot(store, target)
        where = {"snapshot_sha256": target.sha256, "snapshot_at": target.fetched_at, "against": None,
                 "source_url": target.url, "outlet": target.outlet}
        name = target.outlet or target.url
        if target.snapshot_id is None:
            outcome = {"result": "unavailable", **where}
            return _record(store, target.claim_id, outcome, at, f"source unavailable: {name} could not be fetched")
        if target.content_type and target.content_type.startswith(NO_TEXT_TYPES) or not target.has_text:
            raise Skip(f"the snapshot of {target.url} has no text to compare with (an image, a scan or an empty "
                       "page). Attach a text copy (claimtrack source attach URL FILE) or give --against FILE.")
        text, language = texts.get(store, target.snapshot_id), target.language
        how = "attached" if target.snapshot_kind == "attach" else "fetched"
        note_where = f"in {name} as {how} on {_day(target.fetched_at)}"
    found = verify_quote(target.text, text, source_language=language)
    outcome = {**found.to_dict(), **where}
    outcome.pop("span", None)
    words = _words(found.result)
    note = f"{words} {note_where}" if found.result != "other-language" else f"in another language than the text {note_where}"
    if found.differences:
        note += f": {summary(found.differences)}"
    if found.meaning_flags:
        note += f" (touches {' and '.join('a negation' if f == 'negation' else 'a number' for f in found.meaning_flags)})"
    return _record(store, target.claim_id, outcome, at, note)


def _with_snapshot(store, target):
    """TARGET with its source's snapshot: fetched now when there is none yet (and the source has an address)."""
    if target.snapshot_id is not None:
        return target
    if not target.url:
        raise Skip(f"claim {target.claim_id} has no source page to check against. Give one with --against FILE "
                   f"or URL, or record its source (claimtrack edit {target.claim_id} --url URL).")
    from claimtrack.sources.capture import fetch_pages
    from claimtrack.sources.http import Limits

    for outcome in fetch_pages(store, [(target.source_id, target.url)], limits=Limits.from_env()):
        if outcome.error:
            typer.echo(f"Cannot fetch {render.visible(target.url)}: {render.visible(outcome.error)}.", err=True)
    return store.verification_target(target.claim_id)


def _drift(store, target, at: str) -> list[dict]:
    """The quote as each of the claim's pages printed it, compared with the earliest; each recorded."""
    from claimtrack.verify import classify_drift, verify_quote

    printed = []
    for version in store.versions_of(target.claim_id):
        if not (version.snapshot_text or "").strip():
            continue
        found = verify_quote(target.text, version.snapshot_text)
        if found.passage:
            printed.append((version, found.passage))
    if len(printed) < 2:
        raise Skip(f"claim {target.claim_id} has fewer than two pages with a snapshot that prints the quote; "
                   "fetch its appearances first (claimtrack source fetch --missing).")
    (first, earliest), later = printed[0], printed[1:]
    first_name = first.outlet or first.url
    outcomes = []
    for version, passage in later:
        found = classify_drift(earliest, passage)
        outcome = {**found.to_dict(), "passage": passage, "snapshot_sha256": version.sha256,
                   "snapshot_at": version.fetched_at, "source_url": version.url, "outlet": version.outlet,
                   "against": first.url, "appearance_of": version.source_id}
        outcome.pop("span", None)
        name = version.outlet or version.url
        note = f"as {name} printed it: {_words(found.result)} against the earliest, {first_name}"
        if found.differences:
            note += f" ({summary(found.differences)})"
        outcomes.append(_record(store, target.claim_id, outcome, at, note, effective=version.published))
    return outcomes


def _record(store, claim_id: int, outcome: dict, at: str, note: str, effective: str | None = None) -> dict:
    from claimtrack.dates import from_iso

    # A version's wording is placed in the timeline where it was published.
    when = from_iso(effective) if effective and len(effective) in (4, 7, 10) else None
    store.record_verification(claim_id, outcome, at=at, note=note, effective=when)
    return {"claim_id": claim_id, "result": outcome["result"], "passage": outcome.get("passage"),
            "differences": outcome.get("differences", []), "meaning_flags": outcome.get("meaning_flags", []),
            "edits": outcome.get("edits", []), "snapshot": outcome.get("snapshot_sha256"),
            "source_url": outcome.get("source_url"), "against": outcome.get("against"),
            "appearance_of": outcome.get("appearance_of"), "checked_at": at, "note": note}


def summary(differences) -> str:
    """The word differences in a few words: removed ‘not’; added ‘very’; ‘never’ → ‘rarely’."""
    parts = []
    for d in list(differences)[:5]:
        if d["op"] == "remove":
            parts.append(f"removed ‘{d['source']}’")
        elif d["op"] == "add":
            parts.append(f"added ‘{d['quote']}’")
        else:
            parts.append(f"‘{d['source']}’ → ‘{d['quote']}’")
    more = len(differences) - 5
    return "; ".join(parts) + (f"; {more} more" if more > 0 else "")


def _words(result: str) -> str:
    from claimtrack.cli.verify import WORDS

    return WORDS[result]


def _day(stamp: str | None) -> str:
    from claimtrack.dates import from_iso

    return from_iso(stamp[:10], "day").describe() if stamp else "an unknown day"


def _say(outcome: dict) -> None:
    line = f"{outcome['claim_id']}: {render.visible(outcome['note'])}"
    typer.echo(line)
    if outcome["result"] in ("altered", "marked-edits") and outcome.get("passage"):
        label = "printed" if outcome.get("appearance_of") is not None else "source"
        typer.echo(f"  {label}: “{render.visible(' '.join(outcome['passage'].split()))}”")


@contextlib.contextmanager
def _progress(total: int):
    if total < 2 or not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.progress import Progress

    bar = Progress(transient=True)
    task = bar.add_task("Verifying", total=total)
    with bar:
        yield lambda: bar.advance(task)
