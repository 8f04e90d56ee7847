"""Whether a visible expression is a whole `vma_flags_t` value (shared by uninit-words and
write-once): read from the declarations the patch shows."""

from __future__ import annotations

from tree_sitter import Node

from reviewer.flagmodel.c_parse import nodes_of, text_of


def declared_type(root: Node, name: str) -> str:
    """'value' (vma_flags_t name), 'pointer' (vma_flags_t *name), 'other', or '' when no
    declaration of `name` is visible."""
    for node in nodes_of(root, "declaration", "parameter_declaration"):
        type_node = node.child_by_field_name("type")
        flags = type_node is not None and text_of(type_node) == "vma_flags_t"
        for decl in node.children_by_field_name("declarator"):
            inner = (
                decl.child_by_field_name("declarator") if decl.type == "init_declarator" else decl
            )
            pointer = False
            while inner is not None and inner.type == "pointer_declarator":
                pointer = True
                inner = inner.child_by_field_name("declarator")
            if inner is not None and inner.type == "identifier" and text_of(inner) == name:
                if not flags:
                    return "other"
                return "pointer" if pointer else "value"
    return ""


def is_whole_flags(root: Node, expr: Node) -> bool:
    """`expr` is a vma_flags_t object: a value-typed name, or `*p` for a vma_flags_t pointer."""
    node = expr
    while node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    if node.type == "identifier":
        kind = declared_type(root, text_of(node))
        return kind == "value" or (kind == "" and _used_as_flags(root, text_of(node)))
    if node.type == "pointer_expression" and text_of(node).startswith("*"):
        inner = node.child_by_field_name("argument")
        return (
            inner is not None
            and inner.type == "identifier"
            and declared_type(root, text_of(inner)) == "pointer"
        )
    return False


def _used_as_flags(root: Node, name: str) -> bool:
    """`&name` is the flags argument of a model helper taking a vma_flags_t pointer."""
    from reviewer.flagmodel import registry

    ptr_helpers = {h.name for h in registry.HELPERS if h.target == "flags_ptr"}
    for call in nodes_of(root, "call_expression"):
        if text_of(call.child_by_field_name("function")) not in ptr_helpers:
            continue
        args = call.child_by_field_name("arguments").named_children
        if args and text_of(args[0]).replace(" ", "") == f"&{name}":
            return True
    return False
