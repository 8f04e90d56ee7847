"""Show how two versions of a patch differ, from the patch text alone.

Without the tree the result code cannot be rebuilt, so this is a diff of the diffs, file by file,
restricted to the hunks whose changes differ (the way ``git range-diff`` shows a pair): hunks that
only moved or gained other context are left out.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from reviewer.diff.patch import FileDiff, PatchDiff, hunk_range


@dataclass
class FileChange:
    path: str
    kind: str  # "changed" | "only-in-old" | "only-in-new"
    diff: str  # diff of the hunk texts ("" when the whole file is only on one side)


def file_changes(old: PatchDiff, new: PatchDiff) -> list[FileChange]:
    """Files whose changes differ between two patches, with a diff of their differing hunks."""
    out = []
    old_by_path = {f.path: f for f in old.files}
    new_by_path = {f.path: f for f in new.files}
    for path in _ordered_paths(old, new):
        a, b = old_by_path.get(path), new_by_path.get(path)
        if a is None:
            out.append(FileChange(path, "only-in-new", _one_side(b, "+", "new")))
        elif b is None:
            out.append(FileChange(path, "only-in-old", _one_side(a, "-", "old")))
        elif a.change_key() != b.change_key():
            out.append(FileChange(path, "changed", hunk_diff(a, b)))
    return out


def _ordered_paths(old: PatchDiff, new: PatchDiff) -> list[str]:
    paths = [f.path for f in new.files]
    return paths + [f.path for f in old.files if f.path not in paths]


def _one_side(fd: FileDiff, sign: str, side: str) -> str:
    """A file only one version changes, headed like the other interdiffs so it is named."""
    absent = "(not changed by the new version)" if side == "old" else "(not changed by the old one)"
    old_note, new_note = ("", f" {absent}") if side == "old" else (f" {absent}", "")
    head = [f"--- old/{fd.path}{old_note}", f"+++ new/{fd.path}{new_note}"]
    body = [sign + line for h in fd.hunks for line in h.text().splitlines()]
    return "\n".join(head + body[:400])


def hunk_diff(a: FileDiff, b: FileDiff, label_a: str = "old", label_b: str = "new") -> str:
    """Diff of the hunks that differ in their changes; identical-change hunks are dropped."""
    a_blocks = [tuple(h.blocks()) for h in a.hunks]
    b_blocks = [tuple(h.blocks()) for h in b.hunks]
    a_text = _hunk_lines([h for h, k in zip(a.hunks, a_blocks, strict=True) if k not in b_blocks])
    b_text = _hunk_lines([h for h, k in zip(b.hunks, b_blocks, strict=True) if k not in a_blocks])
    if not a_text and not b_text:
        # The same blocks regrouped into other hunks: compare the whole files' hunks.
        a_text, b_text = _hunk_lines(a.hunks), _hunk_lines(b.hunks)
    lines = difflib.unified_diff(
        a_text, b_text, f"{label_a}/{a.path}", f"{label_b}/{b.path}", n=3, lineterm=""
    )
    # Ranges into the concatenated hunk text mean nothing to a reader; keep a bare separator.
    return "\n".join("@@@" if hunk_range(ln) else ln for ln in lines)


def _hunk_lines(hunks: list) -> list[str]:
    out = []
    for h in hunks:
        # Line numbers are noise here: show the section, not the @@ ranges.
        out.append("@@" + (f" {h.section}" if h.section else ""))
        out += h.lines
    return out
