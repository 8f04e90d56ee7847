"""Mutants of real conversions, to measure how many slips the checker catches.

Each mutant changes one added line of one patch in a way that is a known conversion mistake
(swap or drop a bit, ANY<->ALL, add or drop a negation, set<->clear, a VM_ mask where a bit is
expected, and in helper definitions ANY implemented as ALL, OR as AND-NOT, a word-clear dropped
or narrowed to the first word)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

from reviewer.diff.anchor import Kind, positions
from reviewer.flagmodel import registry
from reviewer.flagmodel.c_parse import parse, text_of, walk
from reviewer.models import Patch

ANY_ALL = {
    "vma_flags_test": "vma_flags_test_all",
    "vma_flags_test_all": "vma_flags_test",
    "vma_flags_test_mask": "vma_flags_test_all_mask",
    "vma_flags_test_all_mask": "vma_flags_test_mask",
}
SET_CLEAR = {
    "vma_flags_set": "vma_flags_clear",
    "vma_flags_clear": "vma_flags_set",
    "vma_desc_set_flags": "vma_desc_clear_flags",
    "vma_desc_clear_flags": "vma_desc_set_flags",
    "vma_desc_set_flags_mask": "vma_desc_clear_flags_mask",
    "vma_desc_clear_flags_mask": "vma_desc_set_flags_mask",
}
TESTS = {
    "vma_flags_test",
    "vma_flags_test_all",
    "vma_desc_test_flags",
    "vma_test_all_flags",
    "vma_test_all_flags_mask",
    "vma_flags_test_mask",
    "vma_desc_test_flags_mask",
}
HELPER_DEF_MUTATIONS = [
    ("any-as-all", "bitmap_intersects(", "bitmap_subset("),
    ("all-as-any", "bitmap_subset(", "bitmap_intersects("),
    (
        "or-as-andnot",
        "bitmap_or(bitmap, bitmap, bitmap_to_set",
        "bitmap_andnot(bitmap, bitmap, bitmap_to_set",
    ),
    ("drop-word-clear", "\tvma_flags_clear_all(&flags);\n", "\n"),
    (
        "first-word-only-clear",
        "bitmap_zero(flags->__vma_flags, NUM_VMA_FLAG_BITS);",
        "flags->__vma_flags[0] = 0;",
    ),
]


@dataclass
class Mutant:
    kind: str
    patch_index: int
    file: str
    line_text: str
    mutated: str
    patch: Patch


def replace_line(patch: Patch, old: str, new: str, occurrence: int = 0) -> Patch:
    """The patch with its `occurrence`-th diff line equal to `old` replaced by `new`
    (lines include their +/-/space tag); ValueError when there is no such line."""
    return _replace_line(patch, old, new, occurrence)


def _replace_line(patch: Patch, old: str, new: str, occurrence: int) -> Patch:
    lines = patch.diff.split("\n")
    seen = 0
    for i, line in enumerate(lines):
        if line == old:
            if seen == occurrence:
                lines[i] = new
                return dataclasses.replace(patch, diff="\n".join(lines))
            seen += 1
    raise ValueError("line not found")


def _line_mutations(text: str) -> Iterator[tuple[str, str]]:
    """(kind, mutated line) for one added line of a conversion."""
    root = parse(text)
    calls = [n for n in walk(root) if n.type == "call_expression"]
    for call in calls:
        fn = call.child_by_field_name("function")
        name = text_of(fn)
        args = [
            a for a in call.child_by_field_name("arguments").named_children if a.type != "comment"
        ]
        bit_args = [a for a in args if registry.bit_of_name(text_of(a)) is not None]
        if name in ANY_ALL and len(bit_args) >= 2:
            yield "any<->all", _splice(text, fn, ANY_ALL[name])
        if name in SET_CLEAR:
            yield "set<->clear", _splice(text, fn, SET_CLEAR[name])
        if name in TESTS:
            parent = call.parent
            if (
                parent is not None
                and parent.type == "unary_expression"
                and text_of(parent).startswith("!")
            ):
                yield (
                    "drop-negation",
                    _drop_bang(text, parent, call),
                )
            else:
                yield "add-negation", _splice(text, call, "!" + text_of(call))
        for arg in bit_args:
            bit = registry.bit_of_name(text_of(arg))
            other = _other_bit(bit, {registry.bit_of_name(text_of(a)) for a in bit_args})
            yield "swap-bit", _splice(text, arg, other)
            yield "mask-as-bit", _splice(text, arg, "VM_" + text_of(arg)[4:-4])
            if len(bit_args) >= 2:
                yield "drop-bit", _drop_arg(text, call, arg)


def _other_bit(bit: int | None, used: set[int | None]) -> str:
    for cand in (bit + 1 if bit is not None else 0, (bit or 0) + 2, 0, 1, 3):
        if cand not in used and cand < 31:
            for name, num in registry.BITS.items():
                if num == cand:
                    return f"VMA_{name}_BIT"
    return "VMA_READ_BIT"


def _splice(text: str, node, replacement: str) -> str:
    raw = text.encode()
    return (raw[: node.start_byte] + replacement.encode() + raw[node.end_byte :]).decode()


def _drop_bang(text: str, unary, call) -> str:
    raw = text.encode()
    return (
        raw[: unary.start_byte] + raw[call.start_byte : call.end_byte] + raw[unary.end_byte :]
    ).decode()


def _drop_arg(text: str, call, arg) -> str:
    raw = text.encode()
    args = [a for a in call.child_by_field_name("arguments").named_children]
    idx = args.index(arg)
    start = args[idx - 1].end_byte if idx > 0 else arg.start_byte
    end = arg.end_byte if idx > 0 else args[idx + 1].start_byte
    return (raw[:start] + raw[end:]).decode()


def conversion_mutants(patches: list[Patch], lines: set[tuple[int, str]]) -> Iterator[Mutant]:
    """Mutants of added lines that belong to verified conversions ((patch, line text) pairs)."""
    for patch in patches:
        seen: dict[str, int] = {}
        for raw in _added_lines(patch):
            occurrence = seen.get(raw, 0)
            seen[raw] = occurrence + 1
            if (patch.index, raw) not in lines:
                continue
            for kind, mutated in _line_mutations(raw[1:]):
                if mutated == raw[1:]:
                    continue
                try:
                    mpatch = _replace_line(patch, raw, "+" + mutated, occurrence)
                except ValueError:
                    continue
                yield Mutant(kind, patch.index, "", raw, "+" + mutated, mpatch)


def _helper_lines(patch: Patch) -> list[str]:
    """Added lines of the files that hold helper definitions (kernel and tools copies)."""
    return _added_lines(patch, ("include/linux/", "tools/testing/vma/"))


def _added_lines(patch: Patch, under: tuple[str, ...] = ("",)) -> list[str]:
    """The added lines ("+" included) of the files under ``under``, read from the one diff parse."""
    return [
        p.text for p in positions(patch.diff) if p.kind == Kind.ADD and p.file.startswith(under)
    ]


def helper_mutants(patches: list[Patch]) -> Iterator[Mutant]:
    for patch in patches:
        for kind, old, new in HELPER_DEF_MUTATIONS:
            added = _helper_lines(patch)
            added_text = "\n".join(ln[1:] for ln in added)
            if old not in added_text and old.strip() not in added_text:
                continue
            for line in added:
                if old.strip() in line:
                    mutated = line.replace(old.strip(), new.strip()) if new.strip() else "+"
                    mpatch = _replace_line(patch, line, mutated, 0)
                    yield Mutant(kind, patch.index, "", line, mutated, mpatch)
                    break


# ---------------------------------------------------------------------------------------------
# Mutants of the March 2026 series (one class per real bug class; each knows its line)
# ---------------------------------------------------------------------------------------------

MARCH_CLASSES = (
    "wrong-bit",
    "dropped-bit",
    "any<->all",
    "set<->clear",
    "negation",
    "dead-local",
    "one-sided-twin",
    "high-bit-macro",
    "kconfig-typo",
    "inverted-guard",
)
_SET_CLEAR_PAIRS = (
    ("vma_flags_set", "vma_flags_clear"),
    ("vma_set_flags", "vma_clear_flags"),
    ("vma_desc_set_flags", "vma_desc_clear_flags"),
)


@dataclass
class SiteMutant:
    kind: str
    patch_index: int
    file: str
    line: int  # post-image line of the mutated line
    original: str
    mutated: str
    patch: Patch


def added_sites(patch: Patch) -> Iterator[tuple[str, int, str, int]]:
    """(file, post-image line, added line text without '+', occurrence of that diff line).
    Positions come from the one repaired diff parse (reviewer.diff.anchor)."""
    seen: dict[str, int] = {}
    for pos in positions(patch.diff):
        if pos.kind == Kind.ADD:
            occurrence = seen.get(pos.text, 0)
            seen[pos.text] = occurrence + 1
            yield pos.file, pos.new, pos.text[1:], occurrence
        elif pos.kind == Kind.CTX:
            seen[pos.text] = seen.get(pos.text, 0) + 1


def _line_tree(text: str):
    """(root, shift): a parse of the line's code, macro bodies included; node.start_byte - shift
    is the byte offset in `text`."""
    stripped = text.rstrip().removesuffix("\\")
    root = parse(stripped)
    defs = [n for n in walk(root) if n.type in ("preproc_def", "preproc_function_def")]
    if defs and defs[0].child_by_field_name("value") is not None:
        value = defs[0].child_by_field_name("value")
        prefix = "unsigned long __x = "
        body = stripped.encode()[value.start_byte : value.end_byte].decode()
        return parse(prefix + body + ";"), len(prefix.encode()) - value.start_byte
    if stripped.lstrip().startswith("#"):
        return None, 0
    return root, 0


def _replace_bytes(text: str, start: int, end: int, new: str) -> str:
    raw = text.encode()
    return (raw[:start] + new.encode() + raw[end:]).decode()


def _calls(root):
    for node in walk(root):
        if node.type == "call_expression":
            args = [a for a in node.child_by_field_name("arguments").named_children]
            yield node, text_of(node.child_by_field_name("function")), args


def _line_class_mutants(text: str, path: str, known: set[str]) -> Iterator[tuple[str, str]]:
    root, shift = _line_tree(text)
    if root is None:
        return
    in_macro = shift != 0
    for call, name, args in _calls(root):
        fn = call.child_by_field_name("function")
        bit_args = [a for a in args if registry.bit_of_name(text_of(a)) is not None]
        if bit_args:
            arg = bit_args[0]
            used = {registry.bit_of_name(text_of(a)) for a in bit_args}
            other = _other_bit(registry.bit_of_name(text_of(arg)), used)
            yield (
                "wrong-bit",
                _replace_bytes(text, arg.start_byte - shift, arg.end_byte - shift, other),
            )
        if len(bit_args) >= 2:
            last = bit_args[-1]
            prev = args[args.index(last) - 1]
            yield (
                "dropped-bit",
                _replace_bytes(text, prev.end_byte - shift, last.end_byte - shift, ""),
            )
        multi = len(bit_args) >= 2 or (
            "mask" in name and args and _multi_bit(text_of(args[-1]), path)
        )
        for a, b in (("_test_any", "_test_all"), ("_test_all", "_test_any")):
            if a in name and name.replace(a, b) in known and multi:
                yield (
                    "any<->all",
                    _replace_bytes(
                        text, fn.start_byte - shift, fn.end_byte - shift, name.replace(a, b)
                    ),
                )
        for s, c in _SET_CLEAR_PAIRS:
            for a, b in ((s, c), (c, s)):
                if name.startswith(a) and name.replace(a, b, 1) in known:
                    yield (
                        "set<->clear",
                        _replace_bytes(
                            text, fn.start_byte - shift, fn.end_byte - shift, name.replace(a, b, 1)
                        ),
                    )
        if (
            "test" in name
            and not in_macro
            and (name in known or name.startswith(("vma_flags_", "vma_test", "vma_desc_test")))
        ):
            parent = call.parent
            if (
                parent is not None
                and parent.type == "unary_expression"
                and text_of(parent).startswith("!")
            ):
                yield (
                    "negation",
                    _replace_bytes(
                        text, parent.start_byte - shift, parent.end_byte - shift, text_of(call)
                    ),
                )
            else:
                yield (
                    "negation",
                    _replace_bytes(
                        text, call.start_byte - shift, call.end_byte - shift, "!" + text_of(call)
                    ),
                )
        if (
            in_macro
            and name in ("mk_vma_flags", "append_vma_flags")
            and bit_args
            and not path.startswith(("tools/", "arch/"))
            and all((registry.bit_of_name(text_of(a)) or 0) < 32 for a in bit_args)
        ):
            arg = bit_args[-1]
            yield (
                "high-bit-macro",
                _replace_bytes(
                    text, arg.start_byte - shift, arg.end_byte - shift, "VMA_SEALED_BIT"
                ),
            )


def _multi_bit(mask: str, path: str) -> bool:
    """The mask has two bits or more in some configuration the file is checked in (ANY and
    ALL of a single bit are the same test: such a mutant would be equivalent). A mask the
    model cannot evaluate counts as multi-bit."""
    from reviewer.flagmodel import interp_expressions, interp_values
    from reviewer.flagmodel.interp_expressions import _expression_of
    from reviewer.flagmodel.tree_state import Model

    tools = path.startswith("tools/")
    expr = _expression_of(mask)
    if expr is None:
        return True
    for features in ("min",) if tools else ("all", "min"):
        model = Model("S3")
        model.features, model.tools, model.num_bits = features, tools, 128 if tools else 64
        env = interp_values.Env(model, {}, {}, set(), {})
        try:
            value = interp_expressions.eval_expr(env, expr)
        except Exception:  # noqa: BLE001 - unknown: keep the mutant
            return True
        if not isinstance(value, interp_values.Flags) or bin(value.bits).count("1") >= 2:
            return True
    return False


def _kconfig_typo(text: str) -> Iterator[tuple[str, str]]:
    for node in walk(parse(text.rstrip().removesuffix("\\"))):
        name = text_of(node) if node.type == "identifier" else ""
        if name.startswith("CONFIG_") and len(name) > 10:
            body = name[7:]
            mid = len(body) // 2
            if body[mid - 1] != body[mid]:
                typo = "CONFIG_" + body[: mid - 1] + body[mid] + body[mid - 1] + body[mid + 1 :]
            else:
                typo = "CONFIG_" + body[:mid] + body[mid + 1 :]
            yield "kconfig-typo", _replace_bytes(text, node.start_byte, node.end_byte, typo)
            return


def _inverted(text: str) -> Iterator[tuple[str, str]]:
    head = text.lstrip()
    if not head.startswith("#"):
        return
    rest = head[1:].lstrip()
    word = rest.split()[0] if rest.split() else ""
    indent = text[: len(text) - len(head)]
    cond = rest[len(word) :].strip()
    comment = ""
    if "/*" in cond:
        cond, comment = cond.split("/*", 1)[0].strip(), " /*" + cond.split("/*", 1)[1]
    if word == "ifdef":
        yield "inverted-guard", f"{indent}#ifndef {cond}{comment}"
    elif word == "ifndef":
        yield "inverted-guard", f"{indent}#ifdef {cond}{comment}"
    elif word in ("if", "elif") and cond and not cond.endswith("\\"):
        yield "inverted-guard", f"{indent}#{word} !({cond}){comment}"


CONVERSION_CLASSES = ("wrong-bit", "dropped-bit", "any<->all", "set<->clear", "negation")


def _conversion_lines(patch: Patch) -> set[tuple[str, int]]:
    """(file, post-image line) of added lines in change blocks that also remove lines: the
    conversions, where the old side says what the new one must do."""
    from reviewer.flagmodel.block_context import enclosing_function
    from reviewer.flagmodel.hunk_pairs import change_blocks, parse_diff

    out: set[tuple[str, int]] = set()
    for f in parse_diff(patch.diff):
        sides = {side: f.side_text(side) for side in ("old", "new")}
        roots = {side: parse(text) for side, (text, _nums) in sides.items()}
        for block in change_blocks(f):
            if not block.changed("-"):
                continue
            new_fn = enclosing_function(roots["new"], sides["new"][1], block.line)
            old_fn = enclosing_function(roots["old"], sides["old"][1], block.old_line)
            if new_fn and old_fn and new_fn != old_fn:
                continue  # git aligned another function's body: new code, no old side
            out |= {(f.path, ln.new_no or 0) for ln in block.changed("+")}
    return out


def march_mutants(patches: list[Patch]) -> Iterator[SiteMutant]:
    """One mutant per class and added line (where the class applies) over a revision; the
    conversion classes only on conversion lines (a slip in brand-new code has no old side to
    be measured against)."""
    known = {h.name for h in registry.HELPERS}
    for patch in patches:
        for raw in _added_lines(patch):
            if "define " in raw:
                for n in walk(parse(raw[1:].rstrip().removesuffix("\\"))):
                    if n.type == "identifier":
                        known.add(text_of(n))
    for patch in patches:
        conversions = _conversion_lines(patch)
        for path, line, text, occurrence in added_sites(patch):
            if not path.endswith((".c", ".h")):
                continue
            found: dict[str, str] = {}
            for kind, mutated in (
                *_line_class_mutants(text, path, known),
                *_kconfig_typo(text),
                *_inverted(text),
            ):
                if kind in CONVERSION_CLASSES and (path, line) not in conversions:
                    continue
                if mutated != text and kind not in found:
                    found[kind] = mutated
            for kind, mutated in found.items():
                try:
                    mpatch = _replace_line(patch, "+" + text, "+" + mutated, occurrence)
                except ValueError:
                    continue
                yield SiteMutant(kind, patch.index, path, line, text, mutated, mpatch)
        yield from _dead_local_mutants(patch)
        yield from _twin_mutants(patch)


def _dead_local_mutants(patch: Patch) -> Iterator[SiteMutant]:
    """`vma_set_flags(vma, X)` -> `vma_flags_set(&local, X)` where the function (as the patch
    shows it) has a vma_flags_t local or by-value parameter, or uses one through a flags
    pointer helper in the same hunk."""
    from reviewer.flagmodel.checks import common
    from reviewer.flagmodel.patch_view import view_of

    ptr_helpers = {h.name for h in registry.HELPERS if h.target == "flags_ptr"}
    view = view_of(patch)
    for f in view.files:
        root = view.new_roots.get(f.path)
        if root is None or not f.path.endswith(".c"):
            continue
        nums = view.new_numbers[f.path]
        candidates: list[tuple[int, str]] = []  # (row, name)
        for node in walk(root):
            if node.type in ("declaration", "parameter_declaration"):
                type_node = node.child_by_field_name("type")
                if type_node is None or text_of(type_node) != "vma_flags_t":
                    continue
                for decl in node.children_by_field_name("declarator"):
                    inner = (
                        decl.child_by_field_name("declarator")
                        if decl.type == "init_declarator"
                        else decl
                    )
                    if inner is not None and inner.type == "identifier":
                        candidates.append((node.start_point[0], text_of(inner)))
            elif (
                node.type == "call_expression"
                and text_of(node.child_by_field_name("function")) in ptr_helpers
            ):
                args = node.child_by_field_name("arguments").named_children
                first = text_of(args[0]).replace(" ", "") if args else ""
                if first.startswith("&") and first[1:].isidentifier():
                    candidates.append((node.start_point[0], first[1:]))
        for path, line, text, occurrence in added_sites(patch):
            if path != f.path or line not in nums:
                continue
            stripped = text.strip()
            row = nums.index(line)
            for s, c in (
                ("vma_set_flags(", "vma_flags_set("),
                ("vma_clear_flags(", "vma_flags_clear("),
                ("vma_set_flags_mask(", "vma_flags_set_mask("),
                ("vma_clear_flags_mask(", "vma_flags_clear_mask("),
            ):
                if not stripped.startswith(s):
                    continue
                names = [
                    name
                    for r, name in candidates
                    if r < row and common.contiguous(view, f.path, r, row)
                ]
                subject = stripped[len(s) :].split(",", 1)
                if not names or len(subject) != 2:
                    continue
                mutated = text.replace(stripped, f"{c}&{names[-1]},{subject[1]}")
                try:
                    mpatch = _replace_line(patch, "+" + text, "+" + mutated, occurrence)
                except ValueError:
                    continue
                yield SiteMutant("dead-local", patch.index, path, line, text, mutated, mpatch)


def _function_of(node):
    while node is not None and node.type != "function_definition":
        node = node.parent
    return node


def _twin_mutants(patch: Patch) -> Iterator[SiteMutant]:
    """Revert the vma_flags_t conversion of one of two #if twins the patch converts (each side),
    on the twin's added header lines."""
    from reviewer.flagmodel.checks import common

    headers: dict[tuple[str, str], list[tuple[int, str, int]]] = {}
    for path, line, text, occurrence in added_sites(patch):
        if not path.endswith(".h") or "vma_flags_t" not in text:
            continue
        for n in walk(parse(text)):
            if n.type == "function_declarator":
                ident = n.child_by_field_name("declarator")
                if ident is not None and ident.type == "identifier":
                    headers.setdefault((path, text_of(ident)), []).append((line, text, occurrence))
                    break
    from reviewer.flagmodel.patch_view import view_of

    view = view_of(patch)
    for (path, _name), sites in headers.items():
        if len(sites) < 2:
            continue
        text_side = view.new_texts[path]
        nums = view.new_numbers[path]
        rows = [nums.index(line) for line, _, _ in sites if line in nums]
        if len(rows) < 2 or not common.exclusive_rows(text_side, rows[0], rows[1]):
            continue
        for line, text, occurrence in sites[:2]:
            mutated = text.replace("vma_flags_t", "vm_flags_t").replace("vma_flags)", "vm_flags)")
            # the declaration may continue on the next added line: revert that one too
            mpatch = _replace_line(patch, "+" + text, "+" + mutated, occurrence)
            nxt = [s for s in added_sites(patch) if s[0] == path and s[1] == line + 1]
            if nxt and "vma_flags_t" in nxt[0][2]:
                ntext = nxt[0][2]
                mpatch = _replace_line(
                    mpatch,
                    "+" + ntext,
                    "+" + ntext.replace("vma_flags_t vma_flags", "vm_flags_t vm_flags"),
                    nxt[0][3],
                )
            yield SiteMutant("one-sided-twin", patch.index, path, line, text, mutated, mpatch)
