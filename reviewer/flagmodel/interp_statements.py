"""Statements of a flag fragment, run over one assignment of the flag bits."""

from __future__ import annotations

from typing import Any

from tree_sitter import Node

from reviewer.flagmodel import interp_arrays as arrays
from reviewer.flagmodel import interp_expressions as expressions
from reviewer.flagmodel.c_parse import node_memo, open_body, text_of
from reviewer.flagmodel.interp_values import (
    UNINIT,
    Env,
    Flags,
    Return,
    Unsupported,
    freeze,
    store_local,
    subject,
    truth,
)


def run_statements(env: Env, stmts: list[Node]) -> Any:
    """Execute statements; returns ("return", value) / ("goto", label) / None."""
    try:
        for stmt in stmts:
            exec_stmt(env, stmt)
    except Return as ret:
        return ret.value
    return None


@node_memo
def _named(node: Node) -> tuple[Node, ...]:
    """A node's named children (the same on every run: asked once per node)."""
    return tuple(node.named_children)


@node_memo
def _code_children(node: Node) -> tuple[Node, ...]:
    """A compound statement's statements, comments left out."""
    return tuple(c for c in node.named_children if c.type != "comment")


@node_memo
def _if_parts(node: Node) -> tuple[Node | None, Node | None, Node | None, bool]:
    """An if statement's condition, consequence and alternative, and whether its body lies
    (partly) outside the diff (then the condition itself must agree)."""
    cond = node.child_by_field_name("condition")
    consequence = node.child_by_field_name("consequence")
    alternative = node.child_by_field_name("alternative")
    outside = _empty(consequence) or open_body(consequence) or open_body(alternative)
    return cond, consequence, alternative, outside


def exec_stmt(env: Env, node: Node) -> None:
    if env.tracing and len(env.frames) == 1:
        env.cur_stmt = node
    t = node.type
    if t == "expression_statement":
        named = _named(node)
        if named:
            expressions.eval_expr(env, named[0])
    elif t == "declaration":
        _exec_declaration(env, node)
    elif t == "if_statement":
        cond, consequence, alternative, outside = _if_parts(node)
        if cond is None:
            raise Unsupported("if without condition")
        taken = truth(env, expressions.eval_expr(env, cond))
        if env.tracing and len(env.frames) == 1:
            env.branches.append((cond, taken))
        if len(env.frames) == 1 and outside:
            # the body lies (partly) outside the diff: the condition itself must agree
            env.emit(("branch", int(taken)), cond)
        if taken:
            exec_stmt(env, consequence)
        elif alternative is not None:
            exec_stmt(env, alternative)
    elif t == "else_clause":
        for child in _named(node):
            exec_stmt(env, child)
    elif t == "compound_statement":
        for child in _code_children(node):
            exec_stmt(env, child)
    elif t == "return_statement":
        value = expressions.eval_expr(env, node.named_children[0]) if node.named_children else None
        env.emit(("return", freeze(value)), node)
        raise Return(("return", value))
    elif t == "goto_statement":
        label = text_of(node.named_children[0]) if node.named_children else ""
        env.emit(("goto", label), node)
        raise Return(("goto", label))
    elif t in ("comment", "empty_statement", ";", "preproc_function_def"):
        return  # a function-like macro defines, runs nothing (definitions: defs.py, harness)
    elif t in ("preproc_ifdef", "preproc_else"):
        _exec_ifdef(env, node)
    elif t == "for_statement":
        arrays.run_for(env, node)
    elif t == "break_statement":
        raise arrays.Break
    elif t == "continue_statement":
        raise arrays.Continue
    elif t == "labeled_statement":
        for child in node.named_children[1:]:
            exec_stmt(env, child)
    elif t == "preproc_def":
        value = node.child_by_field_name("value")
        name = text_of(node.child_by_field_name("name"))
        if value is not None:
            from reviewer.flagmodel.c_parse import parse_statements

            body = text_of(value).replace("\\\n", " ").strip().rstrip(";")
            frag = parse_statements(f"__macro = ({body});")
            if not frag.ok or not frag.statements:
                raise Unsupported("macro body does not parse as an expression")
            expr = frag.statements[0].named_children[0].child_by_field_name("right")
            events = len(env.events)
            value = expressions.eval_expr(env, expr)
            del env.events[events:]  # a #define runs nothing: only its value is compared
            store_local(env, name, value, declared=True)
    else:
        raise Unsupported(f"statement kind {t}")


