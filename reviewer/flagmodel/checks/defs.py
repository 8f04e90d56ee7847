"""What definitions say: macros of the series, the base tree and the shipped snapshot (shared by
the checks of one run), runtime conditions read through their macro definitions, flag masks
resolved from mk_vma_flags()/append_vma_flags()/BIT()/INIT_VM_FLAG(), and which legacy VM_X are
VM_NONE unless a configuration is set."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from tree_sitter import Node

from reviewer.flagmodel import registry
from reviewer.flagmodel.c_parse import nodes_of, parse, text_of
from reviewer.flagmodel.checks import snapshot
from reviewer.flagmodel.checks.preproc import _facts, guards
from reviewer.flagmodel.tree_state import names_in

if TYPE_CHECKING:
    from reviewer.flagmodel.patch_view import PatchView


@dataclass
class Context:
    """Series-wide definitions the checks read: macros by name (new sides, then old sides, then
    the base tree, then the shipped snapshot)."""

    macros: dict[str, str] = field(default_factory=dict)  # name -> body text
    func_macros: dict[str, tuple[list[str], str]] = field(default_factory=dict)
    all_bodies: dict[str, set[str]] = field(default_factory=dict)  # every distinct body

    def body(self, name: str) -> str | None:
        if name in self.macros:
            return self.macros[name]
        fm = self.func_macros.get(name)
        return fm[1] if fm is not None else None


_MEMO: dict[tuple, tuple[list, object]] = {}


def _memo(kind: str, views: list[PatchView], extra: list[str], build):
    """One value per (kind, the same view objects, extra texts): the checks of one run share
    their context instead of re-reading every side (views are kept so ids stay unique)."""
    key = (kind, tuple(id(v) for v in views), tuple(extra))
    hit = _MEMO.get(key)
    if hit is not None and all(a is b for a, b in zip(hit[0], views, strict=True)):
        return hit[1]
    value = build()
    if len(_MEMO) >= 8:
        _MEMO.pop(next(iter(_MEMO)))
    _MEMO[key] = (list(views), value)
    return value


def build_context(views: list[PatchView], extra_texts: list[str] = ()) -> Context:
    return _memo("context", views, list(extra_texts), lambda: _build_context(views, extra_texts))


def _build_context(views: list[PatchView], extra_texts) -> Context:
    ctx = Context()
    texts: list[str] = []
    for view in views:
        texts += [view.new_texts[p] for p in view.new_texts]
    for view in views:
        texts += [view.old_texts[p] for p in view.old_texts]
    texts += list(extra_texts)
    texts.append(snapshot.DEFINITIONS)
    for text in texts:
        _learn_macros(parse(text), ctx)
    return ctx


def _learn_macros(root: Node, ctx: Context) -> None:
    for node in nodes_of(root, "preproc_def"):
        name = node.child_by_field_name("name")
        value = node.child_by_field_name("value")
        if name is not None and value is not None:
            body = text_of(value).replace("\\\n", " ").strip()
            ctx.macros.setdefault(text_of(name), body)
            ctx.all_bodies.setdefault(text_of(name), set()).add(" ".join(body.split()))
    for node in nodes_of(root, "preproc_function_def"):
        name = node.child_by_field_name("name")
        value = node.child_by_field_name("value")
        params = node.child_by_field_name("parameters")
        if name is not None and value is not None:
            plist = [text_of(p) for p in params.named_children] if params is not None else []
            body = text_of(value).replace("\\\n", " ").strip()
            ctx.func_macros.setdefault(text_of(name), (plist, body))


def runtime_facts(node: Node, ctx: Context) -> tuple[set[str], bool]:
    """(config facts implied by the `if` conditions around `node`, whether some enclosing
    condition could not be read). A condition is read through its macro definitions:
    `pgtable_supports_soft_dirty()` is `IS_ENABLED(CONFIG_MEM_SOFT_DIRTY)` per its definition."""
    facts: set[str] = set()
    opaque = False
    child, parent = node, node.parent
    while parent is not None and parent.type != "function_definition":
        if parent.type in ("if_statement", "conditional_expression"):
            cond = parent.child_by_field_name("condition")
            alt = parent.child_by_field_name("alternative")
            in_alt = alt is not None and (child == alt or _inside(child, alt))
            if cond is not None and not _inside(child, cond):
                got = _runtime(cond, not in_alt, ctx, 0)
                if got is None:
                    opaque = True
                else:
                    facts |= got
        elif parent.type in (
            "while_statement",
            "for_statement",
            "do_statement",
            "switch_statement",
        ):
            opaque = True
        child, parent = parent, parent.parent
    return facts, opaque


def _inside(node: Node, outer: Node) -> bool:
    return outer.start_byte <= node.start_byte and node.end_byte <= outer.end_byte


def _runtime(node: Node, holds: bool, ctx: Context, depth: int) -> set[str] | None:
    """Facts from a C condition being `holds`; None when nothing config-related is implied."""
    if depth > 8:
        return None
    kind = node.type
    if kind in ("parenthesized_expression", "condition_clause") and node.named_children:
        return _runtime(node.named_children[-1], holds, ctx, depth)
    if kind == "unary_expression" and text_of(node.child_by_field_name("operator")) == "!":
        return _runtime(node.child_by_field_name("argument"), not holds, ctx, depth)
    if kind == "binary_expression":
        op = text_of(node.child_by_field_name("operator"))
        left = _runtime(node.child_by_field_name("left"), holds, ctx, depth)
        right = _runtime(node.child_by_field_name("right"), holds, ctx, depth)
        if (op == "&&" and holds) or (op == "||" and not holds):
            if left is None and right is None:
                return None
            return (left or set()) | (right or set())
        return None
    if kind == "call_expression":
        func = text_of(node.child_by_field_name("function"))
        if func in ("IS_ENABLED", "IS_BUILTIN", "IS_REACHABLE"):
            return _facts(node, holds)
        body = ctx.body(func)
        if body is not None:
            return _runtime_text(body, holds, ctx, depth + 1)
        return None
    if kind == "identifier":
        name = text_of(node)
        if name.startswith("CONFIG_"):
            return {name if holds else "!" + name}
        body = ctx.body(name)
        if body is not None:
            return _runtime_text(body, holds, ctx, depth + 1)
    return None


def _runtime_text(text: str, holds: bool, ctx: Context, depth: int) -> set[str] | None:
    root = parse(f"int __x = ({text});")
    decl = nodes_of(root, "init_declarator")
    if not decl:
        return None
    value = decl[0].child_by_field_name("value")
    return _runtime(value, holds, ctx, depth) if value is not None else None


def bit_of(name: str) -> int | None:
    return registry.bit_of_name(name)


def mask_bits(name: str, ctx: Context, depth: int = 0) -> frozenset[int] | None:
    """Bits of a mask named `name` (VMA_xxx_FLAGS, VM_xxx, VMA_xxx), read from its definition,
    then from the model's tables. None when unknown."""
    return _mask_bits(name, ctx, depth)


