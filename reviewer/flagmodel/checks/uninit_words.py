"""uninit-words: a local vma_flags_t declared without an initialiser, of which only the first word
is written before the whole value is used (returned, copied, passed by value), so the words past
the first are stack garbage whenever NUM_VMA_FLAG_BITS > BITS_PER_LONG (the first
legacy_to_vma_flags(): `vma_flags_t ret; ret.__vma_flags[0] = flags; return ret;`).

First-word-only writes are `X.__vma_flags[0] = ...` and the model's word-0-only helpers
(vma_flags_overwrite_word(), ... taking &X); a whole write is an assignment to X, any other
call taking &X (vma_flags_clear_all(), bitmap_zero(), memset(), ...) or an initialiser. Only
functions the patch shows whole are judged. Error (the helper harness catches the same at run
time when it can build the helper)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tree_sitter import Node

from reviewer.flagmodel import registry
from reviewer.flagmodel.c_parse import nodes_of, text_of, walk
from reviewer.flagmodel.checks import common
from reviewer.flagmodel.findings import CheckReport, Finding, Severity

if TYPE_CHECKING:
    from reviewer.flagmodel.patch_view import PatchView

CHECK = "uninit-words"


def run(views: list[PatchView], report: CheckReport, repo: Path | None) -> None:
    word0 = {h.name for h in registry.HELPERS if h.word0_only}
    for view in views:
        for f in common.c_files(view):
            added = common.added_lines(f)
            for func in nodes_of(view.new_roots[f.path], "function_definition"):
                rows = (func.start_point[0], func.end_point[0])
                if func.has_error or not common.contiguous(view, f.path, *rows):
                    continue
                if not any(
                    common.line_at(view, f.path, r) in added for r in range(rows[0], rows[1] + 1)
                ):
                    continue
                for name in _uninitialised_locals(func):
                    line = _partial_then_used(func, name, word0)
                    if line is not None:
                        report.add(
                            Finding(
                                Severity.ERROR,
                                CHECK,
                                view.index,
                                f.path,
                                common.line_at(view, f.path, line),
                                f"only the first word of {name} is written before {name} is "
                                f"used whole: its other words are uninitialised when "
                                "NUM_VMA_FLAG_BITS > BITS_PER_LONG (initialise it with "
                                "EMPTY_VMA_FLAGS or vma_flags_clear_all() first)",
                            )
                        )


def _uninitialised_locals(func: Node) -> list[str]:
    out = []
    body = func.child_by_field_name("body")
    for node in nodes_of(body, "declaration") if body is not None else []:
        type_node = node.child_by_field_name("type")
        if type_node is None or text_of(type_node) != "vma_flags_t":
            continue
        for decl in node.children_by_field_name("declarator"):
            if decl.type == "identifier":
                out.append(text_of(decl))
    return out


def _partial_then_used(func: Node, name: str, word0: set[str]) -> int | None:
    """Row of the first first-word-only write when the value is then used whole with no whole
    write before; None otherwise."""
    partial_row = None
    body = func.child_by_field_name("body")
    for node in walk(body):
        if node.type == "assignment_expression":
            left = node.child_by_field_name("left")
            ltext = text_of(left).replace(" ", "")
            if ltext == name:
                return None  # whole assignment
            if ltext == f"{name}.__vma_flags[0]" and partial_row is None:
                partial_row = node.start_point[0]
        elif node.type == "call_expression":
            func_name = text_of(node.child_by_field_name("function"))
            args = node.child_by_field_name("arguments").named_children
            if any(text_of(a).replace(" ", "") == f"&{name}" for a in args):
                if func_name in word0:
                    partial_row = node.start_point[0] if partial_row is None else partial_row
                    continue
                return None  # any other call may initialise it
            if partial_row is not None and any(
                a.type == "identifier" and text_of(a) == name for a in args
            ):
                return partial_row  # passed by value
        elif node.type == "return_statement":
            value = node.named_children[0] if node.named_children else None
            if value is not None and value.type == "identifier" and text_of(value) == name:
                return partial_row
    return None