def _empty(node: Node | None) -> bool:
    if node is None or node.type == "expression_statement" and not node.named_children:
        return True
    return node.type == "compound_statement" and not [
        c for c in node.named_children if c.type != "comment"
    ]


@node_memo
def _declaration_parts(
    node: Node,
) -> tuple[str, tuple[tuple[Node, Node | None, Node | None, str], ...]]:
    """A declaration's type text and, per declarator, (the declarator, its target and value
    when it has an initialiser, the declared name)."""
    type_text = text_of(node.child_by_field_name("type") or node)
    parts = []
    for decl in node.children_by_field_name("declarator"):
        if decl.type == "init_declarator":
            target = decl.child_by_field_name("declarator")
            parts.append((decl, target, decl.child_by_field_name("value"), _decl_name(target)))
        else:
            parts.append((decl, None, None, _decl_name(decl)))
    return type_text, tuple(parts)


def _exec_declaration(env: Env, node: Node) -> None:
    type_text, parts = _declaration_parts(node)
    for decl, target, value_node, name in parts:
        if decl.type == "init_declarator":
            if value_node is not None and arrays.struct_init(env, name, type_text, value_node):
                continue
            value = expressions.eval_expr(env, value_node) if value_node is not None else UNINIT
            if target is not None and target.type == "pointer_declarator" and value_node:
                subj = subject(env, value_node)
                if subj is not None:
                    env.frame.aliases[name] = subj
                    continue
            if isinstance(value, Flags) and "vma_flags_t" in type_text:
                value = Flags(value.bits, "bitmap")
            if len(env.frames) > 1 and "vma_flags_t" in type_text and _plain(target):
                _callee_flags(env, name, value)
                continue
            if type_text.split()[-1:] == ["bool"] and value is not UNINIT:
                value = int(truth(env, value))
            store_local(env, name, value, declared=True)
        elif decl.type in ("identifier", "pointer_declarator", "array_declarator"):
            if name and len(env.frames) > 1 and "vma_flags_t" in type_text and _plain(decl):
                _callee_flags(env, name, Flags(0, "bitmap"))
            elif name:
                store_local(env, name, UNINIT, declared=True)
        elif decl.type == "function_declarator":
            continue


def _decl_name(node: Node | None) -> str:
    while node is not None and node.type != "identifier":
        node = node.child_by_field_name("declarator")
    return text_of(node) if node is not None else ""


def _plain(decl: Node | None) -> bool:
    return decl is not None and decl.type == "identifier"


def _callee_flags(env: Env, name: str, value) -> None:
    """A vma_flags_t local of a helper being interpreted: a private subject of its frame, so
    its address and its bitmap (``dst.__vma_flags``) reach the same storage."""
    key = f"<f{len(env.frames)}:{name}>"
    env.subjects[key] = value if isinstance(value, Flags) else Flags(0, "bitmap")
    env.frame.aliases[name] = key


def _exec_ifdef(env: Env, node: Node) -> None:
    """``#ifdef X`` / ``#ifndef X`` / ``#else`` inside a block, decided by the configuration."""
    if node.type == "preproc_else":
        for child in node.named_children:
            exec_stmt(env, child)
        return
    name_node = node.child_by_field_name("name")
    name = text_of(name_node) if name_node is not None else ""
    defined = env.model.symbol_defined(name)
    if defined is None and env.model.definition(name) is not None:
        defined = True
    if defined is None:
        raise Unsupported(f"#ifdef {name}: not a symbol the model knows")
    negated = text_of(node.children[0]).strip() == "#ifndef"
    taken = defined != negated
    alternative = node.child_by_field_name("alternative")
    for child in node.named_children:
        if child in (name_node, alternative):
            continue
        if taken:
            exec_stmt(env, child)
    if not taken and alternative is not None:
        exec_stmt(env, alternative)
