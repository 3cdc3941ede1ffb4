"""The two floors under `claimtrack import`: what parsing costs a record, and what SQLite alone costs the rows.

    python benchmarks/floors.py parse FILE [LINES]     # JSON decoding, checking, preparing, pickling per record
                                                       # (pickling what a parsing process sends the writer)
    python benchmarks/floors.py sqlite DATABASE        # the rows of an imported DATABASE, loaded again as appends

`parse` times, on the first LINES lines of a JSON Lines file (default 50,000), each step the parsing process
takes for a record, with the cycle collector off as during an import. `sqlite` copies every row of DATABASE
(made by `claimtrack import`) into a new database that has the same tables but no index beyond the primary
keys, with `executemany` a thousand rows at a time and foreign keys on, then builds the full-text index and
every index, and commits: SQLite's share of an import with no Python work at all.
"""

from __future__ import annotations

import gc
import json
import pickle
import sqlite3
import sys
import time
from pathlib import Path


def parse_floor(path: Path, count: int) -> None:
    from claimtrack.importing import _for_writer
    from claimtrack.interchange import check_record
    from claimtrack.store.interchange import prepare

    gc.disable()
    lines = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            lines.append(line)
            if len(lines) == count:
                break
    steps = {}
    start = time.perf_counter()
    data = [json.loads(line) for line in lines]
    steps["JSON decoding"] = time.perf_counter() - start
    start = time.perf_counter()
    records = [check_record(d, "2025-01-01T00:00:00Z") for d in data]
    steps["checking (check_record)"] = time.perf_counter() - start
    start = time.perf_counter()
    for record in records:
        prepare(record)
    steps["preparing the rows (prepare)"] = time.perf_counter() - start
    start = time.perf_counter()
    sent = [_for_writer(record, number, 0) for number, record in enumerate(records, start=1)]
    pickled = [pickle.dumps(sent[i:i + 1500]) for i in range(0, len(sent), 1500)]
    steps["pickling, in the parsing process"] = time.perf_counter() - start
    start = time.perf_counter()
    for piece in pickled:
        pickle.loads(piece)
    steps["unpickling, in the writer"] = time.perf_counter() - start
    for step, seconds in steps.items():
        print(f"{seconds / len(lines) * 1e6:7.1f} µs a record  {step}")


def sqlite_floor(source: Path) -> None:
    target = source.with_name(source.stem + "-floor.db")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    old = sqlite3.connect(source)
    new = sqlite3.connect(target, isolation_level=None)
    for pragma in ("journal_mode = WAL", "foreign_keys = ON", "cache_size = -65536"):
        new.execute(f"PRAGMA {pragma}")
    tables = old.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL "
        "AND name NOT LIKE 'claims_fts%' AND name NOT LIKE 'evidence_fts%' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    for _, sql in tables:
        # Unique constraints written inside CREATE TABLE would be indexes maintained row by row.
        new.execute(sql.replace(", UNIQUE (claim_id, source_id)", "").replace(" UNIQUE", ""))
    # The search indexes as claimtrack makes them (claimtrack.migrations_search m013 to m015).
    from claimtrack.scripts import grams

    new.create_function("claimtrack_grams", 1, grams, deterministic=True)
    new.execute("CREATE VIRTUAL TABLE claims_fts USING fts5(text, context, speaker, text_grams, context_grams, "
                "speaker_grams, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')")
    new.execute("CREATE VIRTUAL TABLE evidence_fts USING fts5(quote, note, title, "
                "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')")
    order = ["speakers", "aliases", "name_words", "tags", "sources", "claims", "claim_tags", "appearances",
             "evidence", "history", "history_evidence"]
    steps: dict[str, float] = {}
    new.execute("BEGIN")
    for table in order:
        width = len(old.execute(f"PRAGMA table_info({table})").fetchall())
        rows = old.execute(f"SELECT * FROM {table}")
        spent = 0.0
        while batch := rows.fetchmany(1000):
            start = time.perf_counter()
            new.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * width)})", batch)
            spent += time.perf_counter() - start
        steps[f"insert {table}"] = spent
    from claimtrack.search_schema import EVIDENCE_ROW, FTS_COLUMNS, SPEAKER_NAMES

    start = time.perf_counter()
    new.execute(f"INSERT INTO claims_fts ({FTS_COLUMNS}) SELECT id, text, context, names, claimtrack_grams(text), "
                "claimtrack_grams(context), claimtrack_grams(names) FROM (SELECT c.id, c.text, coalesce(c.context, '') "
                f"AS context, {SPEAKER_NAMES.format('c.speaker_id')} AS names FROM claims c)")
    new.execute(f"INSERT INTO evidence_fts (rowid, quote, note, title) SELECT e.id, {EVIDENCE_ROW.format(e='e')} "
                "FROM evidence e")
    steps["full-text index"] = time.perf_counter() - start
    start = time.perf_counter()
    for (sql,) in old.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"):
        new.execute(sql)
    for table in ("evidence", "history", "appearances"):
        new.execute(f"CREATE UNIQUE INDEX floor_{table}_uuid ON {table} (uuid)")
    steps["every index"] = time.perf_counter() - start
    start = time.perf_counter()
    new.execute("COMMIT")
    steps["commit"] = time.perf_counter() - start
    new.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    inserts = sum(v for k, v in steps.items() if k.startswith("insert"))
    for step, seconds in steps.items():
        if not step.startswith("insert") or seconds >= 0.5:
            print(f"{seconds:7.2f} s  {step}")
    print(f"{inserts:7.2f} s  all inserts\n{sum(steps.values()):7.2f} s  in all")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "parse":
        parse_floor(Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 50_000)
    elif len(sys.argv) == 3 and sys.argv[1] == "sqlite":
        sqlite_floor(Path(sys.argv[2]))
    else:
        raise SystemExit(__doc__)
