"""``reviewer check --b4-agent``: the flag model as a ``b4 review`` agent (``a`` in b4 review).

b4 runs ``b4.review-agent-command`` in the repository's top directory with its review branch
``b4/review/<change-id>`` checked out (the prompt argument it appends is ignored here), then
reads the agent's files from ``.git/b4-review/<HEAD sha>/`` (b4.review._integrate_agent_reviews):
``identity.txt`` ("Name <email>") and ``NNNN.txt`` per patch, a note followed by the patch quoted
as a mail reply with comments under the quoted lines. b4 places those comments on the diff lines
of its review, where the reviewer can adopt them into the reply.

The series comes from b4's tracking data on the branch (reviewer.report.b4_check.find_context: the
tracking database, else the review branch's commits) and is checked as a whole on its base
commit's tree read from git objects, as for --b4-check.
"""

from __future__ import annotations

from pathlib import Path

import b4
import b4.review
import git

from reviewer.errors import ReviewerError
from reviewer.flagmodel.findings import Severity
from reviewer.models import Patch
from reviewer.report.b4_check import base_tree, find_context
from reviewer.review.comments import Placed, Side, find_line
from reviewer.review.reply import quoted_body
from reviewer.store import review as rs
from reviewer.store.core import Store

IDENTITY = "Flag Model (reviewer) <flag-model@reviewer.invalid>"


def run_agent(store: Store | None, repo_path: Path | None = None) -> list[Path]:
    """Check the series on the checked-out b4 review branch; write b4's agent files."""
    from reviewer.flagmodel.check import check_revision

    try:
        repo = git.Repo(repo_path or Path.cwd(), search_parent_directories=repo_path is None)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise ReviewerError("not in a git repository (b4 review runs the agent in one)") from exc
    topdir = str(repo.working_tree_dir)
    branch = b4.git_get_current_branch(topdir) or ""
    if not branch.startswith("b4/review/"):
        raise ReviewerError(f"not on a b4 review branch (HEAD: {branch or 'detached'})")
    try:
        _cover, tracking = b4.review.load_tracking(topdir, branch)
    except SystemExit as exc:
        raise ReviewerError(f"{branch}: no b4 review tracking commit at its tip") from exc
    ids = [
        str(p.get("header-info", {}).get("msgid", "")).strip("<>")
        for p in tracking.get("patches", [])
    ]
    context = find_context(store, ids[0] if ids else "", tracking, repo)
    if context is None:
        raise ReviewerError(f"{branch}: cannot find the series' patches")
    tree = base_tree(repo, context.base) if context.base else None
    report = check_revision(context.patches, tree)
    out = Path(topdir) / ".git" / "b4-review" / repo.head.commit.hexsha
    out.mkdir(parents=True, exist_ok=True)
    (out / "identity.txt").write_text(IDENTITY + "\n", encoding="utf-8")
    written = []
    for patch in context.patches:
        # what a reviewer could adopt into a reply: errors and warnings, not "unverified" info
        findings = [
            f
            for f in report.sorted_findings()
            if f.patch == patch.index and f.severity in (Severity.ERROR, Severity.WARNING)
        ]
        if findings:
            path = out / f"{patch.index:04d}.txt"
            path.write_text(agent_text(patch, findings), encoding="utf-8")
            written.append(path)
    return written


def agent_text(patch: Patch, findings: list) -> str:
    """A note (findings not on a diff line), then the patch quoted with each finding under its
    line, as b4 reads agent files."""
    placed, notes = [], []
    for number, finding in enumerate(findings, 1):
        text = f"[flag model] {finding.severity.upper()} [{finding.check}] {finding.message}"
        if finding.counterexample:
            text += f"\n{finding.counterexample}"
        try:
            row = find_line(patch.diff, finding.file, finding.line)
        except ReviewerError:
            where = f"{finding.file}:{finding.line}: " if finding.file else ""
            notes.append(where + text)
            continue
        comment = rs.CommentRow(number, 0, patch.message_id, finding.file, Side.NEW, finding.line,
                                "", "", text, finding.id, "", "")  # fmt: skip
        placed.append(Placed(comment, row, "", True))
    parts = ["\n\n".join(notes)] if notes else []
    if placed:
        parts.append(quoted_body(patch, placed))
    return "\n\n".join(parts).rstrip("\n") + "\n"
