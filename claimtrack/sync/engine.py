"""claimtrack sync: link a database to a shared git repository, and exchange changes with it.

A sync writes the claims and speakers changed here since the last sync into the working copy and commits them
under the author's name; fetches and merges the remote (claimtrack's merge driver merges a record changed on
both sides); reads every record the merge brought back into the database by the import's merge by change time
(reading.py); writes out whatever that changed; and pushes. A push refused because someone pushed meanwhile is
fetched, merged and pushed again; an unreachable remote leaves the local commit for the next sync.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from claimtrack.errors import ClaimtrackError
from claimtrack.sync import layout
from claimtrack.sync.git import Git, Rejected, Unreachable
from claimtrack.sync.reading import changed_files, read_back
from claimtrack.sync.writing import Written, flush

# A push refused this many times in a row (others pushing all the while) gives up until the next sync.
PUSH_ATTEMPTS = 5


@dataclass
class Outcome:
    """What a sync did."""

    written: Written = field(default_factory=Written)
    read: dict[str, int] = field(default_factory=dict)
    pushed: bool = False
    offline: str | None = None  # why the remote could not be reached
    up_to_date: bool = False


def working_copy_for(database: Path, path: Path | None) -> Path:
    """Where the working copy lives: PATH, else beside the database and named after it (claims.db: claims-sync)."""
    return (path if path is not None else database.with_name(f"{database.stem}-sync")).absolute()


def is_url(repository: str) -> bool:
    """Whether REPOSITORY names a remote (a URL, or user@host:path) rather than a folder on this machine."""
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", repository)) or bool(re.match(r"^[^/:]+:[^/]", repository)) \
        and not Path(repository).exists()


def _git_for(root: Path, author: str | None) -> Git:
    git = Git(root, author or "claimtrack")
    if root.is_dir():
        email = git.run("config", "user.email", check=False).stdout.strip()
        git.email = email
    return git


def init(store, database: Path, repository: str, path: Path | None, author: str | None) -> tuple[Path, Outcome]:
    """Link the database to REPOSITORY (an empty one is set up, a populated one read in), the working copy at
    PATH (default: beside the database), then sync; the working copy and what the sync did."""
    link = store.sync_link()
    if link["repository"]:
        raise ClaimtrackError(
            f"{database} is already linked to {link['repository']} (working copy {link['path']}). "
            "Run claimtrack sync to exchange changes with it."
        )
    root = working_copy_for(database, path)
    if not is_url(repository):
        remote = Path(repository).expanduser().absolute()
        if not remote.exists() or (remote.is_dir() and not any(remote.iterdir())):
            # An empty shared repository is made here: a bare one, which everyone pushes to.
            Git(remote.parent if remote.parent.is_dir() else Path.cwd()).run("init", "--quiet", "--bare", str(remote))
        repository = str(remote)
    git = _git_for(root, author)
    if root.exists() and git.is_repository():
        if git.run("remote", "get-url", "origin", check=False).stdout.strip() not in (repository, ""):
            raise ClaimtrackError(
                f"{root} is a git working copy of another repository ({git.out('remote', 'get-url', 'origin')}). "
                "Give another folder with --path."
            )
    elif root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise ClaimtrackError(f"{root} exists and is not an empty folder. Give another folder with --path.")
    else:
        done = git.run("clone", "--quiet", repository, str(root), check=False, cwd=root.parent)
        if done.returncode != 0:
            from claimtrack.sync.git import said

            raise ClaimtrackError(f"Could not clone {repository}: {said(done)}. Nothing was linked.")
        git = _git_for(root, author)
    git.register_driver()
    changed = layout.write_text(root, ".gitattributes", layout.ATTRIBUTES)
    changed |= not (root / "README.md").exists() and layout.write_text(root, "README.md", layout.README)
    if changed or git.head() is None:
        git.run("add", "--", ".gitattributes", "README.md")
        git.run("commit", "--quiet", "--allow-empty", "-m", "claimtrack: a desk's shared record")
    store.set_sync_link(repository, str(root))
    return root, sync(store, author)


def _linked(store) -> tuple[Path, dict]:
    link = store.sync_link()
    if not link["repository"]:
        raise ClaimtrackError(
            "This database is not linked to a shared repository. Link it with claimtrack sync --init REPOSITORY."
        )
    root = Path(link["path"])
    if not root.is_dir():
        raise ClaimtrackError(
            f"The working copy {root} is missing. Clone {link['repository']} there again (git clone "
            f"{link['repository']} {root}) and sync again."
        )
    return root, link


def checked_git(store, author: str | None) -> tuple[Git, dict, str]:
    """The working copy's git, the link and the branch, once the working copy is known to be in order."""
    root, link = _linked(store)
    git = _git_for(root, author)
    if not git.is_repository():
        raise ClaimtrackError(f"{root} is not a git working copy. Clone {link['repository']} there and sync again.")
    why = git.broken()
    if why is not None:
        raise ClaimtrackError(
            f"The working copy {root} cannot be synced: {why}. Finish or undo that with git there (git status "
            "says how; for example git merge --abort, or git checkout with the branch name), then sync again. "
            "Nothing was imported."
        )
    return git, link, git.branch()


