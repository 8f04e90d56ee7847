"""The C program the helper harness builds: kernel shims, then one section per helper group
(names prefixed so several copies of the same helpers share one translation unit)."""

from __future__ import annotations

from reviewer.flagmodel import registry
from reviewer.flagmodel.c_parse import Definition
from reviewer.flagmodel.harness_cases import Case

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


def _bit_shims() -> str:
    names = ",\n".join(f"  VMA_{name}_BIT = {bit}" for name, bit in registry.BITS.items())
    masks = "\n".join(
        f"#define VM_{name} (1UL << {bit})" for name, bit in registry.BITS.items() if bit < 32
    )
    return f"enum {{\n{names}\n}};\n{masks}\n"


def section(k: int, defs: dict[str, Definition], cases: list[Case]) -> str:
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


def program(sections: list[str], main_body: str) -> str:
    body = "\n".join(sections)
    return f"{SHIMS}\n{_bit_shims()}\n{body}\nint main(void)\n{{\n{main_body}\n  return 0;\n}}\n"


GROUP_MARK = "@@flagmodel-group"


def batch_source(runs: list[tuple[dict[str, Definition], list[Case]]]) -> str:
    """All groups in one program; their outputs are separated by GROUP_MARK lines."""
    sections = [section(k, defs, cases) for k, (defs, cases) in enumerate(runs)]
    main = "\n".join(f'  printf("{GROUP_MARK}\\n"); run_group_{k}();' for k in range(len(runs)))
    return program(sections, main)
