"""tree-sitter-c wrappers: parse diff fragments and pull definitions out of C text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import tree_sitter_c
from tree_sitter import Language, Node, Parser

_WRAP_HEAD = "void __flagmodel_fragment(void) {\n"


@lru_cache(maxsize=1)
def _language() -> Language:
    return Language(tree_sitter_c.language())


@lru_cache(maxsize=1)
def _parser() -> Parser:
    return Parser(_language())


# Kernel attribute macros tree-sitter does not know, blanked to the same length so byte offsets
# and line numbers stay valid.
_BLANKS = (
    ("__always_inline", "inline         "),
    ("__private", "         "),
    ("__randomize_layout", "                  "),
    ("__force", "       "),
    ("__bitwise", "         "),
)


def blank_attributes(text: str) -> str:
    """`text` as the parser sees it: the kernel attribute macros blanked (same length)."""
    for word, repl in _BLANKS:
        text = text.replace(word, repl)
    return text


NODE_MEMOS: list = []  # memos keyed by nodes (check.clear_memos forgets them with the trees)


def node_memo(fn):
    """Memoise a function of a node alone: trees are memoised per content and never edited,
    so what depends only on the node is the same on every run of the interpreter."""
    memo = lru_cache(maxsize=1 << 16)(fn)
    NODE_MEMOS.append(memo)
    return memo


@lru_cache(maxsize=8192)
def parse(text: str) -> Node:
    """Parse C text; memoised per content (trees are never edited, so sharing them is safe)."""
    return _parser().parse(blank_attributes(text).encode()).root_node


@lru_cache(maxsize=1 << 17)
def text_of(node: Node) -> str:
    """Source text of a node (memoised: the interpreter asks for the same nodes on every run;
    trees are memoised per content and never edited, so a node's text never changes)."""
    return node.text.decode() if node.text is not None else ""


def has_error(node: Node) -> bool:
    return node.has_error


@dataclass
class Fragment:
    """Statements of a diff fragment parsed inside a dummy function body."""

    root: Node
    statements: list[Node]
    ok: bool


def parse_statements(text: str) -> Fragment:
    """Parse a run of C statements (possibly an unterminated if header or open braces)."""
    body = _close_fragment(text)
    root = parse(_WRAP_HEAD + body + "\n}\n")
    func = root.children[0] if root.children else None
    stmts: list[Node] = []
    if func is not None and func.type == "function_definition":
        block = func.child_by_field_name("body")
        if block is not None:
            stmts = [c for c in block.named_children if c.type != "comment"]
    return Fragment(root, stmts, not root.has_error and func is not None)


OPEN_BODY = "/*flagmodel:open*/"  # marks a brace the fragment left open (its body goes on)


def _close_fragment(text: str) -> str:
    code = strip_comments(text).rstrip()
    depth = code.count("{") - code.count("}")
    if code.endswith(")") or code.endswith("else"):
        code += " ;"
    return code + "\n" + (OPEN_BODY + "}") * max(depth, 0)


def open_body(node: Node | None) -> bool:
    """A block the fragment opens but does not close: the rest of its body lies outside the
    diff (parse_statements closed it)."""
    if node is not None and node.type == "else_clause":
        node = next((c for c in node.named_children if c.type != "comment"), None)
    if node is None or node.type != "compound_statement" or not node.named_children:
        return False
    last = node.named_children[-1]
    return last.type == "comment" and text_of(last) == OPEN_BODY


_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)


def strip_comments(text: str) -> str:
    # Only used to balance braces of fragments; the real parse keeps comments as nodes.
    return _COMMENT.sub(
        lambda m: (
            " " * len(m.group(0)) if "\n" not in m.group(0) else "\n" * m.group(0).count("\n")
        ),
        text,
    )


@dataclass
class Definition:
    name: str
    kind: str  # "function" | "macro"
    text: str
    params: list[tuple[str, str]]  # (type text, name)
    node: Node
    start_line: int  # 0-based line in the parsed text
    conditions: tuple[str, ...] = ()  # enclosing #if/#ifdef conditions


def walk(node: Node):
    """Every node under `node` (itself included), in source order."""
    cursor = node.walk()
    while True:
        yield cursor.node
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent() or cursor.node == node:
                return


@lru_cache(maxsize=8192)
def nodes_by_type(root: Node) -> dict[str, tuple[Node, ...]]:
    """All nodes under `root` grouped by type, in source order; built once per tree."""
    out: dict[str, list[Node]] = {}
    for node in walk(root):
        out.setdefault(node.type, []).append(node)
    return {kind: tuple(nodes) for kind, nodes in out.items()}


def nodes_of(root: Node, *kinds: str) -> list[Node]:
    """Nodes of the given types under `root`, in source order."""
    index = nodes_by_type(root)
    if len(kinds) == 1:
        return list(index.get(kinds[0], ()))
    found = [n for k in kinds for n in index.get(k, ())]
    return sorted(found, key=lambda n: (n.start_byte, -n.end_byte))


