"""Reading the shared record back: the record files a merge brought, into the database, by the import's rules.

Speakers first (a speaker merged on another machine is merged here too, so claims added here under the
duplicate end on the kept speaker; aliases as the shared record has them), then claims, merged by change time
(store.apply_records, as import merges them), then moves to and from the trash. Runs inside the caller's
write: a bad file stops it with nothing imported.
"""

from __future__ import annotations

import contextlib

from claimtrack.errors import ClaimtrackError
from claimtrack.fields import RecordError
from claimtrack.sync import layout

BATCH = 1000


def changed_files(git, since: str | None, until: str | None) -> list[str]:
    """The record files that changed between commits SINCE and UNTIL (all of them when SINCE is not known)."""
    if until is None:
        return []
    if since is not None and git.ok("cat-file", "-e", f"{since}^{{commit}}"):
        if since == until:
            return []
        listed = git.out("diff", "--name-only", "--no-renames", since, until, "--", *layout.RECORD_DIRS)
    else:
        listed = git.out("ls-tree", "-r", "--name-only", until, "--", *layout.RECORD_DIRS)
    return [path for path in listed.splitlines() if layout.kind_of(path)]


def read_back(store, git, since: str | None, until: str | None) -> dict[str, int]:
    """Read the record files changed from SINCE to UNTIL into STORE; how many claims were added, updated,
    deleted and restored."""
    files = changed_files(git, since, until)
    root = git.root
    speakers = [path for path in files if path.startswith(layout.SPEAKERS + "/")]
    _read_speakers(store, root, speakers)
    claims = [path for path in files if path.startswith(layout.CLAIMS + "/")]
    return _read_claims(store, root, claims)


def _read_speakers(store, root, paths: list[str]) -> None:
    records = [record for path in paths if isinstance(record := layout.read_json(root, path), dict)]
    for record in records:
        name, target = record.get("name"), record.get("merged_into")
        if not (isinstance(name, str) and isinstance(target, str)):
            continue
        duplicate, kept = store.find_speaker(name), store.find_speaker(target)
        if duplicate is not None and kept is None and store.speaker_is_own(name):
            store.rename_speaker(name, target)  # renamed there: the same here
        elif duplicate is not None and kept is not None and duplicate != kept and store.speaker_is_own(name):
            # (the duplicate's name is kept as an alias or not by the merge's own rule, as where it was made;
            # the kept speaker's file then gives the aliases exactly)
            store.merge_speakers(name, target)
    for record in records:
        name, aliases = record.get("name"), record.get("aliases")
        if isinstance(name, str) and isinstance(aliases, list) and all(isinstance(a, str) for a in aliases):
            store.set_aliases(name, aliases)


def _aliases(root, name, cache: dict) -> list[str]:
    """The aliases the shared record gives the speaker NAME."""
    if not isinstance(name, str):
        return []
    if name not in cache:
        record = layout.read_json(root, layout.speaker_path_for(name)) or {}
        aliases = record.get("aliases") if isinstance(record, dict) else None
        cache[name] = [a for a in aliases if isinstance(a, str) and a != name] if isinstance(aliases, list) else []
    return cache[name]


def _read_claims(store, root, paths: list[str]) -> dict[str, int]:
    from claimtrack.store import now

    stamp = now()
    counts = {"added": 0, "updated": 0, "deleted": 0, "restored": 0}
    speakers: dict = {}
    batch: list[dict] = []
    moves: dict[str, int] = {}
    known = store.trash_changes([path.rsplit("/", 1)[-1].removesuffix(".json") for path in paths])

    def apply() -> None:
        for outcome in store.apply_records(batch):
            if outcome in counts:
                counts[outcome] += 1
        batch.clear()

    # Into a database with no claims, in the trash or out, the import's bulk load (a new member's first sync).
    bulk = len(paths) > BATCH and store.no_claims() and not store.trash_count()
    with store.bulk_import() if bulk else contextlib.nullcontext():
        for path in paths:
            _read_claim(store, root, path, stamp, speakers, known, moves, batch, counts)
            if len(batch) >= BATCH:
                apply()
        if batch:
            apply()
    for uuid, trash in sorted(moves.items()):
        if trash % 2:
            claim_id = store.claim_id_of(uuid)
            if claim_id is not None:
                store.delete_claim(claim_id)
                counts["deleted"] += 1
        store.set_trash_changes(uuid, trash)
    return counts


def _read_claim(store, root, path, stamp, speakers, known, moves, batch, counts) -> None:
    """Check the claim file at PATH and add its record to BATCH; a restore it brings is made at once."""
    from claimtrack.interchange import check_record

    written = layout.read_json(root, path)
    if written is None:
        return  # removed from the shared record by hand: the claim stays here
    if not isinstance(written, dict):
        raise ClaimtrackError(f"{root / path} is not a claim record (a JSON object). Nothing was imported.")
    record, trash = layout.record_of(written, _aliases(root, (written.get("speaker") or {}).get("name"), speakers))
    try:
        checked = check_record(record, stamp)
    except RecordError as error:
        raise ClaimtrackError(f"{root / path}, {error.at('its record')}. Nothing was imported.") from None
    uuid = checked["uuid"]
    if trash > known.get(uuid, 0):
        moves[uuid] = trash
        if trash % 2 == 0:
            claim_id = store.in_trash(uuid)
            if claim_id is not None:
                store.restore(claim_id)
                counts["restored"] += 1
    batch.append(checked)
