"""Preprocessor structure around a node: the #if branches, the configuration facts they imply
(tree-sitter parse of each condition), branches read from directive lines when hunks cut an #if
apart, and the bit enum entries (DECLARE_VMA_BIT) of a tree."""

from __future__ import annotations

from functools import lru_cache

from tree_sitter import Node

from reviewer.flagmodel.c_parse import nodes_of, parse, text_of, walk

PREPROC_BRANCHES = ("preproc_if", "preproc_ifdef", "preproc_elif", "preproc_elifdef")


def _directive(node: Node) -> str:
    return text_of(node.children[0]).strip() if node.children else ""


def branch_condition(node: Node) -> tuple[str, bool]:
    """(condition text, positive) of one #if/#ifdef/#ifndef/#elif node's own body."""
    if node.type in ("preproc_ifdef", "preproc_elifdef"):
        name = node.child_by_field_name("name")
        neg = "ifndef" in _directive(node) or "elifndef" in _directive(node)
        return (text_of(name) if name is not None else ""), not neg
    cond = node.child_by_field_name("condition")
    return (text_of(cond) if cond is not None else ""), True


def branches(node: Node) -> list[tuple[Node, int]]:
    """(top #if node, branch index) from the outside in, for every conditional around `node`.
    Branch 0 is the #if body, 1.. the #elif/#else alternatives in order."""
    out: list[tuple[Node, int]] = []
    child, parent = node, node.parent
    while parent is not None:
        if parent.type in PREPROC_BRANCHES or parent.type == "preproc_else":
            alt = parent.child_by_field_name("alternative")
            if alt is None or child.id != alt.id:
                top, idx = parent, 0
                while top.type not in ("preproc_if", "preproc_ifdef") and top.parent is not None:
                    top, idx = top.parent, idx + 1
                out.append((top, idx))
        child, parent = parent, parent.parent
    return list(reversed(out))


def exclusive(a: Node, b: Node) -> bool:
    """`a` and `b` sit in different branches of the same #if (never compiled together)."""
    pa = {top.id: idx for top, idx in branches(a)}
    return any(top.id in pa and pa[top.id] != idx for top, idx in branches(b))


def guards(node: Node) -> list[tuple[str, bool]]:
    """(condition, holds) of every conditional around `node`: holds=False for a branch taken
    when the condition is false (#else, #ifndef, the conditions before an #elif)."""
    out: list[tuple[str, bool]] = []
    child = node
    parent = node.parent
    while parent is not None:
        if parent.type in PREPROC_BRANCHES or parent.type == "preproc_else":
            alt = parent.child_by_field_name("alternative")
            in_alt = alt is not None and child.id == alt.id
            if parent.type != "preproc_else":
                cond, positive = branch_condition(parent)
                out.append((cond, positive != in_alt))
        child, parent = parent, parent.parent
    return out


def config_facts(node: Node) -> set[str]:
    """CONFIG_ symbols known enabled ("CONFIG_X") or disabled ("!CONFIG_X") at `node` from the
    preprocessor conditions around it (only facts that follow from the condition for sure)."""
    facts: set[str] = set()
    for cond, holds in guards(node):
        facts |= implied(cond, holds)
    return facts


def implied(cond: str, holds: bool) -> set[str]:
    """Facts implied by `cond` being `holds`, read from the condition's parse."""
    root = parse(f"#if {cond}\n#endif\n")
    [ifnode] = nodes_of(root, "preproc_if") or [None]
    expr = ifnode.child_by_field_name("condition") if ifnode is not None else None
    if expr is None:
        # a bare #ifdef name
        return {cond if holds else "!" + cond} if cond.startswith("CONFIG_") else set()
    return _facts(expr, holds)


