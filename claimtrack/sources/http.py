"""Fetching pages politely and within bounds: the network edge of claimtrack.sources.

One httpx client for a whole run; a thread pool fetches several pages at once, at most two per host.
Every fetch is bounded: connect and total time-outs, a redirect limit, a size cap on the decoded body
(decompressed here, a chunk at a time, so neither a 10 GB page nor a gzip bomb can fill the memory),
and the content types claimtrack can read.
"""

from __future__ import annotations

import os
import queue
import threading
import time
import zlib
from concurrent.futures import Future
from dataclasses import dataclass
from urllib.parse import urlsplit

from claimtrack.sources.extract import ACCEPTED_TYPES, media_type

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
CONNECT_TIMEOUT = 10.0
TOTAL_TIMEOUT = 60.0
MAX_REDIRECTS = 10
PER_HOST = 2
WORKERS = 8
CHUNK = 64 * 1024


class FetchError(Exception):
    """A page that could not be fetched, with the plain reason, and what it says of the page's state:
    gone (404, 410), server-error (5xx), refused (another 4xx), unreachable (no answer at all) or
    unreadable (it answered, but with nothing claimtrack can keep: too large, another type, empty)."""

    def __init__(self, reason: str, state: str = "unreachable", status: int | None = None):
        super().__init__(reason)
        self.state = state
        self.status = status


@dataclass(frozen=True)
class Limits:
    """How far one fetch may go: bytes of body, seconds to connect, seconds in all."""

    max_bytes: int = DEFAULT_MAX_BYTES
    connect_timeout: float = CONNECT_TIMEOUT
    total_timeout: float = TOTAL_TIMEOUT

    @classmethod
    def from_env(cls) -> Limits:
        """CLAIMTRACK_FETCH_MAX_BYTES and CLAIMTRACK_FETCH_TIMEOUT (seconds in all) when set."""
        from claimtrack.errors import ClaimtrackError

        values = {}
        for name, key, kind in (("CLAIMTRACK_FETCH_MAX_BYTES", "max_bytes", int),
                                ("CLAIMTRACK_FETCH_TIMEOUT", "total_timeout", float)):
            text = os.environ.get(name, "").strip()
            if text:
                try:
                    values[key] = kind(text)
                except ValueError:
                    values[key] = -1
                if values[key] <= 0:
                    raise ClaimtrackError(f"{name}={text!r} is not a positive number. Set it to e.g. "
                                          f"{'52428800' if kind is int else '60'}, or unset it.")
        return cls(**values)


@dataclass(frozen=True)
class Response:
    """A page as received: where it ended up, its status and headers, and its body (decoded, whole)."""

    url: str
    final_url: str
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    content_type: str | None
    body: bytes


def user_agent() -> str:
    """The User-Agent every request carries: claimtrack, its version, and where to read about it."""
    from claimtrack import __version__

    return f"claimtrack/{__version__} (fact-checking source capture; +https://pypi.org/project/claimtrack/)"


def client(limits: Limits):
    """The httpx client for a run: time-outs, redirects followed up to MAX_REDIRECTS, gzip and deflate only."""
    import httpx

    return httpx.Client(
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        timeout=httpx.Timeout(limits.total_timeout, connect=limits.connect_timeout),
        headers={"User-Agent": user_agent(), "Accept-Encoding": "gzip, deflate",
                 "Accept": "text/html,application/xhtml+xml,application/pdf,text/plain;q=0.9,*/*;q=0.1"},
        limits=httpx.Limits(max_connections=WORKERS * 2, max_keepalive_connections=WORKERS),
    )


def fetch(http, url: str, limits: Limits) -> Response:
    """Fetch URL with the client HTTP; raise FetchError with the plain reason when it cannot be had."""
    import httpx

    deadline = time.monotonic() + limits.total_timeout
    try:
        with http.stream("GET", url) as response:
            return _read(response, url, limits, deadline)
    except httpx.TooManyRedirects:
        raise FetchError(f"more than {MAX_REDIRECTS} redirects (a redirect loop?)") from None
    except httpx.ConnectTimeout:
        raise FetchError(f"no connection within {limits.connect_timeout:g} s") from None
    except httpx.TimeoutException:
        raise FetchError(f"no answer within {limits.total_timeout:g} s") from None
    except httpx.ConnectError as error:
        raise FetchError(_connect_reason(url, error)) from None
    except httpx.UnsupportedProtocol:
        raise FetchError("a redirect led to an address that is not http or https") from None
    except (httpx.HTTPError, zlib.error) as error:
        raise FetchError(f"the transfer failed ({type(error).__name__}: {error or 'no detail'})") from None


