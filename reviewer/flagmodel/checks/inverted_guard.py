"""inverted-guard: a preprocessor condition the patch rewrites into its negation (`#ifdef X` ->
`#ifndef X`, `#if defined(X)` -> `#if !defined(X)`, `NUM_VMA_FLAG_BITS > 64` -> `<= 64`).

In each change block the removed and the added #if/#ifdef/#ifndef/#elif lines are paired in
order; each condition is parsed (tree-sitter) into a boolean function over its atoms
(`defined(X)` and `X` are one atom, comparisons are atoms with <=, <, != read as negations of
>, >=, ==) and compared over every assignment: error when the new one is the exact negation of
the old one. Equal or otherwise different conditions are left alone (a guard may change on
purpose); a new guard with no old counterpart is judged by the config-gated check."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import TYPE_CHECKING

from tree_sitter import Node

from reviewer.flagmodel import registry
from reviewer.flagmodel.c_parse import nodes_of, parse, text_of
from reviewer.flagmodel.checks import common, snapshot
from reviewer.flagmodel.findings import CheckReport, Finding, Severity

if TYPE_CHECKING:
    from reviewer.flagmodel.patch_view import PatchView

CHECK = "inverted-guard"
_NEGATED = {"<=": ">", "<": ">=", "!=": "=="}
# model helpers whose variable arguments are bit numbers
_BIT_TAKERS = frozenset(h.name for h in registry.HELPERS if h.args in ("bits", "bit"))


def run(views: list[PatchView], report: CheckReport, repo: Path | None) -> None:
    gates = common.gated_flags(views, [])
    for view in views:
        for f in common.c_files(view):
            paired: set[int] = set()
            for block in common.blocks(f):
                old = [ln for ln in block.changed("-") if _is_cond(ln.text)]
                new = [ln for ln in block.changed("+") if _is_cond(ln.text)]
                paired |= {n.new_no or 0 for n in new[: len(old)]}
                for o, n in zip(old, new, strict=False):
                    if _inverted(o.text, n.text):
                        report.add(
                            Finding(
                                Severity.ERROR,
                                CHECK,
                                view.index,
                                f.path,
                                n.new_no or 0,
                                f"guard inverted: `{n.text.strip()}` is the negation of the "
                                f"`{o.text.strip()}` it replaces, so the code under it now "
                                "builds exactly where it did not",
                            )
                        )
            _unpaired(view, f, paired, gates, report)


def _is_cond(text: str) -> bool:
    head = text.lstrip()
    if not head.startswith("#"):
        return False
    word = head[1:].lstrip().split(" ")[0].split("\t")[0]
    return word in ("if", "ifdef", "ifndef", "elif")


def _function(text: str):
    """(atoms, evaluator) of one conditional directive line, or None."""
    head = text.strip().lstrip("#").lstrip()
    if head.startswith("elif"):
        head = "if" + head[4:]
    root = parse("#" + head + "\n#endif\n")
    nodes = nodes_of(root, "preproc_ifdef", "preproc_if")
    if not nodes:
        return None
    node = nodes[0]
    if node.type == "preproc_ifdef":
        name = node.child_by_field_name("name")
        if name is None:
            return None
        neg = text_of(node.children[0]).strip().endswith("ifndef")
        atom = text_of(name)
        return [atom], lambda env: (not env[atom]) if neg else env[atom]
    cond = node.child_by_field_name("condition")
    if cond is None:
        return None
    atoms: list[str] = []
    _collect(cond, atoms)
    if not atoms or len(atoms) > 10:
        return None
    return atoms, lambda env: _eval(cond, env)


def _atom(node: Node) -> tuple[str, bool] | None:
    """(atom, negated) for a leaf condition."""
    if node.type == "identifier":
        return text_of(node), False
    if node.type == "preproc_defined":
        ident = [c for c in node.named_children if c.type == "identifier"]
        return (text_of(ident[0]), False) if ident else None
    if node.type == "binary_expression":
        op = text_of(node.child_by_field_name("operator"))
        left = text_of(node.child_by_field_name("left"))
        right = text_of(node.child_by_field_name("right"))
        if op in _NEGATED:
            return f"{left}{_NEGATED[op]}{right}", True
        if op in (">", ">=", "=="):
            return f"{left}{op}{right}", False
    return None


def _collect(node: Node, atoms: list[str]) -> None:
    got = _atom(node)
    if got is not None:
        if got[0] not in atoms:
            atoms.append(got[0])
        return
    for child in node.named_children:
        _collect(child, atoms)


def _eval(node: Node, env: dict[str, bool]) -> bool:
    got = _atom(node)
    if got is not None:
        return env[got[0]] != got[1]
    kind = node.type
    if kind == "parenthesized_expression" and node.named_children:
        return _eval(node.named_children[0], env)
    if kind == "unary_expression" and text_of(node.child_by_field_name("operator")) == "!":
        return not _eval(node.child_by_field_name("argument"), env)
    if kind == "binary_expression":
        op = text_of(node.child_by_field_name("operator"))
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if op == "&&":
            return _eval(left, env) and _eval(right, env)
        if op == "||":
            return _eval(left, env) or _eval(right, env)
    if kind == "number_literal":
        return text_of(node).strip("uUlL") not in ("0", "0x0")
    raise ValueError(f"condition part not understood: {text_of(node)}")


def _inverted(old_text: str, new_text: str) -> bool:
    """The new directive's condition is the negation of the old one for every assignment."""
    old, new = _function(old_text), _function(new_text)
    if old is None or new is None:
        return False
    atoms = sorted(set(old[0]) | set(new[0]))
    renamed = old[0][0].replace("VMA_", "VM_") == new[0][0].replace("VMA_", "VM_") or (
        _respelt(old[0][0], new[0][0])
    )
    if set(old[0]) != set(new[0]) and len(old[0]) == len(new[0]) == 1 and renamed:
        # a renamed macro tested the same way (VM_DATA_DEFAULT_FLAGS -> VMA_DATA_DEFAULT_FLAGS)
        atom = old[0][0]
        new = ([atom], lambda env, f=new[1], n=new[0][0]: f({n: env[atom]}))
        atoms = [atom]
    if len(atoms) > 10:
        return False
    try:
        for values in itertools.product((False, True), repeat=len(atoms)):
            env = dict(zip(atoms, values, strict=True))
            if old[1](env) == new[1](env):
                return False
    except (ValueError, KeyError):
        return False
    return True


