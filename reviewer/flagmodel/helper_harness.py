"""Differential tests of the helper definitions a series adds or changes.

The definitions are taken from the patches' post-image, checked against an allowlist of
constructs and callees, compiled with gcc in a generated harness (shims for the kernel macros
and bitmap ops) for NUM_VMA_FLAG_BITS = 64 and 128 (and 32 with -m32 when available), run on
random vectors in a sandbox, and every result compared with the model."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reviewer.flagmodel import registry, sandbox
from reviewer.flagmodel.c_parse import Definition, definitions, parse, text_of, walk
from reviewer.flagmodel.findings import CheckReport, Finding
from reviewer.flagmodel.tree_state import is_helper_name

if TYPE_CHECKING:
    from pathlib import Path

    from reviewer.flagmodel.check import PatchView
    from reviewer.flagmodel.hunk_pairs import FileDiff

ALLOWED_CALLEES = {
    "bitmap_zero",
    "bitmap_or",
    "bitmap_and",
    "bitmap_andnot",
    "bitmap_intersects",
    "bitmap_subset",
    "bitmap_empty",
    "bitmap_equal",
    "bitmap_copy",
    "bitmap_xor",
    "bitmap_weight",
    "__set_bit",
    "set_bit",
    "test_bit",
    "__clear_bit",
    "clear_bit",
    "WRITE_ONCE",
    "READ_ONCE",
    "BIT",
    "COUNT_ARGS",
    "ACCESS_PRIVATE",
    "vma_start_write",
    "vma_assert_write_locked",
    "vma_assert_locked",
    "vma_assert_stabilised",
    "VM_WARN_ON_ONCE",
    "WARN_ON_ONCE",
    "VM_WARN_ON",
    "WARN_ON",
    "pgtable_supports_soft_dirty",
    "rwsem_is_locked",
}
ALLOWED_NODES = {
    "function_definition",
    "preproc_function_def",
    "compound_statement",
    "declaration",
    "init_declarator",
    "pointer_declarator",
    "array_declarator",
    "function_declarator",
    "parameter_list",
    "parameter_declaration",
    "variadic_parameter",
    "return_statement",
    "if_statement",
    "else_clause",
    "for_statement",
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
    "comment",
    "abstract_pointer_declarator",
    "abstract_array_declarator",
    "preproc_params",
    "preproc_arg",
    "struct_specifier",
    "condition_clause",
    "comma_expression",
    "sizeof_expression",
    "null",
    "ms_call_modifier",
    "attribute_specifier",
    "preproc_defined",
}

SHIMS = r"""
#include <stdio.h>
#include <string.h>
#include <stdbool.h>
#include <stddef.h>
#define BITS_PER_LONG ((int)(sizeof(long) * 8))
#define BITS_TO_LONGS(n) (((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define DECLARE_BITMAP(name, bits) unsigned long name[BITS_TO_LONGS(bits)]
#define __always_inline inline __attribute__((always_inline))
#define __force
#define __bitwise
#define __private
#define ACCESS_PRIVATE(p, member) ((p)->member)
#define WRITE_ONCE(x, v) ((x) = (v))
#define READ_ONCE(x) (x)
#define BIT(n) (1UL << (n))
#define VM_WARN_ON_ONCE(x) ((void)(x))
#define VM_WARN_ON(x) ((void)(x))
#define WARN_ON_ONCE(x) (!!(x))
#define WARN_ON(x) (!!(x))
#define pgtable_supports_soft_dirty() 1
#define VM_SOFTDIRTY 0
#define __COUNT(_0,_1,_2,_3,_4,_5,_6,_7,_8,_9,_10,_11,_12,_13,_14,_15,_16,N,...) N
#define COUNT_ARGS(...) __COUNT(0, ##__VA_ARGS__,16,15,14,13,12,11,10,9,8,7,6,5,4,3,2,1,0)
typedef int vma_flag_t;
typedef unsigned long vm_flags_t;
typedef struct { DECLARE_BITMAP(__vma_flags, NUM_VMA_FLAG_BITS); } vma_flags_t;
#define EMPTY_VMA_FLAGS ((vma_flags_t){ })
struct vm_area_struct { union { const vm_flags_t vm_flags; vma_flags_t flags; }; int lock_seq;
    };
