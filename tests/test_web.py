"""claimtrack serve over HTTP (no browser): Datasette's JSON and CSV, search, facets, hidden tables, the desk's
pages, read-only serving while other commands write, and the refusal to serve the network without a password."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys

import httpx
import pytest

from claimtrack.store import now, open_store
from conftest import add, fails, file_hash, ok
from web_server import EXAMPLE, running


@pytest.fixture
def desk(db_path):
    """The example record, with refuting evidence and a verdict on the cold-water quote, and a page gone."""
    ok("import", str(EXAMPLE))
    ok("evidence", "add", "1", "--url", "https://example.org/rebuttal", "--stance", "refutes", "--outlet", "Example",
       "--title", "A rebuttal", "--published", "2024-03-01", "--quote", "China's labs shipped video models within weeks")
    ok("verdict", "1", "refuted", "--note", "Video models shipped within weeks.")
    with open_store(db_path, write=True) as store:
        source = store.conn.execute("SELECT source_id FROM claims WHERE id = 6").fetchone()[0]
        with store.write("page found gone"):
            store.record_link_check(source, state="gone", at=now(), status=410, final_url=None, detail="410 Gone",
                                    snapshot_id=None, sha256=None)
    return db_path


@pytest.fixture
def server(desk):
    with running(desk) as base:
        yield base


def get(url: str, **params) -> httpx.Response:
    response = httpx.get(url, params=params, timeout=30)
    assert response.status_code == 200, (url, response.status_code, response.text[:500])
    return response


def test_search_on_the_claims_page_finds_the_words_and_only_them(server):
    rows = get(f"{server}/record/claim_list.json", _search="cold water", _shape="array").json()
    assert [r["id"] for r in rows] == [1]
    assert rows[0]["speaker"] == "Zhou Hongyi" and rows[0]["said"] == "February 2024"
    # The stored table finds it too, and a word nobody said finds nothing.
    assert [r["id"] for r in get(f"{server}/record/claims.json", _search="cold water", _shape="array").json()] == [1]
    assert get(f"{server}/record/claim_list.json", _search="zyzzyva", _shape="array").json() == []
    # Datasette shows its search box on the page.
    assert 'name="_search"' in get(f"{server}/record/claim_list").text


def test_the_claims_view_reads_like_the_record(server):
    rows = {r["id"]: r for r in get(f"{server}/record/claim_list.json", _shape="array", _size="max").json()}
    assert len(rows) == 8
    assert rows[4]["said"] == "December 2023" and rows[4]["year"] == "2023"
    assert rows[6]["outlet"] == "Reuters" and rows[6]["said"] == "19 February 2024"
    assert json.loads(rows[5]["tags"]) == ["chips", "export-controls", "nvidia"]
    assert rows[1]["verdict"] == "refuted"


def test_facets_count_by_verdict_speaker_outlet_year_and_tag(server):
    data = get(f"{server}/record/claim_list.json", _facet=["verdict", "speaker", "outlet", "year"],
               _facet_array="tags").json()
    facets = {name: {item["value"]: item["count"] for item in facet["results"]}
              for name, facet in data["facet_results"].items()}
    assert facets["verdict"] == {"unverified": 6, "supported": 1, "refuted": 1}
    assert facets["speaker"]["Zhou Hongyi"] == 3
    assert facets["year"] == {"2024": 7, "2023": 1}
    assert facets["tags"]["china-ai"] == 5
    filtered = get(f"{server}/record/claim_list.json", verdict="refuted", _shape="array").json()
    assert [r["id"] for r in filtered] == [1]


def test_json_and_csv_of_the_claims_and_of_a_speaker(server):
    text = get(f"{server}/record/claim_list.csv", _size="max").text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 8 and {"speaker", "said", "verdict", "outlet", "tags"} <= set(rows[0])
    speaker = get(f"{server}/speaker/1.json").json()
    assert speaker["speaker"]["name"] == "Zhou Hongyi" and len(speaker["claims"]) == 3
    speaker_csv = list(csv.DictReader(io.StringIO(get(f"{server}/speaker/1.csv").text)))
    assert sorted(int(r["id"]) for r in speaker_csv) == [1, 2, 3]
    claim = get(f"{server}/claim/1.json").json()
    assert claim["text"] == "a barrel of cold water poured down China's head" and claim["verdict"] == "refuted"


def test_internal_tables_are_hidden_and_every_shown_column_is_described(server, desk):
    data = get(f"{server}/record.json").json()
    shown = {t["name"] for t in data["tables"] if not t["hidden"]} | {v["name"] for v in data["views"]}
    hidden = {t["name"] for t in data["tables"] if t["hidden"]}
    for internal in ("_sqlite_migrations", "claims_fts", "claims_fts_data", "name_words", "undo_log", "changes",
                     "search_pending", "claims_vocab", "evidence_fts", "trash"):
        assert internal in hidden and internal not in shown, internal
    assert {"claim_list", "evidence_list", "claims", "speakers", "sources", "evidence"} <= shown
    described = get(f"{server}/-/metadata.json").json()["databases"]["record"]["tables"]
    conn = sqlite3.connect(desk)
    for name in shown:
        assert described[name].get("description"), name
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info([{name}])")]
        missing = [c for c in columns if not described[name].get("columns", {}).get(c)]
        assert not missing, (name, missing)


def test_canned_queries_answer_the_desks_daily_questions(server):
    refuted = get(f"{server}/record/refuted_by_evidence.json", _shape="array").json()
    assert [(r["id"], r["refuting"]) for r in refuted] == [(1, 1)]
    changed = get(f"{server}/record/verdict_changed_this_month.json", _shape="array").json()
    assert [(r["id"], r["verdict_before"], r["verdict_after"]) for r in changed] == [(1, "unverified", "refuted")]
    unverified = get(f"{server}/record/quotes_not_verified.json", _shape="array").json()
    quotes = get(f"{server}/record/claim_list.json", kind="quote", _shape="array", _size="max").json()
    assert {r["id"] for r in unverified} == {r["id"] for r in quotes}
    gone = get(f"{server}/record/sources_gone.json", _shape="array").json()
    assert [(r["outlet"], r["status"]) for r in gone] == [("Reuters", 410)]


def test_a_claims_page_shows_its_timeline_and_citations(server):
    page = get(f"{server}/claim/1").text
    assert "a barrel of cold water poured down China" in page
    assert "refutes" in page and "China&#39;s labs shipped video models within weeks" in page
    assert "unverified → refuted" in page
    assert 'href="/speaker/1"' in page
    # The citation points at the rebuttal's page as the report cites it.
    assert "https://example.org/rebuttal" in page and 'class="footnote' in page
    assert httpx.get(f"{server}/claim/999").status_code == 404


def test_the_report_page_and_its_markdown_follow_the_filters(server):
    page = get(f"{server}/report", speaker="Zhou Hongyi", title="Zhou on Sora").text
    assert "Zhou on Sora" in page and "Scope: speaker Zhou Hongyi" in page and "Yin Ye" not in page
    markdown = get(f"{server}/report.md", speaker="Zhou Hongyi", title="Zhou on Sora")
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert markdown.text.startswith("# Zhou on Sora\n")
    assert markdown.text == ok("report", "--speaker", "Zhou Hongyi", "--title", "Zhou on Sora").stdout
    refused = httpx.get(f"{server}/report", params={"verdict": "wrong"})
    assert refused.status_code == 400 and "verdict must be one of" in refused.text


def test_home_page_names_the_desk_counts_and_charts_claims_per_month(server):
    page = get(f"{server}/").text
    assert "<h1>Claims</h1>" in page and "<strong>8</strong>" in page
    assert page.count('class="bar" data-month=') >= 2 and "<svg" in page
    assert "<script src=\"http" not in page and "cdn" not in page.lower()
    speaker = get(f"{server}/speaker/1").text
    assert 'data-month="2024-02"' in speaker and "Zhou Hongyi" in speaker


def test_the_server_reads_what_other_commands_write_and_writes_nothing(desk):
    with running(desk) as base:
        assert get(f"{base}/record/claim_list.json", _search="teleport", _shape="array").json() == []
        add("We will teleport the servers", "Zhou Hongyi", "--said", "2024-03")
        rows = get(f"{base}/record/claim_list.json", _search="teleport", _shape="array").json()
        assert [r["said"] for r in rows] == ["March 2024"]
        before = file_hash(desk)
        # Datasette offers no write here, and arbitrary SQL runs on a read-only connection.
        attempt = httpx.get(f"{base}/record.json", params={"sql": "DELETE FROM claims"}, timeout=30)
        assert attempt.status_code >= 400
        assert file_hash(desk) == before
    assert sqlite3.connect(desk).execute("SELECT count(*) FROM claims").fetchone()[0] == 9


def test_serving_beyond_this_machine_without_a_password_is_refused(desk):
    result = fails("serve", "--host", "0.0.0.0", code=2)
    assert "without an access control" in result.stderr and "CLAIMTRACK_SERVE_PASSWORD_HASH" in result.stderr
    fails("serve", "--host", "192.0.2.1", code=2)
    result = subprocess.run([sys.executable, "-m", "claimtrack", "--db", str(desk), "serve", "--host", "0.0.0.0"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr and "127.0.0.1" in result.stderr


def test_a_password_guards_every_page(desk, monkeypatch):
    from datasette_auth_passwords.utils import hash_password

    env = {"CLAIMTRACK_SERVE_PASSWORD_HASH": hash_password("correct horse"), "CLAIMTRACK_SERVE_USER": "desk"}
    with running(desk, env=env) as base:
        for path in ("/", "/claim/1", "/record/claim_list.json", "/report.md", "/speaker/1.csv"):
            assert httpx.get(base + path).status_code == 401, path
        assert httpx.get(base + "/claim/1.json", auth=("desk", "wrong")).status_code == 401
        signed_in = httpx.get(base + "/claim/1.json", auth=("desk", "correct horse"))
        assert signed_in.status_code == 200 and signed_in.json()["id"] == 1
    monkeypatch.setenv("CLAIMTRACK_SERVE_PASSWORD_HASH", "hunter2")
    assert "not a password hash" in fails("serve", code=2).stderr


def test_a_missing_database_or_a_busy_port_is_a_plain_error(tmp_path, desk):
    assert "Traceback" not in fails("--db", str(tmp_path / "none.db"), "serve").stderr
    with running(desk) as base:
        port = base.rsplit(":", 1)[1]
        assert "in use" in fails("serve", "--port", port).stderr


def test_serve_and_stats_leave_everyday_reads_free_of_datasette(desk):
    for args in (["--version"], ["list", "--limit", "2"], ["show", "1"], ["search", "cold"]):
        code = ("import sys\nfrom claimtrack.cli import app\n"
                f"try:\n    app({args!r}, standalone_mode=False)\nexcept SystemExit:\n    pass\n"
                "print(' '.join(sorted(m.split('.')[0] for m in sys.modules)))")
        loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                env={"CLAIMTRACK_DB": str(desk), "PATH": ""}).stdout.split()
        assert not {"datasette", "uvicorn", "markdown_it", "jinja2"} & set(loaded), (args, loaded)