def _respelt(old: str, new: str) -> bool:
    """Two comparison atoms that differ only in a near-miss spelling of the quantity compared
    (`NUM_VMA_FLAGS>BITS_PER_LONG` -> `NUM_VMA_FLAG_BITS>BITS_PER_LONG`: a misspelt macro the
    patch corrects is the same test)."""
    import difflib

    for op in (">=", ">", "=="):
        if op in old and op in new:
            o_left, o_right = old.split(op, 1)
            n_left, n_right = new.split(op, 1)
            if o_right == n_right and o_left != n_left:
                return difflib.SequenceMatcher(None, o_left, n_left).ratio() >= 0.8
            if o_left == n_left and o_right != n_right:
                return difflib.SequenceMatcher(None, o_right, n_right).ratio() >= 0.8
            return False
    return False


# ---------------------------------------------------------------------------------------------
# a new guard (no old counterpart) that contradicts what it guards
# ---------------------------------------------------------------------------------------------


def _unpaired(view, f, paired: set[int], gates, report: CheckReport) -> None:
    root = view.new_roots[f.path]
    added = common.added_lines(f)
    takers = _bit_callees(root)
    seen: set[int] = set()
    for node in nodes_of(root, "preproc_ifdef", "preproc_if", "preproc_elif"):
        line = common.line_at(view, f.path, node.start_point[0])
        seen.add(node.start_point[0])
        if line not in added or line in paired:
            continue
        reason = _contradiction(node, gates, takers) or _unbuilt_users(view, node)
        if reason:
            report.add(
                Finding(
                    Severity.ERROR,
                    CHECK,
                    view.index,
                    f.path,
                    line,
                    f"guard looks inverted: `{text_of(node).splitlines()[0].strip()}` {reason}",
                )
            )
    _unparsed(view, f, paired, seen, report, takers)


