"""claimtrack source archive / source check, and what the report says of archived and gone pages.

Against real HTTP servers on 127.0.0.1 started here: the local site of test_sources_fetch, and a stand-in
for the Internet Archive's Save Page Now that speaks its documented API (POST /save, GET /save/status/ID).
"""

from __future__ import annotations

import json
import re
import socket
import sqlite3
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from conftest import add, fails, ok
from pages import rows
from test_sources_fetch import site  # noqa: F401 - the fixture of the local web site


class Wayback(ThreadingHTTPServer):
    """Save Page Now, as its API documentation describes it: a job per capture, polled until done."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), WaybackHandler)
        self.jobs: dict[str, dict] = {}
        self.authorizations: list[str | None] = []
        self.html_answers = False
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"


class WaybackHandler(BaseHTTPRequestHandler):
    server: Wayback

    def log_message(self, *args):
        pass

    def answer(self, status: int, data, content_type="application/json"):
        body = json.dumps(data).encode() if content_type == "application/json" else data.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        wayback = self.server
        length = int(self.headers.get("Content-Length") or 0)
        url = parse_qs(self.rfile.read(length).decode()).get("url", [""])[0]
        authorization = self.headers.get("Authorization")
        with wayback.lock:
            wayback.authorizations.append(authorization)
        if self.path != "/save":
            return self.answer(404, {"message": "no such endpoint"})
        if "ratelimited" in url:
            return self.answer(429, {"message": "You have already reached the limit of active sessions."})
        if "refusedsave" in url:
            return self.answer(200, {"status": "error", "status_ext": "error:blocked-url",
                                     "message": "This URL is in the Save Page Now service block list."})
        job_id = "spn2-" + uuid.uuid4().hex
        with wayback.lock:
            wayback.jobs[job_id] = {"url": url, "polls": 0}
        if wayback.html_answers and authorization is None:
            return self.answer(200, f'<html><body><script>spn.watchJob("{job_id}", "/_static/", 6000);'
                                    "</script></body></html>", "text/html; charset=utf-8")
        return self.answer(200, {"url": url, "job_id": job_id})

    def do_GET(self):
        wayback = self.server
        match = re.fullmatch(r"/save/status/(spn2-[0-9a-f]+)", self.path)
        job = wayback.jobs.get(match.group(1)) if match else None
        if job is None:
            return self.answer(404, {"status": "error", "message": "no such job"})
        with wayback.lock:
            job["polls"] += 1
        url = job["url"]
        if "neverdone" in url or job["polls"] < 2:
            return self.answer(200, {"status": "pending", "job_id": match.group(1), "resources": []})
        if "notfound" in url:
            return self.answer(200, {"status": "error", "status_ext": "error:not-found",
                                     "message": "Live page is not available: 404", "job_id": match.group(1)})
        return self.answer(200, {"status": "success", "job_id": match.group(1), "original_url": url,
                                 "timestamp": "20240301123456", "duration_sec": 6.3, "http_status": 200})


@pytest.fixture
def wayback(monkeypatch):
    server = Wayback()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("CLAIMTRACK_WAYBACK_URL", server.base)
    yield server
    server.shutdown()
    server.server_close()


def claim_on(url: str, *options: str) -> int:
    return add("Exports of chips will need a licence", "Trade minister", "--source", url, *options)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_archive_asks_save_page_now_with_the_keys_and_records_the_copy_and_its_time(site, wayback, db_path,
                                                                                    monkeypatch):
    monkeypatch.setenv("CLAIMTRACK_IA_ACCESS_KEY", "desk-key")
    monkeypatch.setenv("CLAIMTRACK_IA_SECRET_KEY", "desk-secret")
    page = site.url("/opengraph.html")
    claim_on(page)
    result = ok("source", "archive", page)
    archived = f"{wayback.base}/web/20240301123456/{page}"
    assert result.stdout.strip() == f"Archived {page}: {archived}"
    assert wayback.authorizations == ["LOW desk-key:desk-secret"]
    assert rows(db_path, "SELECT archived_url, archived_at, via FROM archives") == [
        (archived, "2024-03-01T12:34:56Z", "save-page-now")]
    assert rows(db_path, "SELECT archived_url FROM sources") == [(archived,)]
    shown = ok("source", "show", page).stdout
    assert f"archived copy: {archived} (Save Page Now, captured 2024-03-01T12:34:56Z)" in shown
    assert f"Archived: <{archived}>" in ok("report").stdout
    ok("undo", "--yes")
    assert rows(db_path, "SELECT count(*) FROM archives") == [(0,)]
    assert rows(db_path, "SELECT archived_url FROM sources") == [(None,)]


def test_without_keys_the_anonymous_form_is_used_and_its_html_answer_read(site, wayback, db_path):
    wayback.html_answers = True
    page = site.url("/plain.html")
    claim_on(page)
    result = ok("source", "archive", "--missing", "--json")
    [outcome] = json.loads(result.stdout)
    assert wayback.authorizations == [None]
    assert outcome["result"] == "archived"
    assert outcome["archived_url"] == f"{wayback.base}/web/20240301123456/{page}"
    assert outcome["job_id"].startswith("spn2-")
    # --missing leaves a page that has its copy alone.
    assert "Every source with a URL has an archived copy already." in ok("source", "archive", "--missing").stderr
    assert len(wayback.authorizations) == 1


def test_a_capture_the_archive_refuses_is_a_plain_message_and_the_others_are_still_recorded(site, wayback, db_path):
    good, blocked, gone = site.url("/plain.html"), site.url("/refusedsave"), site.url("/notfound")
    for page in (good, blocked, gone):
        claim_on(page)
    result = fails("source", "archive", "--all")
    assert f"Cannot archive {blocked}: Save Page Now could not capture it: the archive does not capture this " \
           "address (This URL is in the Save Page Now service block list)." in result.stderr
    assert f"Cannot archive {gone}: Save Page Now could not capture it: the page answered 404 Not Found to the " \
           "archive (Live page is not available: 404)." in result.stderr
    assert "2 of 3 page(s) could not be archived; nothing was recorded for them." in result.stderr
    assert rows(db_path, "SELECT s.url FROM archives a JOIN sources s ON s.id = a.source_id") == [(good,)]


@pytest.mark.parametrize("path, env, message", [
    ("/ratelimited", {}, "Save Page Now asks to slow down"),
    ("/neverdone", {"CLAIMTRACK_ARCHIVE_WAIT": "1"}, "the capture was not done within 1 s"),
])
def test_a_busy_or_slow_archive_is_a_plain_message_and_nothing_is_recorded(site, wayback, db_path, monkeypatch,
                                                                           path, env, message):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    claim_on(site.url(path))
    before = rows(db_path, "SELECT count(*) FROM changes")
    assert message in fails("source", "archive", site.url(path)).stderr
    assert rows(db_path, "SELECT count(*) FROM archives") == [(0,)]
    assert rows(db_path, "SELECT count(*) FROM changes") == before


@pytest.mark.parametrize("env, message", [
    ({"CLAIMTRACK_IA_ACCESS_KEY": "only-one"}, "CLAIMTRACK_IA_ACCESS_KEY is set but CLAIMTRACK_IA_SECRET_KEY is not"),
    ({"CLAIMTRACK_WAYBACK_URL": "ftp://archive.example"}, "CLAIMTRACK_WAYBACK_URL='ftp://archive.example' is not"),
    ({"CLAIMTRACK_ARCHIVE_WAIT": "soon"}, "CLAIMTRACK_ARCHIVE_WAIT='soon' is not a positive number"),
])
def test_bad_archive_settings_are_refused_before_anything_is_asked(site, wayback, db_path, monkeypatch, env,
                                                                   message):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    claim_on(site.url("/plain.html"))
    assert message in fails("source", "archive", "--all").stderr
    assert wayback.authorizations == []


def test_an_unreachable_archive_says_so_per_page(site, db_path, monkeypatch):
    monkeypatch.setenv("CLAIMTRACK_WAYBACK_URL", f"http://127.0.0.1:{closed_port()}")
    claim_on(site.url("/plain.html"))
    result = fails("source", "archive", "--all")
    assert "cannot reach Save Page Now at 127.0.0.1" in result.stderr
    assert rows(db_path, "SELECT count(*) FROM archives") == [(0,)]


def test_archive_needs_exactly_one_way_of_choosing_pages(site, wayback):
    claim_on(site.url("/plain.html"))
    fails("source", "archive", code=2)
    fails("source", "archive", "--all", "--missing", code=2)
    assert "is not a source of any claim" in fails("source", "archive", site.url("/unknown")).stderr


def test_an_archived_url_the_user_has_is_recorded_on_add_evidence_appearance_and_archive(site, db_path):
    page = site.url("/plain.html")
    copy = "https://web.archive.org/web/20240222080000/" + page
    claim = claim_on(page, "--archived-url", copy)
    assert "Archived:    " + copy in ok("show", str(claim)).stdout
    evidence_page, evidence_copy = site.url("/jsonld.html"), "https://archive.ph/Xk2bq"
    ok("evidence", "add", str(claim), "--url", evidence_page, "--stance", "supports", "--archived-url", evidence_copy)
    again, again_copy = site.url("/opengraph.html"), "https://web.archive.org/web/20240301000000/x"
    ok("appearance", "add", str(claim), "--url", again, "--archived-url", again_copy)
    assert sorted(rows(db_path, "SELECT archived_url, archived_at, via FROM archives")) == sorted([
        (copy, "2024-02-22T08:00:00Z", "given"), (evidence_copy, None, "given"),
        (again_copy, "2024-03-01T00:00:00Z", "given")])
    report = ok("report").stdout
    for archived in (copy, evidence_copy, again_copy):
        assert f"Archived: <{archived}>" in report
    # A gone page cannot be captured any more: a copy found elsewhere is recorded by hand.
    later = "https://web.archive.org/web/20250101000000/" + page
    ok("source", "archive", page, "--archived-url", later)
    assert rows(db_path, f"SELECT archived_url FROM sources WHERE url = '{page}'") == [(later,)]
    assert "--archived-url is the copy of one page" in fails("source", "archive", "--all", "--archived-url", later,
                                                             code=2).stderr


@pytest.mark.parametrize("options, message", [
    (["--archived-url", "https://web.archive.org/x"], "--archived-url is the archived copy of a page: give the page"),
    (["--source", "https://example.com/a", "--archived-url", "archive.org/x"], "is not an http(s) URL"),
    (["--source", "https://example.com/a", "--archived-url", "https://example.com/a"], "is the page's own address"),
])
def test_a_bad_archived_url_is_refused_and_nothing_is_added(db_path, options, message):
    add("Earlier", "Someone")
    before = rows(db_path, "SELECT count(*) FROM claims")
    assert message in fails("add", "A claim", "--speaker", "Someone", *options).stderr
    assert rows(db_path, "SELECT count(*) FROM claims") == before


def test_check_records_every_state_a_page_can_be_in(site, db_path):
    pages = {
        "live": site.url("/plain.html"), "gone": site.url("/status/410"), "missing": site.url("/status/404"),
        "failing": site.url("/status/503"), "refused": site.url("/status/403"), "moved": site.url("/redirect"),
        "unreachable": f"http://127.0.0.1:{closed_port()}/page",
    }
    for page in pages.values():
        claim_on(page)
    result = fails("source", "check", "--json")
    found = {c["url"]: c for c in json.loads(result.stdout)}
    states = {name: found[page]["state"] for name, page in pages.items()}
    assert states == {"live": "live", "gone": "gone", "missing": "gone", "failing": "server-error",
                      "refused": "refused", "moved": "redirected", "unreachable": "unreachable"}
    assert found[pages["gone"]]["status"] == 410
    assert found[pages["moved"]]["final_url"] == site.url("/opengraph.html")
    assert found[pages["gone"]]["gone_since"] == found[pages["gone"]]["checked_at"]
    assert "5 of 7 page(s) are not there as they were" in result.stderr
    stored = dict(rows(db_path, "SELECT s.url, c.state FROM source_checks c JOIN sources s ON s.id = c.source_id"))
    assert stored == {page: states[name] for name, page in pages.items()}


def test_a_changed_text_is_changed_and_the_same_text_in_new_bytes_is_live(site, db_path):
    page = site.url("/changing")
    claim_on(page)
    ok("source", "fetch", page)
    assert ok("source", "check", page).stdout.startswith(f"live: {page}")
    site.version = 2
    result = ok("source", "check", page, "--json")
    [checked] = json.loads(result.stdout)
    assert checked["state"] == "changed"
    assert f"claimtrack source fetch {page} keeps the new version" in checked["detail"]
    assert rows(db_path, "SELECT state FROM source_checks ORDER BY id") == [("live",), ("changed",)]


def test_without_urls_check_leaves_pages_checked_this_week_alone(site, db_path):
    first, second = site.url("/plain.html"), site.url("/jsonld.html")
    claim_on(first)
    ok("source", "check", first)
    claim_on(second)
    result = ok("source", "check")
    assert [line.split(": ")[1] for line in result.stdout.splitlines()] == [second]
    assert "Every page was checked in the last 7 days; --all checks them again." in ok("source", "check").stderr
    assert len(ok("source", "check", "--all").stdout.splitlines()) == 2
    fails("source", "check", first, "--all", code=2)


def test_a_gone_page_is_offline_since_its_first_failed_check_and_the_report_links_its_archive_first(
        site, db_path, monkeypatch):
    page = site.url("/status/410")
    claim = claim_on(page, "--outlet", "Trade Daily")
    conn = sqlite3.connect(db_path)
    source_id = conn.execute("SELECT id FROM sources").fetchone()[0]
    # Two earlier checks (written as another program would): live in January, gone since 3 March 2025.
    conn.executemany("INSERT INTO source_checks (source_id, checked_at, status, state) VALUES (?, ?, ?, ?)",
                     [(source_id, "2025-01-10T09:00:00Z", 200, "live"), (source_id, "2025-03-03T09:00:00Z", 410, "gone")])
    conn.commit()
    conn.close()
    result = fails("source", "check", page)
    assert "offline since 2025-03-03" in result.stderr
    assert f"no archived copy recorded (if the Wayback Machine has one: claimtrack source archive {page}" in result.stderr
    report = ok("report").stdout
    assert f"Trade Daily. <{page}> (offline since 3 March 2025; no archived copy)" in report
    copy = "https://web.archive.org/web/20250101000000/" + page
    ok("source", "archive", page, "--archived-url", copy)
    report = ok("report").stdout
    assert f"Trade Daily. Offline since 3 March 2025; archived copy: <{copy}> (was <{page}>)" in report
    shown = ok("source", "show", page).stdout
    assert "last check: gone on " in shown and "offline since 2025-03-03T09:00:00Z" in shown
    data = json.loads(ok("source", "show", page, "--json").stdout)
    assert data["check"]["state"] == "gone" and data["archives"][0]["archived_url"] == copy
    # A page found again is no longer offline.
    assert claim


def test_a_page_found_again_is_no_longer_offline(site, db_path):
    page = site.url("/plain.html")
    claim_on(page)
    conn = sqlite3.connect(db_path)
    conn.execute("INSERT INTO source_checks (source_id, checked_at, status, state) VALUES (1, '2025-03-03T09:00:00Z', "
                 "404, 'gone')")
    conn.commit()
    conn.close()
    assert "offline since" in ok("report").stdout
    ok("source", "check", page)
    assert "offline since" not in ok("report").stdout.lower()


def test_check_without_a_network_records_unreachable_and_changes_nothing_else(db_path):
    page = f"http://127.0.0.1:{closed_port()}/statement"
    claim_on(page)
    claims_before = rows(db_path, "SELECT * FROM claims")
    result = fails("source", "check", "--all")
    assert f"unreachable: {page}" in result.stderr
    assert rows(db_path, "SELECT state FROM source_checks") == [("unreachable",)]
    assert rows(db_path, "SELECT * FROM claims") == claims_before


def test_a_database_of_schema_15_is_upgraded_and_its_old_checks_read_as_live(db_path):
    add("x", "A", "--source", "https://example.com/a")
    conn = sqlite3.connect(db_path)
    # Back to schema 15 as it was: no archives, checks without a state (the change log's triggers, which an
    # upgrade makes again from the live columns, go first).
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'undo_log_%'"):
        conn.execute(f"DROP TRIGGER {name}")
    conn.executescript("""
        DROP TABLE archives; DROP INDEX idx_source_checks_checked;
        ALTER TABLE source_checks DROP COLUMN state; ALTER TABLE source_checks DROP COLUMN detail;
        DELETE FROM _sqlite_migrations WHERE name = 'm016_archives_and_link_checks';
        INSERT INTO source_checks (source_id, checked_at, status, sha256) VALUES (1, '2025-01-10T09:00:00Z', 200, 'ab');
        PRAGMA user_version = 15;
    """)
    conn.close()
    shown = ok("source", "show", "https://example.com/a").stdout
    assert "last check: live on 2025-01-10T09:00:00Z" in shown
    assert rows(db_path, "SELECT state, detail FROM source_checks") == [("live", None)]
    assert rows(db_path, "SELECT count(*) FROM archives") == [(0,)]
