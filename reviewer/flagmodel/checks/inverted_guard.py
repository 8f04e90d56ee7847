"""inverted-guard: a preprocessor condition the patch rewrites into its negation (`#ifdef X` ->
`#ifndef X`, `#if defined(X)` -> `#if !defined(X)`, `NUM_VMA_FLAG_BITS > 64` -> `<= 64`).

In each change block the removed and the added #if/#ifdef/#ifndef/#elif lines are paired in
order; each condition is parsed (tree-sitter) into a boolean function over its atoms
(`defined(X)` and `X` are one atom, comparisons are atoms with <=, <, != read as negations of
>, >=, ==) and compared over every assignment: error when the new one is the exact negation of
the old one. Equal or otherwise different conditions are left alone (a guard may change on
purpose); a new guard with no old counterpart is judged by the config-gated check."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import TYPE_CHECKING

from tree_sitter import Node

from reviewer.flagmodel.c_parse import nodes_of, parse, text_of
from reviewer.flagmodel.checks import common
from reviewer.flagmodel.findings import CheckReport, Finding
from reviewer.flagmodel.hunk_pairs import change_blocks

if TYPE_CHECKING:
    from reviewer.flagmodel.check import PatchView

CHECK = "inverted-guard"
_NEGATED = {"<=": ">", "<": ">=", "!=": "=="}


def run(views: list[PatchView], report: CheckReport, repo: Path | None) -> None:
    for view in views:
        for f in common.c_files(view):
            for block in change_blocks(f):
                old = [ln for ln in block.changed("-") if _is_cond(ln.text)]
                new = [ln for ln in block.changed("+") if _is_cond(ln.text)]
                for o, n in zip(old, new, strict=False):
                    if _inverted(o.text, n.text):
                        report.add(
                            Finding(
                                "error",
                                CHECK,
                                view.index,
                                f.path,
                                n.new_no or 0,
                                f"guard inverted: `{n.text.strip()}` is the negation of the "
                                f"`{o.text.strip()}` it replaces, so the code under it now "
                                "builds exactly where it did not",
                            )
                        )


def _is_cond(text: str) -> bool:
    head = text.lstrip()
    if not head.startswith("#"):
        return False
    word = head[1:].lstrip().split(" ")[0].split("\t")[0]
    return word in ("if", "ifdef", "ifndef", "elif")


def _function(text: str):
    """(atoms, evaluator) of one conditional directive line, or None."""
    head = text.strip().lstrip("#").lstrip()
    if head.startswith("elif"):
        head = "if" + head[4:]
    root = parse("#" + head + "\n#endif\n")
    nodes = nodes_of(root, "preproc_ifdef", "preproc_if")
    if not nodes:
        return None
    node = nodes[0]
    if node.type == "preproc_ifdef":
        name = node.child_by_field_name("name")
        if name is None:
            return None
        neg = text_of(node.children[0]).strip().endswith("ifndef")
        atom = text_of(name)
        return [atom], lambda env: (not env[atom]) if neg else env[atom]
    cond = node.child_by_field_name("condition")
    if cond is None:
        return None
    atoms: list[str] = []
    _collect(cond, atoms)
    if not atoms or len(atoms) > 10:
        return None
    return atoms, lambda env: _eval(cond, env)


def _atom(node: Node) -> tuple[str, bool] | None:
    """(atom, negated) for a leaf condition."""
    if node.type == "identifier":
        return text_of(node), False
    if node.type == "preproc_defined":
        ident = [c for c in node.named_children if c.type == "identifier"]
        return (text_of(ident[0]), False) if ident else None
    if node.type == "binary_expression":
        op = text_of(node.child_by_field_name("operator"))
        left = text_of(node.child_by_field_name("left"))
        right = text_of(node.child_by_field_name("right"))
        if op in _NEGATED:
            return f"{left}{_NEGATED[op]}{right}", True
        if op in (">", ">=", "=="):
            return f"{left}{op}{right}", False
    return None


def _collect(node: Node, atoms: list[str]) -> None:
    got = _atom(node)
    if got is not None:
        if got[0] not in atoms:
            atoms.append(got[0])
        return
    for child in node.named_children:
        _collect(child, atoms)


def _eval(node: Node, env: dict[str, bool]) -> bool:
    got = _atom(node)
    if got is not None:
        return env[got[0]] != got[1]
    kind = node.type
    if kind == "parenthesized_expression" and node.named_children:
        return _eval(node.named_children[0], env)
    if kind == "unary_expression" and text_of(node.child_by_field_name("operator")) == "!":
        return not _eval(node.child_by_field_name("argument"), env)
    if kind == "binary_expression":
        op = text_of(node.child_by_field_name("operator"))
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if op == "&&":
            return _eval(left, env) and _eval(right, env)
        if op == "||":
            return _eval(left, env) or _eval(right, env)
    if kind == "number_literal":
        return text_of(node).strip("uUlL") not in ("0", "0x0")
    raise ValueError(f"condition part not understood: {text_of(node)}")


def _inverted(old_text: str, new_text: str) -> bool:
    """The new directive's condition is the negation of the old one for every assignment."""
    old, new = _function(old_text), _function(new_text)
    if old is None or new is None:
        return False
    atoms = sorted(set(old[0]) | set(new[0]))
    if len(atoms) > 10:
        return False
    try:
        for values in itertools.product((False, True), repeat=len(atoms)):
            env = dict(zip(atoms, values, strict=True))
            if old[1](env) == new[1](env):
                return False
    except (ValueError, KeyError):
        return False
    return True
