"""bool-param: a parameter changed from a flags word to `bool` while a caller (in the patch, or in
the --repo tree outside it) still passes the whole word."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tree_sitter import Node

from reviewer.flagmodel.c_parse import nodes_of, parse, text_of
from reviewer.flagmodel.checks import tree
from reviewer.flagmodel.findings import CheckReport, Finding, Severity
from reviewer.flagmodel.tree_state import is_word_type, signatures

if TYPE_CHECKING:
    from reviewer.flagmodel.patch_view import PatchView

CHECK = "bool-param"


def run(views: list[PatchView], report: CheckReport, repo: Path | None) -> None:
    for view in views:
        _bool_params(view, report, repo)


def _changed_old_lines(view: PatchView, path: str) -> set[int]:
    out: set[int] = set()
    for f in view.files:
        if f.path == path:
            for h in f.hunks:
                out |= {ln.old_no for ln in h.lines if ln.tag == "-" and ln.old_no}
    return out


def _bool_params(view: PatchView, report: CheckReport, repo: Path | None) -> None:
    old_sigs, new_sigs = {}, {}
    for f in view.files:
        old_sigs.update(signatures(view.old_roots[f.path]))
        new_sigs.update(signatures(view.new_roots[f.path]))
    for name, old in old_sigs.items():
        new = new_sigs.get(name)
        if new is None:
            continue
        for idx, ((otype, oname), (ntype, nname)) in enumerate(
            zip(old.params, new.params, strict=False)
        ):
            if ntype.strip() != "bool" or not is_word_type(otype, oname):
                continue
            callers = [(c, True) for c in _callers_in_patch(view, name, idx)]
            if repo is not None:
                callers += [(c, False) for c in _callers_in_tree(repo, view, name, idx)]
            for (path, line, arg), in_patch in callers:
                if not _whole_word(arg):
                    continue
                where = (
                    "but this caller still passes the whole flags word"
                    if in_patch
                    else f"caller at {path}:{line} (not touched by the patch) still passes the "
                    "whole word"
                )
                joiner = " " if in_patch else "; "
                message = f"{name}() now takes bool {nname}{joiner}{where} {text_of(arg)!r}"
                report.add(Finding(Severity.ERROR, "bool-param", view.index, path, line, message))


def _calls(root: Node, name: str, idx: int):
    for node in nodes_of(root, "call_expression"):
        if text_of(node.child_by_field_name("function")) == name:
            args = [
                a
                for a in node.child_by_field_name("arguments").named_children
                if a.type != "comment"
            ]
            if idx < len(args):
                yield node, args[idx]


def _callers_in_patch(view: PatchView, name: str, idx: int):
    for f in view.files:
        nums = view.new_numbers[f.path]
        for call, arg in _calls(view.new_roots[f.path], name, idx):
            row = call.start_point[0]
            yield f.path, nums[row] if row < len(nums) else 0, arg


_TOPS = ("mm", "fs", "include", "kernel", "ipc", "drivers", "arch", "security")


def _callers_in_tree(repo: Path, view: PatchView, name: str, idx: int):
    """Callers outside the patch, read at the base commit through git objects (never the
    working tree, which may hold the series applied)."""
    for rel in tree.files_mentioning(repo, name, _TOPS):
        text = tree.read(repo, rel)
        if text is None:
            continue
        touched = _changed_old_lines(view, rel)
        for call, arg in _calls(parse(text), name, idx):
            line = call.start_point[0] + 1
            if line not in touched:
                yield rel, line, arg


def _whole_word(arg: Node) -> bool:
    """An argument that is a flags word as such, not a test of it."""
    node = arg
    while node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    if node.type in ("true", "false", "number_literal", "unary_expression", "call_expression"):
        return False
    if node.type == "binary_expression":
        op = text_of(node.child_by_field_name("operator"))
        return op in ("|", "+")  # x | VM_LOCKED is still a word
    text = text_of(node)
    return node.type in ("identifier", "field_expression") and "flags" in text
