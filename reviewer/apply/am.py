"""Apply a revision to a repository in a throwaway worktree and explain what does not apply.

Each patch is applied with ``git am``; when that fails, with ``git am --3way``. A patch that
still fails is explained per hunk: which file and hunk, what the tree has there instead, and the
commit in the base's history that last touched that region (git blame). The result is kept under
refs/reviewer/apply/<id>/<label>; the user's branches and working tree are never touched.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import re
import tempfile
from dataclasses import asdict, dataclass, field
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from enum import StrEnum
from pathlib import Path

import git

from reviewer.apply.worktree import has_commit, open_repo, resolve_commit, set_ref, worktree
from reviewer.diff.patch import FileDiff, Hunk, hunk_range, parse_diff, unsafe_paths
from reviewer.errors import ReviewerError
from reviewer.models import Patch, Revision
from reviewer.tree_read import blob_lines


class ApplyStatus(StrEnum):
    """How one patch went onto the base (the ``status`` of ``apply --json``)."""

    APPLIED = "applied"
    THREE_WAY = "applied with 3-way"
    FAILED = "failed"


APPLIED, THREE_WAY, FAILED = ApplyStatus
_FAILED_AT = re.compile(r"^error: patch failed: (.+):(\d+)$", re.M)
_MISSING = re.compile(r"^error: (.+): (?:does not exist in index|No such file or directory)$", re.M)
GUESS_DEPTH = 500  # commits of history searched for a base matching the patches' blob ids


@dataclass
class HunkFailure:
    file: str
    hunk: str  # the hunk header, e.g. "@@ -987,8 +987,7 @@ static inline ..."
    line: int
    expected_vs_tree: str  # diff from what the hunk expects to what the tree has
    last_commit: str = ""  # "<sha12> <subject>" that last touched the region
    reason: str = ""


@dataclass
class PatchApply:
    index: int
    subject: str
    status: ApplyStatus
    commit: str = ""
    failures: list[HunkFailure] = field(default_factory=list)
    error: str = ""  # git's message when no hunk could be named


@dataclass
class ApplyResult:
    revision: str
    base: str
    base_source: str  # "--base" | "base-commit" | "guessed from blob ids" | "HEAD (no base known)"
    ref: str
    tip: str
    patches: list[PatchApply]

    @property
    def ok(self) -> bool:
        return all(p.status != FAILED for p in self.patches)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> ApplyResult:
        patches = [
            PatchApply(**{**p, "failures": [HunkFailure(**f) for f in p["failures"]]})
            for p in data["patches"]
        ]
        return cls(**{**data, "patches": patches})


def check_paths(revision: Revision) -> None:
    for patch in revision.patches:
        bad = unsafe_paths(parse_diff(patch.diff))
        if bad:
            raise ReviewerError(
                f"{revision.label} patch {patch.index} touches a path outside the tree: {bad[0]}"
            )


def choose_base(repo: git.Repo, revision: Revision, base: str | None) -> tuple[str, str]:
    if base:
        return resolve_commit(repo, base), "--base"
    if revision.base_commit and has_commit(repo, revision.base_commit):
        return resolve_commit(repo, revision.base_commit), "base-commit"
    # a declared base this repository lacks is said so: "no base known" would be wrong
    missing = (
        f"; base-commit {revision.base_commit[:12]} not in this repository"
        if revision.base_commit
        else ""
    )
    guess = guess_base(repo, revision)
    if guess:
        return guess, f"guessed from blob ids{missing}"
    if missing:
        return resolve_commit(repo, "HEAD"), f"HEAD{missing}"
    return resolve_commit(repo, "HEAD"), "HEAD (no base known)"


def preimage_blobs(revision: Revision) -> dict[str, str]:
    """{path: abbreviated blob id} each file had before the series first touched it."""
    blobs: dict[str, str] = {}
    seen: set[str] = set()
    for patch in revision.patches:
        for fd in parse_diff(patch.diff).files:
            path = fd.old_path or fd.path
            if path in seen:
                continue
            seen.add(path)
            if fd.old_blob:
                blobs[path] = fd.old_blob
    return blobs


def guess_base(repo: git.Repo, revision: Revision) -> str | None:
    """The newest commit of HEAD's history where every touched file has the patches' pre-image."""
    blobs = preimage_blobs(revision)
    if not blobs:
        return None
    paths = sorted(blobs)
    try:
        candidates = [resolve_commit(repo, "HEAD")] + repo.git.rev_list(
            f"--max-count={GUESS_DEPTH}", "HEAD", "--", *paths
        ).split()
    except git.GitCommandError:
        return None
    for sha in candidates:
        if _blobs_match(repo, sha, blobs):
            return sha
    return None


def _blobs_match(repo: git.Repo, sha: str, blobs: dict[str, str]) -> bool:
    listing = repo.git.ls_tree(sha, "--", *sorted(blobs))
    have = {}
    for line in listing.splitlines():
        meta, _, path = line.partition("\t")
        have[path] = meta.split()[2]
    return all(have.get(p, "").startswith(b) for p, b in blobs.items())


def patch_mail(patch: Patch) -> bytes:
    """One patch as a mail git am reads: author, date, subject, message, diff."""
    msg = EmailMessage(policy=SMTP)
    msg["From"] = patch.author or "unknown <unknown@localhost>"
    msg["Subject"] = f"[PATCH] {patch.subject}"
    msg["Date"] = _mail_date(patch.date)
    body = patch.commit_message.rstrip("\n") + "\n---\n" + patch.diff
    msg.set_content(body, charset="utf-8", cte="8bit")
    return b"From reviewer Thu Jan  1 00:00:00 1970\n" + msg.as_bytes()


def _mail_date(iso: str) -> str:
    from datetime import datetime

    try:
        return format_datetime(datetime.fromisoformat(iso))
    except ValueError:
        return "Thu, 01 Jan 1970 00:00:00 +0000"


def ref_name(revision: Revision) -> str:
    digest = hashlib.sha1(revision.message_id.encode()).hexdigest()[:12]
    label = re.sub(r"[^A-Za-z0-9._-]", "_", revision.label)
    return f"apply/{digest}/{label}"


# {patch index: the am-ready mail b4 made (reviewer.trailers.export.am_mails)}
Mails = dict[int, bytes]


def apply_revision(
    repo_path: str | Path, revision: Revision, base: str | None = None,
    mails: Mails | None = None,
) -> ApplyResult:  # fmt: skip
    repo = open_repo(repo_path)
    check_paths(revision)
    base_sha, source = choose_base(repo, revision, base)
    return apply_on(repo, revision, base_sha, source, mails)


def apply_on(
    repo: git.Repo, revision: Revision, base_sha: str, source: str, mails: Mails | None = None
) -> ApplyResult:
    """Apply on an already chosen base commit (see choose_base). Each patch is the mail b4's
    am-ready path made for it (``mails``: what ``export`` writes, with the collected trailers),
    else one built from the stored patch (``patch_mail``)."""
    mails = mails or {}
    with worktree(repo, base_sha) as wt, tempfile.TemporaryDirectory() as tmp:
        results = [
            _apply_one(wt, patch, Path(tmp), base_sha, mails.get(patch.index))
            for patch in revision.patches
        ]
        tip = wt.head.commit.hexsha
    ref = set_ref(repo, ref_name(revision), tip)
    return ApplyResult(revision.label, base_sha, source, ref, tip, results)


def _apply_one(
    wt: git.Repo, patch: Patch, tmp: Path, base: str, mail: bytes | None = None
) -> PatchApply:
    mbox = tmp / f"{patch.index:04d}.mbox"
    mbox.write_bytes(mail or patch_mail(patch))
    result = PatchApply(patch.index, patch.subject, FAILED)
    error = ""  # both attempts' reports: the 3-way one may lack the plain one's hunk lines
    for status, extra in ((APPLIED, ()), (THREE_WAY, ("--3way",))):
        try:
            wt.git.am("--quiet", *extra, str(mbox))
        except git.GitCommandError as exc:
            _abort(wt)
            error += f"{exc.stdout}\n{exc.stderr}\n"
            continue
        result.status = status
        result.commit = wt.head.commit.hexsha
        return result
    result.failures = explain_failure(wt, patch, error, base, tmp)
    if not result.failures:
        result.error = _first_error(error)
    return result


def _abort(wt: git.Repo) -> None:
    with contextlib.suppress(git.GitCommandError):
        wt.git.am("--abort")


def _first_error(text: str) -> str:
    for line in text.splitlines():
        line = line.strip().removeprefix("stderr: '").removeprefix("stdout: '")
        if line.startswith(("error:", "fatal:")):
            return line
    return "git am failed"


def explain_failure(
    wt: git.Repo, patch: Patch, error: str, base: str, tmp: Path
) -> list[HunkFailure]:
    """Name the hunks git could not place, using git apply's own check on the current tree."""
    diff = parse_diff(patch.diff)
    diff_file = tmp / f"{patch.index:04d}.diff"
    diff_file.write_text(patch.diff)
    try:
        wt.git.apply("--check", "--verbose", str(diff_file))
        return []
    except git.GitCommandError as exc:
        report = f"{exc.stdout}\n{exc.stderr}"
    out = []
    for path, line in _FAILED_AT.findall(report):
        fd = diff.file(path) or next((f for f in diff.files if f.old_path == path), None)
        hunk = _hunk_at(fd, int(line)) if fd else None
        if fd and hunk:
            out.append(_describe(wt, fd, hunk, base))
    for path in _MISSING.findall(report):
        out.append(
            HunkFailure(path, "", 0, "", _last_commit_of_file(wt, path, base), "file not in tree")
        )
    return out


