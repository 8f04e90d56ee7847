"""Function-like macros in a flag fragment: expanded with the caller's argument text (so
the arguments are evaluated in the caller's frame) and the expansion evaluated; what the
expansion writes or emits is blamed on the block's own call of the macro."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from tree_sitter import Node

from reviewer.flagmodel import interp_expressions as expressions
from reviewer.flagmodel.c_parse import text_of
from reviewer.flagmodel.interp_values import Env, Unsupported


def expand_macro(env: Env, sourced, node: Node, args: list[Node]) -> Any:
    """Expand a function-like macro with the caller's arguments (their source text, so they
    are evaluated in the caller's frame) and evaluate the result."""
    defn = sourced.defn
    value = defn.node.child_by_field_name("value")
    if value is None:
        return None
    params = [p for _t, p in defn.params]
    plist = defn.node.child_by_field_name("parameters")
    if plist is not None and "..." in text_of(plist) and "..." not in params:
        params.append("...")  # tree-sitter does not name the variadic parameter
    texts = [text_of(a) for a in args]
    binding: dict[str, str] = {}
    for i, pname in enumerate(params):
        if pname == "...":
            binding["__VA_ARGS__"] = ", ".join(texts[i:])
            break
        if i >= len(texts):
            raise Unsupported(f"{defn.name}() macro given {len(texts)} arguments")
        binding[pname] = texts[i]
    body = text_of(value).replace("\\\n", " ")
    if "#" in body:
        raise Unsupported(f"{defn.name}() macro pastes or stringifies tokens")
    expanded = substitute(body, binding)
    key = f"{defn.name}:{expanded}"
    if key in env.expanding:
        raise Unsupported(f"{defn.name}() macro expands to itself")
    expr = expressions._expression_of(expanded)
    if expr is None:
        raise Unsupported(f"{defn.name}() ({sourced.file}) expands to something not an expression")
    env.expanding.add(key)
    site = env.macro_site
    if site is None and len(env.frames) == 1:
        env.macro_site = node  # writes and events of the expansion belong to the block's call
    try:
        return expressions.eval_expr(env, expr)
    finally:
        env.expanding.discard(key)
        env.macro_site = site


def substitute(body: str, binding: dict[str, str]) -> str:
    return _substituted(body, tuple(sorted(binding.items())))


@lru_cache(maxsize=8192)
def _substituted(body: str, items: tuple[tuple[str, str], ...]) -> str:
    """Replace the macro's parameter identifiers (found by tree-sitter's lexer, not by text
    search) with the argument texts."""
    from reviewer.flagmodel.c_parse import parse

    binding = dict(items)

    root = parse(body)
    raw = body.encode()
    out, last = [], 0
    stack = [root]
    spots = []
    while stack:
        n = stack.pop()
        if n.type == "identifier" and text_of(n) in binding:
            spots.append(n)
            continue
        stack.extend(n.children)
    for n in sorted(spots, key=lambda x: x.start_byte):
        out.append(raw[last : n.start_byte].decode())
        out.append(
            "(" + binding[text_of(n)] + ")" if text_of(n) != "__VA_ARGS__" else binding[text_of(n)]
        )
        last = n.end_byte
    out.append(raw[last:].decode())
    return "".join(out)