struct vm_area_desc { vma_flags_t vma_flags; };
static int nwords = BITS_TO_LONGS(NUM_VMA_FLAG_BITS);
static void vma_start_write(struct vm_area_struct *v) { v->lock_seq++; }
static void vma_assert_write_locked(struct vm_area_struct *v) { (void)v; }
static void vma_assert_stabilised(struct vm_area_struct *v) { (void)v; }
static inline void bitmap_zero(unsigned long *d, unsigned n) { memset(d, 0,
    BITS_TO_LONGS(n) * sizeof(long)); }
static inline void bitmap_copy(unsigned long *d, const unsigned long *s,
    unsigned n) { memcpy(d, s, BITS_TO_LONGS(n) * sizeof(long)); }
static inline unsigned long __lastmask(unsigned n, int i) { int rem = n % BITS_PER_LONG;
    return (i == (int)BITS_TO_LONGS(n) - 1 && rem) ? (1UL << rem) - 1 : ~0UL; }
static inline void bitmap_or(unsigned long *d, const unsigned long *a, const unsigned long *b,
    unsigned n) { for (int i = 0; i < (int)BITS_TO_LONGS(n); i++) d[i] = a[i] | b[i]; }
static inline bool bitmap_and(unsigned long *d, const unsigned long *a, const unsigned long *b,
    unsigned n) { unsigned long r = 0; for (int i = 0; i < (int)BITS_TO_LONGS(n);
    i++) r |= (d[i] = a[i] & b[i]); return r != 0; }
static inline bool bitmap_andnot(unsigned long *d, const unsigned long *a,
    const unsigned long *b, unsigned n) { unsigned long r = 0; for (int i = 0;
    i < (int)BITS_TO_LONGS(n); i++) r |= (d[i] = a[i] & ~b[i] & __lastmask(n, i));
    return r != 0; }
static inline bool bitmap_intersects(const unsigned long *a, const unsigned long *b,
    unsigned n) { for (int i = 0; i < (int)BITS_TO_LONGS(n);
    i++) if (a[i] & b[i] & __lastmask(n, i)) return true; return false; }
static inline bool bitmap_subset(const unsigned long *a, const unsigned long *b,
    unsigned n) { for (int i = 0; i < (int)BITS_TO_LONGS(n);
    i++) if (a[i] & ~b[i] & __lastmask(n, i)) return false; return true; }
static inline bool bitmap_empty(const unsigned long *a, unsigned n) { for (int i = 0;
    i < (int)BITS_TO_LONGS(n); i++) if (a[i] & __lastmask(n, i)) return false; return true; }
static inline void __set_bit(int nr,
    unsigned long *a) { a[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG); }
static inline void set_bit(int nr, unsigned long *a) { __set_bit(nr, a); }
static inline void __clear_bit(int nr,
    unsigned long *a) { a[nr / BITS_PER_LONG] &= ~(1UL << (nr % BITS_PER_LONG)); }
static inline bool test_bit(int nr,
    const unsigned long *a) { return (a[nr / BITS_PER_LONG] >> (nr % BITS_PER_LONG)) & 1; }
static void dirty_stack(void) { volatile unsigned char junk[4096]; for (int i = 0; i < 4096;
    i++) junk[i] = 0xA5; }
static void print_words(const vma_flags_t *f) { for (int i = 0; i < nwords;
    i++) printf(" %lx", f->__vma_flags[i]); printf("\n"); }
