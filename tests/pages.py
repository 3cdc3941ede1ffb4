"""A small web site on the loopback interface for tests: the pages a test gives it, 404 for the rest."""

from __future__ import annotations

import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class Pages(ThreadingHTTPServer):
    """Serves PAGES (path -> (body, content type)); counts the requests it answers."""

    daemon_threads = True

    def __init__(self, pages: dict[str, tuple[bytes, str]] | None = None):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.pages = dict(pages or {})
        self.requests = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_port}{path}"

    def start(self) -> Pages:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: Pages

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.server.requests += 1
        body, kind = self.server.pages.get(self.path, (b"<html><body>not here</body></html>", "text/html"))
        self.send_response(200 if self.path in self.server.pages else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def rows(db: Path, sql: str) -> list:
    """The rows SQL reads from the database file DB (as another program would)."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()