def _hunk_at(fd: FileDiff, line: int) -> Hunk | None:
    for hunk in fd.hunks:
        if hunk.old_start == line or (hunk.old_len == 0 and hunk.old_start + 1 == line):
            return hunk
    return fd.hunks[0] if fd.hunks else None


def _describe(wt: git.Repo, fd: FileDiff, hunk: Hunk, base: str) -> HunkFailure:
    path = fd.old_path or fd.path
    tree_lines = blob_lines(wt, "HEAD", path)  # git objects: a link from mail is not followed
    start = _locate(tree_lines, hunk)
    actual = tree_lines[start : start + max(hunk.old_len, 1)]
    expected = hunk.preimage()
    shown = difflib.unified_diff(
        expected, actual, f"patch expects {path}", f"tree has {path}", lineterm="", n=1
    )
    shown = [_renumber(ln, hunk.old_start - 1, start) for ln in shown]
    end = min(start + max(hunk.old_len, 1), len(tree_lines))
    header = hunk.header + (f" {hunk.section}" if hunk.section else "")
    return HunkFailure(
        file=path,
        hunk=header,
        line=hunk.old_start,
        expected_vs_tree="\n".join(shown),
        last_commit=_last_commit(wt, path, start + 1, max(end, start + 1), base),
        reason="context does not match" if actual else "region beyond end of file",
    )


