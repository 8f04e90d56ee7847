"""The C program the helper harness builds: kernel shims, then one section per helper group
(names prefixed so several copies of the same helpers share one translation unit).

The program is freestanding: no libc, no headers but the compiler's own stdbool/stddef. The
sandbox links it with its runtime (entry point, seccomp, output), which provides `hx_write`.
Only the names KERNEL_SHIMS declares may be used by code from mail (see `shim_names`); the
harness' own plumbing (HARNESS_SHIMS, all `hx_` names) is not on the allowlist."""

from __future__ import annotations

import functools

from reviewer.flagmodel import registry
from reviewer.flagmodel.c_parse import parse, text_of, walk
from reviewer.flagmodel.harness_allowlist import Vetted
from reviewer.flagmodel.harness_cases import Case

# What kernel helper code may use: types, bitmap ops and the macros around them.
KERNEL_SHIMS = r"""
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
#define likely(x) (x)
#define unlikely(x) (x)
#define VM_WARN_ON_ONCE(x) ((void)(x))
#define VM_WARN_ON(x) ((void)(x))
#define VM_BUG_ON(x) ((void)(x))
#define WARN_ON_ONCE(x) (!!(x))
#define WARN_ON(x) (!!(x))
#define BUILD_BUG_ON(x) ((void)sizeof(char[1 - 2 * !!(x)]))
#define pgtable_supports_soft_dirty() 1
#define VM_SOFTDIRTY 0
#define VM_NONE 0UL
#define __COUNT(_0,_1,_2,_3,_4,_5,_6,_7,_8,_9,_10,_11,_12,_13,_14,_15,_16,N,...) N
#define COUNT_ARGS(...) __COUNT(0, ##__VA_ARGS__,16,15,14,13,12,11,10,9,8,7,6,5,4,3,2,1,0)
typedef int vma_flag_t;
typedef unsigned long vm_flags_t;
typedef struct { DECLARE_BITMAP(__vma_flags, NUM_VMA_FLAG_BITS); } vma_flags_t;
#define EMPTY_VMA_FLAGS ((vma_flags_t){ })
struct vm_area_struct { union { const vm_flags_t vm_flags; vma_flags_t flags; }; int lock_seq;
    };
struct vm_area_desc { vma_flags_t vma_flags; };
static void vma_start_write(struct vm_area_struct *v) { v->lock_seq++; }
static void vma_assert_write_locked(struct vm_area_struct *v) { (void)v; }
static void vma_assert_stabilised(struct vm_area_struct *v) { (void)v; }
static inline void bitmap_zero(unsigned long *d, unsigned n) { for (int i = 0;
    i < (int)BITS_TO_LONGS(n); i++) d[i] = 0; }
static inline void bitmap_copy(unsigned long *d, const unsigned long *s,
    unsigned n) { for (int i = 0; i < (int)BITS_TO_LONGS(n); i++) d[i] = s[i]; }
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
static inline void bitmap_xor(unsigned long *d, const unsigned long *a, const unsigned long *b,
    unsigned n) { for (int i = 0; i < (int)BITS_TO_LONGS(n); i++) d[i] = a[i] ^ b[i]; }
static inline bool bitmap_intersects(const unsigned long *a, const unsigned long *b,
    unsigned n) { for (int i = 0; i < (int)BITS_TO_LONGS(n);
    i++) if (a[i] & b[i] & __lastmask(n, i)) return true; return false; }
static inline bool bitmap_subset(const unsigned long *a, const unsigned long *b,
    unsigned n) { for (int i = 0; i < (int)BITS_TO_LONGS(n);
    i++) if (a[i] & ~b[i] & __lastmask(n, i)) return false; return true; }
static inline bool bitmap_empty(const unsigned long *a, unsigned n) { for (int i = 0;
    i < (int)BITS_TO_LONGS(n); i++) if (a[i] & __lastmask(n, i)) return false; return true; }
static inline bool bitmap_equal(const unsigned long *a, const unsigned long *b,
    unsigned n) { for (int i = 0; i < (int)BITS_TO_LONGS(n);
    i++) if ((a[i] ^ b[i]) & __lastmask(n, i)) return false; return true; }
static inline unsigned int bitmap_weight(const unsigned long *a, unsigned n) { unsigned int w = 0;
    for (int i = 0; i < (int)BITS_TO_LONGS(n); i++) { unsigned long v = a[i] & __lastmask(n, i);
    while (v) { v &= v - 1; w++; } } return w; }
static inline void __set_bit(int nr,
    unsigned long *a) { a[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG); }
static inline void set_bit(int nr, unsigned long *a) { __set_bit(nr, a); }
static inline void __clear_bit(int nr,
    unsigned long *a) { a[nr / BITS_PER_LONG] &= ~(1UL << (nr % BITS_PER_LONG)); }
static inline void clear_bit(int nr, unsigned long *a) { __clear_bit(nr, a); }
static inline bool test_bit(int nr,
    const unsigned long *a) { return (a[nr / BITS_PER_LONG] >> (nr % BITS_PER_LONG)) & 1; }
"""

