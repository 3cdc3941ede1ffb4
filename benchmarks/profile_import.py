"""Where an import's time goes: each SQL statement's total, and the time spent waiting for parsed records.

    python benchmarks/profile_import.py DATABASE FILE

DATABASE should not exist yet (the benchmark measures a load into an empty database). The writer's
statements are timed as the import runs them; "waiting for records" is the time the writer sat idle
until the parsing process handed it the next records; the rest is the writer's own Python.
"""

from __future__ import annotations

import collections
import sys
import time
from pathlib import Path

from claimtrack import importing
from claimtrack.store import open_store


class TimedConnection:
    """A sqlite3 connection whose execute and executemany add their time to a total per statement."""

    def __init__(self, conn, totals: dict[str, float]):
        self._conn = conn
        self._totals = totals

    def __getattr__(self, name):
        return getattr(self._conn, name)

    def _timed(self, method, sql, *args):
        start = time.perf_counter()
        try:
            return method(sql, *args)
        finally:
            self._totals[" ".join(sql.split())[:60]] += time.perf_counter() - start

    def execute(self, sql, *args):
        return self._timed(self._conn.execute, sql, *args)

    def executemany(self, sql, *args):
        return self._timed(self._conn.executemany, sql, *args)


def main() -> None:
    database, source = Path(sys.argv[1]), Path(sys.argv[2])
    if database.exists():
        raise SystemExit(f"{database} exists: give the path of a database to create.")
    totals: dict[str, float] = collections.defaultdict(float)
    waiting = 0.0
    checked = importing._checked

    def timed_records(*args):
        nonlocal waiting
        records = checked(*args)
        while True:
            start = time.perf_counter()
            try:
                record = next(records)
            except StopIteration:
                return
            finally:
                waiting += time.perf_counter() - start
            yield record

    importing._checked = timed_records
    start = time.perf_counter()
    with open_store(database, write=True) as store:
        store.conn = TimedConnection(store.conn, totals)
        summary = importing.import_file(store, source, None)
    total = time.perf_counter() - start
    sql = sum(totals.values())
    print(f"{summary.records:,} records in {total:.1f} s: SQL {sql:.1f} s, waiting for records {waiting:.1f} s, "
          f"the writer's Python {total - sql - waiting:.1f} s")
    for statement, seconds in sorted(totals.items(), key=lambda item: -item[1])[:20]:
        print(f"{seconds:8.2f} s  {statement}")


if __name__ == "__main__":
    main()
