"""Conditional directives inside a changed fragment, decided by the configuration being checked.

A `#if` in the middle of a statement (``mk_vma_flags(VMA_EXEC_BIT`` / ``#if NUM_VMA_FLAG_BITS >
64`` / ``, 64, 65`` / ``#endif`` / ``);``) makes the fragment unparseable as C statements. The
preprocessor decides it before the compiler sees it, and so does the model: each
``#if``/``#ifdef``/``#ifndef``/``#elif``/``#else``/``#endif`` whose condition the configuration
decides (NUM_VMA_FLAG_BITS and BITS_PER_LONG of the build, CONFIG_ symbols and config-gated
``VM_X`` of the model's configuration, macros the series, tree or snapshot define) is blanked
with the lines of the branches not taken. Rows are kept, so a difference still points at its
line. A condition the model cannot decide leaves the text as it is."""

from __future__ import annotations

from tree_sitter import Node

from reviewer.flagmodel import registry
from reviewer.flagmodel.c_parse import nodes_of, parse, text_of
from reviewer.flagmodel.tree_state import Model

_OPENERS = ("if", "ifdef", "ifndef")


def _directive(line: str) -> tuple[str, str] | None:
    head = line.strip()
    if not head.startswith("#"):
        return None
    body = head[1:].strip()
    word = body.split(None, 1)[0] if body else ""
    rest = body[len(word) :].strip()
    if "/*" in rest:
        rest = rest.split("/*", 1)[0].strip()
    return word, rest


def select_branches(text: str, model: Model) -> str | None:
    """The text with every decidable conditional resolved (directive lines and the lines of
    branches not taken blanked), or None when it has no conditional or one is undecidable."""
    lines = text.split("\n")
    out: list[str] = []
    # per open conditional: [parent active, this branch taken, some branch already taken]
    stack: list[list[bool]] = []
    seen = False
    for line in lines:
        directive = _directive(line)
        active = all(frame[1] for frame in stack)
        if directive is None or directive[0] not in (*_OPENERS, "elif", "else", "endif"):
            out.append(line if active else "")
            continue
        seen = True
        word, rest = directive
        if word in _OPENERS:
            value = _decide(word, rest, model)
            if value is None:
                return None
            stack.append([active, value, value])
        elif not stack:
            return None  # closes a conditional the fragment does not open
        elif word == "elif":
            frame = stack[-1]
            if frame[2]:
                frame[1] = False
            else:
                value = _decide("if", rest, model)
                if value is None:
                    return None
                frame[1] = frame[2] = value
        elif word == "else":
            frame = stack[-1]
            frame[1] = not frame[2]
            frame[2] = True
        else:
            stack.pop()
        out.append("")
    if not seen or stack:
        return None
    return "\n".join(out)


def _decide(word: str, rest: str, model: Model) -> bool | None:
    if word in ("ifdef", "ifndef"):
        defined = _defined(rest.split()[0] if rest.split() else "", model)
        if defined is None:
            return None
        return defined if word == "ifdef" else not defined
    root = parse(f"#if {rest}\n#endif\n")
    found = nodes_of(root, "preproc_if")
    if root.has_error or not found:
        return None
    cond = found[0].child_by_field_name("condition")
    if cond is None:
        return None
    value = _value(cond, model)
    return None if value is None else value != 0


def _defined(name: str, model: Model) -> bool | None:
    if not name:
        return None
    known = model.symbol_defined(name)
    if known is not None:
        return known
    if name in ("NUM_VMA_FLAG_BITS", "BITS_PER_LONG") or model.definition(name) is not None:
        return True
    return None


def _value(node: Node, model: Model) -> int | None:
    kind = node.type
    if kind == "number_literal":
        try:
            return int(text_of(node).rstrip("uUlL"), 0)
        except ValueError:
            return None
    if kind == "identifier":
        name = text_of(node)
        if name == "NUM_VMA_FLAG_BITS":
            return model.num_bits
        if name == "BITS_PER_LONG":
            return registry.BITS_PER_LONG
        if name.startswith("CONFIG_"):
            return int(bool(model.symbol_defined(name)))
        return None
    if kind == "preproc_defined":
        idents = [c for c in node.named_children if c.type == "identifier"]
        defined = _defined(text_of(idents[0]), model) if idents else None
        return None if defined is None else int(defined)
    if kind == "parenthesized_expression" and len(node.named_children) == 1:
        return _value(node.named_children[0], model)
    if kind == "unary_expression":
        op = text_of(node.child_by_field_name("operator"))
        arg = _value(node.child_by_field_name("argument"), model)
        if arg is None:
            return None
        return {"!": int(not arg), "-": -arg, "+": arg, "~": ~arg}.get(op)
    if kind == "binary_expression":
        return _binary(node, model)
    return None


def _binary(node: Node, model: Model) -> int | None:
    op = text_of(node.child_by_field_name("operator"))
    left = _value(node.child_by_field_name("left"), model)
    if op == "&&" and left == 0 or op == "||" and left not in (0, None):
        return int(op == "||")
    right = _value(node.child_by_field_name("right"), model)
    if left is None or right is None:
        return None
    ops = {
        "&&": lambda: int(bool(left) and bool(right)),
        "||": lambda: int(bool(left) or bool(right)),
        ">": lambda: int(left > right),
        ">=": lambda: int(left >= right),
        "<": lambda: int(left < right),
        "<=": lambda: int(left <= right),
        "==": lambda: int(left == right),
        "!=": lambda: int(left != right),
        "+": lambda: left + right,
        "-": lambda: left - right,
        "*": lambda: left * right,
        "/": lambda: left // right if right else None,
    }
    fn = ops.get(op)
    return fn() if fn is not None else None
