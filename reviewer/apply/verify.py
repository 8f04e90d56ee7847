"""Posted vs applied: find the commits on a branch that correspond to the posted patches and
check that what was committed is what was posted.

Commits are matched to patches by Link:/Message-ID trailers, then by git patch-id, then by
subject and author. Each patch is then reported as identical, message-or-trailers-edited,
code-differs (naming the files, with a diff of the posted and committed changes per file) or
not-found. Context and line numbers may differ (maintainers rebase); changed lines may not.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path

import git

from reviewer.apply.patch_ids import PatchIdCache
from reviewer.apply.worktree import has_commit, open_repo, resolve_commit
from reviewer.compare.interdiff import file_changes, hunk_diff
from reviewer.compare.pairing import normalise
from reviewer.compare.revisions import message_diff, normalise_message
from reviewer.diff.patch import parse_diff
from reviewer.errors import ReviewerError
from reviewer.models import Patch, Revision


class VerifyStatus(StrEnum):
    """How a posted patch compares with its commit on a branch (``verify-applied --json``)."""

    IDENTICAL = "identical"
    EDITED = "message-or-trailers-edited"
    CODE_DIFFERS = "code-differs"
    NOT_FOUND = "not-found"


IDENTICAL, EDITED, CODE_DIFFERS, NOT_FOUND = VerifyStatus
SEARCH_DEPTH = 5000  # commits searched when the posted base is not an ancestor of the branch
# Only the commit's real trailer block counts (git's own trailer parsing), never a "Link:" line
# quoted somewhere in the body.
_LINK_TRAILERS = "%(trailers:key=Link,key=Message-Id,key=Patch,valueonly,separator=%x1d)"
_VALUE = "\x1d"
_MSGID = re.compile(r"<?([^<>\s/]+@[^<>\s/]+)>?")
_FIELD, _RECORD = "\x1f", "\x1e"


@dataclass
class Commit:
    sha: str
    author: str  # "Name <email>"
    subject: str
    body: str  # message without the subject line
    links: list[str] = field(default_factory=list)  # values of Link:/Message-Id:/Patch: trailers


@dataclass
class PatchVerify:
    index: int
    subject: str
    status: VerifyStatus
    commit: str = ""
    matched_by: str = ""  # "link" | "patch-id" | "subject+author" | "subject"
    files: list[str] = field(default_factory=list)  # files whose changes differ
    diffs: dict[str, str] = field(default_factory=dict)  # path -> posted vs committed diff
    message_diff: str = ""


@dataclass
class VerifyResult:
    revision: str
    branch: str
    searched: str  # the commit range searched
    patches: list[PatchVerify]

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> VerifyResult:
        return cls(**{**data, "patches": [PatchVerify(**p) for p in data["patches"]]})


def verify_applied(repo_path: str | Path, revision: Revision, branch: str) -> VerifyResult:
    repo = open_repo(repo_path)
    return verify_at(repo, revision, branch, resolve_commit(repo, branch))


def verify_at(repo: git.Repo, revision: Revision, branch: str, tip: str) -> VerifyResult:
    """Verify against the branch's already resolved tip commit."""
    search = _search_range(repo, revision, tip)
    index = BranchIndex.build(repo, search)
    matches = match_commits(index, revision.patches)
    results = [verify_patch(repo, p, matches.get(p.index)) for p in revision.patches]
    return VerifyResult(revision.label, branch, " ".join(search), results)


def _search_range(repo: git.Repo, revision: Revision, tip: str) -> list[str]:
    base = revision.base_commit
    if base and has_commit(repo, base):
        try:
            repo.git.merge_base("--is-ancestor", base, tip)
            return [f"{base}..{tip}"]
        except git.GitCommandError:
            pass
    return [f"--max-count={SEARCH_DEPTH}", tip]


def _commits(repo: git.Repo, search: list[str]) -> list[Commit]:
    fmt = _FIELD.join(["%H", "%an <%ae>", "%s", _LINK_TRAILERS, "%b"]) + _RECORD
    out = repo.git.log("--no-merges", f"--format={fmt}", *search)
    commits = []
    for record in out.split(_RECORD):
        record = record.strip("\n")
        if record:
            sha, author, subject, links, body = record.split(_FIELD, 4)
            values = [v.strip() for v in links.split(_VALUE) if v.strip()]
            commits.append(Commit(sha, author, subject, body, values))
    return commits


@dataclass
class BranchIndex:
    """The non-merge commits of a searched range, indexed the ways posted patches are matched:
    by message-ids in Link:/Message-ID: trailers, by patch-id (computed on first need, cached by
    commit sha when a cache is given) and by normalised subject. Built once, matched many times.
    """

    repo: git.Repo
    search: list[str]
    commits: list[Commit]
    by_sha: dict[str, Commit] = field(default_factory=dict)
    by_msgid: dict[str, Commit] = field(default_factory=dict)
    by_subject: dict[str, list[Commit]] = field(default_factory=dict)
    cache: PatchIdCache | None = None
    _by_patch_id: dict[str, Commit] | None = None

    @classmethod
    def build(
        cls, repo: git.Repo, search: list[str], cache: PatchIdCache | None = None
    ) -> BranchIndex:
        index = cls(repo, search, _commits(repo, search), cache=cache)
        for commit in index.commits:
            index.by_sha[commit.sha] = commit
            for value in commit.links:
                for mid in _MSGID.findall(value):
                    index.by_msgid.setdefault(mid, commit)
            index.by_subject.setdefault(normalise(commit.subject), []).append(commit)
        return index

    def by_patch_id(self) -> dict[str, Commit]:
        """{patch-id: newest commit with it}."""
        if self._by_patch_id is None:
            shas = [c.sha for c in self.commits]
            known = self.cache.get(shas) if self.cache else {}
            missing = [sha for sha in shas if sha not in known]
            if missing:
                computed = _commit_patch_ids(self.repo, missing)
                fresh = {sha: computed.get(sha, "") for sha in missing}  # "": no diff
                if self.cache:
                    self.cache.put(fresh)
                known.update(fresh)
            self._by_patch_id = {}
            for commit in self.commits:
                if known.get(commit.sha):
                    self._by_patch_id.setdefault(known[commit.sha], commit)
        return self._by_patch_id


