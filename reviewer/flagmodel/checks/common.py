"""What the per-bug-class checks share: line bookkeeping over a patch view and the identifiers on
added lines (macro bodies included). The preprocessor helpers (`preproc.py`) and the definition
helpers (`defs.py`) are re-exported here so a check imports one module."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from tree_sitter import Node

from reviewer.flagmodel.c_parse import nodes_of, parse, text_of
from reviewer.flagmodel.checks.defs import (  # noqa: F401 - re-exported for the checks
    Context,
    _call_of,
    atomic_allowed_bits,
    bit_of,
    build_context,
    expr_bits,
    gated_flags,
    macro_body_identifiers,
    macro_body_uses,
    mask_bits,
    runtime_facts,
)
from reviewer.flagmodel.checks.preproc import (  # noqa: F401 - re-exported for the checks
    DECLARE_MACROS,
    PREPROC_BRANCHES,
    branch_condition,
    branches,
    config_facts,
    declares,
    disjuncts,
    exclusive,
    exclusive_rows,
    guard_implies_any,
    guards,
    implied,
    row_branches,
)
from reviewer.flagmodel.tree_state import names_in

if TYPE_CHECKING:
    from reviewer.flagmodel.hunk_pairs import FileDiff
    from reviewer.flagmodel.patch_view import PatchView


def added_lines(f: FileDiff) -> set[int]:
    return {ln.new_no for h in f.hunks for ln in h.lines if ln.tag == "+" and ln.new_no}


def removed_text(f: FileDiff) -> str:
    return "\n".join(ln.text for h in f.hunks for ln in h.lines if ln.tag == "-")


def line_at(view: PatchView, path: str, row: int) -> int:
    nums = view.new_numbers[path]
    return nums[row] if 0 <= row < len(nums) else 0


def contiguous(view: PatchView, path: str, first_row: int, last_row: int) -> bool:
    """The new-side rows first..last are consecutive real lines (no hunk gap between them)."""
    nums = view.new_numbers[path][first_row : last_row + 1]
    return bool(nums) and all(b == a + 1 for a, b in zip(nums, nums[1:], strict=False))


def c_files(view: PatchView) -> Iterator[FileDiff]:
    for f in view.files:
        if f.new_path != "/dev/null" and f.path.endswith((".c", ".h")):
            yield f


@dataclass(frozen=True)
class Use:
    name: str
    line: int  # post-image line
    anchor: Node  # the identifier itself, or the #define holding it
    macro: str = ""  # name of the #define whose body holds it ("" in code)
    call: str = ""  # innermost call the identifier is an argument of (code only)


_PER_FILE: dict[tuple[str, int], tuple[object, object]] = {}


def _per_file(kind: str, f: FileDiff, build):
    """One value per FileDiff object (the checks of one run share blocks and uses)."""
    hit = _PER_FILE.get((kind, id(f)))
    if hit is not None and hit[0] is f:
        return hit[1]
    if len(_PER_FILE) > 4096:
        _PER_FILE.clear()
    value = build()
    _PER_FILE[(kind, id(f))] = (f, value)
    return value


def blocks(f: FileDiff):
    """hunk_pairs.change_blocks(f), computed once per file diff."""
    from reviewer.flagmodel.hunk_pairs import change_blocks

    return _per_file("blocks", f, lambda: change_blocks(f))


def added_uses(view: PatchView, f: FileDiff) -> list[Use]:
    return _per_file("uses", f, lambda: _added_uses(view, f))


def _added_uses(view: PatchView, f: FileDiff) -> list[Use]:
    """Every identifier on an added line of `f`'s new side, with the identifiers of macro
    bodies (tree-sitter keeps a #define body as one token) read from the body's own parse."""
    added = added_lines(f)
    return _uses(view, f, lambda line: line in added)


def context_uses(view: PatchView, f: FileDiff) -> list[Use]:
    """The same on the unchanged (context) lines of `f`'s new side: what the tree already does
    around the change."""
    added = added_lines(f)
    return _per_file("context-uses", f, lambda: _uses(view, f, lambda ln: ln and ln not in added))


def _uses(view: PatchView, f: FileDiff, keep) -> list[Use]:
    root = view.new_roots[f.path]
    out: list[Use] = []
    for node in nodes_of(root, "identifier"):
        line = line_at(view, f.path, node.start_point[0])
        if keep(line):
            out.append(Use(text_of(node), line, node, "", _call_of(node)))
    for node in nodes_of(root, "preproc_def", "preproc_function_def"):
        value = node.child_by_field_name("value")
        name = node.child_by_field_name("name")
        if value is None or name is None:
            continue
        body = text_of(value)
        for ident, offset, call in macro_body_uses(body.replace("\\\n", "  ")):
            row = value.start_point[0] + body[:offset].count("\n")
            line = line_at(view, f.path, row)
            if keep(line):
                out.append(Use(ident, line, node, text_of(name), call))
    return out


def enclosing(node: Node, *kinds: str) -> Node | None:
    parent = node.parent
    while parent is not None and parent.type not in kinds:
        parent = parent.parent
    return parent


@lru_cache(maxsize=8192)
def line_names(text: str) -> frozenset[str]:
    """Identifiers of one diff line, #define bodies included."""

    names = set(names_in(text))
    root = parse(text.replace("\\", " "))
    for node in nodes_of(root, "preproc_def", "preproc_function_def"):
        value = node.child_by_field_name("value")
        if value is not None:
            names |= {n for n, _ in macro_body_identifiers(text_of(value))}
    return frozenset(names)
