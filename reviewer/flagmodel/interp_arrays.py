"""Arrays of flags and the loops over them: ``vma_flag_t special_flags[] = { VMA_IO_BIT, ... }``,
``special_flags[i]``, ``ARRAY_SIZE(special_flags)``, ``i++`` and ``for (i = 0; i < n; i++)``.

An array initialised from a list is an ``Array`` of the values of its items. Indexing it with a
known integer gives the item; with an index the block does not compute (the loop variable of a
loop around the block) the index is one more dimension of the search, the same on both sides
(``Env.index_vars``): each side reads the item at the same position of its own array, so
``vm_flags_t special_flag = special_flags[i]`` and ``vma_flag_t special_flag =
special_flags[i]`` stand for the same flag in every run."""

from __future__ import annotations

from typing import Any

from tree_sitter import Node

from reviewer.flagmodel.c_parse import node_memo, text_of
from reviewer.flagmodel.interp_values import Alias, Array, Env, Opaque, Unsupported

MAX_ITERATIONS = 256


def initializer_list(env: Env, node: Node) -> Array:
    """``{ a, b, c }``: the values of its items (a designated initialiser is not a list)."""
    from reviewer.flagmodel import interp_expressions as expressions

    items = [c for c in node.named_children if c.type != "comment"]
    if any(c.type in ("initializer_pair", "initializer_list") for c in items):
        raise Unsupported("expression kind initializer_list")
    return Array(tuple(expressions.eval_expr(env, c) for c in items))


@node_memo
def _designated(node: Node) -> tuple[tuple[str, Node | None], ...] | None:
    """An initialiser list's (designated field, value) pairs; None when an item is not a
    designated initialiser (the same on every run: asked once per node)."""
    items = [c for c in node.named_children if c.type != "comment"]
    if any(c.type != "initializer_pair" for c in items):
        return None
    out = []
    for pair in items:
        designators = pair.children_by_field_name("designator")
        field = text_of(designators[-1]).lstrip(".") if len(designators) == 1 else ""
        out.append((field, pair.child_by_field_name("value")))
    return tuple(out)


def struct_init(env: Env, name: str, type_text: str, node: Node) -> bool:
    """``struct vm_area_struct vma = { .flags = flags, };``: a struct declared with a list
    whose designated fields include its flags (or a VMA, descriptor or merge state, whose
    flags a list that does not name them leaves zero): the object's flags are that value, as
    after ``struct vm_area_struct vma; vma.flags = flags;``. False when the list is not such
    a struct's."""
    if node.type != "initializer_list" or len(env.frames) > 1:
        return False
    pairs = _designated(node)
    if pairs is None or "struct" not in type_text:
        return False
    from reviewer.flagmodel import interp_expressions as expressions
    from reviewer.flagmodel.interp_values import FLAG_FIELDS, UNINIT, Flags, store_local

    value: Any = None
    for field, value_node in pairs:
        if field in FLAG_FIELDS or field == "flags":
            value = expressions.eval_expr(env, value_node)
    if value is None and not any(w in type_text for w in ("vm_area", "vma_merge")):
        return False
    store_local(env, name, UNINIT, declared=True)
    env.set_subject(name, value if value is not None else Flags(0, "bitmap"))
    return True


def item(env: Env, array: Array, index_node: Node, index: Any) -> Any:
    """``array[index]``; an index the block does not compute is chosen by the search."""
    if isinstance(index, int) and not isinstance(index, bool):
        if 0 <= index < len(array.items):
            return array.items[index]
        raise Unsupported(f"index {index} outside an array of {len(array.items)}")
    if index_node.type != "identifier" or not array.items or len(env.frames) > 1:
        raise Unsupported(f"array index {text_of(index_node)!r}")
    name = text_of(index_node)
    known = env.seen_index_vars.get(name, 0)
    env.seen_index_vars[name] = max(known, len(array.items))
    chosen = env.index_vars.get(name, 0)
    return array.items[min(chosen, len(array.items) - 1)]


def array_size(env: Env, args: list[Node]) -> int | None:
    """``ARRAY_SIZE(a)`` of an array the block knows; None when it is not one."""
    from reviewer.flagmodel import interp_expressions as expressions

    if len(args) != 1:
        return None
    value = expressions.eval_expr(env, args[0])
    if isinstance(value, Alias):
        value = env.subject_value(value.subject)
    return len(value.items) if isinstance(value, Array) else None


def update(env: Env, node: Node) -> Any:
    """``i++`` / ``--i`` on an integer local; None when it is anything else."""
    from reviewer.flagmodel.interp_values import store_local

    arg = node.child_by_field_name("argument")
    op = text_of(node.child_by_field_name("operator") or node)
    if arg is None or arg.type != "identifier":
        return None
    name = env.unify(text_of(arg))
    frame = env.frames[-1]
    old = frame.locals.get(name)
    if not isinstance(old, int) or isinstance(old, bool):
        return None
    new = old + (1 if "++" in op else -1)
    store_local(env, text_of(arg), new)
    return new if node.children and node.children[0].type in ("++", "--") else old


class Break(Unsupported):
    """A ``break`` out of the innermost loop (unverified when no loop of the block catches it)."""

    def __init__(self) -> None:
        super().__init__("break out of a loop the block does not show")


class Continue(Unsupported):
    """A ``continue`` of the innermost loop."""

    def __init__(self) -> None:
        super().__init__("continue of a loop the block does not show")


def run_for(env: Env, node: Node) -> None:
    """``for (init; cond; update) body`` run to its end; a loop the model cannot see end
    within MAX_ITERATIONS iterations is unverified."""
    from reviewer.flagmodel import interp_expressions as expressions
    from reviewer.flagmodel import interp_statements as statements
    from reviewer.flagmodel.interp_values import truth

    init = node.child_by_field_name("initializer")
    cond = node.child_by_field_name("condition")
    step = node.child_by_field_name("update")
    body = node.child_by_field_name("body")
    if init is not None:
        if init.type == "declaration":
            statements.exec_stmt(env, init)
        else:
            expressions.eval_expr(env, init)
    for _ in range(MAX_ITERATIONS):
        if cond is not None:
            value = expressions.eval_expr(env, cond)
            if isinstance(value, Opaque):
                raise Unsupported(f"loop condition {text_of(cond)!r} is not known")
            if not truth(env, value):
                return
        try:
            if body is not None:
                statements.exec_stmt(env, body)
        except Break:
            return
        except Continue:
            pass
        if step is not None:
            expressions.eval_expr(env, step)
    raise Unsupported(f"loop does not end within {MAX_ITERATIONS} iterations")