"""


@dataclass
class Case:
    helper: registry.Helper
    call: str  # C statement(s) producing output
    words: list[int]  # initial flag words
    operand: list[int] | int  # bits list, mask words or word value
    label: str


def _allowed(defn: Definition, known: set[str]) -> str:
    """Empty when the definition only uses allowlisted constructs and callees, else why not."""
    for node in walk(defn.node):
        if node.type not in ALLOWED_NODES and node.is_named:
            return f"construct {node.type}"
        if node.type == "call_expression":
            callee = text_of(node.child_by_field_name("function"))
            if callee not in ALLOWED_CALLEES and callee not in known:
                return f"callee {callee}()"
    if defn.kind == "macro":
        for token in defn.text.replace("(", " ").replace(")", " ").replace(",", " ").split():
            if token.isidentifier() and token.endswith("_mask") and token not in known:
                return f"callee {token}()"
    return ""


Location = tuple[int, str, int]  # (patch index, path, post-image line)


@dataclass
class Group:
    """One copy of the helpers (kernel or tools) as of one patch, ready for the harness."""

    index: int
    name: str  # "kernel" | "tools"
    usable: dict[str, Definition]
    tested: list[registry.Helper]
    by_value: set[str]


def _group_of(path: str) -> str | None:
    if path.startswith("tools/testing/vma/"):
        return "tools"
    return "kernel" if path.startswith("include/linux/") else None


def _collect(
    views: list[PatchView],
) -> tuple[list[tuple[int, str, dict[str, Definition]]], dict[int, Location], set[int]]:
    """For each patch that adds or changes helpers: the helper set of that copy as of it, and
    where each definition was read. Helpers the patch shows whole but does not touch (context,
    moved code) join the set as support (ids in the third result), so their callers build."""
    current: dict[str, dict[str, Definition]] = {"kernel": {}, "tools": {}}
    where: dict[int, Location] = {}
    support: set[int] = set()
    out: list[tuple[int, str, dict[str, Definition]]] = []
    for view in views:
        touched: set[str] = set()
        for f in view.files:
            group = _group_of(f.path)
            if group is None:
                continue
            added = {ln.new_no for h in f.hunks for ln in h.lines if ln.tag == "+"}
            for d, nums in _helper_definitions(view, f):
                rows = nums[d.start_line : d.node.end_point[0] + 1]
                span = set(rows)
                if span & added:
                    current[group][d.name] = d
                    touched.add(group)
                elif d.name not in current[group] and _contiguous(rows):
                    current[group][d.name] = d
                    support.add(id(d))
                else:
                    continue
                line = nums[d.start_line] if d.start_line < len(nums) else 0
                where[id(d)] = (view.index, f.path, line)
        for group in sorted(touched):
            out.append((view.index, group, dict(current[group])))
    return out, where, support


def _helper_definitions(view: PatchView, f: FileDiff) -> list[tuple[Definition, list[int]]]:
    """Helper definitions of a file's post-image with the line numbers of the text they were
    parsed from. The whole side is parsed as one text; a definition that comes out broken there
    (glued to an unfinished construct at the end of the previous hunk) is read from its own
    hunk instead."""
    nums = view.new_numbers[f.path]
    found = [
        (d, nums)
        for d in definitions(view.new_roots[f.path])
        if not d.node.has_error and is_helper_name(d.name)
    ]
    names = {d.name for d, _ in found}
    for hunk in f.hunks:
        lines = [ln for ln in hunk.lines if ln.tag in " +"]
        root = parse("\n".join(ln.text for ln in lines))
        hunk_nums = [ln.new_no or 0 for ln in lines]
        for d in definitions(root):
            if d.name not in names and not d.node.has_error and is_helper_name(d.name):
                found.append((d, hunk_nums))
                names.add(d.name)
    return found


def _contiguous(rows: list[int]) -> bool:
    return bool(rows) and all(b == a + 1 for a, b in zip(rows, rows[1:], strict=False))


def check_helpers(views: list[PatchView], report: CheckReport, repo: Path | None) -> None:
    if sandbox.gcc() is None:
        report.notes.append("helper harness skipped: gcc not found")
        return
    state = report.final_state or "S2"
    expected = registry.helpers_for(state)
    collected, where, support = _collect(views)
    groups = [
        _prepare(index, name, defs, expected, where, support, report)
        for index, name, defs in collected
    ]
    groups = [g for g in groups if g.tested]
    if not groups:
        return
    configs = [("64", ["-DNUM_VMA_FLAG_BITS=64"]), ("128", ["-DNUM_VMA_FLAG_BITS=128"])]
    if sandbox.can_compile("-m32"):
        configs.append(("32 (-m32)", ["-m32", "-DNUM_VMA_FLAG_BITS=32"]))
    else:
        report.notes.append("helper harness: -m32 unavailable, 32-bit run skipped")
    plans = []
    for label, cflags in configs:
        nbits = int(cflags[-1].split("=")[1])
        runs = [(g, _cases(g.tested, nbits, g.by_value)) for g in groups]
        plans.append((label, cflags, nbits, runs))
    for (label, _cflags, nbits, runs), outcome in zip(plans, _run_plans(plans), strict=True):
        for (group, cases), result in zip(runs, outcome, strict=True):
            if not result.ok:
                report.unverified += 1
                report.add(
                    Finding(
                        "info",
                        "unverified",
                        group.index,
                        group.name,
                        0,
                        f"helper harness ({group.name} copy as of patch {group.index}, "
                        f"NUM_VMA_FLAG_BITS={label}): {result.error}",
                    )
                )
                continue
            _compare(result.stdout, cases, nbits, label, group.usable, where, report)


def _prepare(
    index: int,
    name: str,
    defs: dict[str, Definition],
    expected: dict[str, registry.Helper],
    where: dict[int, Location],
    support: set[int],
    report: CheckReport,
) -> Group:
    """Allowlist the group's definitions (until no more drop out: a helper calling a rejected
    one is rejected too). Only helpers the series touched are tested and reported; support
    definitions are compiled so their callers build, and silently left out when rejected."""
    usable = dict(defs)
    rejected: dict[str, str] = {}
    while True:
        dropped = {n: why for n, d in usable.items() if (why := _allowed(d, set(usable)))}
        if not dropped:
            break
        rejected.update(dropped)
        usable = {n: d for n, d in usable.items() if n not in dropped}
    for helper, why in rejected.items():
        d = defs[helper]
        if id(d) in support:
            continue
        patch, path, line = where.get(id(d), (index, name, 0))
        finding = Finding(
            "info",
            "unverified",
            patch,
            path,
            line,
            f"helper {helper}() not compiled: {why} is not on the allowlist",
        )
        if report.add(finding):
            report.unverified += 1
    tested = [
        expected[n]
        for n, d in usable.items()
        if n in expected and _testable(expected[n]) and id(d) not in support
    ]
    return Group(index, name, usable, tested, _by_value(usable))


_GROUP_MARK = "@@flagmodel-group"


Plan = tuple[str, list[str], int, list[tuple[Group, list[Case]]]]  # label, cflags, bits, runs


def _run_plans(plans: list[Plan]) -> list[list[sandbox.RunResult]]:
    """One build and run per configuration holding all groups (the configurations side by
    side); per group only where that fails, so a failure is reported against its group."""
    jobs = [(_batch_source(runs), cflags) for _label, cflags, _bits, runs in plans]
    outcomes: list[list[sandbox.RunResult] | None] = []
    for (_label, _cflags, _bits, runs), batch in zip(
        plans, sandbox.compile_and_run_many(jobs), strict=True
    ):
        outputs = batch.stdout.split(_GROUP_MARK + "\n")[1:] if batch.ok else []
        ok = len(outputs) == len(runs)
        outcomes.append([sandbox.RunResult(True, o, "") for o in outputs] if ok else None)
    single = [
        (_program([_section(0, g.usable, cases)], "  run_group_0();"), cflags)
        for (_label, cflags, _bits, runs), got in zip(plans, outcomes, strict=True)
        if got is None
        for g, cases in runs
    ]
    fallback = iter(sandbox.compile_and_run_many(single))
    return [
        got if got is not None else [next(fallback) for _ in runs]
        for (_label, _cflags, _bits, runs), got in zip(plans, outcomes, strict=True)
    ]


def _batch_source(runs: list[tuple[Group, list[Case]]]) -> str:
    sections = [_section(k, g.usable, cases) for k, (g, cases) in enumerate(runs)]
    main = "\n".join(f'  printf("{_GROUP_MARK}\\n"); run_group_{k}();' for k in range(len(runs)))
    return _program(sections, main)


def _by_value(defs: dict[str, Definition]) -> set[str]:
    """Helpers taking vma_flags_t by value (the v1 API) rather than a pointer."""
    out = {
        d.name
        for d in defs.values()
        if d.kind == "function"
        and d.params
        and "vma_flags_t" in d.params[0][0]
        and "*" not in d.params[0][0]
    }
    out |= {d.name for d in defs.values() if d.kind == "macro" and f"{d.name}_mask" in out}
    return out


def _testable(h: registry.Helper) -> bool:
    return h.kind in (
        "any",
        "all",
        "single",
        "set",
        "clear",
        "mk",
        "word_set",
        "word_clear",
        "word_assign",
        "clear_all",
    )


def _rand_words(rng: random.Random, nbits: int, wbits: int) -> list[int]:
    nwords = (nbits + wbits - 1) // wbits
    return [rng.getrandbits(wbits) for _ in range(nwords)]


def _cases(helpers: list[registry.Helper], nbits: int, by_value: set[str]) -> list[Case]:
    rng = random.Random(nbits)
    wbits = 32 if nbits == 32 else 64
    out: list[Case] = []
    for h in helpers:
        for i in range(12):
            words = _rand_words(rng, nbits, wbits)
            if i % 3 == 0:
                words = [w & rng.getrandbits(wbits) & rng.getrandbits(wbits) for w in words]
            count = 1 if h.args == "bit" else rng.randint(0 if h.args == "mask" else 1, 3)
            bits = sorted(
                {rng.randrange(nbits) for _ in range(count)}
                | (
                    {rng.choice(_set_bits(words, wbits) or [0])}
                    if i % 2 and h.args == "bits"
                    else set()
                )
            )
            if h.args == "bit":
                bits = bits[:1]
            mask_words = [0] * len(words)
            for b in bits:
                mask_words[b // wbits] |= 1 << (b % wbits)
            value = rng.getrandbits(wbits)
            call = _call(h, words, bits, mask_words, value, wbits)
            if h.name in by_value:
                call = call.replace("vma_flags_t *arg = &obj;", "vma_flags_t arg = obj;")
            out.append(
                Case(
                    h,
                    call,
                    words,
                    bits
                    if h.args in ("bits", "bit")
                    else (mask_words if h.args == "mask" else value),
                    f"{h.name}#{i}",
                )
            )
    return out


def _set_bits(words: list[int], wbits: int) -> list[int]:
    return [i * wbits + b for i, w in enumerate(words) for b in range(wbits) if w >> b & 1]


def _init(words: list[int], wbits: int) -> str:
    return "{{" + ", ".join(f"0x{w:x}UL" for w in words) + "}}"


def _call(
    h: registry.Helper, words: list[int], bits: list[int], mask: list[int], value: int, wbits: int
) -> str:
    init = _init(words, wbits)
    setup = {
        "flags_ptr": f"vma_flags_t obj = {init}; vma_flags_t *arg = &obj;",
        "desc": f"struct vm_area_desc d = {{ .vma_flags = {init} }}; "
        "struct vm_area_desc *arg = &d; vma_flags_t *out = &d.vma_flags;",
        "vma": f"struct vm_area_struct v = {{ .flags = {init} }}; "
        "struct vm_area_struct *arg = &v; vma_flags_t *out = &v.flags;",
    }
    if h.kind == "mk":
        args = ", ".join(str(b) for b in bits)
        return f"dirty_stack(); {{ vma_flags_t r = {h.name}({args}); print_words(&r); }}"
    pre = setup.get(h.target, setup["flags_ptr"])
    if h.target == "flags_ptr":
        pre += " vma_flags_t *out = &obj;"
    if h.args == "bits" or h.args == "bit":
        rest = ", " + ", ".join(str(b) for b in bits) if bits else ""
    elif h.args == "mask":
        rest = f", (vma_flags_t){_init(mask, wbits)}"
    elif h.args == "word":
        rest = f", 0x{value:x}UL"
    else:
        rest = ""
    call = f"{h.name}(arg{rest})"
    if h.kind in ("any", "all", "single"):
        return f'{{ {pre} printf("%d\\n", (int)!!{call}); }}'
    return f"{{ {pre} {call}; print_words(out); }}"


def _bit_shims() -> str:
    names = ",\n".join(f"  VMA_{name}_BIT = {bit}" for name, bit in registry.BITS.items())
    masks = "\n".join(
        f"#define VM_{name} (1UL << {bit})" for name, bit in registry.BITS.items() if bit < 32
    )
    return f"enum {{\n{names}\n}};\n{masks}\n"


def _section(k: int, defs: dict[str, Definition], cases: list[Case]) -> str:
    """One group's helpers and cases; its function names are prefixed (and its macros undone
    afterwards) so several groups with the same helper names share one translation unit."""
    macro_names = [d.name for d in defs.values() if d.kind == "macro"]
    renamed = [d.name for d in defs.values() if d.kind == "function" and d.name not in macro_names]
    renames = "\n".join(f"#define {n} g{k}_{n}" for n in renamed)
    macros = "\n".join(d.text for d in defs.values() if d.kind == "macro")
    protos = []
    for d in defs.values():
        body_node = d.node.child_by_field_name("body") if d.kind == "function" else None
        if body_node is not None:
            head = d.text[: body_node.start_byte - d.node.start_byte].strip()
            protos.append(head.replace("static inline", "static").rstrip() + ";")
    funcs = "\n\n".join(d.text for d in defs.values() if d.kind == "function")
    calls = "\n".join(f"  {c.call}" for c in cases)
    undo = "\n".join(f"#undef {n}" for n in renamed + macro_names)
    return (
        f"{renames}\n{macros}\n{chr(10).join(protos)}\n{funcs}\n\n"
        f"static void run_group_{k}(void)\n{{\n{calls}\n}}\n{undo}\n"
    )


def _program(sections: list[str], main_body: str) -> str:
    body = "\n".join(sections)
    return f"{SHIMS}\n{_bit_shims()}\n{body}\nint main(void)\n{{\n{main_body}\n  return 0;\n}}\n"


def _expected(c: Case, nbits: int) -> list[int] | int:
    wbits = 32 if nbits == 32 else 64
    full = sum(w << (i * wbits) for i, w in enumerate(c.words))
    h = c.helper
    if h.args in ("bits", "bit"):
        operand = sum(1 << b for b in c.operand)  # type: ignore[union-attr]
    elif h.args == "mask":
        operand = sum(w << (i * wbits) for i, w in enumerate(c.operand))  # type: ignore[arg-type]
    elif h.args == "word":
        operand = int(c.operand)  # type: ignore[arg-type]
    else:
        operand = 0
    word0 = (1 << wbits) - 1
    if h.kind == "mk":
        result = operand
    elif h.kind == "any":
        return int(full & operand != 0)
    elif h.kind == "all":
        return int(full & operand == operand)
    elif h.kind == "single":
        return int(full & operand != 0)
    elif h.kind in ("set", "word_set"):
        result = full | operand
    elif h.kind in ("clear", "word_clear"):
        result = full & ~operand
    elif h.kind == "word_assign":
        result = ((full & ~word0) | operand) if h.word0_only else operand
    elif h.kind == "clear_all":
        result = 0
    else:
        raise ValueError(h.kind)
    return [(result >> (i * wbits)) & word0 for i in range(len(c.words))]


def _compare(
    stdout: str,
    cases: list[Case],
    nbits: int,
    label: str,
    defs: dict[str, Definition],
    where: dict[int, Location],
    report: CheckReport,
) -> None:
    lines = stdout.splitlines()
    failed: set[str] = set()
    for c, line in zip(cases, lines, strict=False):
        want = _expected(c, nbits)
        got: list[int] | int
        if isinstance(want, int):
            got = int(line.strip() or -1)
        else:
            got = [int(x, 16) for x in line.split()]
        if got == want or c.helper.name in failed:
            continue
        failed.add(c.helper.name)
        patch, path, line = where.get(id(defs[c.helper.name]), (0, "", 0))
        report.add(
            Finding(
                "error",
                "helper-def",
                patch,
                path,
                line,
                f"{c.helper.name}() does not match the model ({c.helper.kind}) with "
                f"NUM_VMA_FLAG_BITS={label}",
                f"flags words {[hex(w) for w in c.words]}, operand {_show_operand(c)}: "
                f"got {_show(got)}, model {_show(want)}",
            )
        )
    report.verified += len({c.helper.name for c in cases} - failed)


def _show_operand(c: Case) -> str:
    if isinstance(c.operand, list):
        if c.helper.args in ("bits", "bit"):
            return "bits " + ", ".join(str(b) for b in c.operand)
        return "mask " + str([hex(w) for w in c.operand])
    return hex(c.operand)


def _show(value: list[int] | int) -> str:
    return str(value) if isinstance(value, int) else str([hex(w) for w in value])
