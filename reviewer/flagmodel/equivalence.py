"""Decide whether the old and new side of a change block behave the same, exhaustively over
every assignment of the flag bits (and unknown conditions) involved, or find a counterexample.

This module owns the entry (compare) and the fragment handling before a search: macro pairs,
``else`` branches, initialiser lists, declarations. The search itself is equivalence_search,
the comparison of two runs equivalence_diff, their text equivalence_show, the data they share
equivalence_side."""

from __future__ import annotations

import re
from dataclasses import replace

from tree_sitter import Node

from reviewer.flagmodel import interp_values as interp
from reviewer.flagmodel.c_parse import Fragment, parse_statements, text_of
from reviewer.flagmodel.equivalence_macros import macro_pair
from reviewer.flagmodel.equivalence_preproc import select_branches
from reviewer.flagmodel.equivalence_search import enumerate_sides
from reviewer.flagmodel.equivalence_side import Outcome, Side, SideInfo, Verdict
from reviewer.flagmodel.tree_state import Model


def flag_related(text: str, names: set[str], info: SideInfo, model: Model) -> bool:
    for name in names:
        if name.startswith(("VM_", "VMA_")) or name in (
            "vm_flags",
            "vma_flags",
            "vm_flags_t",
            "vma_flags_t",
            "EMPTY_VMA_FLAGS",
        ):
            return True
        if model.helper(name) or model.derived(name) or name in info.flag_names:
            return True
    return False


def compare(
    old_text: str, new_text: str, pre: Model, post: Model, old_info: SideInfo, new_info: SideInfo
) -> Outcome:
    pair = macro_pair(old_text, new_text)
    if pair is not None:
        return _compare_macro(pair, new_text, pre, post, old_info, new_info)
    old_text, new_text = _else_branch(old_text, new_text)
    old_frag, new_frag = parse_statements(old_text), parse_statements(new_text)
    if not old_frag.ok or not new_frag.ok:
        # a conditional directive inside a statement: decided by the configuration
        old_sel, new_sel = select_branches(old_text, pre), select_branches(new_text, post)
        if old_sel is not None or new_sel is not None:
            old_text, new_text = old_sel or old_text, new_sel or new_text
            old_frag, new_frag = parse_statements(old_text), parse_statements(new_text)
    if not old_frag.ok or not new_frag.ok:
        if _top_level_only(old_text) and _top_level_only(new_text):
            return Outcome(Verdict.SKIP, "definitions or declarations")
        old_frag, new_frag = _as_initializers(old_text), _as_initializers(new_text)
    if old_frag is None or new_frag is None or not old_frag.ok or not new_frag.ok:
        lines = max(old_text.count("\n"), new_text.count("\n")) + 1
        what = "restructured code" if lines > 15 else "fragment"
        return Outcome(
            Verdict.UNVERIFIED,
            f"{what} ({lines} lines) does not parse as complete statements on both sides",
        )
    if any(s.type == "function_definition" for s in old_frag.statements + new_frag.statements):
        return Outcome(Verdict.SKIP, "function definitions")
    if _declarations_only(old_frag) and _declarations_only(new_frag):
        return Outcome(Verdict.SKIP, "declarations only")
    old, new = Side(old_frag, pre, old_info), Side(new_frag, post, new_info)
    try:
        return enumerate_sides(old, new)
    except interp.NotBuilt as exc:
        return Outcome(Verdict.SKIP, f"{exc} does not exist in this configuration")
    except interp.Unsupported as exc:
        return Outcome(Verdict.UNVERIFIED, str(exc))
    except RecursionError:
        return Outcome(Verdict.UNVERIFIED, "expression too deep")