def _renumber(line: str, patch_offset: int, tree_offset: int) -> str:
    """difflib counts from the region's start; show file line numbers instead."""
    rng = hunk_range(line)
    if rng is None:
        return line
    return rng.renumbered(rng.old_start + patch_offset, rng.new_start + tree_offset)


def _locate(tree_lines: list[str], hunk: Hunk) -> int:
    """0-based line where the hunk's region most likely is: the best-matching window near
    the hunk's own line number (the tree may have moved the code)."""
    expected = hunk.preimage()
    size = max(len(expected), 1)
    stated = max(hunk.old_start - 1, 0)
    best, best_score = stated, -1.0
    for start in range(max(stated - 200, 0), min(stated + 200, len(tree_lines)) + 1):
        window = tree_lines[start : start + size]
        score = (
            sum(a == b for a, b in zip(expected, window, strict=False)) - abs(start - stated) / 1000
        )
        if score > best_score:
            best, best_score = start, score
    return best


def _last_commit(wt: git.Repo, path: str, first: int, last: int, base: str) -> str:
    """The newest commit (by committer time) that git blame gives for lines first..last."""
    try:
        porcelain = wt.git.blame("--porcelain", "-L", f"{first},{last}", base, "--", path)
    except git.GitCommandError:
        return ""
    newest, newest_time, subjects, times = "", -1, {}, {}
    current = None
    for line in porcelain.splitlines():
        head = line.split(" ")
        if len(head[0]) == 40 and len(head) >= 3 and all(c in "0123456789abcdef" for c in head[0]):
            current = head[0]
        elif line.startswith("committer-time ") and current:
            times[current] = int(line.split()[1])
        elif line.startswith("summary ") and current:
            subjects[current] = line[len("summary ") :]
    for sha, when in times.items():
        if when > newest_time:
            newest, newest_time = sha, when
    return f"{newest[:12]} {subjects.get(newest, '')}".strip() if newest else ""


def _last_commit_of_file(wt: git.Repo, path: str, base: str) -> str:
    try:
        return wt.git.log("-n1", "--format=%h %s", base, "--", path)
    except git.GitCommandError:
        return ""
