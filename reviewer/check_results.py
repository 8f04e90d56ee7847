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
from reviewer.store import Store, now

if TYPE_CHECKING:
    from reviewer.flagmodel.findings import CheckReport


@cache
def _model_fingerprint() -> str:
    digest = hashlib.sha256()
    root = Path(__file__).parent / "flagmodel"
    # the engine's code and its data (the API snapshot, api_snapshot.h), subpackages included
    for source in sorted(p for pattern in ("*.py", "*.h") for p in root.rglob(pattern)):
        digest.update(source.read_bytes())
    return digest.hexdigest()


def _tree_head(repo: Path | None) -> str:
    if repo is None:
        return ""
    import git

    try:
        return git.Repo(repo).head.commit.hexsha
    except (git.exc.GitError, ValueError):
        return f"unreadable:{repo}"


def content_hash(revision: Revision, repo: Path | None) -> str:
    digest = hashlib.sha256(_model_fingerprint().encode())
    digest.update(_tree_head(repo).encode())
    for patch in revision.patches:
        digest.update(f"\0{patch.index}\0".encode() + patch.diff.encode())
    return digest.hexdigest()


def stored_report(store: Store, revision: Revision, key: str) -> CheckReport | None:
    from reviewer.flagmodel.findings import CheckReport

    row = store.conn.execute(
        "SELECT report FROM check_results WHERE revision_message_id = ? AND content_hash = ?",
        (revision.message_id, key),
    ).fetchone()
    return CheckReport.from_json(json.loads(row[0])) if row else None


KEEP = 5  # stored reports per revision; older ones (other diffs, trees or model code) go


def save_report(store: Store, revision: Revision, key: str, report: CheckReport) -> None:
    with store.transaction():
        store.conn.execute(
            "INSERT OR REPLACE INTO check_results VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                revision.message_id, key, json.dumps(report.to_json()), report.count("error"),
                report.count("warning"), report.count("info"), now(),
            ),
        )  # fmt: skip
        store.conn.execute(
            "DELETE FROM check_results WHERE revision_message_id = ?1 AND rowid NOT IN"
            " (SELECT rowid FROM check_results WHERE revision_message_id = ?1"
            "  ORDER BY created DESC, rowid DESC LIMIT ?2)",
            (revision.message_id, KEEP),
        )


def checked_revision(store: Store, revision: Revision, repo: Path | None = None) -> CheckReport:
    """The CheckReport of a revision: from the database when unchanged, else run and saved."""
    from reviewer.flagmodel.check import check_revision

    key = content_hash(revision, repo)
    report = stored_report(store, revision, key)
    if report is None:
        report = check_revision(revision.patches, repo)
        save_report(store, revision, key, report)
    return report


def latest_report(store: Store, revision_message_id: str) -> CheckReport | None:
    from reviewer.flagmodel.findings import CheckReport

    row = store.conn.execute(
        "SELECT report FROM check_results WHERE revision_message_id = ?"
        " ORDER BY created DESC, rowid DESC LIMIT 1",
        (revision_message_id,),
    ).fetchone()
    return CheckReport.from_json(json.loads(row[0])) if row else None


def latest_counts(store: Store) -> dict[str, tuple[int, int, int]]:
    """{revision message-id: (errors, warnings, infos)} of each revision's newest report."""
    rows = store.conn.execute(
        "SELECT revision_message_id, errors, warnings, infos FROM check_results c"
        " WHERE rowid = (SELECT rowid FROM check_results WHERE revision_message_id ="
        " c.revision_message_id ORDER BY created DESC, rowid DESC LIMIT 1)"
    )
    return {mid: (e, w, i) for mid, e, w, i in rows}