def _unparsed(
    view, f, paired: set[int], seen: set[int], report: CheckReport, takers: frozenset[str]
) -> None:
    """Added #if lines the parse does not see as a conditional (inside an argument list, or
    swallowed by a comment a hunk cut): the literals of the rows up to its #else/#elif/#endif,
    from the file's parse or, when it has none there, from those rows parsed alone."""
    text = view.new_texts[f.path]
    lines = text.split("\n")
    added = common.added_lines(f)
    root = view.new_roots[f.path]
    literals = nodes_of(root, "number_literal")
    for row, raw in enumerate(lines):
        line = common.line_at(view, f.path, row)
        if row in seen or line not in added or line in paired or not _is_cond(raw):
            continue
        head = raw.strip().lstrip("#").strip()
        word = head.split()[0]
        if word not in ("if", "elif"):
            continue
        cond = head[len(word) :].strip()
        end = row + 1
        while end < len(lines) and not _directive_ends(lines[end]):
            end += 1
        reason = _region_contradiction(root, cond, row, end, literals) or _rows_contradiction(
            lines[row + 1 : end], cond, takers
        )
        if reason:
            report.add(
                Finding(
                    Severity.ERROR,
                    CHECK,
                    view.index,
                    f.path,
                    line,
                    f"guard looks inverted: `{raw.strip()}` {reason}",
                )
            )


def _region_contradiction(root: Node, cond: str, row: int, end: int, literals) -> str:
    """What the rows row+1..end-1 hold that the condition `cond` rules out."""
    facts = snapshot.closure(common.implied(cond, True))
    if "!CONFIG_64BIT" in facts:
        high = [
            b
            for n in nodes_of(root, "identifier")
            if row < n.start_point[0] < end
            for b in [registry.bit_of_name(text_of(n))]
            if b is not None and b >= 32
        ]
        high += [
            int(args[1])
            for decl, args in common.declares(root)
            if row < decl.start_point[0] < end
            and text_of(decl) == "DECLARE_VMA_BIT"
            and len(args) == 2
            and args[1].isdigit()
            and int(args[1]) >= 32
        ]
        if high:
            return (
                f"excludes 64-bit builds, yet the code under it uses bit {high[0]}, which only "
                "64-bit builds have"
            )
    bound = _bits_bound(cond, True)
    if bound is None:
        return ""
    values = [
        _int(n)
        for n in literals
        if row < n.start_point[0] < end
        and n.parent is not None
        and n.parent.type in ("ERROR", "argument_list", "comma_expression")
    ]
    big = [v for v in values if v >= bound]
    if big:
        return (
            f"limits NUM_VMA_FLAG_BITS to {bound} or less, yet the bits listed under it include "
            f"{big[0]}"
        )
    return ""


def _rows_contradiction(rows: list[str], cond: str, takers: frozenset[str]) -> str:
    """The rows under a directive parsed on their own: bits its NUM_VMA_FLAG_BITS bound rules
    out passed to calls that take bits."""
    from reviewer.flagmodel.c_parse import parse_statements

    bound = _bits_bound(cond, True)
    frag = parse_statements("\n".join(rows))
    if bound is None or not frag.ok:
        return ""
    big = [v for stmt in frag.statements for v in _bit_literals(stmt, takers) if v >= bound]
    if big:
        return (
            f"limits NUM_VMA_FLAG_BITS to {bound} or less, yet the code under it uses bit {big[0]}"
        )
    return ""


