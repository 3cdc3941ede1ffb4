"""Running git: each call a subprocess in the working copy, its failure a plain message."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from claimtrack.errors import ClaimtrackError

# What git says when the remote cannot be reached (as opposed to refusing what was sent).
_UNREACHABLE = (
    "does not appear to be a git repository", "could not read from remote", "unable to access",
    "could not resolve host", "connection refused", "connection timed out", "network is unreachable",
    "no such file or directory", "unable to connect", "not found",
)
_REJECTED = ("[rejected]", "non-fast-forward", "fetch first", "failed to push some refs")


class Unreachable(ClaimtrackError):
    """The remote could not be reached: the local commit waits for the next sync."""


class Rejected(ClaimtrackError):
    """The remote refused the push: someone pushed meanwhile."""


@dataclass
class Git:
    """git in one working copy, as AUTHOR (name and email) for the commits it makes."""

    root: Path
    author: str = "claimtrack"
    email: str = ""

    def env(self) -> dict[str, str]:
        """The environment of each git call: the author of any commit, no prompts for passwords."""
        env = dict(os.environ)
        env.update(GIT_AUTHOR_NAME=self.author, GIT_COMMITTER_NAME=self.author, GIT_AUTHOR_EMAIL=self.email,
                   GIT_COMMITTER_EMAIL=self.email, GIT_TERMINAL_PROMPT="0", LC_ALL="C")
        return env

    def run(self, *args: str, check: bool = True, cwd: Path | None = None) -> subprocess.CompletedProcess:
        """Run git ARGS; a failure (when CHECK) is a ClaimtrackError quoting git."""
        try:
            done = subprocess.run(["git", *args], cwd=cwd or self.root, env=self.env(), capture_output=True,
                                  text=True, stdin=subprocess.DEVNULL)
        except FileNotFoundError:
            raise ClaimtrackError("claimtrack sync needs git, which is not installed (or not on PATH).") from None
        if check and done.returncode != 0:
            raise ClaimtrackError(f"git {args[0]} failed in {self.root}: {said(done)}.")
        return done

    def out(self, *args: str) -> str:
        """What git ARGS prints, stripped."""
        return self.run(*args).stdout.strip()

    def ok(self, *args: str) -> bool:
        """Whether git ARGS succeeds."""
        return self.run(*args, check=False).returncode == 0

    # -- the working copy's state ------------------------------------------------------------

    def is_repository(self) -> bool:
        """Whether ROOT is the top of a git working copy."""
        if not self.root.is_dir():
            return False
        done = self.run("rev-parse", "--show-toplevel", check=False)
        return done.returncode == 0 and Path(done.stdout.strip()).resolve() == self.root.resolve()

    def branch(self) -> str | None:
        """The branch checked out; None on a detached head."""
        done = self.run("symbolic-ref", "--quiet", "--short", "HEAD", check=False)
        return done.stdout.strip() if done.returncode == 0 else None

    def head(self) -> str | None:
        """The commit checked out; None before the first commit."""
        done = self.run("rev-parse", "--verify", "--quiet", "HEAD", check=False)
        return done.stdout.strip() if done.returncode == 0 else None

    def remote_head(self, branch: str) -> str | None:
        """The last fetched commit of BRANCH on origin, if it has one."""
        done = self.run("rev-parse", "--verify", "--quiet", f"refs/remotes/origin/{branch}", check=False)
        return done.stdout.strip() if done.returncode == 0 else None

    def broken(self) -> str | None:
        """Why the working copy cannot be synced as it is (a merge left unfinished, a conflict, a detached head),
        or None."""
        git_dir = Path(self.out("rev-parse", "--absolute-git-dir"))
        for marker, what in (("MERGE_HEAD", "a merge was left unfinished"), ("rebase-merge", "a rebase is under way"),
                             ("rebase-apply", "a rebase is under way"), ("CHERRY_PICK_HEAD", "a cherry-pick is under way")):
            if (git_dir / marker).exists():
                return what
        if self.out("ls-files", "--unmerged"):
            return "files are left in conflict"
        if self.branch() is None:
            return "its HEAD is detached (no branch is checked out)"
        return None

    # -- the merge driver --------------------------------------------------------------------

    def register_driver(self) -> None:
        """Tell this working copy's git how to run claimtrack's merge driver (config is not shared by git)."""
        command = f"{shlex.quote(sys.executable)} -m claimtrack sync merge-driver %O %A %B %P"
        self.run("config", "merge.claimtrack.name", "claimtrack: records merged by change time")
        self.run("config", "merge.claimtrack.driver", command)

    # -- talking to the remote ---------------------------------------------------------------

    def fetch(self) -> None:
        """Fetch origin; Unreachable when it cannot be reached."""
        done = self.run("fetch", "--quiet", "origin", check=False)
        if done.returncode != 0:
            raise Unreachable(said(done))

    def push(self, branch: str) -> None:
        """Push BRANCH to origin; Rejected when someone pushed first, Unreachable when offline."""
        done = self.run("push", "--quiet", "origin", f"HEAD:refs/heads/{branch}", check=False)
        if done.returncode == 0:
            return
        message = said(done)
        if any(mark in done.stderr for mark in _REJECTED):
            raise Rejected(message)
        if any(mark in done.stderr.lower() for mark in _UNREACHABLE):
            raise Unreachable(message)
        raise ClaimtrackError(f"git push failed in {self.root}: {message}.")


def said(done: subprocess.CompletedProcess) -> str:
    """git's own words about a failure, on one line."""
    lines = [line.strip() for line in (done.stderr or done.stdout).splitlines() if line.strip()]
    lines = [line.removeprefix("fatal: ").removeprefix("error: ").rstrip(".") for line in lines
             if not line.startswith("hint:")]
    return "; ".join(lines) or f"exit status {done.returncode}"
