"""``reviewer check --b4-check``: the flag model as a ``b4 review`` per-patch check command.

b4 (b4.review.checks._run_external_cmd) pipes one patch at a time, as the original headers
followed by the body it already decoded (base64, quoted-printable and multipart undone; the
Content-Transfer-Encoding header is left as it was), runs us in the repository's top directory
with its review branch checked out (the series already applied), and may set B4_TRACKING_FILE to
a JSON dump of the series it tracks (base-commit, change-id, the patches' message-ids).

So, for one patch mail:
  1. the cover letter (counter 0) returns [] (nothing to check);
  2. the series it belongs to is found: tracked in the database by message-id, else (with
     B4_TRACKING_FILE) by any message-id of the tracked series, else rebuilt from b4's review
     branch b4/review/<change-id> (the commits after base-commit); only when none of that
     exists is the patch checked alone;
  3. the whole series is checked (so helpers defined in an earlier patch are known), against the
     base commit's tree read through git objects (``git archive`` into a cache directory keyed by
     the commit), never the working tree (which holds the series' post-image);
  4. that patch's findings are returned in b4's JSON result format.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import tarfile
from dataclasses import dataclass
from pathlib import Path

import b4
import git

from reviewer.errors import ReviewerError
from reviewer.models import Patch
from reviewer.sources.mail import parse_bytes
from reviewer.store.core import Store

TOOL = "reviewer-flagmodel"
_DIFF = re.compile(r"^diff --git ", re.M)
_SEPARATOR = re.compile(rb"\r?\n\r?\n")


@dataclass
class Context:
    patches: list[Patch]  # the series, in order
    index: int  # 1-based index of the patch b4 asked about
    base: str | None  # base commit sha
    where: str  # how the series was found, for the summary


def read_message(data: bytes) -> tuple[str, str, str]:
    """(message-id, subject, body text) of a mail as b4 hands it over: headers as sent, body
    already decoded. A mail straight from an archive (body still encoded) works too."""
    msg = parse_bytes(data)
    msgid = str(msg.get("Message-ID", "") or "").strip().strip("<>").strip()
    subject = " ".join(str(msg.get("Subject", "") or "").split())
    split = _SEPARATOR.search(data)
    raw_body = data[split.end() :] if split else b""
    charset = msg.get_content_charset() or "utf-8"
    try:
        body = raw_body.decode(charset, "replace")
    except LookupError:
        body = raw_body.decode("utf-8", "replace")
    if not _DIFF.search(body):  # not decoded yet: let the email package undo the encoding
        part = msg.get_body(preferencelist=("plain",))
        if part is not None:
            with contextlib.suppress(LookupError, ValueError, AttributeError):
                body = part.get_content()
    return msgid, subject, body.replace("\r\n", "\n")


def single_patch(msgid: str, subject: str, body: str) -> Patch | None:
    found = _DIFF.search(body)
    if found is None:
        return None
    message, diff = body[: found.start()], body[found.start() :]
    message = message.rsplit("\n---\n", 1)[0] if "\n---\n" in message else message
    return Patch(1, subject, msgid, "", "", message, diff, None)


def find_context(
    store: Store | None, msgid: str, tracking: dict | None, repo: git.Repo | None
) -> Context | None:
    """The series the patch ``msgid`` belongs to (see module docstring), or None."""
    if store is not None and msgid:
        found = _tracked(store, [msgid], msgid)
        if found is not None:
            return found
    if tracking:
        ids = [
            str(p.get("header-info", {}).get("msgid", "")).strip("<>")
            for p in tracking.get("patches", [])
        ]
        series = tracking.get("series", {})
        base = series.get("base-commit") or None
        if store is not None:
            found = _tracked(store, [i for i in ids if i], msgid)
            if found is not None:
                found.base = found.base or base
                return found
        if repo is not None and msgid in ids:
            patches = _review_branch_patches(repo, series.get("change-id"), base)
            if patches and len(patches) >= ids.index(msgid) + 1:
                return Context(patches, ids.index(msgid) + 1, base, "b4 review branch")
    return None


def _tracked(store: Store, ids: list[str], msgid: str) -> Context | None:
    series_id = store.series_for_messages(ids)
    if series_id is None:
        return None
    series = store.load_series(series_id)
    for revision in reversed(series.revisions):
        for patch in revision.patches:
            if patch.message_id == msgid:
                where = f"tracked series {series.id} {revision.label}"
                return Context(revision.patches, patch.index, revision.base_commit, where)
    return None


def _review_branch_patches(repo: git.Repo, change_id: str | None, base: str | None):
    """The series as b4 review applied it: the commits of b4/review/<change-id> after base."""
    if not change_id or not base:
        return None
    try:
        shas = repo.git.rev_list("--reverse", f"{base}..refs/heads/b4/review/{change_id}")
    except git.GitCommandError:
        return None
    patches = []
    for sha in shas.split():
        commit = repo.commit(sha)
        if len(commit.parents) != 1:
            continue
        diff = repo.git.diff(commit.parents[0].hexsha, sha, "--no-color", "--no-ext-diff")
        if not diff.strip():
            continue  # b4's tracking commit at the tip carries no change
        patches.append(Patch(len(patches) + 1, commit.summary, "", str(commit.author), "",
                             commit.message, diff + "\n", None))  # fmt: skip
    return patches


def base_tree(repo: git.Repo, sha: str) -> Path:
    """The tree of commit ``sha`` as files, read from git objects (``git archive``) into a
    cache directory keyed by the commit; made once, then reused."""
    root = Path(os.environ.get("REVIEWER_CACHE") or _cache_dir()) / "base-trees"
    try:
        full = repo.git.rev_parse("--verify", "--quiet", f"{sha}^{{commit}}")
    except git.GitCommandError as exc:
        raise ReviewerError(f"base commit {sha} is not in {repo.working_dir}") from exc
    dest = root / full
    if dest.is_dir():
        return dest
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".{full}.{os.getpid()}"
    data = repo.git.archive("--format=tar", full, stdout_as_string=False)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(tmp, filter="data")
    try:
        tmp.rename(dest)
    except OSError:  # made by another run meanwhile
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    return dest


def _cache_dir() -> str:
    from platformdirs import user_cache_dir

    return user_cache_dir("reviewer")


def load_tracking(path: str | None) -> dict | None:
    if not path:
        return None
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def check_message(data: bytes, store: Store | None, repo_path: Path | None) -> list[dict]:
    """b4's result list for one patch mail (see module docstring)."""
    from reviewer.flagmodel.check import check_revision
    from reviewer.flagmodel.report_text import b4_results

    msgid, subject, body = read_message(data)
    lsubject = b4.LoreSubject(subject)
    if lsubject.counter == 0 and lsubject.expected > 0:
        return []  # the cover letter
    patch = single_patch(msgid, subject, body)
    if patch is None:
        return []  # nothing to check
    repo = _open(repo_path)
    tracking = load_tracking(os.environ.get("B4_TRACKING_FILE"))
    context = find_context(store, msgid, tracking, repo)
    if context is None:
        base = (tracking or {}).get("series", {}).get("base-commit") or None
        context = Context([patch], 1, base, "this patch alone")
    tree = None
    if repo is not None and context.base:
        try:
            tree = base_tree(repo, context.base)
        except ReviewerError:
            tree = None
    report = check_revision(context.patches, tree)
    report.findings = [f for f in report.findings if f.patch == context.index]
    results = b4_results(report)
    base = f"base {context.base[:12]}" if tree is not None else "no base tree"
    results[0]["summary"] += (
        f" (patch {context.index}/{len(context.patches)}, {context.where}, {base})"
    )
    return results


def _open(path: Path | None) -> git.Repo | None:
    try:
        return git.Repo(path or Path.cwd(), search_parent_directories=path is None)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return None