def _directive_ends(raw: str) -> bool:
    head = raw.strip()
    return head.startswith("#") and head.lstrip("#").strip().split(" ")[0] in (
        "else",
        "elif",
        "endif",
    )


def _body(node: Node) -> list[Node]:
    """The nodes of the branch this directive opens (not its #else/#elif alternatives)."""
    alt = node.child_by_field_name("alternative")
    skip = {node.child_by_field_name("name"), node.child_by_field_name("condition"), alt}
    skip_ids = {n.id for n in skip if n is not None}
    return [c for c in node.named_children if c.id not in skip_ids]


def _contradiction(node: Node, gates, takers: frozenset[str] = frozenset()) -> str:
    cond, positive = common.branch_condition(node)
    facts = snapshot.closure(common.implied(cond, positive))
    body = _body(node)
    if node.type == "preproc_ifdef" and positive:
        name = node.child_by_field_name("name")
        for child in body:
            if child.type in ("preproc_def", "preproc_function_def"):
                defined = child.child_by_field_name("name")
                if name is not None and defined is not None and text_of(defined) == text_of(name):
                    return (
                        f"defines {text_of(name)} only when it is already defined (the override "
                        "idiom is #ifndef)"
                    )
    for child in body:
        for use in _identifiers(child):
            if use.endswith("_BIT") and use.startswith("VMA_"):
                symbols = gates.get("VM_" + use[4:-4])
                if symbols and all("!" + s in facts for s in symbols):
                    return (
                        f"excludes {' and '.join(sorted(symbols))}, the only configuration where "
                        f"the {use} it guards is a real flag"
                    )
    if "!CONFIG_64BIT" in facts:
        for child in body:
            high = [b for b in _bits_used(child) if b >= 32]
            if high:
                return (
                    f"excludes 64-bit builds, yet the code under it uses bit {high[0]}, which "
                    "only 64-bit builds have"
                )
    bound = _bits_bound(cond, positive)
    if bound is not None:
        for child in body:
            for value in _bit_literals(child, takers):
                if value >= bound:
                    return (
                        f"limits NUM_VMA_FLAG_BITS to {bound} or less, yet the code under it uses "
                        f"bit {value}"
                    )
    return ""


def _unbuilt_users(view, node: Node) -> str:
    """The guard keeps what it defines out of every build of the files of the patch that use
    it: `#ifndef CONFIG_MMU` around a helper that mm/mprotect.c (built only with CONFIG_MMU,
    the shipped build facts) calls on an added line. An #else branch defining them too is a
    stub twin (nothing is lost)."""
    cond, positive = common.branch_condition(node)
    excluded = {f[1:] for f in snapshot.closure(common.implied(cond, positive)) if f[0] == "!"}
    if not excluded:
        return ""
    names = _defined(_body(node))
    alt = node.child_by_field_name("alternative")
    if alt is not None:
        names -= _defined(alt.named_children)
    if not names:
        return ""
    for f in common.c_files(view):
        built = snapshot.build_configs(f.path) & excluded
        if not built:
            continue
        added = common.added_lines(f)
        for call in nodes_of(view.new_roots[f.path], "call_expression"):
            func = text_of(call.child_by_field_name("function"))
            if func in names and common.line_at(view, f.path, call.start_point[0]) in added:
                return (
                    f"leaves {func}() undefined with {' and '.join(sorted(built))}, yet "
                    f"{f.path}, built only with {' and '.join(sorted(built))}, calls it"
                )
    return ""


def _defined(nodes: list[Node]) -> set[str]:
    out: set[str] = set()
    for child in nodes:
        if child.type in ("preproc_def", "preproc_function_def"):
            name = child.child_by_field_name("name")
            if name is not None:
                out.add(text_of(name))
        for fn in nodes_of(child, "function_declarator") if child.type != "comment" else []:
            name = fn.child_by_field_name("declarator")
            if name is not None and name.type == "identifier":
                out.add(text_of(name))
    return out


