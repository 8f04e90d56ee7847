"""Report sections for apply, compare and verify-applied: plain dicts plus text lines.

The review report (owned by reviewer.report.review) can add these as sections; each function
returns {"title", "data", "lines"} or None when there is nothing to say.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.compare.revisions import compare_revisions
from reviewer.models import Revision, Series
from reviewer.report.apply_compare_text import render_apply, render_comparison, render_verify

if TYPE_CHECKING:
    from reviewer.store.core import Store

# apply, verify and their stored results (GitPython under them) are imported by the sections
# that use a tree: a review without --repo never loads them


def compare_section(series: Series, revision: Revision, diffs: bool = False) -> dict | None:
    """How this revision differs from the one before it; None for the first revision."""
    before = series.previous(revision)
    if before is None:
        return None
    comparison = compare_revisions(before, revision)
    return {
        "title": "Compare",
        "data": comparison.to_json(),
        "lines": render_comparison(comparison, diffs=diffs),
    }


def apply_section(
    repo: str | Path, revision: Revision, base: str | None = None, store: Store | None = None
) -> dict:
    """With a store, a stored result for the same base and patches is reused (and saved)."""
    from reviewer.apply.am import apply_revision
    from reviewer.results.apply import applied_revision

    if store is None:
        result = apply_revision(repo, revision, base)
    else:
        result = applied_revision(store, revision, repo, base)
    return {"title": "Apply", "data": result.to_json(), "lines": render_apply(result)}


def verify_section(
    repo: str | Path, revision: Revision, branch: str, store: Store | None = None
) -> dict:
    """With a store, a stored result for the same branch tip and patches is reused (and saved)."""
    from reviewer.apply.verify import verify_applied
    from reviewer.results.apply import verified_revision

    if store is None:
        result = verify_applied(repo, revision, branch)
    else:
        result = verified_revision(store, revision, repo, branch)
    return {"title": "Applied", "data": result.to_json(), "lines": render_verify(result, False)}
