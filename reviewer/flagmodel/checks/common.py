"""What the per-bug-class checks share: line bookkeeping over a patch view, the #if branches around
a node, what a row's configuration is known to be, flag masks resolved from macro definitions
(series, base tree, shipped snapshot, model bit table), and the base tree read through git."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from tree_sitter import Node

from reviewer.flagmodel import registry
from reviewer.flagmodel.c_parse import nodes_of, parse, text_of, walk
from reviewer.flagmodel.checks import snapshot
from reviewer.flagmodel.tree_state import names_in

if TYPE_CHECKING:
    from reviewer.flagmodel.check import PatchView
    from reviewer.flagmodel.hunk_pairs import FileDiff

PREPROC_BRANCHES = ("preproc_if", "preproc_ifdef", "preproc_elif", "preproc_elifdef")


# ---------------------------------------------------------------------------------------------
# lines
# ---------------------------------------------------------------------------------------------


def added_lines(f: FileDiff) -> set[int]:
    return {ln.new_no for h in f.hunks for ln in h.lines if ln.tag == "+" and ln.new_no}


def removed_text(f: FileDiff) -> str:
    return "\n".join(ln.text for h in f.hunks for ln in h.lines if ln.tag == "-")


def line_at(view: PatchView, path: str, row: int) -> int:
    nums = view.new_numbers[path]
    return nums[row] if 0 <= row < len(nums) else 0


def contiguous(view: PatchView, path: str, first_row: int, last_row: int) -> bool:
    """The new-side rows first..last are consecutive real lines (no hunk gap between them)."""
    nums = view.new_numbers[path][first_row : last_row + 1]
    return bool(nums) and all(b == a + 1 for a, b in zip(nums, nums[1:], strict=False))


def c_files(view: PatchView) -> Iterator[FileDiff]:
    for f in view.files:
        if f.new_path != "/dev/null" and f.path.endswith((".c", ".h")):
            yield f


# ---------------------------------------------------------------------------------------------
# preprocessor branches
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# runtime conditions around a statement
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# flag masks from definitions
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# identifiers on added lines, macro bodies included
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Use:
    name: str
    line: int  # post-image line
    anchor: Node  # the identifier itself, or the #define holding it
    macro: str = ""  # name of the #define whose body holds it ("" in code)
    call: str = ""  # innermost call the identifier is an argument of (code only)


_PER_FILE: dict[tuple[str, int], tuple[object, object]] = {}


def _per_file(kind: str, f: FileDiff, build):
    """One value per FileDiff object (the checks of one run share blocks and uses)."""
    hit = _PER_FILE.get((kind, id(f)))
    if hit is not None and hit[0] is f:
        return hit[1]
    if len(_PER_FILE) > 4096:
        _PER_FILE.clear()
    value = build()
    _PER_FILE[(kind, id(f))] = (f, value)
    return value


def blocks(f: FileDiff):
    """hunk_pairs.change_blocks(f), computed once per file diff."""
    from reviewer.flagmodel.hunk_pairs import change_blocks

    return _per_file("blocks", f, lambda: change_blocks(f))


def added_uses(view: PatchView, f: FileDiff) -> list[Use]:
    return _per_file("uses", f, lambda: _added_uses(view, f))


def _added_uses(view: PatchView, f: FileDiff) -> list[Use]:
    """Every identifier on an added line of `f`'s new side, with the identifiers of macro
    bodies (tree-sitter keeps a #define body as one token) read from the body's own parse."""
    root = view.new_roots[f.path]
    added = added_lines(f)
    out: list[Use] = []
    for node in nodes_of(root, "identifier"):
        line = line_at(view, f.path, node.start_point[0])
        if line in added:
            out.append(Use(text_of(node), line, node, "", _call_of(node)))
    for node in nodes_of(root, "preproc_def", "preproc_function_def"):
        value = node.child_by_field_name("value")
        name = node.child_by_field_name("name")
        if value is None or name is None:
            continue
        body = text_of(value)
        for ident, offset, call in macro_body_uses(body.replace("\\\n", "  ")):
            row = value.start_point[0] + body[:offset].count("\n")
            line = line_at(view, f.path, row)
            if line in added:
                out.append(Use(ident, line, node, text_of(name), call))
    return out


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


def enclosing(node: Node, *kinds: str) -> Node | None:
    parent = node.parent
    while parent is not None and parent.type not in kinds:
        parent = parent.parent
    return parent


@lru_cache(maxsize=8192)
def line_names(text: str) -> frozenset[str]:
    """Identifiers of one diff line, #define bodies included."""

    names = set(names_in(text))
    root = parse(text.replace("\\", " "))
    for node in nodes_of(root, "preproc_def", "preproc_function_def"):
        value = node.child_by_field_name("value")
        if value is not None:
            names |= {n for n, _ in macro_body_identifiers(text_of(value))}
    return frozenset(names)


def block_removed_names(block) -> set[str]:
    out: set[str] = set()
    for ln in block.changed("-"):
        out |= line_names(ln.text)
    return out


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