def _bits_used(node: Node) -> list[int]:
    out = [b for b in (registry.bit_of_name(n) for n in _identifiers(node)) if b is not None]
    for decl, args in common.declares(node):
        if text_of(decl) == "DECLARE_VMA_BIT" and len(args) == 2 and args[1].isdigit():
            out.append(int(args[1]))
    return out


def _identifiers(node: Node) -> list[str]:
    out = [text_of(n) for n in nodes_of(node, "identifier")] if node.type != "identifier" else []
    if node.type == "identifier":
        out.append(text_of(node))
    for d in nodes_of(node, "preproc_def", "preproc_function_def") or (
        [node] if node.type in ("preproc_def", "preproc_function_def") else []
    ):
        value = d.child_by_field_name("value")
        if value is not None:
            out += [n for n, _ in common.macro_body_identifiers(text_of(value))]
    return out


def _bit_callees(root: Node) -> frozenset[str]:
    """Functions and macros the file calls with a VMA_xxx_BIT argument somewhere: their
    literal arguments are bit numbers too (`do_test_and_reset(VMA_READ_BIT, 64)` elsewhere
    makes the 64 of `do_test_and_reset(64)` a bit)."""
    out = set()
    for call in nodes_of(root, "call_expression"):
        args = call.child_by_field_name("arguments")
        if args is None:
            continue
        if any(registry.bit_of_name(text_of(a)) is not None for a in args.named_children):
            out.add(text_of(call.child_by_field_name("function")))
    return frozenset(out)


def _bit_literals(node: Node, takers: frozenset[str] = frozenset()) -> list[int]:
    """Literal bit numbers: arguments of a call that takes bits (a model helper with bit
    arguments, mk_vma_flags(), a call the file makes elsewhere with VMA_xxx_BIT arguments, or
    any call next to VMA_xxx_BIT names), or loose list items (`, 64, 65` continuing an
    argument list across the #if)."""
    out: list[int] = []
    literals = [node] if node.type == "number_literal" else nodes_of(node, "number_literal")
    for lit in literals:
        call = lit.parent
        while (
            call is not None
            and call.type not in ("call_expression", "ERROR")
            and (call.id != node.id)
        ):
            call = call.parent
        if call is None or call.type == "ERROR" or call.id == node.id:
            if lit.parent is not None and lit.parent.type in ("ERROR", "comma_expression"):
                out.append(_int(lit))
            continue
        args = call.child_by_field_name("arguments")
        names = [text_of(a) for a in args.named_children] if args is not None else []
        func = text_of(call.child_by_field_name("function"))
        if (
            func in _BIT_TAKERS
            or func in takers
            or func in ("mk_vma_flags", "append_vma_flags")
            or any(n.startswith("VMA_") and n.endswith("_BIT") for n in names)
        ):
            out.append(_int(lit))
    return [v for v in out if v >= 0]


def _int(node: Node) -> int:
    try:
        return int(text_of(node).rstrip("uUlL"), 0)
    except ValueError:
        return -1


def _bits_bound(cond: str, positive: bool) -> int | None:
    """Largest NUM_VMA_FLAG_BITS the condition allows (`NUM_VMA_FLAG_BITS > 64` false: 64)."""
    fn = _function("#if " + cond)
    if fn is None:
        return None
    atoms, evaluate = fn
    width = [a for a in atoms if a.startswith("NUM_VMA_FLAG_BITS>")]
    if len(atoms) != 1 or len(width) != 1:
        return None
    try:
        limit = int(width[0].split(">", 1)[1].lstrip("="), 0)
    except ValueError:
        return None
    inclusive = width[0].startswith("NUM_VMA_FLAG_BITS>=")
    holds_when_wide = evaluate({width[0]: True})
    if positive == holds_when_wide:
        return None  # the branch is the wide one
    return limit if not inclusive else limit - 1
