"""The record in a browser: Datasette on the database, read-only, with claimtrack's pages and descriptions.

Imported only by `claimtrack serve` (Datasette and its web server are heavy to load).
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sqlite3
from pathlib import Path
from typing import NamedTuple

from claimtrack.errors import ClaimtrackError

TEMPLATES = Path(__file__).parent / "templates"
# The access control for a server others can reach: a password hash made by `datasette hash-password`
# (the datasette-auth-passwords plugin), and the name visitors sign in with.
PASSWORD_HASH_VARIABLE = "CLAIMTRACK_SERVE_PASSWORD_HASH"
USER_VARIABLE = "CLAIMTRACK_SERVE_USER"
DEFAULT_USER = "editor"
SETTINGS = {
    # Datasette's own limits, raised for a large record: counts and facets of a million claims take longer
    # than its defaults allow, and it would then leave them out without saying much.
    "sql_time_limit_ms": 3000,
    "facet_time_limit_ms": 1500,
    "suggest_facets": False,
    "default_page_size": 50,
    "num_sql_threads": 4,
}


class Access(NamedTuple):
    """Who may sign in (HTTP basic authentication through datasette-auth-passwords)."""

    user: str
    password_hash: str


def is_loopback(host: str) -> bool:
    """Whether HOST is this machine alone (127.0.0.1, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def access_control(host: str, environ=None) -> Access | None:
    """The access control the environment sets; an error when HOST reaches beyond this machine without one."""
    environ = os.environ if environ is None else environ
    password_hash = (environ.get(PASSWORD_HASH_VARIABLE) or "").strip()
    user = (environ.get(USER_VARIABLE) or "").strip() or DEFAULT_USER
    if password_hash:
        if not password_hash.startswith("pbkdf2_sha256$") or password_hash.count("$") != 3:
            raise ClaimtrackError(
                f"{PASSWORD_HASH_VARIABLE} is not a password hash. Make one with `datasette hash-password` "
                "and set the variable to what it prints.", exit_code=2)
        return Access(user, password_hash)
    if not is_loopback(host):
        raise ClaimtrackError(
            f"Refusing to serve on {host} without an access control: anyone who can reach this machine would read "
            f"the record. Set {PASSWORD_HASH_VARIABLE} to a hash made by `datasette hash-password` (visitors then "
            f"sign in as {DEFAULT_USER}, or as {USER_VARIABLE}), or serve on 127.0.0.1.", exit_code=2)
    return None


def _tables(path: Path) -> list[str]:
    """Every table and view in the file."""
    from claimtrack.store.paths import connect

    conn = connect(path, write=False)
    try:
        return [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")]
    finally:
        conn.close()


def build(path: Path, *, title: str, access: Access | None = None):
    """The Datasette application for the database at PATH (upgraded first if its schema is older)."""
    from datasette.app import Datasette
    from datasette.database import Database
    from datasette.plugins import pm

    from claimtrack.store import open_store
    from claimtrack.store.web import CANNED_QUERIES
    from claimtrack.web import plugin
    from claimtrack.web.metadata import DATABASE, metadata

    with open_store(path, write=False):
        pass  # opening checks the file and brings an older schema up to date, as every claimtrack read does

    class ReadOnlyDatabase(Database):
        """Datasette's reads open the file read-only; any write it or a plugin would make is refused."""

        def connect(self, write=False):
            if write:
                raise sqlite3.OperationalError("claimtrack serve is read-only")
            return super().connect(write=False)

    password = ({f"{access.user}_password_hash": access.password_hash, "http_basic_auth": True}
                if access else None)
    datasette = Datasette(
        [], metadata=metadata(title, _tables(path), CANNED_QUERIES, password), template_dir=str(TEMPLATES),
        settings=SETTINGS,
    )
    datasette.remove_database("_memory")
    datasette.add_database(ReadOnlyDatabase(datasette, path=str(path.resolve()), is_mutable=True), name=DATABASE)
    datasette.claimtrack_path = path
    if not pm.is_registered(plugin):
        pm.register(plugin, name="claimtrack")
    return datasette


def port_free(host: str, port: int) -> bool:
    """Whether a server could listen on HOST:PORT now."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), port))
        except OSError:
            return False
    return True


def serve(path: Path, *, host: str, port: int, title: str, open_browser: bool, say) -> None:
    """Serve the record until interrupted; SAY tells the user where."""
    import asyncio

    access = access_control(host)
    if not port_free(host, port):
        raise ClaimtrackError(f"Cannot listen on {host} port {port}: it is in use or not this machine's address. "
                              "Choose another with --port or --host.")
    datasette = build(path, title=title, access=access)
    asyncio.run(datasette.invoke_startup())
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else shown}:{port}/"
    who = f" (visitors sign in as {access.user})" if access else ""
    say(f"Serving {path} read-only at http://{shown}:{port}/{who}. Ctrl-C stops.")
    if open_browser:
        _open_when_ready(address, host, port)
    import uvicorn

    uvicorn.run(datasette.app(), host=host.strip("[]"), port=port, log_level="warning", lifespan="on")


def _open_when_ready(address: str, host: str, port: int) -> None:
    """Open ADDRESS in the user's browser once the server answers."""
    import threading
    import time
    import webbrowser

    def wait_then_open():
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1" if host in ("0.0.0.0", "::") else host.strip("[]"), port),
                                              timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        webbrowser.open(address)

    threading.Thread(target=wait_then_open, daemon=True).start()