def _read(response, url: str, limits: Limits, deadline: float) -> Response:
    if response.status_code >= 400:
        code = response.status_code
        state = "gone" if code in (404, 410) else "server-error" if code >= 500 else "refused"
        raise FetchError(_status_reason(code, response.reason_phrase), state, code)
    content_type = response.headers.get("content-type")
    media = media_type(content_type)
    if media and media not in ACCEPTED_TYPES:
        raise FetchError(f"it is {media}, not a page claimtrack reads (HTML, PDF or plain text); "
                         "save it yourself and use claimtrack source attach", "unreadable", response.status_code)
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchError(_too_big(limits), "unreadable", response.status_code)
    decoder = _decoder(response.headers.get("content-encoding", ""))
    body = bytearray()
    for chunk in response.iter_raw(CHUNK):
        data = decoder.feed(chunk, limits.max_bytes - len(body) + 1)
        body += data
        if len(body) > limits.max_bytes:
            raise FetchError(_too_big(limits), "unreadable", response.status_code)
        if time.monotonic() > deadline:
            raise FetchError(f"no whole answer within {limits.total_timeout:g} s")
    body += decoder.flush(limits.max_bytes - len(body) + 1)
    if len(body) > limits.max_bytes:
        raise FetchError(_too_big(limits), "unreadable", response.status_code)
    if not body.strip():
        raise FetchError(f"the server answered {response.status_code} with an empty page", "unreadable",
                         response.status_code)
    headers = tuple((k, v) for k, v in response.headers.multi_items()
                    if k.lower() not in ("content-encoding", "transfer-encoding", "content-length"))
    return Response(url, str(response.url), response.status_code, response.reason_phrase or "", headers,
                    content_type, bytes(body))


class _decoder:
    """Undoes a Content-Encoding of gzip or deflate a bounded number of bytes at a time."""

    def __init__(self, encoding: str):
        encoding = encoding.strip().lower()
        if encoding in ("", "identity"):
            self._z = None
        elif encoding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._z = zlib.decompressobj()
        else:
            raise FetchError(f"the server sent it in an encoding claimtrack does not read ({encoding})", "unreadable")

    def feed(self, chunk: bytes, room: int) -> bytes:
        """Up to ROOM decoded bytes of CHUNK (more than the cap is as bad as any amount more)."""
        if self._z is None:
            return chunk
        return self._z.decompress(self._z.unconsumed_tail + chunk, max(room, 1))

    def flush(self, room: int) -> bytes:
        """What is left in the decoder, up to ROOM bytes."""
        if self._z is None:
            return b""
        return self._z.decompress(self._z.unconsumed_tail, max(room, 1)) if self._z.unconsumed_tail else b""


def _too_big(limits: Limits) -> str:
    return (f"it is larger than {limits.max_bytes:,} bytes; raise CLAIMTRACK_FETCH_MAX_BYTES to fetch it, "
            "or save it yourself and use claimtrack source attach")


def _status_reason(status: int, phrase: str) -> str:
    if status in (404, 410):
        return f"the page is gone ({status} {phrase})"
    if status in (401, 403):
        return (f"the server refused it ({status} {phrase}); if it is behind a login or paywall, save it "
                "yourself and use claimtrack source attach")
    if status == 429:
        return f"the server asks to slow down ({status} {phrase}); try again later"
    if status >= 500:
        return f"the server failed ({status} {phrase}); try again later"
    return f"the server answered {status} {phrase}"


def _connect_reason(url: str, error: Exception) -> str:
    text = str(error)
    host = urlsplit(url).hostname or url
    if "SSL" in text or "CERTIFICATE" in text.upper() or "TLS" in text:
        return f"the secure connection to {host} failed ({text})"
    if "Name or service not known" in text or "nodename" in text or "getaddrinfo" in text or "resolution" in text:
        return f"cannot find the host {host} (no network, or a mistyped address?)"
    return f"cannot connect to {host} ({text or 'no detail'})"


class Pool:
    """Fetches many pages at once, at most PER_HOST at a time from any one host.

    The workers are daemon threads: a run stopped by Ctrl-C exits at once instead of waiting for the
    pages under way (a thread pool's workers would each be waited for, up to the total time-out).
    """

    def __init__(self, limits: Limits, work=None):
        self.limits = limits
        self._work = work
        self._http = client(limits)
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._hosts: dict[str, threading.Semaphore] = {}
        self._lock = threading.Lock()
        self._workers: list[threading.Thread] = []

    def submit(self, url: str) -> Future:
        """A Future of WORK(Response) for URL (the Response itself without WORK); its exception a FetchError."""
        future: Future = Future()
        self._queue.put((future, url))
        if len(self._workers) < WORKERS:
            worker = threading.Thread(target=self._serve, name="claimtrack-fetch", daemon=True)
            worker.start()
            self._workers.append(worker)
        return future

    def _serve(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            future, url = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(self._one(url))
            except BaseException as error:  # handed to the main thread, which says what it was
                future.set_exception(error)

    def _one(self, url: str):
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            gate = self._hosts.setdefault(host, threading.Semaphore(PER_HOST))
        with gate:
            response = fetch(self._http, url, self.limits)
        return self._work(response) if self._work else response

    def close(self, *, cancel: bool = False) -> None:
        """Stop the workers once the queue is done; CANCEL: drop the pages not yet started, and leave those
        under way to end with the process."""
        if cancel:
            while True:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is not None:
                    item[0].cancel()
        for _ in self._workers:
            self._queue.put(None)
        if not cancel:
            for worker in self._workers:
                worker.join()
            self._http.close()
