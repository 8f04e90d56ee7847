"""Mutants of real conversions, to measure how many slips the checker catches.

Each mutant changes one added line of one patch in a way that is a known conversion mistake
(swap or drop a bit, ANY<->ALL, add or drop a negation, set<->clear, a VM_ mask where a bit is
expected, and in helper definitions ANY implemented as ALL, OR as AND-NOT, a word-clear dropped
or narrowed to the first word)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

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
        for raw in patch.diff.split("\n"):
            if not raw.startswith("+") or raw.startswith("+++"):
                continue
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
    out, keep = [], False
    for line in patch.diff.split("\n"):
        if line.startswith("diff --git "):
            keep = " b/include/linux/" in line or " b/tools/testing/vma/" in line
        elif keep and line.startswith("+") and not line.startswith("+++"):
            out.append(line)
    return out


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
