"""Where each line of a unified diff is: file, kind, old and new line numbers, hunk.

Review comments are anchored to diff lines with this, and found again in a later revision's diff
by content. Line ``i`` here is line ``i`` of ``diff.splitlines()``, as the TUI's diff model
numbers them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

_HUNK = re.compile(r"^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@")


class Kind(StrEnum):
    FILE = "file"  # diff --git
    META = "meta"  # index, ---/+++, mode lines, "\ No newline"
    HUNK = "hunk"  # @@ ... @@
    ADD = "add"
    DEL = "del"
    CTX = "ctx"


@dataclass(frozen=True)
class DiffPos:
    index: int  # line of diff.splitlines()
    file: str  # post-image path
    kind: Kind
    old: int  # pre-image line number (0 where none)
    new: int  # post-image line number (0 where none)
    text: str  # the raw line, prefix included
    hunk: int  # index of its hunk header (-1 outside hunks)


def positions(diff: str) -> list[DiffPos]:
    out: list[DiffPos] = []
    path, old, new, hunk, in_hunk = "", 0, 0, -1, False
    for index, raw in enumerate(diff.splitlines()):
        if raw.startswith("diff --git "):
            path, in_hunk, hunk = raw.split(" b/", 1)[-1], False, -1
            out.append(DiffPos(index, path, Kind.FILE, 0, 0, raw, -1))
            continue
        match = _HUNK.match(raw)
        if match is not None:
            old, new, hunk, in_hunk = int(match.group(1)), int(match.group(2)), index, True
            out.append(DiffPos(index, path, Kind.HUNK, old, new, raw, hunk))
            continue
        if not in_hunk:
            if raw.startswith("+++ ") and raw[4:6] == "b/":
                path = raw[6:]
            out.append(DiffPos(index, path, Kind.META, 0, 0, raw, -1))
        elif raw.startswith("+"):
            out.append(DiffPos(index, path, Kind.ADD, 0, new, raw, hunk))
            new += 1
        elif raw.startswith("-"):
            out.append(DiffPos(index, path, Kind.DEL, old, 0, raw, hunk))
            old += 1
        elif raw.startswith("\\"):
            out.append(DiffPos(index, path, Kind.META, 0, 0, raw, hunk))
        else:  # context; mail may have stripped the space of blank context lines
            out.append(DiffPos(index, path, Kind.CTX, old, new, raw, hunk))
            old, new = old + 1, new + 1
    return out


def hunk_end(lines: list[DiffPos], hunk: int) -> int:
    """Index of the last line of the hunk whose header is at ``hunk``."""
    last = hunk
    for pos in lines[hunk + 1 :]:
        if pos.hunk != hunk:
            break
        last = pos.index
    return last


def is_code(pos: DiffPos) -> bool:
    return pos.kind in (Kind.ADD, Kind.DEL, Kind.CTX)
