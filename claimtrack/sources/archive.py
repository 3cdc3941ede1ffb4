"""Asking the Internet Archive's Save Page Now to capture pages, and waiting for each capture.

The documented API: `POST {base}/save` with the page's `url` (form-encoded, `Accept: application/json`),
which answers with a `job_id`; then `GET {base}/save/status/{job_id}` until its `status` is `success`
(with the capture's `timestamp`) or `error` (with `status_ext` and `message`). With archive.org keys
(CLAIMTRACK_IA_ACCESS_KEY and CLAIMTRACK_IA_SECRET_KEY) every request carries
`Authorization: LOW access:secret`; without them the anonymous form is used, whose answer may be the
HTML page of the service, where the job id is read from the page.

Everything runs in the calling thread, at most PER_RUN captures at a time (the service limits how many
one user may have under way), each waited for within a bounded time: Ctrl-C stops the run between two
requests, and every capture already recorded stays recorded.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass
from typing import Callable, Iterator

DEFAULT_BASE = "https://web.archive.org"
DEFAULT_WAIT = 180.0
PER_RUN = 2
FIRST_POLL = 0.5
LONGEST_POLL = 5.0
_JOB_ID = re.compile(r"spn2-[0-9a-f]{8,64}")


class ArchiveError(Exception):
    """A capture that could not be made, with the plain reason."""


@dataclass(frozen=True)
class Settings:
    """Where Save Page Now is, the keys to use (if any), and how long to wait for one capture."""

    base: str = DEFAULT_BASE
    access_key: str | None = None
    secret_key: str | None = None
    wait: float = DEFAULT_WAIT

    @classmethod
    def from_env(cls) -> Settings:
        """CLAIMTRACK_WAYBACK_URL, CLAIMTRACK_IA_ACCESS_KEY, CLAIMTRACK_IA_SECRET_KEY, CLAIMTRACK_ARCHIVE_WAIT."""
        from claimtrack.errors import ClaimtrackError
        from claimtrack.urls import check_url

        base = os.environ.get("CLAIMTRACK_WAYBACK_URL", "").strip() or DEFAULT_BASE
        try:
            check_url(base)
        except ClaimtrackError:
            raise ClaimtrackError(f"CLAIMTRACK_WAYBACK_URL={base!r} is not an http(s) address. Set it to "
                                  f"{DEFAULT_BASE} (the default) or the address of a stand-in, or unset it.") from None
        access = os.environ.get("CLAIMTRACK_IA_ACCESS_KEY", "").strip() or None
        secret = os.environ.get("CLAIMTRACK_IA_SECRET_KEY", "").strip() or None
        if bool(access) != bool(secret):
            given, missing = (("CLAIMTRACK_IA_ACCESS_KEY", "CLAIMTRACK_IA_SECRET_KEY") if access
                              else ("CLAIMTRACK_IA_SECRET_KEY", "CLAIMTRACK_IA_ACCESS_KEY"))
            raise ClaimtrackError(f"{given} is set but {missing} is not. Set both (your keys from "
                                  "https://archive.org/account/s3.php), or neither to archive anonymously.")
        wait_text = os.environ.get("CLAIMTRACK_ARCHIVE_WAIT", "").strip()
        wait = DEFAULT_WAIT
        if wait_text:
            try:
                wait = float(wait_text)
            except ValueError:
                wait = -1
            if not 0 < wait < float("inf"):
                raise ClaimtrackError(f"CLAIMTRACK_ARCHIVE_WAIT={wait_text!r} is not a positive number of seconds. "
                                      f"Set it to e.g. {DEFAULT_WAIT:g}, or unset it.")
        return cls(base.rstrip("/"), access, secret, wait)

    def headers(self) -> dict[str, str]:
        """The headers of every request: JSON answers, and the keys when given."""
        from claimtrack.sources.http import user_agent

        headers = {"Accept": "application/json", "User-Agent": user_agent()}
        if self.access_key:
            headers["Authorization"] = f"LOW {self.access_key}:{self.secret_key}"
        return headers


@dataclass(frozen=True)
class Captured:
    """What became of one page: its archived copy and its time, or the reason there is none."""

    source_id: int
    url: str
    archived_url: str | None = None
    archived_at: str | None = None
    job_id: str | None = None
    error: str | None = None

    def to_dict(self) -> dict:
        """The outcome as JSON-ready values."""
        return {"url": self.url, "result": "error" if self.error else "archived", "archived_url": self.archived_url,
                "archived_at": self.archived_at, "job_id": self.job_id, "error": self.error}


@dataclass
class _Job:
    source_id: int
    url: str
    job_id: str
    started: float
    next_poll: float
    interval: float = FIRST_POLL


def capture_pages(pages: list[tuple[int, str]], settings: Settings,
                  sleep: Callable[[float], None] = time.sleep) -> Iterator[Captured]:
    """Ask Save Page Now to capture each page (source id, URL); yield a Captured as each one ends."""
    import httpx

    waiting = list(pages)
    jobs: list[_Job] = []
    with httpx.Client(timeout=httpx.Timeout(60.0, connect=10.0), headers=settings.headers(),
                      follow_redirects=True, max_redirects=5) as http:
        while waiting or jobs:
            while waiting and len(jobs) < PER_RUN:
                source_id, url = waiting.pop(0)
                try:
                    job_id = _start(http, settings, url)
                except ArchiveError as error:
                    yield Captured(source_id, url, error=str(error))
                    continue
                started = time.monotonic()
                jobs.append(_Job(source_id, url, job_id, started, started + FIRST_POLL))
            if not jobs:
                continue
            job = min(jobs, key=lambda j: j.next_poll)
            pause = job.next_poll - time.monotonic()
            if pause > 0:
                sleep(pause)
            done = _poll(http, settings, job)
            if done is not None:
                jobs.remove(job)
                yield done


def _start(http, settings: Settings, url: str) -> str:
    """Ask for a capture of URL; the job id the service gives."""
    response = _request(http, "POST", f"{settings.base}/save", data={"url": url})
    data = _json(response)
    if data is not None:
        if data.get("job_id"):
            return str(data["job_id"])
        raise ArchiveError(_service_reason(data))
    found = _JOB_ID.search(response.text)
    if found:
        return found.group(0)
    raise ArchiveError(f"Save Page Now answered {response.status_code} without a capture job; try again later")


def _poll(http, settings: Settings, job: _Job) -> Captured | None:
    """Ask how JOB is going: a Captured once it has ended, None while it is under way."""
    now = time.monotonic()
    try:
        response = _request(http, "GET", f"{settings.base}/save/status/{job.job_id}")
        data = _json(response)
        if data is None:
            raise ArchiveError(f"Save Page Now's status of the capture is not JSON ({response.status_code})")
    except ArchiveError as error:
        return Captured(job.source_id, job.url, job_id=job.job_id, error=str(error))
    status = data.get("status")
    if status == "success":
        stamp = str(data.get("timestamp") or "")
        if not re.fullmatch(r"\d{14}", stamp):
            return Captured(job.source_id, job.url, job_id=job.job_id,
                            error="Save Page Now reported success without the capture's time")
        original = str(data.get("original_url") or job.url)
        archived_url = f"{settings.base}/web/{stamp}/{original}"
        from claimtrack.store.archives import wayback_time

        return Captured(job.source_id, job.url, archived_url, wayback_time(archived_url), job.job_id)
    if status == "error":
        return Captured(job.source_id, job.url, job_id=job.job_id, error=_service_reason(data))
    if now - job.started > settings.wait:
        return Captured(job.source_id, job.url, job_id=job.job_id,
                        error=f"the capture was not done within {settings.wait:g} s (job {job.job_id}); it may still "
                              "finish: try again later, or raise CLAIMTRACK_ARCHIVE_WAIT")
    job.interval = min(job.interval * 2, LONGEST_POLL)
    job.next_poll = now + job.interval
    return None


def _request(http, method: str, address: str, data: dict | None = None):
    import httpx

    try:
        response = http.request(method, address, data=data)
    except httpx.TimeoutException:
        raise ArchiveError("Save Page Now did not answer in time; try again later") from None
    except httpx.TooManyRedirects:
        raise ArchiveError("Save Page Now redirected too many times") from None
    except httpx.HTTPError as error:
        from urllib.parse import urlsplit

        host = urlsplit(address).hostname or address
        raise ArchiveError(f"cannot reach Save Page Now at {host} ({error or type(error).__name__}); "
                           "check the network, or CLAIMTRACK_WAYBACK_URL") from None
    if response.status_code in (401, 403):
        raise ArchiveError(f"Save Page Now refused the request ({response.status_code}); check "
                           "CLAIMTRACK_IA_ACCESS_KEY and CLAIMTRACK_IA_SECRET_KEY (or unset both to archive anonymously)")
    if response.status_code == 429:
        raise ArchiveError("Save Page Now asks to slow down (too many captures at once or today); try again later")
    if response.status_code >= 500:
        raise ArchiveError(f"Save Page Now failed ({response.status_code} {response.reason_phrase}); try again later")
    if response.status_code >= 400:
        detail = _service_reason(_json(response) or {}) if _json(response) else response.reason_phrase
        raise ArchiveError(f"Save Page Now answered {response.status_code} ({detail})")
    return response


def _json(response) -> dict | None:
    if "json" not in response.headers.get("content-type", ""):
        return None
    try:
        data = json.loads(response.content)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _service_reason(data: dict) -> str:
    """The reason the service gives for a capture it could not make, in plain words."""
    message = str(data.get("message") or "").strip()
    code = str(data.get("status_ext") or "").strip()
    known = {
        "error:not-found": "the page answered 404 Not Found to the archive",
        "error:blocked": "the site blocks the archive",
        "error:blocked-url": "the archive does not capture this address",
        "error:too-many-daily-captures": "too many captures of this page today",
        "error:user-session-limit": "too many captures under way for this account; try again later",
        "error:invalid-url-syntax": "the archive cannot read the address",
        "error:no-access": "the page is behind a login or paywall",
        "error:http-403": "the site refused the archive (403)",
        "error:service-unavailable": "the archive is unavailable; try again later",
    }
    message = message.rstrip(".")
    if code in known:
        reason = f"{known[code]} ({message})" if message else known[code]
    else:
        reason = message or code or "no reason given"
    return f"Save Page Now could not capture it: {reason}"
