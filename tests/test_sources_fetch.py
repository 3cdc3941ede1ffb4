"""claimtrack source fetch / show / attach, against real HTTP servers on 127.0.0.1 started here.

Nothing reaches outside the machine: every URL is a loopback server of this file (or a loopback port
where nothing listens, which is what a missing network looks like to a fetch).
"""

from __future__ import annotations

import gzip
import json
import socket
import sqlite3
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import add, fails, ok
from pdfs import pdf

PAGES = Path(__file__).parent / "fixtures" / "pages"
BOMB = gzip.compress(b"\0" * (20 * 1024 * 1024), compresslevel=9)


class Site(ThreadingHTTPServer):
    """A local web site: the fixture pages, and every way a page can go wrong."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.agents: list[str] = []
        self.version = 1
        self.busy = 0
        self.most_at_once = 0
        self.lock = threading.Lock()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_port}{path}"


class Handler(BaseHTTPRequestHandler):
    server: Site

    def log_message(self, *args):
        pass

    def send(self, status: int, body: bytes, content_type: str | None = "text/html; charset=utf-8", **headers):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        headers = {name.replace("_", "-"): value for name, value in headers.items()}
        headers.setdefault("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        site = self.server
        with site.lock:
            site.agents.append(self.headers.get("User-Agent", ""))
        try:
            self.route(self.path)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def working(self, seconds: float):
        """Take SECONDS over a request, counting how many are being worked on at once (before any answer
        is sent, so a client that has its answer and starts its next request is never counted twice)."""
        site = self.server
        with site.lock:
            site.busy += 1
            site.most_at_once = max(site.most_at_once, site.busy)
        time.sleep(seconds)
        with site.lock:
            site.busy -= 1

    def route(self, path: str):
        name = path.lstrip("/")
        if name == "wrong-charset.html":
            return self.send(200, (PAGES / name).read_bytes(), "text/html; charset=iso-8859-1")
        if name.endswith(".html") and (PAGES / name).is_file():
            return self.send(200, (PAGES / name).read_bytes())
        if name.startswith("many/"):
            self.working(0.05)
            return self.send(200, (PAGES / "opengraph.html").read_bytes().replace(b"three countries", name.encode()))
        if name == "redirect":
            return self.send(302, b"", None, Location="/opengraph.html")
        if name == "loop":
            return self.send(302, b"", None, Location="/loop")
        if name.startswith("status/"):
            return self.send(int(name.split("/")[1]), b"<html><body>error</body></html>")
        if name.startswith("hang/"):
            time.sleep(30)
            return self.send(200, b"<html><body><p>too late</p></body></html>")
        if name == "slow":
            time.sleep(3)
            return self.send(200, b"<html><body><p>late</p></body></html>")
        if name == "huge":
            # No Content-Length: the body goes on and on until the client hangs up.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(10_000):
                self.wfile.write(b"<p>" + b"x" * 65_536 + b"</p>")
            return None
        if name == "huge-declared":
            return self.send(200, b"<html></html>", Content_Length=str(10 * 1024**3))
        if name == "bomb":
            return self.send(200, BOMB, "text/html", Content_Encoding="gzip")
        if name == "gzipped":
            return self.send(200, gzip.compress((PAGES / "jsonld.html").read_bytes()), "text/html", Content_Encoding="gzip")
        if name == "empty":
            return self.send(200, b"")
        if name == "image.png":
            return self.send(200, b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "image/png")
        if name == "doc.pdf":
            return self.send(200, pdf("The ministry publishes the figures for March.", title="Figures"), "application/pdf")
        if name == "scan.pdf":
            return self.send(200, pdf(None), "application/pdf")
        if name == "changing":
            body = (PAGES / "plain.html").read_bytes().replace(b"third month", f"version {self.server.version}".encode())
            return self.send(200, body)
        return self.send(404, b"<html><body>not found</body></html>")


@pytest.fixture
def site():
    server = Site()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def claim_on(url: str, *options: str) -> int:
    return add("Exports of chips will need a licence", "Trade minister", "--source", url, *options)


def rows(db: Path, sql: str) -> list:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_a_fetch_keeps_the_page_as_a_warc_record_and_fills_only_the_empty_details(site, db_path):
    url = site.url("/opengraph.html")
    claim_on(url, "--title", "My own title")
    result = ok("source", "fetch", url)
    assert "Saved snapshot 1 of" in result.stdout and "filled outlet, published from the page" in result.stdout
    shown = json.loads(ok("show", "1", "--json").stdout)
    # What the user typed stays; what was empty is filled.
    assert shown["title"] == "My own title"
    assert shown["outlet"] == "The Harbour Herald" and shown["published_on"] == "2024-03-14"
    files = list((db_path.parent / "claims.db.sources").glob("*.warc.gz"))
    assert len(files) == 1
    snapshot = json.loads(ok("source", "show", url, "--json").stdout)
    assert snapshot["warc_file"] == files[0].name and snapshot["status"] == 200
    assert snapshot["author"] == "Mara Lindqvist" and snapshot["language"] == "en"
    from claimtrack.sources.warc import payload, sha256

    body = payload(files[0].parent, files[0].name)
    assert body == (PAGES / "opengraph.html").read_bytes() and sha256(body) == snapshot["sha256"]
    assert "largest tightening" in ok("source", "show", url, "--text").stdout
    assert site.agents and all(agent.startswith("claimtrack/") for agent in site.agents)


def test_a_page_fetched_again_unchanged_is_only_checked_and_a_changed_one_gets_a_second_snapshot(site, db_path):
    url = site.url("/changing")
    claim_on(url)
    ok("source", "fetch", url)
    assert "Unchanged since snapshot 1" in ok("source", "fetch", "--all").stdout
    assert rows(db_path, "SELECT count(*) FROM snapshots") == [(1,)]
    assert rows(db_path, "SELECT snapshot_id FROM source_checks") == [(1,)]
    site.version = 2
    assert "Saved snapshot 2" in ok("source", "fetch", url).stdout
    versions = json.loads(ok("source", "show", url, "--versions", "--json", "--text").stdout)
    assert [v["id"] for v in versions] == [1, 2]
    assert "version 1" in versions[0]["text"] and "version 2" in versions[1]["text"]
    assert versions[0]["last_checked"] is not None
    # --missing skips a page with a snapshot.
    assert "has a snapshot already" in ok("source", "fetch", "--missing").stderr


def test_a_redirect_is_followed_and_the_final_url_recorded(site):
    claim_on(site.url("/redirect"))
    result = ok("source", "fetch", site.url("/redirect"))
    assert f"now at {site.url('/opengraph.html')}" in result.stdout
    assert json.loads(ok("source", "show", site.url("/redirect"), "--json").stdout)["final_url"] == site.url("/opengraph.html")


@pytest.mark.parametrize("path, message", [
    ("/loop", "more than 10 redirects (a redirect loop?)"),
    ("/status/404", "the page is gone (404 Not Found)"),
    ("/status/410", "the page is gone (410 Gone)"),
    ("/status/500", "the server failed (500 Internal Server Error); try again later"),
    ("/empty", "the server answered 200 with an empty page"),
    ("/image.png", "it is image/png, not a page claimtrack reads"),
    ("/huge-declared", "it is larger than 1,000,000 bytes"),
    ("/huge", "it is larger than 1,000,000 bytes"),
    ("/bomb", "it is larger than 1,000,000 bytes"),
    ("/slow", "no answer within 1 s"),
])
def test_each_bad_page_is_a_plain_message_and_nothing_is_kept(site, db_path, monkeypatch, path, message):
    monkeypatch.setenv("CLAIMTRACK_FETCH_MAX_BYTES", "1000000")
    monkeypatch.setenv("CLAIMTRACK_FETCH_TIMEOUT", "1")
    claim_on(site.url(path))
    before = rows(db_path, "SELECT * FROM sources")
    result = fails("source", "fetch", site.url(path))
    assert f"Cannot fetch {site.url(path)}: {message}" in result.stderr
    assert "1 of 1 page(s) could not be fetched" in result.stderr
    assert rows(db_path, "SELECT count(*) FROM snapshots") == [(0,)]
    assert rows(db_path, "SELECT * FROM sources") == before
    folder = db_path.parent / "claims.db.sources"
    assert not folder.exists() or not list(folder.iterdir())


def test_without_a_network_each_page_says_so_and_nothing_else_changes(site, db_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]  # nothing listens there once the socket is closed
    url = f"http://127.0.0.1:{closed}/article"
    claim_on(url)
    claim_on(site.url("/jsonld.html"))
    changes = rows(db_path, "SELECT count(*) FROM changes")
    result = fails("source", "fetch", url, site.url("/jsonld.html"))
    assert f"Cannot fetch {url}: cannot connect to 127.0.0.1" in result.stderr
    assert "1 of 2 page(s) could not be fetched" in result.stderr
    # The page that could be fetched is kept; the other changed nothing.
    assert rows(db_path, "SELECT count(*) FROM snapshots") == [(1,)]
    assert rows(db_path, "SELECT count(*) FROM changes")[0][0] == changes[0][0] + 1


def test_gzip_json_ld_pdf_and_a_wrong_charset_are_read(site):
    for path in ("/gzipped", "/doc.pdf", "/wrong-charset.html", "/scan.pdf"):
        claim_on(site.url(path))
    result = ok("source", "fetch", "--all", "--json")
    outcomes = {o["url"]: o for o in json.loads(result.stdout)}
    assert outcomes[site.url("/gzipped")]["filled"] == ["outlet", "title", "published"]
    assert "no text layer" in outcomes[site.url("/scan.pdf")]["note"]
    assert outcomes[site.url("/scan.pdf")]["result"] == "saved"
    assert json.loads(ok("source", "show", site.url("/gzipped"), "--json").stdout)["published_on"] == "2023-11-02"
    assert "figures for March" in ok("source", "show", site.url("/doc.pdf"), "--text").stdout
    title = json.loads(ok("source", "show", site.url("/wrong-charset.html"), "--json").stdout)["title"]
    assert title == "Ministère: «nouvelles règles» d’exportation"


def test_an_unknown_url_is_refused_with_how_to_add_it_and_show_without_a_snapshot_says_how_to_fetch(site):
    claim_on(site.url("/plain.html"))
    result = fails("source", "fetch", site.url("/elsewhere"))
    assert "is not a source of any claim" in result.stderr and "claimtrack evidence add" in result.stderr
    assert not site.agents  # nothing was fetched
    assert "has no snapshot yet. Fetch it: claimtrack source fetch" in fails("source", "show", site.url("/plain.html")).stderr
    fails("source", "fetch", code=2)
    fails("source", "fetch", "--all", "--missing", code=2)


def test_many_pages_at_once_but_never_more_than_two_from_one_host(site, db_path):
    urls = [site.url(f"/many/{n}") for n in range(12)]
    for url in urls:
        claim_on(url)
    result = ok("source", "fetch", "--all")
    assert result.stdout.count("Saved snapshot") == 12
    assert 1 <= site.most_at_once <= 2
    assert rows(db_path, "SELECT count(DISTINCT sha256) FROM snapshots") == [(12,)]


def test_undo_takes_a_snapshot_and_what_it_filled_back(site, db_path):
    url = site.url("/opengraph.html")
    claim_on(url)
    ok("source", "fetch", url)
    ok("undo", "--yes")
    assert rows(db_path, "SELECT count(*) FROM snapshots") == [(0,)]
    assert json.loads(ok("show", "1", "--json").stdout)["outlet"] is None


def test_attach_keeps_a_file_the_user_has_as_a_resource_record(site, db_path, tmp_path):
    url = site.url("/paywalled")
    claim_on(url)
    saved = tmp_path / "statement.pdf"
    saved.write_bytes(pdf("Statement behind the paywall.", title="Paywalled statement"))
    result = ok("source", "attach", url, str(saved))
    assert "Attached statement.pdf as snapshot 1" in result.stdout and "filled title" in result.stdout
    snapshot = json.loads(ok("source", "show", url, "--json", "--text").stdout)
    assert snapshot["kind"] == "attach" and snapshot["file_name"] == "statement.pdf"
    assert snapshot["text"] == "Statement behind the paywall."
    screenshot = tmp_path / "shot.png"
    screenshot.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\1" * 50)
    assert "no text" in ok("source", "attach", url, str(screenshot)).stderr
    assert "No file at" in fails("source", "attach", url, str(tmp_path / "nothing.pdf")).stderr
    assert not site.agents


def test_check_verifies_every_record_and_backup_copies_the_folder(site, db_path, tmp_path):
    url = site.url("/jsonld.html")
    claim_on(url)
    ok("source", "fetch", url)
    assert "1 snapshot(s) of pages match their SHA-256" in ok("check").stdout
    copy = tmp_path / "copy.db"
    assert "copy.db.sources (1 new file(s))" in ok("backup", str(copy)).stdout
    assert len(list((tmp_path / "copy.db.sources").glob("*.warc.gz"))) == 1
    assert "1 snapshot(s) of pages match" in ok("--db", str(copy), "check").stdout
    record = next((db_path.parent / "claims.db.sources").glob("*.warc.gz"))
    from claimtrack.sources.warc import write_resource

    # Another record put in its place: readable, but not the bytes that were fetched.
    other = write_resource(tmp_path / "other", url, b"<html>changed</html>", "text/html", "2024-01-01T00:00:00Z")
    record.write_bytes((tmp_path / "other" / other.warc_file).read_bytes())
    assert "does not match its SHA-256" in fails("check").stderr
    record.unlink()
    assert "is missing from" in fails("check").stderr


def test_ctrl_c_leaves_every_finished_page_kept_and_none_half_kept(site, db_path):
    import os
    import signal
    import subprocess
    import sys

    fast = [site.url(f"/many/{n}") for n in range(3)]
    for url in fast + [site.url(f"/hang/{n}") for n in range(3)]:
        claim_on(url)
    process = subprocess.Popen(
        [sys.executable, "-m", "claimtrack", "source", "fetch", "--all"], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env={**os.environ, "CLAIMTRACK_DB": str(db_path)})
    saved = [process.stdout.readline() for _ in fast]
    assert all("Saved snapshot" in line for line in saved), saved
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 130, err
    assert "Interrupted: 3 of 6 page(s) kept" in err and "Traceback" not in err
    assert rows(db_path, "SELECT count(*) FROM snapshots") == [(3,)]
    folder = db_path.parent / "claims.db.sources"
    assert len(list(folder.glob("*.warc.gz"))) == 3 and not list(folder.glob(".*"))
    assert "3 snapshot(s) of pages match" in ok("check").stdout


def test_add_evidence_and_appearance_fetch_the_page_and_a_failed_fetch_still_records_with_a_warning(site, db_path):
    result = ok("add", "--speaker", "Trade minister", "--source", site.url("/opengraph.html"), "--fetch", "--json",
                "--", "Exports of chips will need a licence")
    claim = json.loads(result.stdout)
    assert claim["outlet"] == "The Harbour Herald"  # filled by the fetch, shown by --json
    assert "Saved snapshot 1" in result.stderr
    result = ok("evidence", "add", "1", "--url", site.url("/status/404"), "--stance", "supports", "--fetch")
    assert result.stdout.strip() == "1"
    assert "Warning: recorded, but" in result.stderr and "the page is gone (404 Not Found)" in result.stderr
    assert rows(db_path, "SELECT count(*) FROM evidence") == [(1,)]
    result = ok("appearance", "add", "1", "--url", site.url("/jsonld.html"), "--fetch")
    assert result.stdout.strip() == "1" and "Saved snapshot 2" in result.stderr
    assert rows(db_path, "SELECT count(*) FROM snapshots") == [(2,)]
    result = ok("add", "--speaker", "Trade minister", "--fetch", "--", "Undated and unsourced")
    assert "--fetch has no page to fetch" in result.stderr


def test_a_certificate_no_one_vouches_for_is_a_plain_tls_message(tmp_path, db_path):
    import shutil
    import ssl
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
    server = Site()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"https://127.0.0.1:{server.server_port}/opengraph.html"
        claim_on(url)
        result = fails("source", "fetch", url)
        assert f"Cannot fetch {url}: the secure connection to 127.0.0.1 failed" in result.stderr
        assert rows(db_path, "SELECT count(*) FROM snapshots") == [(0,)]
    finally:
        server.shutdown()
        server.server_close()


def test_many_pages_show_progress_in_a_terminal_and_none_in_a_pipe(site, db_path):
    from test_terminal import in_terminal

    for n in range(12):
        claim_on(site.url(f"/many/{n}"))
    code, out = in_terminal("source", "fetch", "--all", env={"CLAIMTRACK_DB": str(db_path)})
    assert code == 0 and "Fetching" in out and out.count("Saved snapshot") == 12, out[-500:]
    piped = ok("source", "fetch", "--all")
    assert "Fetching" not in piped.stdout + piped.stderr and piped.stdout.count("Unchanged since") == 12


def test_the_fetch_benchmark_runs_end_to_end_and_writes_its_table(tmp_path):
    import subprocess
    import sys

    harness = Path(__file__).parent.parent / "benchmarks" / "sources.py"
    output = tmp_path / "sources.md"
    subprocess.run([sys.executable, str(harness), "--pages", "5", "--work", str(tmp_path / "work"), "--output",
                    str(output)], check=True, capture_output=True, timeout=300)
    text = output.read_text(encoding="utf-8")
    assert "## Fetching sources (5 local pages" in text
    assert "| fetch 1,000 pages under 30 s |" in text and "| text extraction under 50 ms a page (median) |" in text
    assert len(list((tmp_path / "work" / "sources-bench.db.sources").glob("*.warc.gz"))) == 5
