"""The benchmark harness: generate corpora, load them through `claimtrack import`, time every command.

    make bench                          # sizes 10,000, 100,000 and 1,000,000
    BENCH_SIZES=10000 make bench        # just one size
    python benchmarks/run.py --sizes 1000 --runs 1 --output benchmarks/.work/small.md

Every figure is a whole process: one warm-up, then --runs timed runs (default 5), with the median,
the spread (min to max) and the peak memory of the process (os.wait4's ru_maxrss). Beside them stand
two floors measured in the same run, `python -c "import sqlite3"` and `python -c "import typer"`,
so the results read as ratios that hold on a noisy machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402

PYTHON = sys.executable
CLAIMTRACK = str(Path(sys.executable).with_name("claimtrack"))


@dataclass
class Timing:
    """A command's runs: wall seconds and peak memory in MB."""

    label: str
    seconds: list[float]
    peak_mb: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def spread(self) -> str:
        return f"{min(self.seconds) * 1000:.0f}–{max(self.seconds) * 1000:.0f} ms"

    @property
    def peak(self) -> float:
        return max(self.peak_mb)


def run_once(argv: list[str], env: dict | None = None, stdout=subprocess.DEVNULL) -> tuple[float, float]:
    """One whole process: (wall seconds, peak resident MB)."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read().decode("utf-8", "replace")
    process.stderr.close()
    if process.returncode != 0:
        raise SystemExit(f"benchmark command failed ({process.returncode}): {' '.join(argv)}\n{error}")
    return elapsed, usage.ru_maxrss / 1024


def measure(label: str, argv: list[str], runs: int, env: dict | None = None, prepare=None) -> Timing:
    """One warm-up, then RUNS timed runs (PREPARE runs before each, untimed)."""
    if prepare:
        prepare()
    run_once(argv, env)
    seconds, peaks = [], []
    for _ in range(runs):
        if prepare:
            prepare()
        elapsed, peak = run_once(argv, env)
        seconds.append(elapsed)
        peaks.append(peak)
    return Timing(label, seconds, peaks)


def searches(speaker: str) -> list[tuple[str, list[str]]]:
    """The searches of every size: rare, common and half-the-claims words, a phrase, a phrase of stop words, a
    prefix, a Chinese substring, claims and evidence together, filters, and one that finds nothing."""
    return [
        ('search "barrel water" --limit 20 (rare together)', ["barrel water"]),
        ("search the --limit 20 (nearly every claim)", ["the"]),
        ("search and --limit 20 (half the claims)", ["and"]),
        ('search "ai chips" --limit 20 (two common words)', ["ai chips"]),
        ("search '\"export rules\"' --limit 20 (a phrase)", ['"export rules"']),
        ("search '\"a of\"' --limit 20 (a phrase of two stop words)", ['"a of"']),
        ("search 'chi*' --limit 20 (a prefix)", ["chi*"]),
        ("search 智能 --limit 20 (a Chinese substring, inside 人工智能)", ["智能"]),
        ("search 芯片 --in all --limit 20 (claims and evidence)", ["芯片", "--in", "all"]),
        ("search and --speaker NAME --limit 20 (selective filter)", ["and", "--speaker", speaker]),
        ("search and --verdict refuted --limit 20 (broad filter)", ["and", "--verdict", "refuted"]),
        ('search "barel coold" --limit 20 (nothing found: close words and names suggested)', ["barel coold"]),
    ]


def speaker_near(db: Path, near: int = 500) -> tuple[str, int]:
    """The speaker whose claim count is closest to NEAR."""
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT s.name, count(*) AS n FROM claims c JOIN speakers s ON s.id = c.speaker_id GROUP BY s.id"
    ).fetchall()
    conn.close()
    return min(rows, key=lambda r: (abs(r[1] - near), r[0]))


def database_sizes(db: Path, work: Path) -> tuple[int, int]:
    """Bytes with the full-text index, and without it (a copy, index dropped, vacuumed)."""
    copy = work / "no-fts.db"
    shutil.copy(db, copy)
    conn = sqlite3.connect(copy)
    conn.execute("DROP TABLE claims_fts")
    conn.commit()
    conn.execute("VACUUM")
    conn.close()
    sizes = db.stat().st_size, copy.stat().st_size
    copy.unlink()
    return sizes


def bench_size(size: int, runs: int, work: Path) -> dict:
    """Every measurement at one corpus size."""
    source = work / f"corpus-{size}.jsonl"
    if not source.exists():
        corpus.write(size, str(source))
    db = work / f"claims-{size}.db"
    env = {**os.environ, "CLAIMTRACK_DB": str(db)}

    def fresh():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)

    timings = [measure("import (whole corpus, empty database)", [CLAIMTRACK, "import", str(source)], runs, env, fresh)]
    # The import's gigabytes are written out to disk before the reads are timed, not while they run.
    os.sync()
    speaker, speaker_claims = speaker_near(db)
    busiest, busiest_claims = speaker_near(db, near=size)  # the speaker with the most claims
    conn = sqlite3.connect(db)
    some_id = conn.execute("SELECT id FROM claims ORDER BY id LIMIT 1 OFFSET ?", (size // 2,)).fetchone()[0]
    conn.close()
    light = [
        ("--version", [CLAIMTRACK, "--version"]),
        ("list --speaker NAME --limit 50", [CLAIMTRACK, "list", "--speaker", speaker, "--limit", "50"]),
        (f"list --speaker BUSIEST --limit 50 ({busiest_claims:,} claims)",
         [CLAIMTRACK, "list", "--speaker", busiest, "--limit", "50"]),
        ('list --as-of "2020-01-01" --limit 50', [CLAIMTRACK, "list", "--as-of", "2020-01-01", "--limit", "50"]),
        ("speakers (every speaker, with counts)", [CLAIMTRACK, "speakers"]),
        ('list --tag T --since "2023" --limit 50', [CLAIMTRACK, "list", "--tag", "sora", "--since", "2023", "--limit", "50"]),
        ("show ID", [CLAIMTRACK, "show", str(some_id)]),
        ('search "two words" --limit 20', [CLAIMTRACK, "search", "export rules", "--limit", "20"]),
        *((label, [CLAIMTRACK, "search", *words, "--limit", "20"]) for label, words in searches(speaker)),
        ('add ... --said "last Monday" --published 2024-02-21',
         [CLAIMTRACK, "add", "benchmark quote", "--speaker", "Bench Speaker", "--said", "last Monday",
          "--published", "2024-02-21"]),
        (f"report --speaker NAME ({speaker_claims} claims)", [CLAIMTRACK, "report", "--speaker", speaker]),
        ("export --format jsonl (all)", [CLAIMTRACK, "export", "--format", "jsonl", "--output", str(work / "out.jsonl")]),
    ]
    if size <= 100_000:
        light.append(("report (all claims)", [CLAIMTRACK, "report", "--output", str(work / "report.md")]))
    timings += [measure(label, argv, runs, env) for label, argv in light]
    with_fts, without_fts = database_sizes(db, work)
    return {"size": size, "timings": timings, "bytes": (with_fts, without_fts), "speaker_claims": speaker_claims}


def machine() -> str:
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {memory} memory, {platform.system()} {platform.machine()}, Python {platform.python_version()}"


def write_markdown(results: list[dict], floors: dict[str, Timing], runs: int, path: Path, command: str,
                   sections: list[str] = ()) -> None:
    """BENCHMARKS.md: machine, date, floors, a table per size, and the ratios."""
    sqlite_floor, typer_floor = floors["sqlite3"].median, floors["typer"].median
    lines = [
        "# Benchmarks",
        "",
        f"Made by `{command}` on {dt.date.today().isoformat()}: {machine()}. claimtrack installed with "
        "`pip install .`, as users install it.",
        f"Each figure is a whole process: one warm-up, then {runs} runs; median, spread (min–max) and peak memory.",
        "",
        "| floor | median | spread |",
        "| --- | --- | --- |",
        f"| `python -c \"import sqlite3\"` | {sqlite_floor * 1000:.0f} ms | {floors['sqlite3'].spread} |",
        f"| `python -c \"import typer\"` | {typer_floor * 1000:.0f} ms | {floors['typer'].spread} |",
        "",
    ]
    for result in results:
        with_fts, without_fts = result["bytes"]
        size = result["size"]
        lines += [
            f"## {size:,} claims",
            "",
            "| command | median | spread | × typer floor | × sqlite3 floor | peak memory |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for t in result["timings"]:
            lines.append(
                f"| `{t.label}` | {t.median * 1000:.0f} ms | {t.spread} | {t.median / typer_floor:.2f} | "
                f"{t.median / sqlite_floor:.2f} | {t.peak:.0f} MB |"
            )
        lines += [
            "",
            f"Database: {with_fts / size:.0f} bytes a claim with the full-text index "
            f"({with_fts / 1e6:.1f} MB), {without_fts / size:.0f} without it ({without_fts / 1e6:.1f} MB).",
            "",
        ]
    lines += targets(results, typer_floor)
    if len(results) > 1:
        smallest = {t.label.split(" (")[0]: t.median for t in results[0]["timings"]}
        largest = results[-1]
        lines += [f"## Ratios: {largest['size']:,} claims against {results[0]['size']:,}", "",
                  "| command | ratio |", "| --- | --- |"]
        for t in largest["timings"]:
            key = t.label.split(" (")[0]
            if key in smallest:
                lines.append(f"| `{t.label}` | {t.median / smallest[key]:.2f} |")
        lines.append("")
    lines += [section.rstrip("\n") + "\n" for section in sections]  # the field benchmarks' own sections
    # Figures measured by other commands (each given beside them) are kept, after this run's.
    kept = ""
    if path.exists():
        before = path.read_text(encoding="utf-8")
        if KEPT_SECTION in before:
            kept = "\n" + before[before.index(KEPT_SECTION):]
    path.write_text("\n".join(lines) + kept, encoding="utf-8")


def targets(results: list[dict], typer_floor: float) -> list[str]:
    """The targets of the largest size measured, each met or missed."""
    largest, smallest = results[-1], results[0]
    by_label = {t.label.split(" (")[0]: t for t in largest["timings"]}
    small = {t.label.split(" (")[0]: t for t in smallest["timings"]}
    hundred_k = next((r for r in results if r["size"] == 100_000), None)
    checks = []

    def startup(label: str, floor_ratio: float, scale_ratio: float | None):
        t = by_label[label]
        ok = t.median <= floor_ratio * typer_floor
        text = f"{t.median / typer_floor:.2f} × typer floor (≤ {floor_ratio})"
        if scale_ratio is not None and label in small and largest is not smallest:
            ratio = t.median / small[label].median
            ok = ok and ratio <= scale_ratio
            text += f"; {ratio:.2f} × the same at {smallest['size']:,} (≤ {scale_ratio})"
        checks.append((label, text, ok))

    startup("--version", 1.3, None)
    for label in ("list --speaker NAME --limit 50", 'list --tag T --since "2023" --limit 50', "show ID"):
        startup(label, 1.6, 1.2)
    for label, _ in searches(""):
        t = by_label[label.split(" (")[0]]
        checks.append((t.label, f"{t.median * 1000:.0f} ms (< 150 ms)", t.median < 0.15))
    for label, limit in (('search "two words" --limit 20', 0.3), ('add ... --said "last Monday" --published 2024-02-21', 0.3),
                         ("report --speaker NAME", 0.5)):
        t = by_label[label]
        checks.append((label, f"{t.median * 1000:.0f} ms (< {limit * 1000:.0f} ms)", t.median < limit))
    for label, seconds, megabytes in (("import", 60, 300), ("export --format jsonl", 60, 200)):
        t = by_label[label]
        checks.append((t.label, f"{t.median:.1f} s (< {seconds} s), {t.peak:.0f} MB (< {megabytes} MB)",
                       t.median < seconds and t.peak < megabytes))
    if hundred_k:
        t = next(t for t in hundred_k["timings"] if t.label.startswith("report (all"))
        checks.append(("report of 100,000 claims", f"{t.median:.1f} s (< 15 s), {t.peak:.0f} MB (< 200 MB)",
                       t.median < 15 and t.peak < 200))
    reads = [t for t in largest["timings"] if not t.label.startswith(("import", "add"))]
    worst = max(reads, key=lambda t: t.peak)
    checks.append(("peak memory of any read command", f"{worst.peak:.0f} MB, `{worst.label}` (< 100 MB)", worst.peak < 100))
    lines = [f"## Targets at {largest['size']:,} claims", "", "| target | measured | |", "| --- | --- | --- |"]
    lines += [f"| `{label}` | {text} | {'met' if ok else '**missed**'} |" for label, text, ok in checks]
    return lines + [""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "10000,100000,1000000"))
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "5")))
    parser.add_argument("--output", type=Path, default=HERE.parent / "BENCHMARKS.md")
    parser.add_argument("--work", type=Path, default=HERE / ".work")
    parser.add_argument("--no-field", action="store_true", help="Leave out the field benchmarks (sources ... sync).")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    floors = {
        "sqlite3": measure("floor sqlite3", [PYTHON, "-c", "import sqlite3"], args.runs),
        "typer": measure("floor typer", [PYTHON, "-c", "import typer"], args.runs),
    }
    results = []
    for size in sizes:
        print(f"benchmarking {size:,} claims...", file=sys.stderr)
        results.append(bench_size(size, args.runs, args.work))
    command = "make bench" if "BENCH_SIZES" not in os.environ else f"BENCH_SIZES={args.sizes} make bench"
    write_markdown(results, floors, args.runs, args.output, command, [] if args.no_field else field_sections())
    print(json.dumps({"written": str(args.output)}))


# The section of BENCHMARKS.md that a run keeps as it was: figures of single commands, each with its command.
KEPT_SECTION = "## Measured separately"
# The benchmarks of the second wave's features, each a script that prints its own section of BENCHMARKS.md.
FIELD_BENCHMARKS = ("sources.py", "extract.py", "verify.py", "verify_all.py", "web.py", "sync.py")


def field_sections() -> list[str]:
    """The sections of the field benchmarks (fetching sources, quote extraction, verification), each run as
    its own process with the claimtrack being measured."""
    sections = []
    for name in FIELD_BENCHMARKS:
        script = HERE / name
        if not script.exists():
            continue
        print(f"benchmarking {name}...", file=sys.stderr)
        done = subprocess.run([PYTHON, str(script)], capture_output=True, text=True, cwd=HERE.parent)
        if done.returncode != 0:
            raise SystemExit(f"benchmarks/{name} failed ({done.returncode}):\n{done.stderr[-2000:]}")
        sections.append(done.stdout.strip() + "\n")
    return sections


if __name__ == "__main__":
    main()