def _mask_bits(name: str, ctx: Context, depth: int) -> frozenset[int] | None:
    if depth > 10:
        return None
    bit = bit_of(name)
    if bit is not None:
        return frozenset({bit})
    body = ctx.macros.get(name)
    if body is not None:
        got = expr_bits(body, ctx, depth + 1)
        if got is not None:
            return got
    mask = registry.mask_of_name(name)
    if mask is None:
        mask = registry.vma_mask_of_name(name)
    if mask is not None:
        return frozenset(i for i in range(64) if mask >> i & 1)
    return None


def expr_bits(text: str, ctx: Context, depth: int = 0) -> frozenset[int] | None:
    """Bits of a mask expression: mk_vma_flags(...), append_vma_flags(M, ...), A | B, BIT(n),
    INIT_VM_FLAG(X), names of other masks; None when a part is not understood."""
    root = parse(f"unsigned long __x = {text};")
    decl = nodes_of(root, "init_declarator")
    if not decl or decl[0].child_by_field_name("value") is None:
        return None
    return _node_bits(decl[0].child_by_field_name("value"), ctx, depth)


def _node_bits(node: Node, ctx: Context, depth: int) -> frozenset[int] | None:
    kind = node.type
    if kind == "parenthesized_expression" and node.named_children:
        return _node_bits(node.named_children[0], ctx, depth)
    if kind == "identifier":
        return _mask_bits(text_of(node), ctx, depth)
    if kind == "number_literal":
        try:
            value = int(text_of(node).rstrip("uUlL"), 0)
        except ValueError:
            return None
        return frozenset(i for i in range(64) if value >> i & 1)
    if kind == "binary_expression" and text_of(node.child_by_field_name("operator")) == "|":
        left = _node_bits(node.child_by_field_name("left"), ctx, depth)
        right = _node_bits(node.child_by_field_name("right"), ctx, depth)
        return None if left is None or right is None else left | right
    if kind == "call_expression":
        func = text_of(node.child_by_field_name("function"))
        args = [a for a in node.child_by_field_name("arguments").named_children]
        args = [a for a in args if a.type != "comment"]
        if func in ("mk_vma_flags", "append_vma_flags", "vma_flags_to_legacy", "BIT", "BIT_ULL"):
            out: set[int] = set()
            for i, arg in enumerate(args):
                if func in ("BIT", "BIT_ULL"):
                    got = _bit_number(arg, ctx)
                    if got is None:
                        return None
                    out.add(got)
                    continue
                part = (
                    _node_bits(arg, ctx, depth)
                    if func != "mk_vma_flags" and i == 0
                    else _arg_bit(arg, ctx, depth)
                )
                if part is None:
                    return None
                out |= part
            return frozenset(out)
        if func == "INIT_VM_FLAG" and args:
            got = bit_of(f"VMA_{text_of(args[0])}_BIT")
            return None if got is None else frozenset({got})
        body = ctx.func_macros.get(func)
        if body is not None and not body[0] and depth < 10:
            return expr_bits(body[1], ctx, depth + 1)
    return None


