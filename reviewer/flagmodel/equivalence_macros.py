"""A function-like macro changed on both sides of a block, compared by running its body.

`#define do_test(_flag) ASSERT_TRUE(vma_flags_test(&flags, _flag)); ...` and its rewrite run
nothing by themselves, so without this the block would pass for equivalent unseen. Both bodies
are instantiated the same way and compared as statements (an expression body as what it
returns): a parameter that a flag helper takes after its subject (a bit or a mask argument,
or inside `mk_vma_flags()`) is a bit parameter (every bit involved is tried), the variadic
`__VA_ARGS__` is two bit parameters (so ANY and ALL differ), any other parameter stays a free
name (the subject it names). The instance keeps the rows of the text, so a difference is
reported at the line of the macro body it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from reviewer.flagmodel.c_parse import parse, text_of, walk

VA_BITS = ("__va_bit0", "__va_bit1")


@dataclass
class MacroInstance:
    name: str
    text: str  # rows aligned with the block's text
    bit_params: set[str]


def _only_macro(text: str) -> Node | None:
    root = parse(text + "\n")
    nodes = [c for c in root.named_children if c.type != "comment"]
    if len(nodes) != 1 or nodes[0].type != "preproc_function_def" or root.has_error:
        return None
    return nodes[0]


def _params(node: Node) -> list[str]:
    plist = node.child_by_field_name("parameters")
    if plist is None:
        return []
    names = [text_of(c) for c in plist.named_children if c.type == "identifier"]
    if "..." in text_of(plist):
        names.append("...")
    return names


def _bit_like(body: Node, name: str) -> bool:
    """The parameter is passed to a call after its first argument (a helper's bit or mask) or
    inside mk_vma_flags()/append_vma_flags(), and never as a call's first argument."""
    later = first = False
    for node in walk(body):
        if node.type != "call_expression":
            continue
        fn = text_of(node.child_by_field_name("function"))
        args = [a for a in node.child_by_field_name("arguments").named_children]
        for i, arg in enumerate(args):
            if arg.type == "identifier" and text_of(arg) == name:
                if i == 0 and fn not in ("mk_vma_flags", "append_vma_flags"):
                    first = True
                else:
                    later = True
    return later and not first


def instance(text: str) -> MacroInstance | None:
    node = _only_macro(text)
    if node is None:
        return None
    value = node.child_by_field_name("value")
    if value is None:
        return None
    from reviewer.flagmodel.interp_macros import substitute

    body_text = text_of(value)
    if "#" in body_text:
        return None  # token pasting / stringification
    row, col = value.start_point
    body_text = body_text.replace("\\\n", "\n")
    body_root = parse(body_text)
    params = _params(node)
    bit_params = {p for p in params if p != "..." and _bit_like(body_root, p)}
    binding = {}
    if "..." in params:
        binding["__VA_ARGS__"] = ", ".join(VA_BITS)
        bit_params |= set(VA_BITS)
    body = substitute(body_text, binding) if binding else body_text
    if "\n" in body.replace("\\\n", "") and body.count("\n") != body_text.count("\n"):
        return None
    lines = body.split("\n")
    # each line of the macro body ends in a backslash continuation: drop it
    lines = [ln.rstrip().removesuffix("\\") for ln in lines]
    stripped = "\n".join(lines).strip()
    from reviewer.flagmodel.interp_expressions import _expression_of

    prefix = "\n" * row + " " * col
    if _expression_of(stripped) is not None:
        inst = prefix + "return (" + "\n".join(lines).lstrip() + ");"
    else:
        joined = "\n".join(lines).rstrip()
        inst = prefix + joined.lstrip() + ("" if joined.endswith((";", "}")) else ";")
    return MacroInstance(text_of(node.child_by_field_name("name")), inst, bit_params)


def macro_pair(old_text: str, new_text: str) -> tuple[MacroInstance, MacroInstance] | None:
    """Both sides are one function-like macro of the same name and parameters."""
    old_node, new_node = _only_macro(old_text), _only_macro(new_text)
    if old_node is None or new_node is None:
        return None
    if text_of(old_node.child_by_field_name("name")) != text_of(
        new_node.child_by_field_name("name")
    ) or _params(old_node) != _params(new_node):
        return None
    old, new = instance(old_text), instance(new_text)
    if old is None or new is None:
        return None
    return old, new


def body_names(text: str) -> set[str]:
    """Identifiers of a function-like macro's body (tree-sitter keeps a body as one token)."""
    from reviewer.flagmodel.tree_state import names_in

    inst = instance(text) if "#" in text and "define" in text else None
    return set(names_in(inst.text)) if inst is not None else set()
