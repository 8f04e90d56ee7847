"""Flag-model check reports kept in the database, keyed by a content hash of what was checked.

The hash covers the revision's diffs, the tree the check looked at (its HEAD commit) and the
flag model's own source, so a report is reused only while none of them changed. The newest
report of each revision is also what the series list and series screen show.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.models import Revision
from reviewer.results.fingerprint import source_fingerprint
from reviewer.store.core import Store

if TYPE_CHECKING:
    from reviewer.flagmodel.findings import CheckReport


@cache
def _model_fingerprint() -> str:
    # the engine's code and its data (the API snapshot, api_snapshot.h), subpackages included
    return source_fingerprint("reviewer.flagmodel")


def _tree_head(repo: Path | None) -> str:
    if repo is None:
        return ""
    import git

    try:
        return git.Repo(repo).head.commit.hexsha
    except (git.exc.GitError, ValueError):
        return f"unreadable:{repo}"


def content_hash(revision: Revision, repo: Path | None, fixups: str = "compare") -> str:
    from reviewer.flagmodel import harness_setting

    digest = hashlib.sha256(_model_fingerprint().encode())
    digest.update(harness_setting.fingerprint().encode())
    digest.update(_tree_head(repo).encode())
    digest.update(f"\0fixups={fixups}\0".encode())
    for patch in revision.patches:
        digest.update(f"\0{patch.index}\0".encode() + patch.diff.encode())
        if fixups != "posted":
            for fixup in patch.fixups:  # checked with the patch they fix
                digest.update(f"\0fixup\0{fixup.message_id}\0".encode() + fixup.diff.encode())
    return digest.hexdigest()


def stored_report(store: Store, revision: Revision, key: str) -> CheckReport | None:
    from reviewer.flagmodel.findings import CheckReport

    text = store.check_report(revision.message_id, key)
    return CheckReport.from_json(json.loads(text)) if text else None


KEEP = 5  # stored reports per revision; older ones (other diffs, trees or model code) go


def save_report(store: Store, revision: Revision, key: str, report: CheckReport) -> None:
    from reviewer.flagmodel.report_text import shown_counts

    counts = shown_counts(report)  # what every surface shows: unverified blocks not in I
    with store.transaction():
        store.save_check_report(
            revision.message_id,
            key,
            json.dumps(report.to_json()),
            (counts.error, counts.warning, counts.info),
            KEEP,
        )


def checked_revision(
    store: Store, revision: Revision, repo: Path | None = None, fixups: str = "compare"
) -> CheckReport:
    """The CheckReport of a revision: from the database when unchanged, else run and saved.
    ``fixups``: a ``FixupMode`` value (fix-ups posted in reply checked with their patches)."""
    from reviewer.flagmodel.fixup_check import FixupMode, check_with_fixups

    key = content_hash(revision, repo, fixups)
    report = stored_report(store, revision, key)
    if report is None:
        report = check_with_fixups(revision.patches, repo, FixupMode.parse(fixups))
        save_report(store, revision, key, report)
    return report


def latest_report(store: Store, revision_message_id: str) -> CheckReport | None:
    from reviewer.flagmodel.findings import CheckReport

    text = store.latest_check_report(revision_message_id)
    return CheckReport.from_json(json.loads(text)) if text else None


def latest_not_run(store: Store) -> dict[str, list[str]]:
    """{revision message-id: notes of its newest report saying a part did not run}."""
    from reviewer.flagmodel.findings import CheckReport
    from reviewer.flagmodel.report_text import not_run

    out = {}
    for mid, text in store.latest_check_reports().items():
        notes = json.loads(text).get("notes") or []
        skipped = not_run(CheckReport(notes=[str(n) for n in notes]))
        if skipped:
            out[mid] = skipped
    return out


def latest_counts(store: Store) -> dict[str, tuple[int, int, int]]:
    """{revision message-id: (errors, warnings, infos)} of each revision's newest report."""
    return store.latest_check_counts()
