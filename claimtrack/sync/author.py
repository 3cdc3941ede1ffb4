"""Who is writing: recorded on every history entry and as the author of every sync commit."""

from __future__ import annotations

import os
import subprocess


def current_author() -> str | None:
    """CLAIMTRACK_USER, else git's user.name, else None (not known)."""
    given = " ".join(os.environ.get("CLAIMTRACK_USER", "").split())
    if given:
        return given
    return git_user_name()


def git_user_name(cwd: str | None = None) -> str | None:
    """git's user.name (as seen from CWD), or None when git is missing or has none."""
    try:
        found = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True, timeout=10,
                               cwd=cwd, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    name = " ".join(found.stdout.split())
    return name if found.returncode == 0 and name else None
