"""How the interpreter compares arguments of a parameter whose type the series changed from a
flags word (to ``bool``, or to a descriptor/VMA pointer): one projection per side."""

from __future__ import annotations

from typing import Any

from tree_sitter import Node

from reviewer.flagmodel import interp_expressions as expressions
from reviewer.flagmodel import interp_values as interp
from reviewer.flagmodel.c_parse import nodes_of, text_of
from reviewer.flagmodel.tree_state import Signature, is_word_type


def param_projections(
    name: str, old: Signature, new: Signature, old_roots: list[Node]
) -> dict[tuple[str, int], tuple[Any, Any]]:
    """For each parameter whose type changed from a flags word, how to compare old and new
    arguments: (old-side projection, new-side projection)."""
    out: dict[tuple[str, int], tuple[Any, Any]] = {}
    for idx, ((otype, oname), (ntype, _nname)) in enumerate(
        zip(old.params, new.params, strict=False)
    ):
        if otype == ntype or not is_word_type(otype, oname):
            continue
        if ntype.strip() == "bool":
            use = _param_use(old_roots, name, oname)

            def old_proj(env, arg, val, use=use, oname=oname):
                if use is None:
                    raise interp.Unsupported(
                        f"{name}(): how the old body used {oname} is not visible"
                    )
                env.frames.append(interp.Frame(locals={oname: val}))
                saved, env.renames = env.renames, {}
                try:
                    return int(interp.truth(env, expressions.eval_expr(env, use)))
                finally:
                    env.frames.pop()
                    env.renames = saved

            def new_proj(env, arg, val):
                return int(interp.truth(env, val))

            old_proj.use = use  # type: ignore[attr-defined]
            out[(name, idx)] = (old_proj, new_proj)
        elif "vm_area_desc" in ntype or "vm_area_struct" in ntype:

            def desc_proj(env, arg, val):
                subj = interp.subject(env, arg)
                if subj is None:
                    raise interp.Unsupported("cannot resolve descriptor argument")
                return env.subject_value(subj)

            out[(name, idx)] = (None, desc_proj)
    return out


def _param_use(roots: list[Node], func: str, pname: str) -> Node | None:
    """The expression the old body first uses a parameter in (x & MASK, is_cow_mapping(x)).

    Works on partial text: the body is whatever follows the function's declarator up to the
    next function declarator, so a body cut by a hunk boundary still counts."""
    for root in roots:
        starts = nodes_of(root, "function_declarator")
        for i, decl in enumerate(starts):
            name = decl.child_by_field_name("declarator")
            if name is None or text_of(name) != func:
                continue
            stop = starts[i + 1].start_byte if i + 1 < len(starts) else root.end_byte
            for node in nodes_of(root, "identifier"):
                if text_of(node) == pname and decl.end_byte <= node.start_byte < stop:
                    parent = node.parent
                    while parent is not None and parent.type == "parenthesized_expression":
                        parent = parent.parent
                    if parent is not None and parent.type == "argument_list":
                        parent = parent.parent
                    return parent  # the first use after the declarator
    return None
