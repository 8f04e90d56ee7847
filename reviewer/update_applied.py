"""Was a revision applied? Match its patches' patch-ids against the commits of a maintainer branch.

A stop-gap until the posted-vs-applied matching lands: ``git patch-id --stable`` of every
non-merge commit on the branch since the oldest revision was posted, compared with the patch-ids
b4 computed for the posted patches. A revision counts as applied when every patch with a diff is
found. Only reads the repository (git log / git patch-id), never changes it.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta

import git

from reviewer.errors import ReviewerError
from reviewer.models import Revision


@dataclass
class Branch:
    repo: str
    ref: str

    @property
    def name(self) -> str:
        return self.ref


def branch_patch_ids(branch: Branch, since: str | None) -> dict[str, str]:
    """patch-id -> commit sha for non-merge commits on the branch (committed after ``since``)."""
    try:
        repo = git.Repo(branch.repo)
        args = ["--no-merges", "-p", "--no-color", "--format=commit %H", branch.ref]
        if since:
            args.insert(0, f"--since={since}")
        with tempfile.TemporaryFile() as log:
            repo.git.execute(["git", "log", *args], output_stream=log)
            log.seek(0)
            out = repo.git.execute(["git", "patch-id", "--stable"], istream=log)
    except (git.GitError, OSError, ValueError) as exc:
        line = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise ReviewerError(f"cannot read {branch.ref} in {branch.repo}: {line}") from exc
    ids = {}
    for line in str(out).splitlines():
        parts = line.split()
        if len(parts) == 2:
            ids[parts[0]] = parts[1]
    return ids


def oldest_date(revisions: list[Revision]) -> str | None:
    """A --since bound: one week before the oldest posting (commit dates can predate mail)."""
    dates = []
    for revision in revisions:
        try:
            dates.append(datetime.fromisoformat(revision.date))
        except (TypeError, ValueError):
            return None  # unknown date: scan the whole branch
    if not dates:
        return None
    return (min(dates) - timedelta(days=7)).date().isoformat()


def is_applied(revision: Revision, patch_ids: dict[str, str]) -> bool:
    wanted = [p.patch_id for p in revision.patches if p.patch_id]
    return bool(wanted) and all(pid in patch_ids for pid in wanted)