# The harness' own plumbing: never callable from mail code (not in shim_names, `hx_` prefix).
HARNESS_SHIMS = r"""
extern void hx_write(const char *s, unsigned long n);
static int hx_nwords = BITS_TO_LONGS(NUM_VMA_FLAG_BITS);
static void hx_puthex(unsigned long v) { char b[2 * sizeof(long) + 1]; int n = 0;
    do { int d = v & 15; b[n++] = d < 10 ? '0' + d : 'a' + d - 10; v >>= 4; } while (v);
    char o[2 * sizeof(long) + 2]; o[0] = ' '; for (int i = 0; i < n; i++) o[1 + i] = b[n - 1 - i];
    hx_write(o, n + 1); }
static void hx_put_int(int v) { char o[2] = { v ? '1' : '0', '\n' }; hx_write(o, 2); }
static void hx_dirty_stack(void) { volatile unsigned char junk[4096]; for (int i = 0; i < 4096;
    i++) junk[i] = 0xA5; }
static void hx_print_words(const vma_flags_t *f) { for (int i = 0; i < hx_nwords; i++)
    hx_puthex(f->__vma_flags[i]); hx_write("\n", 1); }
"""

HEADERS = "#include <stdbool.h>\n#include <stddef.h>\n"

# Names a definition from mail may not take: they would shadow the harness' plumbing.
RESERVED_PREFIXES = ("hx_", "__hx", "harness_main", "__reviewer")


def _bit_shims() -> str:
    names = ",\n".join(f"  VMA_{name}_BIT = {bit}" for name, bit in registry.BITS.items())
    masks = "\n".join(
        f"#define VM_{name} (1UL << {bit})" for name, bit in registry.BITS.items() if bit < 32
    )
    return f"enum {{\n{names}\n}};\n{masks}\n"


@functools.lru_cache(maxsize=1)
def shim_names() -> frozenset[str]:
    """Every name the kernel shims and the bit table declare: what mail code may refer to."""
    root = parse(KERNEL_SHIMS + _bit_shims())
    names = {"NUM_VMA_FLAG_BITS", "__vma_flags"}
    for node in walk(root):
        if node.type in ("preproc_def", "preproc_function_def"):
            names.add(text_of(node.child_by_field_name("name")))
        elif node.type == "function_declarator":
            names.add(text_of(node.child_by_field_name("declarator")))
        elif node.type == "type_definition":
            names.update(text_of(d) for d in node.children_by_field_name("declarator"))
        elif node.type == "struct_specifier" and node.child_by_field_name("name"):
            names.add(text_of(node.child_by_field_name("name")))
        elif node.type == "field_identifier":  # member names, e.g. as ACCESS_PRIVATE's
            names.add(text_of(node))
        elif node.type == "enumerator":
            names.add(text_of(node.child_by_field_name("name")))
    return frozenset(n for n in names if n)


def section(k: int, defs: dict[str, Vetted], cases: list[Case]) -> str:
    """One group's helpers and cases; its function names are prefixed (and its macros undone
    afterwards) so several groups with the same helper names share one translation unit."""
    macro_names = [d.name for d in defs.values() if d.kind == "macro"]
    renamed = [d.name for d in defs.values() if d.kind == "function" and d.name not in macro_names]
    renames = "\n".join(f"#define {n} g{k}_{n}" for n in renamed)
    macros = "\n".join(d.code for d in defs.values() if d.kind == "macro")
    protos = "\n".join(_prototype(d.head) for d in defs.values() if d.kind == "function")
    funcs = "\n\n".join(d.code for d in defs.values() if d.kind == "function")
    calls = "\n".join(f"  {c.call}" for c in cases)
    undo = "\n".join(f"#undef {n}" for n in renamed + macro_names)
    return (
        f"{renames}\n{macros}\n{protos}\n{funcs}\n\n"
        f"static void hx_run_group_{k}(void)\n{{\n{calls}\n}}\n{undo}\n"
    )


def _prototype(head: str) -> str:
    words = [w for w in head.split() if w not in ("static", "inline")]
    return "static " + " ".join(words) + ";"


def program(sections: list[str], main_body: str) -> str:
    body = "\n".join(sections)
    return (
        f"{HEADERS}{KERNEL_SHIMS}\n{_bit_shims()}\n{HARNESS_SHIMS}\n{body}\n"
        f"int harness_main(void)\n{{\n{main_body}\n  return 0;\n}}\n"
    )


GROUP_MARK = "@@flagmodel-group"


def batch_source(runs: list[tuple[dict[str, Vetted], list[Case]]]) -> str:
    """All groups in one program; their outputs are separated by GROUP_MARK lines."""
    sections = [section(k, defs, cases) for k, (defs, cases) in enumerate(runs)]
    mark = f'hx_write("{GROUP_MARK}\\n", {len(GROUP_MARK) + 1});'
    main = "\n".join(f"  {mark} hx_run_group_{k}();" for k in range(len(runs)))
    return program(sections, main)