def _arg_bit(arg: Node, ctx: Context, depth: int) -> frozenset[int] | None:
    if arg.type == "number_literal":
        got = _bit_number(arg, ctx)
        return None if got is None else frozenset({got})
    return _node_bits(arg, ctx, depth)


def _bit_number(node: Node, ctx: Context) -> int | None:
    text = text_of(node).strip("() ")
    for cast in ("(__force int)", "(__force vma_flag_t)", "(int)"):
        text = text.replace(cast, "").strip()
    try:
        return int(text.rstrip("uUlL"), 0)
    except ValueError:
        return bit_of(text)


def macro_body_identifiers(body: str) -> list[tuple[str, int]]:
    """(identifier, byte offset) of every identifier in a macro body, from its parse."""
    return [(name, off) for name, off, _ in macro_body_uses(body)]


def macro_body_uses(body: str) -> list[tuple[str, int, str]]:
    """(identifier, byte offset, innermost call it is an argument of) in a macro body."""
    root = parse(f"unsigned long __x = {body};")
    prefix = len("unsigned long __x = ")
    return [
        (text_of(n), n.start_byte - prefix, _call_of(n))
        for n in nodes_of(root, "identifier")
        if n.start_byte >= prefix
    ]


@lru_cache(maxsize=64)
def atomic_allowed_bits() -> frozenset[int]:
    """Bits that may be set with the VMA only read-locked (VM_ATOMIC_SET_ALLOWED)."""
    mask = registry.mask_of_name("VM_ATOMIC_SET_ALLOWED") or 0
    return frozenset(i for i in range(64) if mask >> i & 1)


def _call_of(node: Node) -> str:
    parent = node.parent
    while parent is not None and parent.type in (
        "argument_list",
        "pointer_expression",
        "parenthesized_expression",
        "unary_expression",
    ):
        if parent.type == "argument_list":
            call = parent.parent
            if call is not None and call.type == "call_expression":
                return text_of(call.child_by_field_name("function"))
        parent = parent.parent
    return ""


def gated_flags(views: list[PatchView], tree_texts: list[str]) -> dict[str, frozenset[str]]:
    """VM_X name -> the CONFIG_ symbols it depends on (VM_NONE when none of them holds)."""
    return _memo("gates", views, list(tree_texts), lambda: _gated_flags(views, tree_texts))


def _gated_flags(views: list[PatchView], tree_texts: list[str]) -> dict[str, frozenset[str]]:
    """VM_X name -> the CONFIG_ symbols it depends on (VM_NONE when none of them holds)."""
    texts = [t for v in views for t in (*v.new_texts.values(), *v.old_texts.values())]
    texts += list(tree_texts)
    texts.append(snapshot.MM_H_CONDITIONAL_FLAGS)
    out: dict[str, frozenset[str]] = {}
    for text in texts:
        if "VM_NONE" not in text:
            continue
        for node in nodes_of(parse(text), "preproc_def"):
            name = node.child_by_field_name("name")
            value = node.child_by_field_name("value")
            if name is None or value is None or not text_of(name).startswith("VM_"):
                continue
            if text_of(value).strip() not in ("VM_NONE", "0"):
                continue
            symbols = {
                s for cond, _ in guards(node) for s in names_in(cond) if s.startswith("CONFIG_")
            }
            if symbols and text_of(name) not in out:
                out[text_of(name)] = frozenset(symbols)
    return out