def _compare_macro(pair, new_text, pre, post, old_info, new_info) -> Outcome:
    """A function-like macro rewritten: its two bodies instantiated alike and compared
    (equivalence_macros). Anything the instance cannot decide keeps the macro a definition
    (skip); type findings of an instance are not the macro's (its parameters have no types)."""
    from reviewer.flagmodel.tree_state import is_helper_name

    old_m, new_m = pair
    if is_helper_name(new_m.name) or post.helper(new_m.name) is not None:
        return Outcome(Verdict.SKIP, "helper macro (the harness checks helper definitions)")
    if old_m.text.strip() == new_m.text.strip():
        return Outcome(Verdict.SKIP, "macro definition reformatted")
    bit_params = old_m.bit_params | new_m.bit_params
    old_i = replace(old_info, bit_params=old_info.bit_params | bit_params, macro=True)
    new_i = replace(new_info, bit_params=new_info.bit_params | bit_params, macro=True)
    outcome = compare(old_m.text, new_m.text, pre, post, old_i, new_i)
    if outcome.status not in (Verdict.DIFFERENT, Verdict.EQUIVALENT):
        return Outcome(Verdict.SKIP, f"macro definition {new_m.name}()")
    if outcome.added_event:
        # a macro that gained statements (a test macro that asserts more) is an extension
        return Outcome(Verdict.SKIP, f"macro definition {new_m.name}() extended")
    outcome.issues = []
    if outcome.row is not None:
        rows = new_text.split("\n")
        row = outcome.row[0]
        outcome.row = (row, rows[row].strip()) if row < len(rows) else None
    outcome.message = f"in macro {new_m.name}(): {outcome.message}" if outcome.message else ""
    return outcome


_ELSE_HEAD = re.compile(r"^(\s*\}\s*else)(\s+if\b|\s*\{)")


def _else_branch(old_text: str, new_text: str) -> tuple[str, str]:
    """Both sides open with `} else if (...)` / `} else {` (the `if` it continues is outside
    the block, judged by its own block): the branch is compared as a statement of its own,
    reached on both sides when that earlier condition is false. Rows are kept."""
    om, nm = _ELSE_HEAD.match(old_text), _ELSE_HEAD.match(new_text)
    if om is None or nm is None:
        return old_text, new_text

    def cut(text: str, m: re.Match) -> str:
        return " " * len(m.group(1)) + text[len(m.group(1)) :]

    return cut(old_text, om), cut(new_text, nm)


def _top_level_only(text: str) -> bool:
    """Text that parses as top-level C made of definitions and declarations only."""
    from reviewer.flagmodel.c_parse import parse

    code = text.strip()
    while code.startswith("}"):
        code = code[1:].lstrip()
    if code.endswith(")"):
        code += ";"
    if code.endswith("{"):
        code += "}"
    root = parse(code)
    if root.has_error or not root.named_children:
        return False
    allowed = (
        "declaration",
        "function_definition",
        "type_definition",
        "struct_specifier",
        "union_specifier",
        "preproc_def",
        "preproc_function_def",
        "comment",
        "preproc_include",
        "preproc_call",
        "expression_statement",
    )
    return all(c.type in allowed for c in root.named_children) and not all(
        c.type == "expression_statement" for c in root.named_children
    )


def _as_initializers(text: str) -> Fragment | None:
    """Designated initialiser lines (.field = value,) as assignments to one object."""
    from reviewer.flagmodel.c_parse import parse

    code = text.strip().rstrip(",")
    root = parse(f"struct __flagmodel_s __flagmodel_obj = {{ {code} }};")
    if root.has_error:
        return None
    stmts = []
    for node in walk_nodes(root):
        if node.type == "initializer_pair":
            designators = node.children_by_field_name("designator")
            value = node.child_by_field_name("value")
            if not designators or value is None:
                return None
            field_name = "".join(text_of(d) for d in designators).lstrip(".")
            stmts.append(f"__flagmodel_obj->{field_name} = {text_of(value)};")
    if not stmts:
        return None
    return parse_statements("\n".join(stmts))


def walk_nodes(node: Node):
    from reviewer.flagmodel.c_parse import walk

    return walk(node)


def _declarations_only(frag: Fragment) -> bool:
    for stmt in frag.statements:
        if stmt.type in ("declaration", "field_declaration"):
            for decl in stmt.children_by_field_name("declarator"):
                if decl.type == "init_declarator":
                    return False
            continue
        if stmt.type in ("struct_specifier", "union_specifier", "type_definition", "comment"):
            continue
        return False
    return True


__all__ = ["Outcome", "SideInfo", "compare", "flag_related"]
