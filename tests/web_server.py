"""A real `claimtrack serve` on a free loopback port, for the web tests (HTTP and browser)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

EXAMPLE = Path(__file__).parent.parent / "examples" / "sora-china-2024.jsonl"


def free_port() -> int:
    """A port nothing listens on now (the operating system picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running(db: Path, *options: str, env: dict | None = None):
    """`claimtrack serve` on DB until the block ends; yields the base URL. Its output is kept beside DB."""
    port = free_port()
    log = db.with_suffix(".serve.log")
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "claimtrack", "--db", str(db), "serve", "--port", str(port), *options],
            stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise AssertionError(f"claimtrack serve stopped: {log.read_text()}")
            try:
                httpx.get(base + "/-/versions.json", timeout=2)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise AssertionError(f"claimtrack serve never answered: {log.read_text()}") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
