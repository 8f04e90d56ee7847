"""The one gate between helper code from mail and the compiler.

Every definition that goes into a harness (helpers the series changes, support definitions
taken from context, macros and their bodies) is parsed with tree-sitter-c and walked leaf by
leaf: each token must be a known identifier (the group's own definitions, the names the
harness shims declare, the flag constants, the definition's own parameters and locals), a C
operator or punctuator, an allowlisted keyword or a number. Anything else — strings, `asm`,
attributes, `extern`, `_Pragma`, `#include`, token pasting, calls through pointers, calls of
unknown names — refuses the definition with a reason. What passes is re-emitted from the vetted
tokens alone (comments and whitespace dropped), so the compiler sees exactly what was checked
and nothing a parser differential could hide."""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from reviewer.flagmodel.c_parse import Definition, parse, text_of, walk

MAX_DEFINITION_BYTES = 16 * 1024
MAX_EXPANSION_TOKENS = 20_000
MAX_NUMBER_CHARS = 24

ALLOWED_NODES = frozenset(
    {
        "function_definition",
        "compound_statement",
        "declaration",
        "init_declarator",
        "pointer_declarator",
        "array_declarator",
        "parameter_list",
        "parameter_declaration",
        "variadic_parameter",
        "return_statement",
        "if_statement",
        "else_clause",
        "for_statement",
        "while_statement",
        "do_statement",
        "break_statement",
        "continue_statement",
        "expression_statement",
        "binary_expression",
        "unary_expression",
        "assignment_expression",
        "update_expression",
        "call_expression",
        "argument_list",
        "field_expression",
        "subscript_expression",
        "pointer_expression",
        "parenthesized_expression",
        "cast_expression",
        "type_descriptor",
        "conditional_expression",
        "compound_literal_expression",
        "initializer_list",
        "initializer_pair",
        "field_designator",
        "subscript_designator",
        "identifier",
        "field_identifier",
        "type_identifier",
        "primitive_type",
        "sized_type_specifier",
        "type_qualifier",
        "storage_class_specifier",
        "number_literal",
        "true",
        "false",
        "null",
        "comment",
        "abstract_pointer_declarator",
        "abstract_array_declarator",
        "struct_specifier",
        "condition_clause",
        "comma_expression",
        "sizeof_expression",
        "function_declarator",  # only as the definition's own declarator (checked below)
        "translation_unit",
    }
)

KEYWORDS = frozenset(
    {
        "return", "if", "else", "for", "while", "do", "break", "continue", "sizeof",
        "static", "inline", "const", "volatile", "unsigned", "signed", "long", "int", "short",
        "char", "bool", "_Bool", "void", "struct", "true", "false", "NULL",
    }
)  # fmt: skip

PUNCTUATION = frozenset(
    {
        "(", ")", "{", "}", "[", "]", ";", ",", ".", "->", "?", ":", "...",
        "=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=",
        "+", "-", "*", "/", "%", "&", "|", "^", "~", "!", "<<", ">>",
        "&&", "||", "==", "!=", "<", ">", "<=", ">=", "++", "--",
    }
)  # fmt: skip

_MACRO_WRAPPERS = (
    ("static void __hx_wrap(void) { __hx_sink = (", "); }"),
    ("static void __hx_wrap(void) { ", " ; }"),
)


@dataclass(frozen=True)
class Vetted:
    """A definition that passed the allowlist, as canonical C rebuilt from its tokens."""

    name: str
    kind: str  # "function" | "macro"
    code: str  # the whole definition
    head: str  # functions: everything before the body (for a prototype); macros: ""
    refs: frozenset[str]  # identifiers of other definitions it uses
    size: int  # token count (macro expansion bound)


class Refused(Exception):
    """Why a definition may not be compiled (the message names the offending token).
    kind: FORBIDDEN (a construct the allowlist never passes), UNKNOWN (a name defined nowhere
    the harness can see) or INCOMPLETE (the patch does not show the whole definition)."""

    FORBIDDEN, UNKNOWN, INCOMPLETE = "forbidden", "unknown", "incomplete"

    def __init__(self, why: str, kind: str = "forbidden", name: str = ""):
        super().__init__(why)
        self.kind = kind
        self.name = name  # the unknown name, for UNKNOWN


