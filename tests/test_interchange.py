"""export and import: lossless JSONL, JSON, CSV, ClaimReview and CSL-JSON; idempotent and atomic imports."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import add, fails, file_hash, invoke, ok


def desk():
    add("a barrel of cold water poured down China's head", "Zhou Hongyi", "--role", "founder of 360",
        "--said", "early February 2024", "--source", "https://example.com/sora", "--outlet", "Example News",
        "--published", "2024-02-19", "--tag", "sora")
    add("=HYPERLINK(\"http://evil.example\")", "Unnamed reporter", "--kind", "claim", "--said", "Q4 2023",
        "--tag", "chips", "--note", "-5% +3 @home")
    ok("speakers", "alias", "Zhou Hongyi", "周鸿祎")
    ok("evidence", "add", "2", "--url", "https://bis.example/rule", "--stance", "refutes", "--published", "2023-10")
    ok("verdict", "2", "refuted", "--on", "2023-10-17", "--evidence", "1")
    ok("appearance", "add", "1", "--url", "https://example.org/again", "--published", "2024-02-26")


def _changed(record: dict, **fields) -> dict:
    """RECORD as a colleague's export has it after changing FIELDS a second later: the values, and the history
    entries that say when (a merge takes what was changed last)."""
    import datetime as dt
    import uuid

    at = (dt.datetime.fromisoformat(record["updated_at"].replace("Z", "+00:00")) + dt.timedelta(seconds=1))
    at = at.strftime("%Y-%m-%dT%H:%M:%SZ")
    history = [*record["history"], *(
        {"uuid": str(uuid.uuid4()), "at": at, "effective_on": at[:10], "effective_precision": "day", "field": field,
         "old": None, "new": ", ".join(value) if isinstance(value, list) else value, "note": None, "evidence": []}
        for field, value in fields.items()
    )]
    return {**record, **fields, "updated_at": at, "history": history}


def export(*args: str, db=None) -> str:
    prefix = ["--db", str(db)] if db else []
    return ok(*prefix, "export", *args).stdout


def test_jsonl_has_every_field_sorted_keys_and_lines_and_no_local_ids():
    desk()
    lines = export("--format", "jsonl").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["uuid"] for r in records] == sorted(r["uuid"] for r in records)
    assert all(line == json.dumps(json.loads(line), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
               for line in lines)
    zhou = next(r for r in records if r["speaker"]["name"] == "Zhou Hongyi")
    assert zhou["speaker"]["aliases"] == ["周鸿祎"]
    assert zhou["said_qualifier"] == "early" and zhou["source"]["outlet"] == "Example News"
    assert zhou["appearances"][0]["source"]["url"] == "https://example.org/again" and zhou["appearances"][0]["uuid"]
    other = next(r for r in records if r is not zhou)
    assert other["verdict"] == "refuted" and other["evidence"][0]["uuid"]
    verdict = next(h for h in other["history"] if h["field"] == "verdict")
    assert verdict["evidence"] == [other["evidence"][0]["uuid"]] and verdict["uuid"]
    text = "\n".join(lines)
    assert '"id"' not in text and '"speaker_id"' not in text and '"claim_id"' not in text


def test_export_import_export_is_byte_identical(tmp_path):
    desk()
    first = export("--format", "jsonl")
    (tmp_path / "a.jsonl").write_text(first, encoding="utf-8")
    ok("--db", str(tmp_path / "b.db"), "import", str(tmp_path / "a.jsonl"))
    assert export("--format", "jsonl", db=tmp_path / "b.db") == first


def test_importing_twice_changes_nothing(tmp_path, db_path):
    desk()
    path = tmp_path / "a.jsonl"
    ok("export", "--format", "jsonl", "--output", str(path))
    other = tmp_path / "other.db"
    assert "2 added" in ok("--db", str(other), "import", str(path)).stdout
    before = export("--format", "jsonl", db=other)
    assert "2 unchanged" in ok("--db", str(other), "import", str(path)).stdout
    assert export("--format", "jsonl", db=other) == before


def test_a_colleagues_changes_are_merged_with_history_kept(tmp_path):
    desk()
    mine = tmp_path / "mine.jsonl"
    ok("export", "--format", "jsonl", "--output", str(mine))
    colleague = tmp_path / "colleague.db"
    ok("--db", str(colleague), "import", str(mine))
    [theirs_zhou] = json.loads(ok("--db", str(colleague), "list", "--speaker", "zhou", "--json").stdout)
    zhou_id = str(theirs_zhou["id"])
    ok("--db", str(colleague), "edit", zhou_id, "--text", "a barrel of cold water, poured down China's head")
    ok("--db", str(colleague), "attribution", zhou_id, "confirmed", "--note", "Weibo post")
    ok("--db", str(colleague), "add", "new from colleague", "--speaker", "Yin Ye")
    theirs = tmp_path / "theirs.jsonl"
    ok("--db", str(colleague), "export", "--format", "jsonl", "--output", str(theirs))
    result = ok("import", str(theirs))
    assert "1 added, 1 updated, 1 unchanged" in result.stdout
    claims = {c["speaker"]: c for c in json.loads(ok("list", "--json").stdout)}
    zhou = json.loads(ok("show", str(claims["Zhou Hongyi"]["id"]), "--json").stdout)
    assert zhou["text"] == "a barrel of cold water, poured down China's head"
    assert zhou["attribution"] == "confirmed"
    fields = [h["field"] for h in zhou["history"]]
    assert fields.count("text") == 1 and "attribution" in fields and "appearance" in fields
    assert "Yin Ye" in claims


def test_a_bad_line_aborts_the_whole_import_with_its_number(tmp_path, db_path):
    desk()
    good = export("--format", "jsonl").splitlines()
    before = file_hash(db_path)
    cases = {
        "not json": ("{broken", "line 3: not valid JSON"),
        "array": ('["a", "b"]', "line 3: expected a JSON object (one claim), got an array"),
        "no text": ('{"speaker": "A"}', "line 3, field text: missing"),
        "no speaker": ('{"text": "words"}', "line 3, field speaker: missing"),
        "bad date": ('{"text": "t", "speaker": "A", "said_on": "2024-13"}', "line 3, field said_on: '2024-13' is not a real date"),
        "bad stance": ('{"text": "t", "speaker": "A", "evidence": [{"stance": "likes", "source": {"url": "https://e.com"}}]}', "stance"),
    }
    for name, (line, message) in cases.items():
        path = tmp_path / f"{name}.jsonl"
        new = json.loads(good[0])
        new["uuid"] = "00000000-0000-4000-8000-000000000001"
        path.write_text("\n".join([json.dumps(new), good[1], line]) + "\n", encoding="utf-8")
        err = fails("import", str(path)).stderr
        assert message in err and "Nothing was imported" in err, (name, err)
        assert file_hash(db_path) == before, name


def test_dry_run_counts_but_writes_nothing(tmp_path, db_path):
    desk()
    path = tmp_path / "a.jsonl"
    ok("export", "--format", "jsonl", "--output", str(path))
    fresh = tmp_path / "fresh.db"
    assert "2 added, 0 updated" in ok("--db", str(fresh), "import", str(path), "--dry-run").stdout
    assert not fresh.exists()
    before = file_hash(db_path)
    ok("--db", str(fresh), "import", str(path))
    ok("--db", str(fresh), "edit", "1", "--note", "changed")
    # The older file is older than the edit: it would change nothing.
    assert "0 updated, 2 unchanged" in ok("--db", str(fresh), "import", str(path), "--dry-run").stdout
    newer = tmp_path / "newer.jsonl"
    ok("--db", str(fresh), "export", "--format", "jsonl", "--output", str(newer))
    assert "1 updated, 1 unchanged" in ok("import", str(newer), "--dry-run").stdout
    assert "changed" not in ok("show", "1").stdout
    assert file_hash(db_path) == before


def test_json_is_the_same_objects_as_an_array(tmp_path):
    desk()
    array = json.loads(export("--format", "json"))
    assert array == [json.loads(line) for line in export("--format", "jsonl").splitlines()]
    path = tmp_path / "all.json"
    path.write_text(json.dumps(array), encoding="utf-8")
    ok("--db", str(tmp_path / "b.db"), "import", str(path))
    assert export("--format", "jsonl", db=tmp_path / "b.db") == export("--format", "jsonl")


def test_csv_opens_cleanly_and_neutralises_formulas(tmp_path):
    desk()
    text = export("--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 2 and {"text", "speaker", "tags", "said_on", "verdict"} <= set(rows[0])
    formula = next(r for r in rows if r["speaker"] == "Unnamed reporter")
    assert formula["text"].startswith("'=HYPERLINK") and formula["note"] == "'-5% +3 @home"
    assert next(r for r in rows if r["speaker"] == "Zhou Hongyi")["tags"] == "sora"
    path = tmp_path / "claims.csv"
    path.write_text(text, encoding="utf-8")
    other = tmp_path / "b.db"
    ok("--db", str(other), "import", str(path))
    imported = {c["speaker"]: c for c in json.loads(ok("--db", str(other), "list", "--json").stdout)}
    assert imported["Unnamed reporter"]["text"] == '=HYPERLINK("http://evil.example")'
    assert imported["Unnamed reporter"]["verdict"] == "refuted"
    assert imported["Zhou Hongyi"]["said_qualifier"] == "early"
    assert "0 added" in ok("--db", str(other), "import", str(path)).stdout


def test_csv_without_required_columns_names_them(tmp_path, db_path):
    add("x", "A")
    before = file_hash(db_path)
    path = tmp_path / "bad.csv"
    path.write_text("quote,who\nhello,A\n", encoding="utf-8")
    err = fails("import", str(path)).stderr
    assert "'text' or 'speaker'" in err
    assert file_hash(db_path) == before


def test_claimreview_for_claims_with_a_verdict(tmp_path):
    desk()
    assert invoke("export", "--format", "claimreview").exit_code == 2
    reviews = json.loads(export("--format", "claimreview", "--publisher", "Sora Desk",
                                "--base-url", "https://desk.example/reviews/"))
    assert len(reviews) == 1
    review = reviews[0]
    assert review["@type"] == "ClaimReview" and review["claimReviewed"].startswith("=HYPERLINK")
    rating = {k: v for k, v in review["reviewRating"].items() if k != "identifier"}
    assert rating == {"@type": "Rating", "alternateName": "refuted", "ratingValue": 1, "bestRating": 5, "worstRating": 1}
    assert review["itemReviewed"]["author"] == {"@type": "Person", "name": "Unnamed reporter"}
    assert review["datePublished"] == "2023-10-17" and review["author"]["name"] == "Sora Desk"
    assert review["url"].startswith("https://desk.example/reviews/") and review["url"].count("//") == 1
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps(reviews), encoding="utf-8")
    other = tmp_path / "b.db"
    assert "(claimreview)" in ok("--db", str(other), "import", str(path)).stdout
    [claim] = json.loads(ok("--db", str(other), "list", "--json").stdout)
    assert claim["verdict"] == "refuted" and claim["speaker"] == "Unnamed reporter"
    assert "0 added, 0 updated, 1 unchanged" in ok("--db", str(other), "import", str(path)).stdout


def test_claimreview_without_claim_reviewed_is_refused(tmp_path, db_path):
    add("x", "A")
    before = file_hash(db_path)
    path = tmp_path / "r.json"
    path.write_text(json.dumps([{"@type": "ClaimReview", "reviewRating": {"alternateName": "False"}}]))
    assert "no claimReviewed" in fails("import", str(path)).stderr
    assert file_hash(db_path) == before


def test_csl_json_cites_the_sources_at_their_precision():
    desk()
    items = json.loads(export("--format", "csl-json"))
    by_url = {i.get("URL"): i for i in items}
    assert set(by_url) == {"https://example.com/sora", "https://example.org/again", "https://bis.example/rule"}
    assert by_url["https://example.com/sora"]["issued"] == {"date-parts": [[2024, 2, 19]]}
    assert by_url["https://bis.example/rule"]["issued"] == {"date-parts": [[2023, 10]]}
    assert by_url["https://example.com/sora"]["container-title"] == "Example News"
    assert by_url["https://example.com/sora"]["type"] == "article-newspaper"
    assert len(by_url["https://example.com/sora"]["accessed"]["date-parts"][0]) == 3
    assert len({i["id"] for i in items}) == 3


def test_export_takes_the_list_filters():
    desk()
    assert len(export("--format", "jsonl", "--speaker", "zhou").splitlines()) == 1
    assert len(export("--format", "jsonl", "--verdict", "refuted").splitlines()) == 1
    assert export("--format", "jsonl", "--tag", "nothing") == ""


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "is empty"),
        (b'{"text": "caf\xe9", "speaker": "A"}\n', "line 1, byte offset 13"),
        (b'{"text": "ok", "speaker": "A"}\n{"text": "caf\xe9", "speaker": "A"}\n', "line 2, byte offset 44"),
    ],
)
def test_empty_and_non_utf8_files_are_refused(tmp_path, db_path, content, message):
    add("x", "A")
    before = file_hash(db_path)
    path = tmp_path / "in.jsonl"
    path.write_bytes(content)
    assert message in fails("import", str(path)).stderr
    assert file_hash(db_path) == before


def test_import_and_export_mistakes(tmp_path, db_path):
    add("x", "A")
    before = file_hash(db_path)
    assert "no file" in fails("import", str(tmp_path / "missing.jsonl")).stderr
    fails("import", str(tmp_path / "x.jsonl"), "--format", "xml", code=2)
    fails("export", "--format", "xml", code=2)
    assert "does not exist" in fails("export", "--format", "jsonl", "--output", str(tmp_path / "no" / "x")).stderr
    (tmp_path / "odd.txt").write_text("hello\n")
    assert "Cannot tell the format" in fails("import", str(tmp_path / "odd.txt")).stderr
    assert file_hash(db_path) == before


def test_format_is_guessed_from_extension_then_content(tmp_path):
    desk()
    line = export("--format", "jsonl").splitlines()[0]
    as_json = tmp_path / "one.json"
    as_json.write_text(line + "\n", encoding="utf-8")  # a .json file that is really JSON Lines
    assert "(jsonl)" in ok("--db", str(tmp_path / "b.db"), "import", str(as_json)).stdout


CLAIM_TEXT = st.text(st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=40).filter(str.strip)
SPEAKER = st.sampled_from(["Zhou Hongyi", "周鸿祎", "Meta's chief scientist", "José Martí", "SASAC"])
SAID = st.sampled_from(["", "2023", "December 2023", "early December 2023", "Q4 2023", "2024-02-19", "mid-2023", "2024-W08"])
TAGS = st.lists(st.sampled_from(["sora", "chips", "china-ai", "état"]), max_size=3)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(claims=st.lists(st.tuples(CLAIM_TEXT, SPEAKER, SAID, TAGS, st.booleans()), min_size=1, max_size=5))
def test_round_trip_of_generated_data_is_byte_identical(claims, tmp_path):
    for name in ("a.db", "b.db", "a.jsonl"):
        (tmp_path / name).unlink(missing_ok=True)
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    for n, (text, speaker, said, tags, verdict) in enumerate(claims, start=1):
        options = [f"--tag={t}" for t in tags] + ([f"--said={said}"] if said else [])
        ok("--db", str(a), "add", "--speaker", speaker, *options, "--", text)
        if verdict:
            ok("--db", str(a), "evidence", "add", str(n), "--url", f"https://example.com/{n}", "--stance", "refutes")
            ok("--db", str(a), "verdict", str(n), "refuted", "--evidence", str(n if False else 1) if n == 1 else str(
                json.loads(ok("--db", str(a), "evidence", "list", str(n), "--json").stdout)[0]["id"]))
    first = ok("--db", str(a), "export", "--format", "jsonl").stdout
    (tmp_path / "a.jsonl").write_text(first, encoding="utf-8")
    ok("--db", str(b), "import", str(tmp_path / "a.jsonl"))
    assert ok("--db", str(b), "export", "--format", "jsonl").stdout == first


def _indexes(db) -> list[tuple[str, str]]:
    import sqlite3

    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").fetchall()
    conn.close()
    return rows


def _plan(db, sql: str, params=()) -> str:
    import sqlite3

    conn = sqlite3.connect(db)
    plan = " ".join(row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params))
    conn.close()
    return plan


def test_a_load_into_an_empty_database_ends_with_every_index_back(tmp_path, db_path):
    # A load into an empty database builds its lookup indexes once at the end: they must all be back,
    # and the everyday queries must still use them.
    desk()
    path = tmp_path / "a.jsonl"
    ok("export", "--format", "jsonl", "--output", str(path))
    fresh = tmp_path / "fresh.db"
    ok("--db", str(fresh), "import", str(path))
    assert _indexes(fresh) == _indexes(db_path)
    assert "idx_claims_speaker_id_said_start_id" in _plan(
        fresh, "SELECT id FROM claims WHERE speaker_id = ? ORDER BY said_start DESC, id DESC LIMIT 50", (1,))
    assert "idx_claim_tags_tag_said" in _plan(
        fresh, "SELECT claim_id FROM claim_tags WHERE tag_id = ? AND said_start >= ? ORDER BY said_start", (1, "2023"))
    ok("--db", str(fresh), "check")


@pytest.mark.parametrize("parsed_by", ["the writer", "the helper process"])
def test_the_same_claim_twice_in_a_load_into_an_empty_database_merges(tmp_path, db_path, monkeypatch, parsed_by):
    # The second copy of a claim needs the indexes to merge: they come back mid-load, and stay.
    from claimtrack import importing

    if parsed_by == "the helper process":
        monkeypatch.setattr(importing, "PARALLEL_BYTES", 0)
    desk()
    records = [json.loads(line) for line in export("--format", "jsonl").splitlines()]
    changed = _changed(records[0], note="a second look")
    path = tmp_path / "twice.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [*records, changed]) + "\n", encoding="utf-8")
    fresh = tmp_path / "fresh.db"
    result = ok("--db", str(fresh), "import", str(path))
    assert "2 added, 1 updated" in result.stdout
    assert _indexes(fresh) == _indexes(db_path)
    notes = {r["uuid"]: r["note"] for r in map(json.loads, export("--format", "jsonl", db=fresh).splitlines())}
    assert notes[records[0]["uuid"]] == "a second look"
    ok("--db", str(fresh), "check")


def test_a_failed_or_dry_load_leaves_the_empty_database_as_it_was(tmp_path, db_path):
    desk()
    ok("delete", "1", "--yes")
    ok("delete", "2", "--yes")
    before = _indexes(db_path)
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"text": "one", "speaker": "A Person"}) + "\n", encoding="utf-8")
    ok("import", str(good), "--dry-run")
    assert _indexes(db_path) == before
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"text": "one", "speaker": "A Person"}) + "\n{\n", encoding="utf-8")
    fails("import", str(bad))
    assert _indexes(db_path) == before
    assert ok("list").stdout == ""


def test_a_large_jsonl_load_parsed_by_the_parsing_processes_matches_the_serial_one(tmp_path, monkeypatch):
    # Files above PARALLEL_BYTES are parsed and prepared in parsing processes, a chunk each in turn; the
    # result must not differ, down to the ids given in the file's order.
    from claimtrack import importing

    desk()
    for n in range(40):
        ok("add", f"filler quote {n}", "--speaker", f"Speaker {n % 7}", "--tag", f"t{n % 3}")
    path = tmp_path / "a.jsonl"
    ok("export", "--format", "jsonl", "--output", str(path))
    ok("--db", str(tmp_path / "serial.db"), "import", str(path))
    monkeypatch.setattr(importing, "PARALLEL_BYTES", 0)
    real = importing._checked_in_parallel
    monkeypatch.setattr(importing, "_checked_in_parallel", lambda path, stamp: real(path, stamp, piece=300, ahead=3))
    ok("--db", str(tmp_path / "parallel.db"), "import", str(path))
    assert export("--format", "jsonl", db=tmp_path / "parallel.db") == export("--format", "jsonl", db=tmp_path / "serial.db")

    def ids(name):
        with sqlite3.connect(tmp_path / name) as conn:
            return conn.execute("SELECT id, uuid FROM claims ORDER BY id").fetchall()

    assert ids("parallel.db") == ids("serial.db")
    assert len(ids("serial.db")) > 40


def test_an_import_leaves_the_cycle_collector_as_it_found_it(tmp_path):
    import gc

    desk()
    path = tmp_path / "a.jsonl"
    ok("export", "--format", "jsonl", "--output", str(path))
    assert gc.isenabled()
    ok("--db", str(tmp_path / "b.db"), "import", str(path))
    assert gc.isenabled()
    fails("--db", str(tmp_path / "b.db"), "import", str(tmp_path / "missing.jsonl"))
    assert gc.isenabled()


@pytest.mark.parametrize("batch", [1000, 1], ids=["one batch", "a batch a record"])
@pytest.mark.parametrize("into", ["an empty database", "a database with claims"])
def test_an_alias_met_later_in_a_load_makes_earlier_claims_findable_by_it(tmp_path, monkeypatch, into, batch):
    # A load indexes claims for search a batch at a time; into an empty database the claims of a speaker
    # who gains an alias in a later batch are indexed again at the end instead of alias by alias: either
    # way, a claim is found by every name its speaker ends up with.
    from claimtrack import importing

    monkeypatch.setattr(importing, "BATCH", batch)
    target = tmp_path / "target.db"
    if into == "a database with claims":
        ok("--db", str(target), "add", "an earlier quote", "--speaker", "Someone Else")
    records = [
        {"text": "a barrel of cold water", "speaker": {"name": "Zhou Hongyi", "aliases": []}},
        *({"text": f"filler {n}", "speaker": f"Speaker {n}"} for n in range(5)),
        {"text": "security first", "speaker": {"name": "Zhou Hongyi", "aliases": ["周鸿祎", "Hongyi Zhou"]}},
    ]
    path = tmp_path / "aliases.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    ok("--db", str(target), "import", str(path))
    for name in ("周鸿祎", "Zhou Hongyi"):
        found = json.loads(ok("--db", str(target), "search", name, "--json").stdout)
        assert sorted(hit["text"] for hit in found) == ["a barrel of cold water", "security first"], (name, found)
    ok("--db", str(target), "check")


def test_lists_in_a_record_come_out_in_their_order_whatever_order_they_were_stored_in(tmp_path):
    # SQLite writes the records: each list must follow the record's order, not the order rows were inserted.
    ok("add", "an earlier claim", "--speaker", "Zhou Hongyi", "--tag", "zeta")
    ok("speakers", "alias", "Zhou Hongyi", "周鸿祎")
    record = {
        "uuid": "00000000-0000-4000-8000-000000000001", "text": "lists out of order",
        "speaker": {"name": "Zhou Hongyi", "aliases": ["Aardvark Zhou"]},
        "tags": ["zeta", "alpha", "mid"],
        "appearances": [
            {"uuid": f"00000000-0000-4000-8000-00000000010{n}", "added_at": f"2024-0{month}-01T00:00:00Z",
             "source": {"url": f"https://example.com/seen/{n}"}}
            for n, month in ((1, 3), (2, 1), (3, 2))
        ],
        "evidence": [
            {"uuid": f"00000000-0000-4000-8000-00000000020{n}", "added_at": f"2024-0{month}-01T00:00:00Z",
             "stance": "refutes", "source": {"url": f"https://example.com/evidence/{n}"}}
            for n, month in ((3, 3), (1, 1), (2, 2))
        ],
        "history": [
            {"uuid": "00000000-0000-4000-8000-000000000303", "at": "2024-05-01T00:00:00Z", "effective_on": "2024-05",
             "effective_precision": "month", "field": "verdict", "old": "misleading", "new": "refuted", "note": None,
             "evidence": ["00000000-0000-4000-8000-000000000203", "00000000-0000-4000-8000-000000000201"]},
            {"uuid": "00000000-0000-4000-8000-000000000302", "at": "2024-04-01T00:00:00Z", "effective_on": "2024-04-20",
             "effective_precision": "day", "field": "verdict", "old": "unverified", "new": "misleading", "note": None,
             "evidence": []},
            {"uuid": "00000000-0000-4000-8000-000000000301", "at": "2024-01-01T00:00:00Z", "effective_on": "2024-01-01",
             "effective_precision": "day", "field": "created", "old": None, "new": "quote", "note": None,
             "evidence": []},
        ],
    }
    path = tmp_path / "out-of-order.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    ok("import", str(path))
    out = next(r for r in map(json.loads, export("--format", "jsonl").splitlines()) if r["uuid"] == record["uuid"])
    # "周鸿祎" and "zeta" were stored first, by the earlier claim
    assert out["speaker"]["aliases"] == ["Aardvark Zhou", "周鸿祎"]
    assert out["tags"] == ["alpha", "mid", "zeta"]
    assert [a["added_at"][:7] for a in out["appearances"]] == ["2024-01", "2024-02", "2024-03"]
    assert [e["uuid"][-3:] for e in out["evidence"]] == ["201", "202", "203"]
    assert [h["uuid"][-3:] for h in out["history"]] == ["301", "302", "303"]
    assert out["history"][2]["evidence"] == ["00000000-0000-4000-8000-000000000201", "00000000-0000-4000-8000-000000000203"]
    assert out["verdict"] == "refuted"


ANY_TEXT = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), min_size=1, max_size=30)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=ANY_TEXT.filter(str.strip), note=ANY_TEXT, outlet=ANY_TEXT, tag=ANY_TEXT.filter(str.strip))
def test_every_exported_line_is_the_canonical_json_of_its_record(text, note, outlet, tag, tmp_path):
    # Each line is made by SQLite; it must be byte for byte what Python's json.dumps makes of the same
    # record, for any text: quotes, backslashes, control characters, line separators, non-Latin scripts.
    (tmp_path / "claims.db").unlink(missing_ok=True)
    record = {"uuid": "00000000-0000-4000-8000-000000000009", "text": text, "speaker": "José Martí", "note": note,
              "context": text + note, "tags": [tag], "source": {"outlet": outlet, "title": note, "published_on": "2024-02"}}
    path = tmp_path / "any.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    ok("import", str(path))
    line = export("--format", "jsonl").rstrip("\n")
    out = json.loads(line)
    assert line == json.dumps(out, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert out["text"] == text.strip() and out["source"]["published_approximate"] is False


def test_two_claims_whose_uuids_begin_alike_both_load_into_an_empty_database(tmp_path, db_path, monkeypatch):
    # A load into an empty database tells its claims apart by 63 bits of their uuids; claims that share them
    # are not the same claim: the indexes come back, the uuids are compared whole, and all are added.
    from claimtrack import importing

    monkeypatch.setattr(importing, "BATCH", 1)  # each claim in a batch of its own, met after the others
    desk()
    records = [{"uuid": f"12345678-9abc-4def-8000-00000000000{n}", "text": f"claim {n}", "speaker": "A Person"}
               for n in range(3)]
    path = tmp_path / "alike.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    fresh = tmp_path / "fresh.db"
    assert "3 added" in ok("--db", str(fresh), "import", str(path)).stdout
    assert "3 unchanged" in ok("--db", str(fresh), "import", str(path)).stdout
    assert _indexes(fresh) == _indexes(db_path)
    ok("--db", str(fresh), "check")


def test_the_helper_process_load_merges_known_claims_from_their_lines(tmp_path, monkeypatch):
    # The helper sends back only what new claims need; a known claim is merged from its line, read again.
    from claimtrack import importing

    monkeypatch.setattr(importing, "PARALLEL_BYTES", 0)
    desk()
    records = [json.loads(line) for line in export("--format", "jsonl").splitlines()]
    records[1] = _changed(records[1], note="a second look", tags=["chips", "export-rules"])
    path = tmp_path / "changed.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    assert "1 updated, 1 unchanged" in ok("import", str(path)).stdout
    merged = {r["uuid"]: r for r in map(json.loads, export("--format", "jsonl").splitlines())}[records[1]["uuid"]]
    assert merged["note"] == "a second look" and merged["tags"] == ["chips", "export-rules"]
    assert any(h["field"] == "note" and h["new"] == "a second look" for h in merged["history"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lines=st.lists(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n"), max_size=40),
                   max_size=30),
    trailing_newline=st.booleans(), bom=st.booleans(), size=st.integers(1, 200),
)
def test_the_pieces_handed_to_the_parsing_processes_hold_every_line_once_in_order(
        tmp_path, lines, trailing_newline, bom, size):
    # A large import cuts the file into pieces at line ends; each parsing process reads its piece by byte
    # range. Together the pieces must give exactly the file's lines, numbers and byte offsets.
    from claimtrack import importers

    text = ("\ufeff" if bom else "") + "\n".join(lines) + ("\n" if trailing_newline and lines else "")
    path = tmp_path / "lines.jsonl"
    path.write_bytes(text.encode("utf-8"))
    whole = list(importers.placed_lines(path))
    pieces = list(importers.pieces(path, size))
    assert [line for piece in pieces for line in importers.placed_lines(path, *piece)] == whole
    assert [(n, t) for n, _, t in whole] == list(importers.decoded_lines(path))
    assert all(stop > start for start, stop, _ in pieces)
    assert (pieces[-1][1] if pieces else 0) == path.stat().st_size
    for number, offset, line in whole:
        assert next(importers.placed_lines(path, offset, first=number)) == (number, offset, line)


def test_bytes_that_are_not_utf8_are_named_alike_however_the_file_is_read(tmp_path, monkeypatch):
    # The parsing processes read their pieces themselves: a bad byte is reported with the same line and offset.
    from claimtrack import importing

    good = [json.dumps({"text": f"quote {n}", "speaker": "A Person"}).encode() for n in range(12)]
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b"\n".join(good[:7] + [good[7][:12] + b"\xff" + good[7][12:]] + good[8:]) + b"\n")
    serial = fails("--db", str(tmp_path / "serial.db"), "import", str(path)).stderr
    assert "line 8, byte offset" in serial
    monkeypatch.setattr(importing, "PARALLEL_BYTES", 0)
    real = importing._checked_in_parallel
    monkeypatch.setattr(importing, "_checked_in_parallel", lambda path, stamp: real(path, stamp, piece=100, ahead=2))
    assert fails("--db", str(tmp_path / "parallel.db"), "import", str(path)).stderr == serial
