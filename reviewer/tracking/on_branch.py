"""Is a revision on a maintainer branch? The posted-vs-applied matching, once per update run.

The branch is read once (``BranchIndex`` of reviewer/apply/verify.py: commits since a week
before the oldest revision checked, indexed by Link:/Message-ID: trailers, patch-id and subject),
then every series' latest revision is matched against it the way ``verify-applied`` matches:
Link:/Message-ID: trailers, then patch-id, then subject + author (never a bare subject: across
hundreds of series a lone equal subject is too weak). Branch patch-ids are cached by commit sha.

A revision is applied when every patch is found; found patches whose committed code differs from
the posted code are named. Only reads the repository, never changes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import git

from reviewer.apply.patch_ids import PatchIdCache
from reviewer.apply.verify import (
    CODE_DIFFERS,
    SEARCH_DEPTH,
    BranchIndex,
    match_commits,
    posted_patch_id,
    verify_patch,
)
from reviewer.apply.worktree import open_repo, resolve_commit
from reviewer.errors import ReviewerError
from reviewer.models import Revision


@dataclass
class Branch:
    repo: str
    ref: str

    @property
    def name(self) -> str:
        return self.ref


@dataclass
class OnBranch:
    """How much of a revision a branch holds."""

    ref: str
    total: int
    found: list[int] = field(default_factory=list)  # patch indexes found
    code_differs: list[int] = field(default_factory=list)  # found, committed code differs

    @property
    def applied(self) -> bool:
        return self.total > 0 and len(self.found) == self.total

    def note(self) -> str:
        """Applied: "REF (4/4 patches; 2 with edited code: 1, 3)"; else "3/4 patches on REF"."""
        count = f"{len(self.found)}/{self.total} patches"
        if not self.applied:
            return f"{count} on {self.ref}"
        if self.code_differs:
            edited = ", ".join(str(i) for i in self.code_differs)
            count += f"; {len(self.code_differs)} with edited code: {edited}"
        return f"{self.ref} ({count})"


def oldest_date(revisions: list[Revision]) -> str | None:
    """A --since bound: one week before the oldest posting (commit dates can predate mail)."""
    dates = []
    for revision in revisions:
        try:
            dates.append(datetime.fromisoformat(revision.date))
        except (TypeError, ValueError):
            return None  # unknown date: search the newest SEARCH_DEPTH commits
    if not dates:
        return None
    return (min(dates) - timedelta(days=7)).date().isoformat()


class BranchChecker:
    """Reads the branch on first use, then matches revisions against it."""

    def __init__(self, branch: Branch, since: str | None, cache: PatchIdCache | None = None):
        self.branch = branch
        self.since = since
        self.cache = cache
        self._index: BranchIndex | None = None

    def index(self) -> BranchIndex:
        if self._index is None:
            repo = open_repo(self.branch.repo)
            tip = resolve_commit(repo, self.branch.ref)
            bound = f"--since={self.since}" if self.since else f"--max-count={SEARCH_DEPTH}"
            try:
                self._index = BranchIndex.build(repo, [bound, tip], self.cache)
            except (git.GitError, OSError, ValueError) as exc:
                raise ReviewerError(f"cannot read {self.branch.ref}: {_last_line(exc)}") from exc
        return self._index

    def check(self, revision: Revision) -> OnBranch:
        index = self.index()
        result = OnBranch(self.branch.name, len(revision.patches))
        matches = match_commits(
            index,
            revision.patches,
            posted_id=lambda p: p.patch_id or posted_patch_id(index.repo, p),
            subject_only=False,
        )
        result.found = sorted(matches)
        if result.applied:
            for patch in revision.patches:
                verdict = verify_patch(index.repo, patch, matches[patch.index])
                if verdict.status == CODE_DIFFERS:
                    result.code_differs.append(patch.index)
        return result


def _last_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[-1] if text else type(exc).__name__
