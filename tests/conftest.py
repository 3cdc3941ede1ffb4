"""Every test runs the real CLI against real SQLite files in its own temporary folder."""

from __future__ import annotations

import hashlib
import re
import os
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from claimtrack.cli import app

# In CI the generated examples are the same on every run, so a red build is always reproducible.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """No test can touch a user's claims.db: the working folder and CLAIMTRACK_DB point into tmp_path."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CLAIMTRACK_DB", str(tmp_path / "claims.db"))
    for name in ("CLAIMTRACK_LANGUAGES", "CLAIMTRACK_DATE_ORDER", "NO_COLOR", "CLAIMTRACK_WAYBACK_URL",
                 "CLAIMTRACK_IA_ACCESS_KEY", "CLAIMTRACK_IA_SECRET_KEY", "CLAIMTRACK_ARCHIVE_WAIT", "CLAIMTRACK_USER"):
        monkeypatch.delenv(name, raising=False)
    # Authors come from git's user.name when CLAIMTRACK_USER is not set: never from this machine's settings.
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    return tmp_path


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "claims.db"


def invoke(*args: str, input: str | None = None):
    """Run claimtrack with ARGS; return the click Result (stdout, stderr, exit_code)."""
    return CliRunner().invoke(app, list(args), input=input, prog_name="claimtrack")


def ok(*args: str, input: str | None = None):
    """Run claimtrack and insist that it succeeded."""
    result = invoke(*args, input=input)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def fails(*args: str, code: int = 1, input: str | None = None):
    """Run claimtrack, insist that it failed with CODE, a message on stderr, and no traceback."""
    result = invoke(*args, input=input)
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr, result.exception)
    assert result.stderr.strip(), "an error must say what went wrong"
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert not re.search(r"(?<!\.)\.\.(?:\s|$)", result.stderr), f"a sentence ends in '..': {result.stderr}"
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def file_hash(path: Path) -> str | None:
    """The SHA-256 of a file's bytes, or None when it does not exist."""
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def add(text: str, speaker: str, *options: str) -> int:
    """Add a claim through the CLI and return its id ("--" lets the text begin with a dash)."""
    return int(ok("add", "--speaker", speaker, *options, "--", text).stdout.strip())


@pytest.fixture
def fixtures() -> Path:
    """The folder of SQL dumps made by earlier schema versions."""
    return Path(__file__).parent / "fixtures"
