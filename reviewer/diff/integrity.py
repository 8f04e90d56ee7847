"""Spot diffs that were cut short (truncated mbox, mangled mail) before anyone trusts them."""

from __future__ import annotations

from reviewer.diff.patch import parse_diff


def truncation_problem(diff: str) -> str | None:
    """None when every hunk has the lines its header promises, else what is wrong. Reads the
    one repaired parse: a blank context line that lost its space in the mail still counts."""
    for fd in parse_diff(diff).files:
        for hunk in fd.hunks:
            old, new = hunk.missing()
            if old > 0 or new > 0:
                return f"hunk {hunk.head} ends early (truncated?)"
    return None
