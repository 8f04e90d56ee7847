"""Where each line of a unified diff is: file, kind, old and new line numbers, hunk.

Review comments are anchored to diff lines with this, and found again in a later revision's diff
by content. Line ``i`` here is line ``i`` of ``diff.splitlines()``, as the TUI's diff model
numbers them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from reviewer.diff.patch import Hunk, parse_diff


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
    """One DiffPos per line of ``diff.splitlines()``, read from the one repaired parse
    (reviewer.diff.patch): hunks end where their header's counts say, a blank context line that
    lost its space is context, what follows the last hunk (the signature) is meta."""
    raw = diff.splitlines()
    out = [DiffPos(index, "", Kind.META, 0, 0, text, -1) for index, text in enumerate(raw)]
    files = parse_diff(diff).files
    for number, fd in enumerate(files):
        end = files[number + 1].at if number + 1 < len(files) else len(raw)
        path = fd.path
        for index in range(fd.at + 1, end):
            out[index] = DiffPos(index, path, Kind.META, 0, 0, raw[index], -1)
        out[fd.at] = DiffPos(fd.at, path, Kind.FILE, 0, 0, raw[fd.at], -1)
        for hunk in fd.hunks:
            _hunk_positions(out, raw, path, hunk)
    return out


_KIND = {" ": Kind.CTX, "-": Kind.DEL, "+": Kind.ADD, "\\": Kind.META}


def _hunk_positions(out: list[DiffPos], raw: list[str], path: str, hunk: Hunk) -> None:
    old, new, at = hunk.old_start, hunk.new_start, hunk.at
    out[at] = DiffPos(at, path, Kind.HUNK, old, new, raw[at], at)
    for offset, line in enumerate(hunk.lines, at + 1):
        kind = _KIND[line[:1]]
        pos_old = old if kind in (Kind.CTX, Kind.DEL) else 0
        pos_new = new if kind in (Kind.CTX, Kind.ADD) else 0
        out[offset] = DiffPos(offset, path, kind, pos_old, pos_new, raw[offset], at)
        old += kind in (Kind.CTX, Kind.DEL)
        new += kind in (Kind.CTX, Kind.ADD)


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
