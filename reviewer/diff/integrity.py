"""Spot diffs that were cut short (truncated mbox, mangled mail) before anyone trusts them."""

from __future__ import annotations

import re

_HUNK = re.compile(r"^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@")


def truncation_problem(diff: str) -> str | None:
    """None when every hunk has the lines its header promises, else what is wrong."""
    lines = diff.splitlines()
    i = 0
    while i < len(lines):
        match = _HUNK.match(lines[i])
        if not match:
            i += 1
            continue
        old = int(match.group(1) or 1)
        new = int(match.group(2) or 1)
        header, i = lines[i], i + 1
        while (old > 0 or new > 0) and i < len(lines):
            line = lines[i]
            if line.startswith("\\"):
                i += 1
                continue
            tag = line[:1]
            if tag not in (" ", "-", "+", ""):
                break
            old -= tag in (" ", "-", "")
            new -= tag in (" ", "+", "")
            i += 1
        if old > 0 or new > 0:
            return f"hunk {header.split(' @@')[0]} @@ ends early (truncated?)"
    return None
