"""Read a file of a tree as data, through git objects — never through the file system.

A worktree that a series from mail was applied to can hold anything the mail put there,
symbolic links to /etc/passwd or /dev/zero included. Reading the blob of the commit instead
of the path means a link is only ever its target text (shown as such), and a size bound keeps
a huge blob from being read whole."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # GitPython is imported when a tree is read, not by every command
    import git

MAX_BYTES = 4 << 20
SYMLINK_MODE = 0o120000


def blob_text(repo: git.Repo, rev: str, path: str, limit: int = MAX_BYTES) -> str | None:
    """The text of a regular file `path` as committed in `rev` (at most `limit` bytes); None
    for a path the commit lacks, a symbolic link or a submodule."""
    import git

    try:
        blob = repo.commit(rev).tree / path
    except (KeyError, ValueError, git.exc.GitError):
        return None
    if not isinstance(blob, git.Blob) or blob.mode & 0o170000 == SYMLINK_MODE:
        return None
    return blob.data_stream.read(min(blob.size, limit)).decode(errors="replace")


def blob_lines(repo: git.Repo, rev: str, path: str, limit: int = MAX_BYTES) -> list[str]:
    """The lines of `path` as committed in `rev` (at most `limit` bytes of it). A symbolic
    link gives one line naming its target; a path the commit lacks gives no lines."""
    import git

    try:
        blob = repo.commit(rev).tree / path
    except (KeyError, ValueError, git.exc.GitError):
        return []
    if not isinstance(blob, git.Blob):
        return []
    data = blob.data_stream.read(min(blob.size, limit))
    if blob.mode & 0o170000 == SYMLINK_MODE:
        target = data[:256].decode(errors="replace")
        return [f"(symbolic link to {target!r}, not followed)"]
    return data.decode(errors="replace").splitlines()
