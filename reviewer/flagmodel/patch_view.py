"""One patch as the flag model reads it: its files with both sides parsed once (shared by the
engine in check.py, the checks in checks/ and the helper harness, so none imports another)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tree_sitter import Node

from reviewer.flagmodel.c_parse import parse
from reviewer.flagmodel.hunk_pairs import FileDiff, parse_diff
from reviewer.flagmodel.tree_state import names_by_row
from reviewer.models import Patch


@dataclass
class PatchView:
    """One patch's files with both sides parsed once."""

    index: int
    files: list[FileDiff]
    old_roots: dict[str, Node]
    new_roots: dict[str, Node]
    old_texts: dict[str, str]
    new_texts: dict[str, str]
    old_numbers: dict[str, list[int]]
    new_numbers: dict[str, list[int]]
    added_names: dict[str, frozenset[str]]  # identifiers on each file's added lines
    # what is computed from the view alone, once (patch_models: definitions shown whole, renames,
    # prototype projections); a view is never edited, so neither are these (read only)
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


def view_of(patch: Patch) -> PatchView:
    files = parse_diff(patch.diff)
    old_roots, new_roots, old_texts, new_texts, old_nums, new_nums = {}, {}, {}, {}, {}, {}
    added: dict[str, frozenset[str]] = {}
    for f in files:
        old_texts[f.path], old_nums[f.path] = f.side_text("old")
        new_texts[f.path], new_nums[f.path] = f.side_text("new")
        old_roots[f.path] = parse(old_texts[f.path])
        new_roots[f.path] = parse(new_texts[f.path])
        added[f.path] = _names_on_lines(f, new_roots[f.path], "new", "+")
    return PatchView(
        patch.index, files, old_roots, new_roots, old_texts, new_texts, old_nums, new_nums, added
    )


def _names_on_lines(f: FileDiff, root: Node, side: str, tags: str) -> frozenset[str]:
    """Identifiers on the lines with one of `tags`, read from the side's single parse."""
    return frozenset().union(*names_per_line(f, root, side, tags))


def names_per_line(f: FileDiff, root: Node, side: str, tags: str) -> list[frozenset[str]]:
    by_row = names_by_row(root)
    keep = " -" if side == "old" else " +"
    out: list[frozenset[str]] = []
    row = 0
    for hunk in f.hunks:
        for ln in hunk.lines:
            if ln.tag not in keep:
                continue
            if ln.tag in tags:
                out.append(by_row.get(row, frozenset()))
            row += 1
        row += 1  # the blank line side_text puts after each hunk
    return out