def vet(defn: Definition, known: frozenset[str]) -> Vetted:
    """Check one definition against the allowlist; raise Refused with the reason."""
    if len(defn.text.encode()) > MAX_DEFINITION_BYTES:
        raise Refused(f"definition larger than {MAX_DEFINITION_BYTES} bytes")
    if defn.kind in ("macro", "const"):
        return _vet_macro(defn, known)
    return _vet_function(defn, known)


def _vet_function(defn: Definition, known: frozenset[str]) -> Vetted:
    node = defn.node
    if node.has_error:
        raise Refused("the patch text does not hold the whole definition", Refused.INCOMPLETE)
    own = _own_declarator(node)
    local = _declared_names(node) | {defn.name}
    tokens = _tokens(node, node.text or b"", node.start_byte, node.end_byte)
    refs = _check_tokens(node, tokens, known, local)
    _check_nodes(node, own)
    body = node.child_by_field_name("body")
    if body is None:
        raise Refused("function without a body")
    head = " ".join(t for n, t in tokens if n.end_byte <= body.start_byte)
    return Vetted(defn.name, "function", " ".join(t for _, t in tokens), head, refs, len(tokens))


def _vet_macro(defn: Definition, known: frozenset[str]) -> Vetted:
    params = [p for _, p in defn.params] if defn.kind == "macro" else []
    for p in params:
        if not p.isidentifier():
            raise Refused(f"macro parameter {p!r}")
    plist = defn.node.child_by_field_name("parameters")
    if plist is not None and "..." in text_of(plist):
        params.append("...")
    value = defn.node.child_by_field_name("value")
    # Line splices go first, as in translation phase 2; the tokens are re-emitted afterwards,
    # so what the compiler sees is what was checked.
    body = (text_of(value) if value is not None else "").replace("\\\r\n", "").replace("\\\n", "")
    if "\\" in body or "\n" in body:
        raise Refused("macro body has a stray backslash or line break")
    local = {p for p in params if p != "..."} | ({"__VA_ARGS__"} if "..." in params else set())
    for prefix, suffix in _MACRO_WRAPPERS:
        root = parse(prefix + body + suffix)
        if root.has_error:
            continue
        func = root.named_children[0] if root.named_children else None
        if func is None or func.type != "function_definition":
            continue
        block = func.child_by_field_name("body")
        if block is None:
            continue
        start, end = len(prefix.encode()), len(prefix.encode()) + len(body.encode())
        tokens = _tokens(root, root.text or b"", start, end)
        names = known | {"__hx_sink"}
        refs = _check_tokens(block, tokens, names, local | _declared_names(block))
        _check_nodes(block, None, within=(start, end))
        head = (
            f"#define {defn.name}({', '.join(params)})"
            if defn.kind == "macro"
            else f"#define {defn.name}"
        )
        code = head + " " + " ".join(t for _, t in tokens)
        return Vetted(defn.name, "macro", code, "", refs - {"__hx_sink"}, len(tokens))
    raise Refused("macro body is not a C expression or statement")


def _own_declarator(func: Node) -> Node | None:
    decl = func.child_by_field_name("declarator")
    while decl is not None and decl.type == "pointer_declarator":
        decl = decl.child_by_field_name("declarator")
    return decl if decl is not None and decl.type == "function_declarator" else None


def _check_nodes(root: Node, own: Node | None, within: tuple[int, int] | None = None) -> None:
    for node in walk(root):
        if within and (node.end_byte <= within[0] or node.start_byte >= within[1]):
            continue
        if node.is_missing or node.type == "ERROR":
            raise Refused("definition does not parse cleanly")
        if not node.is_named:
            continue
        if node.type not in ALLOWED_NODES:
            raise Refused(f"construct {node.type}")
        if node.type == "function_declarator" and node != own:
            raise Refused("a function declaration inside the definition")
        if node.type == "struct_specifier" and node.child_by_field_name("body") is not None:
            raise Refused("a struct definition inside the definition")
        if node.type == "call_expression":
            callee = node.child_by_field_name("function")
            if callee is None or callee.type != "identifier":
                raise Refused("a call through an expression")