def match_commits(
    index: BranchIndex,
    patches: list[Patch],
    posted_id: Callable[[Patch], str | None] | None = None,
    subject_only: bool = True,
) -> dict[int, tuple[Commit, str]]:
    """{patch index: (commit, how)}; each commit is used for one patch at most.

    ``posted_id`` gives a posted patch's patch-id (default: ``git patch-id`` of its diff);
    ``subject_only`` allows the last resort of a subject that only one commit has.
    """
    found: dict[int, tuple[Commit, str]] = {}
    used: set[str] = set()

    def take(patch: Patch, commit: Commit | None, how: str) -> None:
        if commit is not None and patch.index not in found and commit.sha not in used:
            found[patch.index] = (commit, how)
            used.add(commit.sha)

    for patch in patches:
        take(patch, index.by_msgid.get(patch.message_id), "link")
    if len(found) < len(patches):
        by_pid = index.by_patch_id()
        posted_id = posted_id or (lambda p: posted_patch_id(index.repo, p))
        for patch in patches:
            pid = posted_id(patch) if patch.index not in found else None
            take(patch, by_pid.get(pid) if pid else None, "patch-id")
    for patch in patches:
        subject, email = normalise(patch.subject), _email(patch.author)
        same = [c for c in index.by_subject.get(subject, []) if c.sha not in used]
        take(patch, next((c for c in same if _email(c.author) == email), None), "subject+author")
        if subject_only and len(same) == 1:
            take(patch, same[0], "subject")
    return found


def _email(author: str) -> str:
    return author.rsplit("<", 1)[-1].rstrip(">").strip().lower()


def _commit_patch_ids(repo: git.Repo, shas: list[str]) -> dict[str, str]:
    """{commit: patch-id} for the given commits, in one git log | git patch-id pipe."""
    with tempfile.TemporaryFile() as revs:
        revs.write("".join(f"{sha}\n" for sha in shas).encode())
        revs.seek(0)
        proc = repo.git.log(
            "--no-walk=unsorted", "-p", "--no-color", "--format=commit %H", "--stdin",
            istream=revs, as_process=True,
        )  # fmt: skip
        try:
            out = repo.git.patch_id("--stable", istream=proc.stdout)
        finally:
            proc.wait()
    ids = {}
    for line in out.splitlines():
        pid, sha = line.split()
        ids[sha] = pid
    return ids


def posted_patch_id(repo: git.Repo, patch: Patch) -> str | None:
    if not patch.diff:
        return None
    with tempfile.TemporaryFile() as fh:
        fh.write(patch.diff.encode())
        fh.seek(0)
        out = repo.git.patch_id("--stable", istream=fh)
    return out.split()[0] if out else None


def verify_patch(repo: git.Repo, patch: Patch, match: tuple[Commit, str] | None) -> PatchVerify:
    """Compare one posted patch with the commit matched to it (None: not found)."""
    result = PatchVerify(patch.index, patch.subject, NOT_FOUND)
    if match is None:
        return result
    commit, how = match
    result.commit, result.matched_by = commit.sha[:12], how
    committed = parse_diff(repo.git.show("--format=", "--no-color", "--no-ext-diff", commit.sha))
    posted = parse_diff(patch.diff)
    changes = file_changes(posted, committed)
    if changes:
        result.status = CODE_DIFFERS
        result.files = [c.path for c in changes]
        result.diffs = {c.path: _labelled(c, posted, committed) for c in changes}
        return result
    if normalise(commit.subject) != normalise(patch.subject) or normalise_message(
        commit.body
    ) != normalise_message(patch.commit_message):
        result.status = EDITED
        as_patch = Patch(0, commit.subject, "", commit.author, "", commit.body, "", None)
        result.message_diff = (
            message_diff(patch, as_patch)
            .replace("+++ new/message", "+++ committed/message")
            .replace("--- old/message", "--- posted/message")
        )
        return result
    result.status = IDENTICAL
    return result


def _labelled(change, posted, committed) -> str:
    if change.kind == "changed":
        return hunk_diff(
            posted.file(change.path), committed.file(change.path), "posted", "committed"
        )
    side = "committed only" if change.kind == "only-in-new" else "posted only"
    return f"({side})\n{change.diff}"


def check_branch(repo_path: str | Path, branch: str) -> None:
    """Fail early with one line when the branch does not exist."""
    repo = open_repo(repo_path)
    if not branch:
        raise ReviewerError("--branch is required")
    resolve_commit(repo, branch)
