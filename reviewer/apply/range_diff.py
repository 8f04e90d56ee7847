"""git range-diff of two revisions, each applied in a throwaway worktree first."""

from __future__ import annotations

from pathlib import Path

from reviewer.apply.am import apply_revision
from reviewer.apply.worktree import open_repo
from reviewer.models import Revision


def range_diff_text(repo_path: str | Path, old: Revision, new: Revision) -> str:
    a = apply_revision(repo_path, old)
    b = apply_revision(repo_path, new)
    notes = [
        f"note: {r.revision}: {sum(p.status == 'failed' for p in r.patches)} patches did not apply"
        for r in (a, b)
        if not r.ok
    ]
    repo = open_repo(repo_path)
    text = repo.git.range_diff("--no-color", f"{a.base}..{a.tip}", f"{b.base}..{b.tip}")
    return "\n".join([*notes, text])