def _tokens(root: Node, source: bytes, start: int, end: int) -> list[tuple[Node, str]]:
    """The leaves between start and end in source order (comments dropped). Every byte between
    two leaves must be white space: nothing can hide from the checks in a gap."""
    base = root.start_byte
    out: list[tuple[Node, str]] = []
    pos = start
    for node in walk(root):
        if node.child_count or node.end_byte <= start or node.start_byte >= end:
            continue
        if node.start_byte < start or node.end_byte > end:
            raise Refused("a token crosses the definition's boundary")
        gap = source[pos - base : node.start_byte - base]
        if gap.strip():
            raise Refused(f"unparsed text {gap.strip()[:20]!r}")
        pos = node.end_byte
        if node.type == "comment":
            continue
        out.append((node, source[node.start_byte - base : node.end_byte - base].decode()))
    if source[pos - base : end - base].strip():
        raise Refused("unparsed text at the end")
    return out


def _check_tokens(
    root: Node, tokens: list[tuple[Node, str]], known: frozenset[str], local: set[str]
) -> frozenset[str]:
    refs: set[str] = set()
    for node, text in tokens:
        kind = node.type
        if kind in ("identifier", "type_identifier"):
            if text in local:
                continue
            if text not in known:
                parent = node.parent
                if parent is not None and parent.type == "call_expression":
                    raise Refused(f"call of {text}()", Refused.UNKNOWN, text)
                raise Refused(f"identifier {text}", Refused.UNKNOWN, text)
            refs.add(text)
        elif kind == "field_identifier":
            if not text.isidentifier():
                raise Refused(f"field {text!r}")
        elif kind == "number_literal":
            if len(text) > MAX_NUMBER_CHARS or not text[:1].isdigit() and text[:1] != ".":
                raise Refused(f"number {text[:20]!r}")
        elif kind in ("primitive_type", "true", "false", "null"):
            if text not in KEYWORDS and text not in _PRIMITIVES:
                raise Refused(f"type {text}")
        elif text not in PUNCTUATION and text not in KEYWORDS:
            raise Refused(f"token {text[:20]!r}")
    for call in (n for n in walk(root) if n.type == "call_expression"):
        callee = text_of(call.child_by_field_name("function"))
        if callee in local:
            raise Refused(f"call of the local {callee}")
    return frozenset(refs)


_PRIMITIVES = frozenset({"size_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t", "ssize_t"})


def _declared_names(root: Node) -> set[str]:
    """Names the definition declares itself: parameters and locals (any scope inside it)."""
    out: set[str] = set()
    for node in walk(root):
        if node.type in ("declaration", "parameter_declaration"):
            for child in node.children_by_field_name("declarator"):
                name = _declarator_name(child)
                if name:
                    out.add(name)
    return out


def _declarator_name(node: Node | None) -> str:
    while node is not None:
        if node.type == "identifier":
            return text_of(node)
        if node.type == "function_declarator":
            return ""
        node = node.child_by_field_name("declarator")
    return ""


class _Anything(frozenset):
    """Every name is known (to list what a definition references). A union with it stays
    "everything": `known | {...}` in the vetting of a macro must not fall back to an empty
    set, or a macro's references (mk_vma_flags -> __mk_vma_flags) are never closed over."""

    def __contains__(self, item: object) -> bool:
        return True

    def __or__(self, other: object) -> _Anything:
        return self

    __ror__ = __or__


ANYTHING: frozenset[str] = _Anything()


def referenced_names(defn: Definition) -> frozenset[str]:
    """The identifiers a definition uses (besides its own parameters and locals); empty when
    it is refused for anything but the names it uses."""
    try:
        return vet(defn, ANYTHING).refs
    except Refused:
        return frozenset()


def expansion_sizes(vetted: dict[str, Vetted]) -> dict[str, int]:
    """Tokens each definition can expand to through the macros it uses (a macro bomb of nested
    definitions shows here, before the preprocessor ever sees it)."""
    sizes: dict[str, int] = {}

    def size(name: str, seen: frozenset[str]) -> int:
        if name in sizes:
            return sizes[name]
        v = vetted[name]
        total = v.size
        for ref in v.refs:
            if ref in vetted and vetted[ref].kind == "macro" and ref not in seen:
                total += size(ref, seen | {ref}) * max(1, _uses(v, ref))
                if total > MAX_EXPANSION_TOKENS:
                    break
        sizes[name] = total
        return total

    for name in vetted:
        size(name, frozenset({name}))
    return sizes


def _uses(v: Vetted, ref: str) -> int:
    return sum(1 for tok in v.code.split() if tok == ref)
