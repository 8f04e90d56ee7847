"""Apply and posted-vs-applied results kept in the database, by content hash of what was done.

The hash covers the revision's patches (subject, author, message and diff), the commit the work
started from (the base applied on; for posted-vs-applied the branch tip) and the source of the
code doing it, so a result is reused only while none of them changed. The repository path is not
part of the key: a stored apply is reused only when its tip commit exists in the repository at
hand (its refs/reviewer/apply/... ref is then pointed at that tip again, as a fresh run would).
The newest result of each revision is what the TUI shows, across sessions.

Database access stays with the thread that owns the store: ``apply_outcome``/``verify_outcome``
take a lookup function and never write, ``save_outcome`` writes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reviewer.apply.am import (
    ApplyResult,
    Mails,
    apply_on,
    check_paths,
    choose_base,
    ref_name,
)
from reviewer.apply.verify import IDENTICAL, VerifyResult, verify_at
from reviewer.apply.worktree import has_commit, open_repo, resolve_commit, set_ref
from reviewer.models import Revision
from reviewer.results.fingerprint import source_fingerprint
from reviewer.store.core import Store

APPLY, VERIFY = "apply", "verify"
# the modules whose code decides each result, by import path (reviewer.results.fingerprint)
_SOURCES = {
    APPLY: ("reviewer.apply.am", "reviewer.apply.worktree", "reviewer.diff.patch"),
    VERIFY: (
        "reviewer.apply.verify", "reviewer.compare.revisions", "reviewer.compare.interdiff",
        "reviewer.diff.patch", "reviewer.compare.pairing", "reviewer.apply.worktree",
    ),
}  # fmt: skip

Lookup = Callable[[str, str], dict | None]  # (kind, content hash) -> stored result JSON


@dataclass
class Outcome:
    kind: str  # APPLY | VERIFY
    key: str
    commit: str  # the base applied on, or the branch tip verified
    repo: str
    result: ApplyResult | VerifyResult
    reused: bool

    @property
    def ok(self) -> bool:
        if isinstance(self.result, ApplyResult):
            return self.result.ok
        return all(p.status == IDENTICAL for p in self.result.patches)


@cache
def _tool_fingerprint(kind: str) -> str:
    return source_fingerprint(*_SOURCES[kind])


def content_hash(kind: str, revision: Revision, commit: str, mails: Mails | None = None) -> str:
    digest = hashlib.sha256(_tool_fingerprint(kind).encode())
    digest.update(f"{kind}\0{commit}\0{revision.label}\0{revision.base_commit or ''}".encode())
    for p in revision.patches:
        for part in (str(p.index), p.message_id, p.subject, p.author, p.commit_message, p.diff):
            digest.update(b"\0" + part.encode())
    for index, mail in sorted((mails or {}).items()):  # what was applied: b4's am-ready mails
        digest.update(f"\0mail {index}\0".encode() + hashlib.sha256(mail).digest())
    return digest.hexdigest()


def no_lookup(kind: str, key: str) -> dict | None:
    return None


def apply_outcome(
    revision: Revision, repo_path: str | Path, base: str | None = None, lookup: Lookup = no_lookup,
    mails: Mails | None = None,
) -> Outcome:  # fmt: skip
    """Apply (see reviewer.apply.am) ``mails`` (b4's am-ready mails: ``am_mails``), or take the
    stored result for the same base, patches and mails."""
    repo = open_repo(repo_path)
    check_paths(revision)
    base_sha, source = choose_base(repo, revision, base)
    key = content_hash(APPLY, revision, base_sha, mails)
    where = str(Path(repo.working_dir).resolve())
    stored = lookup(APPLY, key)
    if stored is not None:
        result = ApplyResult.from_json(stored)
        if has_commit(repo, result.tip):
            result.ref = set_ref(repo, ref_name(revision), result.tip)
            result.base_source = source
            return Outcome(APPLY, key, base_sha, where, result, reused=True)
    result = apply_on(repo, revision, base_sha, source, mails)
    return Outcome(APPLY, key, base_sha, where, result, reused=False)


def verify_outcome(
    revision: Revision, repo_path: str | Path, branch: str, lookup: Lookup = no_lookup
) -> Outcome:
    """Posted vs applied (see reviewer.apply.verify), or the stored result for the same tip."""
    repo = open_repo(repo_path)
    tip = resolve_commit(repo, branch)
    key = content_hash(VERIFY, revision, tip)
    where = str(Path(repo.working_dir).resolve())
    stored = lookup(VERIFY, key)
    if stored is not None:
        result = VerifyResult.from_json(stored)
        result.branch = branch  # the same tip may be named differently this time
        return Outcome(VERIFY, key, tip, where, result, reused=True)
    return Outcome(VERIFY, key, tip, where, verify_at(repo, revision, branch, tip), reused=False)


def am_mails_of(store: Store, revision: Revision) -> Mails:
    """b4's am-ready mail of each patch of a tracked revision
    (reviewer.trailers.export.am_mails)."""
    from reviewer.trailers.export import am_mails

    series_id = store.series_for_messages([revision.message_id])
    if series_id is None:
        return {}
    return am_mails(store, store.load_series(series_id), revision)


def stored_result(store: Store, revision_message_id: str, kind: str, key: str) -> dict | None:
    text = store.repo_result(revision_message_id, kind, key)
    return json.loads(text) if text else None


def store_lookup(store: Store, revision: Revision) -> Lookup:
    return lambda kind, key: stored_result(store, revision.message_id, kind, key)


KEEP = 5  # stored results per revision and kind; older ones go


def save_outcome(store: Store, revision: Revision, outcome: Outcome) -> None:
    """Store the result (a reused one too: it becomes the newest of its revision)."""
    with store.transaction():
        store.save_repo_result(
            revision.message_id, outcome.kind, outcome.key, outcome.commit, outcome.repo,
            json.dumps(outcome.result.to_json()), outcome.ok, KEEP,
        )  # fmt: skip


def applied_revision(
    store: Store, revision: Revision, repo: str | Path, base: str | None = None
) -> ApplyResult:
    """The ApplyResult of a revision: from the database when unchanged, else applied (the mails
    b4's am-ready path makes, as ``export`` writes them) and saved."""
    outcome = apply_outcome(
        revision, repo, base, store_lookup(store, revision), am_mails_of(store, revision)
    )
    save_outcome(store, revision, outcome)
    return outcome.result


def verified_revision(
    store: Store, revision: Revision, repo: str | Path, branch: str
) -> VerifyResult:
    """The VerifyResult of a revision: from the database when unchanged, else run and saved."""
    outcome = verify_outcome(revision, repo, branch, store_lookup(store, revision))
    save_outcome(store, revision, outcome)
    return outcome.result


def _latest(store: Store, revision_message_id: str, kind: str) -> dict | None:
    text = store.latest_repo_result(revision_message_id, kind)
    return json.loads(text) if text else None


def latest_apply(store: Store, revision_message_id: str) -> ApplyResult | None:
    data = _latest(store, revision_message_id, APPLY)
    return ApplyResult.from_json(data) if data else None


def latest_verify(store: Store, revision_message_id: str) -> VerifyResult | None:
    data = _latest(store, revision_message_id, VERIFY)
    return VerifyResult.from_json(data) if data else None