def _commit(git: Git, written: Written) -> None:
    present = [folder for folder in layout.RECORD_DIRS if (git.root / folder).is_dir()]
    git.run("add", "--all", "--", *present)
    if git.run("diff", "--cached", "--quiet", check=False).returncode != 0:
        git.run("commit", "--quiet", "-m", written.message())


def _write_and_commit(store, git: Git, link: dict, summary: str) -> Written:
    """Write the changes waiting here into the working copy and commit them; they stop waiting once committed.

    When the database had read everything before this commit, and the commit holds only what the database
    holds, the commit counts as read: a desk's first sync does not read back the claims it just wrote."""
    with store.write(summary):
        before = git.head()
        written, done = flush(store, git.root)
        if written.files:
            _commit(git, written)
        store.clear_pending(*done)
        read = link["commit"] == before or (link["commit"] is None and not changed_files(git, None, before))
        if read and not written.beyond and git.head() is not None:
            store.set_sync_commit(git.head())
            link["commit"] = git.head()
    return written


def sync(store, author: str | None) -> Outcome:
    """Exchange changes with the shared repository (see the module's docstring)."""
    git, link, branch = checked_git(store, author)
    git.register_driver()
    outcome = Outcome(written=_write_and_commit(store, git, link, "sync: changes written to the shared record"))
    for _ in range(PUSH_ATTEMPTS):
        try:
            git.fetch()
        except Unreachable as error:
            outcome.offline = error.message
            return outcome
        remote = git.remote_head(branch)
        if remote is not None and not git.ok("merge-base", "--is-ancestor", remote, "HEAD"):
            merged = git.run("merge", "--quiet", "--no-edit", "-m", f"claimtrack sync: merged {branch} of the desk",
                             remote, check=False)
            if merged.returncode != 0:
                git.run("merge", "--abort", check=False)
                from claimtrack.sync.git import said

                raise ClaimtrackError(
                    f"The desk's changes could not be merged in {git.root}: {said(merged)}. The merge was undone and "
                    "nothing was imported; a file changed by hand may need fixing there."
                )
        head = git.head()
        with store.write("sync: changes read from the shared record"):
            counts = read_back(store, git, link["commit"], head)
            for name, count in counts.items():
                outcome.read[name] = outcome.read.get(name, 0) + count
            store.describe_change("sync: " + (_counted(counts) or "nothing new") + " from the shared record")
            written, done = flush(store, git.root)
            if written.files:
                _commit(git, written)
            store.clear_pending(*done)
            outcome.written.add(written)
            head = git.head()
            if head is not None:
                store.set_sync_commit(head)
                link["commit"] = head
        if head is None or head == git.remote_head(branch):
            outcome.up_to_date = True
            return outcome
        try:
            git.push(branch)
        except Rejected:
            continue
        except Unreachable as error:
            outcome.offline = error.message
            return outcome
        outcome.pushed = True
        return outcome
    raise ClaimtrackError(
        f"The push was refused {PUSH_ATTEMPTS} times (others kept pushing meanwhile). Your changes are committed "
        f"in {git.root}; run claimtrack sync again."
    )


def _counted(counts: dict[str, int]) -> str:
    return ", ".join(f"{count} {name}" for name, count in counts.items() if count)


@dataclass
class Status:
    """What waits on each side of a sync."""

    repository: str
    path: str
    claims_waiting: int
    speakers_waiting: int
    commits_to_push: int
    commits_to_fetch: int
    claims_to_read: int
    offline: str | None
    would_write: Written


def status(store, author: str | None) -> Status:
    """What is waiting here and on the remote (fetched first, when it can be reached); changes nothing else."""
    git, link, branch = checked_git(store, author)
    offline = None
    try:
        git.fetch()
    except Unreachable as error:
        offline = error.message
    claims, speakers = store.pending_counts()
    would, _ = flush(store, git.root, write=False)
    remote = git.remote_head(branch)
    head = git.head()
    ahead = behind = to_read = 0
    if remote and head:
        ahead = int(git.out("rev-list", "--count", f"{remote}..HEAD"))
        behind = int(git.out("rev-list", "--count", f"HEAD..{remote}"))
        to_read = sum(1 for line in git.out("diff", "--name-only", f"HEAD...{remote}", "--", layout.CLAIMS).splitlines()
                      if line)
    elif head and not remote:
        ahead = int(git.out("rev-list", "--count", "HEAD"))
    return Status(link["repository"], link["path"], claims, speakers, ahead, behind, to_read, offline, would)