def definitions(root: Node) -> list[Definition]:
    """Every function definition and function-like macro, with the #if nesting around it.
    The tree is read once (the same texts come back: a file's unchanged runs in every state);
    each call gets its own Definition objects, as callers key them by identity."""
    return [
        Definition(d.name, d.kind, d.text, list(d.params), d.node, d.start_line, d.conditions)
        for d in _tree_definitions(root)
    ]


@node_memo
def _tree_definitions(root: Node) -> tuple[Definition, ...]:
    out: list[Definition] = []
    _collect(root, (), out)
    return tuple(out)


@lru_cache(maxsize=4096)
def all_definitions(root: Node) -> tuple[Definition, ...]:
    """Like ``definitions`` plus object-like macros (kind "const": ``#define NAME value``),
    memoised per tree."""
    out: list[Definition] = []
    _collect(root, (), out, consts=True)
    return tuple(out)


def _collect(
    node: Node, conds: tuple[str, ...], out: list[Definition], consts: bool = False
) -> None:
    for child in node.children:
        if consts and child.type == "preproc_def":
            name = child.child_by_field_name("name")
            if name is not None and child.child_by_field_name("value") is not None:
                out.append(
                    Definition(
                        text_of(name),
                        "const",
                        text_of(child),
                        [],
                        child,
                        child.start_point[0],
                        conds,
                    )
                )
        elif child.type == "function_definition":
            d = _function_def(child, conds)
            if d:
                out.append(d)
        elif child.type == "preproc_function_def":
            name = child.child_by_field_name("name")
            params = child.child_by_field_name("parameters")
            plist = []
            if params is not None:
                plist = [("", text_of(p)) for p in params.named_children]
            if name is not None:
                out.append(
                    Definition(
                        text_of(name),
                        "macro",
                        text_of(child),
                        plist,
                        child,
                        child.start_point[0],
                        conds,
                    )
                )
        elif child.type in (
            "preproc_if",
            "preproc_ifdef",
            "preproc_elif",
            "preproc_else",
            "preproc_elifdef",
        ):
            cond = _condition_text(child)
            inner = conds + (cond,) if cond else conds
            _collect(child, inner, out, consts)
        elif child.type in (
            "translation_unit",
            "declaration_list",
            "linkage_specification",
            "ERROR",
        ):
            _collect(child, conds, out, consts)


def _condition_text(node: Node) -> str:
    if node.type == "preproc_ifdef":
        name = node.child_by_field_name("name")
        head = text_of(node.children[0]) if node.children else "#ifdef"
        neg = "!" if "ifndef" in head else ""
        return f"{neg}{text_of(name)}" if name is not None else ""
    if node.type == "preproc_else":
        return "else"
    cond = node.child_by_field_name("condition")
    return text_of(cond) if cond is not None else ""


def _function_def(node: Node, conds: tuple[str, ...]) -> Definition | None:
    decl = node.child_by_field_name("declarator")
    while decl is not None and decl.type in ("pointer_declarator", "parenthesized_declarator"):
        decl = decl.child_by_field_name("declarator")
    if decl is None or decl.type != "function_declarator":
        return None
    name = decl.child_by_field_name("declarator")
    params = decl.child_by_field_name("parameters")
    plist: list[tuple[str, str]] = []
    if params is not None:
        for p in params.named_children:
            if p.type != "parameter_declaration":
                continue
            pname = _declarator_name(p.child_by_field_name("declarator"))
            ptype = text_of(p)
            if pname:
                ptype = ptype[: ptype.rfind(pname)].strip() if pname in ptype else ptype
            plist.append((" ".join(ptype.split()), pname))
    if name is None:
        return None
    return Definition(
        text_of(name), "function", text_of(node), plist, node, node.start_point[0], conds
    )


def _declarator_name(node: Node | None) -> str:
    while node is not None:
        if node.type == "identifier":
            return text_of(node)
        node = node.child_by_field_name("declarator")
    return ""


def function_body(defn: Definition) -> Node | None:
    if defn.kind != "function":
        return None
    return defn.node.child_by_field_name("body")


def normalized(node: Node) -> str:
    """Token text without comments or whitespace differences (for drift comparisons)."""
    toks: list[str] = []
    for n in walk(node):
        if n.type == "comment":
            continue
        if n.child_count == 0:
            toks.append(text_of(n))
    return " ".join(toks)


def unparen(node: Node | None) -> Node | None:
    """The expression inside parentheses (and an expression statement's expression)."""
    while node is not None and node.type in ("parenthesized_expression", "expression_statement"):
        inner = [c for c in node.named_children if c.type != "comment"]
        if len(inner) != 1:
            break
        node = inner[0]
    return node


def operator_text(node: Node) -> str:
    """A binary/unary expression's operator, "" when it has none."""
    op = node.child_by_field_name("operator")
    return text_of(op) if op is not None else ""