def _facts(node: Node, holds: bool) -> set[str]:
    kind = node.type
    if kind == "parenthesized_expression" and node.named_children:
        return _facts(node.named_children[0], holds)
    if kind == "identifier":
        name = text_of(node)
        return {name if holds else "!" + name} if name.startswith("CONFIG_") else set()
    if kind == "preproc_defined":
        ident = [c for c in node.named_children if c.type == "identifier"]
        if ident:
            name = text_of(ident[0])
            return {name if holds else "!" + name}
        return set()
    if kind == "unary_expression" and text_of(node.child_by_field_name("operator")) == "!":
        return _facts(node.child_by_field_name("argument"), not holds)
    if kind == "call_expression":
        func = text_of(node.child_by_field_name("function"))
        args = node.child_by_field_name("arguments")
        if func in ("IS_ENABLED", "IS_BUILTIN", "IS_REACHABLE") and args is not None:
            inner = [c for c in args.named_children if c.type == "identifier"]
            if inner:
                name = text_of(inner[0])
                return {name if holds else "!" + name}
        return set()
    if kind == "binary_expression":
        op = text_of(node.child_by_field_name("operator"))
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if (op == "&&" and holds) or (op == "||" and not holds):
            return _facts(left, holds) | _facts(right, holds)
        if op in (">", ">=", "<", "<=", "==", "!="):
            # a comparison mentions its CONFIG_ symbols (CONFIG_ARCH_PKEY_BITS > 3)
            names = {text_of(n) for n in walk(node) if n.type == "identifier"}
            return {n for n in names if n.startswith("CONFIG_")} if holds else set()
    return set()


def disjuncts(cond: str) -> list[str]:
    """Top-level `||` operands of a preprocessor condition (the condition itself if none)."""
    root = parse(f"#if {cond}\n#endif\n")
    ifs = nodes_of(root, "preproc_if")
    if not ifs or ifs[0].child_by_field_name("condition") is None:
        return [cond]
    out: list[str] = []

    def split(node: Node) -> None:
        while node.type == "parenthesized_expression" and node.named_children:
            node = node.named_children[0]
        op = node.child_by_field_name("operator") if node.type == "binary_expression" else None
        if op is not None and text_of(op) == "||":
            split(node.child_by_field_name("left"))
            split(node.child_by_field_name("right"))
        else:
            out.append(text_of(node))

    split(ifs[0].child_by_field_name("condition"))
    return out or [cond]


def guard_implies_any(node: Node, symbols: frozenset[str]) -> bool:
    """Some #if around `node` holds only when one of `symbols` is set (every branch of its
    `||` implies one of them)."""
    for cond, holds in guards(node):
        if not holds:
            continue
        parts = [implied(part, True) for part in disjuncts(cond)]
        if parts and all(p & symbols for p in parts):
            return True
    return False


DECLARE_MACROS = ("DECLARE_VMA_BIT", "DECLARE_VMA_BIT_ALIAS")


def declares(root: Node):
    """(DECLARE_VMA_BIT identifier node, [argument texts]) of every bit enum entry."""
    for node in nodes_of(root, "identifier"):
        if text_of(node) not in DECLARE_MACROS:
            continue
        top = node
        while top.parent is not None:
            top = top.parent
        line = top.text.decode(errors="replace").splitlines()[node.start_point[0]]
        stmt = line[node.start_point[1] :].split(")")[0] + ");"
        call = nodes_of(parse(stmt), "call_expression")
        if call:
            args = call[0].child_by_field_name("arguments")
            yield node, [text_of(a) for a in args.named_children] if args is not None else []


def _directive_word(line: str) -> str:
    head = line.lstrip()
    if not head.startswith("#"):
        return ""
    rest = head[1:].lstrip()
    return rest.split()[0] if rest.split() else ""


@lru_cache(maxsize=256)
def row_branches(text: str) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Per row of a side text, the (conditional id, branch index) stack from its directive
    lines: works when the hunks cut an #if apart, where the parse cannot pair #if and #else."""
    out = []
    stack: list[list[int]] = []
    next_id = 0
    for line in text.split("\n"):
        word = _directive_word(line)
        if word in ("if", "ifdef", "ifndef"):
            stack.append([next_id, 0])
            next_id += 1
            out.append(tuple(tuple(s) for s in stack))
            continue
        if word in ("elif", "else", "elifdef", "elifndef") and stack:
            stack[-1][1] += 1
        elif word == "endif" and stack:
            stack.pop()
        out.append(tuple(tuple(s) for s in stack))
    return tuple(out)


def exclusive_rows(text: str, row_a: int, row_b: int) -> bool:
    rows = row_branches(text)
    if not (0 <= row_a < len(rows) and 0 <= row_b < len(rows)):
        return False
    a = dict(rows[row_a])
    return any(cid in a and a[cid] != idx for cid, idx in rows[row_b])
