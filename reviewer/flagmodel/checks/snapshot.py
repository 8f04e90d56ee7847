"""Definitions and build facts the package ships, for checks run without a tree (``--repo``).

Each entry keeps its provenance. Definitions are C text parsed like the series' own lines; they
are used only when neither the series nor the tree defines the name. Build facts say which
files are compiled only with a configuration (read from the tree's Makefiles / Kconfig when
``--repo`` is given instead).
"""

from __future__ import annotations

# Legacy VM_xxx that are VM_NONE unless a configuration is set, as include/linux/mm.h defines
# them after "mm: declare VMA flags by bit" (2b6a3f061f11, v6.19) and the Jan 2026 series (v7.0).
# Condensed to the conditional definitions (the enum and the unconditional VM_xxx are the model's
# bit table, registry.BITS); the #if structure is the kernel's.
MM_H_CONDITIONAL_FLAGS = """
#ifdef CONFIG_MMU
#define VM_UFFD_MISSING	INIT_VM_FLAG(UFFD_MISSING)
#else
#define VM_UFFD_MISSING	VM_NONE
#define VM_MAYOVERLAY	INIT_VM_FLAG(MAYOVERLAY)
#endif
#ifdef CONFIG_MEM_SOFT_DIRTY
#define VM_SOFTDIRTY	INIT_VM_FLAG(SOFTDIRTY)
#else
#define VM_SOFTDIRTY	VM_NONE
#endif
#ifdef CONFIG_ARCH_HAS_PKEYS
#define VM_PKEY_BIT0	INIT_VM_FLAG(PKEY_BIT0)
#define VM_PKEY_BIT1	INIT_VM_FLAG(PKEY_BIT1)
#define VM_PKEY_BIT2	INIT_VM_FLAG(PKEY_BIT2)
#if CONFIG_ARCH_PKEY_BITS > 3
#define VM_PKEY_BIT3	INIT_VM_FLAG(PKEY_BIT3)
#else
#define VM_PKEY_BIT3	VM_NONE
#endif
#if CONFIG_ARCH_PKEY_BITS > 4
#define VM_PKEY_BIT4	INIT_VM_FLAG(PKEY_BIT4)
#else
#define VM_PKEY_BIT4	VM_NONE
#endif
#endif
#if defined(CONFIG_X86_USER_SHADOW_STACK) || defined(CONFIG_ARM64_GCS) || \\
	defined(CONFIG_RISCV_USER_CFI)
#define VM_SHADOW_STACK	INIT_VM_FLAG(SHADOW_STACK)
#else
#define VM_SHADOW_STACK	VM_NONE
#endif
#if defined(CONFIG_ARM64_MTE)
#define VM_MTE		INIT_VM_FLAG(MTE)
#define VM_MTE_ALLOWED	INIT_VM_FLAG(MTE_ALLOWED)
#else
#define VM_MTE		VM_NONE
#define VM_MTE_ALLOWED	VM_NONE
#endif
#ifdef CONFIG_64BIT
#define VM_ALLOW_ANY_UNCACHED	INIT_VM_FLAG(ALLOW_ANY_UNCACHED)
#define VM_SEALED		INIT_VM_FLAG(SEALED)
#else
#define VM_ALLOW_ANY_UNCACHED	VM_NONE
#define VM_SEALED		VM_NONE
#endif
#if defined(CONFIG_64BIT) || defined(CONFIG_PPC32)
#define VM_DROPPABLE		INIT_VM_FLAG(DROPPABLE)
#else
#define VM_DROPPABLE		VM_NONE
#endif
#ifdef CONFIG_HAVE_ARCH_USERFAULTFD_MINOR
#define VM_UFFD_MINOR		INIT_VM_FLAG(UFFD_MINOR)
#else
#define VM_UFFD_MINOR		VM_NONE
#endif
#ifdef CONFIG_STACK_GROWSUP
#define VM_STACK_EARLY		INIT_VM_FLAG(STACK_EARLY)
#else
#define VM_STACK_EARLY		VM_NONE
#endif
#ifdef CONFIG_PARISC
#define VM_GROWSUP		INIT_VM_FLAG(GROWSUP)
#else
#define VM_GROWSUP		VM_NONE
#endif
"""

# include/linux/pgtable.h (since v6.18, "mm: add pgtable_supports_soft_dirty()"): the generic
# definition; architecture overrides must include CONFIG_MEM_SOFT_DIRTY (comment above it).
PGTABLE_H = """
#ifndef pgtable_supports_soft_dirty
#define pgtable_supports_soft_dirty()	IS_ENABLED(CONFIG_MEM_SOFT_DIRTY)
#endif
"""

DEFINITIONS = MM_H_CONDITIONAL_FLAGS + PGTABLE_H

# Files compiled only when a configuration is set, as (path prefix, config, provenance).
BUILD_ONLY_WITH: tuple[tuple[str, str, str], ...] = (
    (
        "mm/mseal.c",
        "CONFIG_64BIT",
        "mm/Makefile: ifdef CONFIG_64BIT / mmu-$(CONFIG_MMU) += mseal.o",
    ),
    *(
        (f"mm/{name}.c", "CONFIG_MMU", "mm/Makefile: mmu-$(CONFIG_MMU) := ... " + name + ".o")
        for name in (
            "highmem",
            "memory",
            "mincore",
            "mlock",
            "mmap",
            "mmu_gather",
            "mprotect",
            "mremap",
            "msync",
            "page_vma_mapped",
            "pagewalk",
            "pgtable-generic",
            "rmap",
            "vmalloc",
            "vma",
            "vma_exec",
        )
    ),
    ("mm/madvise.c", "CONFIG_MMU", "mm/Makefile: ifdef CONFIG_MMU / obj-$(...) += madvise.o"),
    ("mm/mseal.c", "CONFIG_MMU", "mm/Makefile: mmu-$(CONFIG_MMU) += mseal.o"),
    ("arch/arm64/", "CONFIG_64BIT", "arch/arm64/Kconfig: config 64BIT def_bool y"),
    ("arch/s390/", "CONFIG_64BIT", "arch/s390/Kconfig: config 64BIT def_bool y"),
    ("arch/alpha/", "CONFIG_64BIT", "arch/alpha/Kconfig: config 64BIT def_bool y"),
    ("arch/arm64/", "CONFIG_ARM64", "arch/Kconfig sources arch/arm64/Kconfig only for ARM64"),
    ("arch/x86/", "CONFIG_X86", "arch/x86 is built only for X86"),
    ("arch/powerpc/", "CONFIG_PPC", "arch/powerpc is built only for PPC"),
    ("arch/parisc/", "CONFIG_PARISC", "arch/parisc is built only for PARISC"),
    ("arch/sparc/", "CONFIG_SPARC", "arch/sparc is built only for SPARC"),
    ("arch/riscv/", "CONFIG_RISCV", "arch/riscv is built only for RISCV"),
)

# Configurations that imply CONFIG_64BIT (each selects or is defined only with 64BIT).
IMPLIES_64BIT: tuple[str, ...] = (
    "CONFIG_64BIT",
    "CONFIG_ARM64",
    "CONFIG_PPC64",
    "CONFIG_X86_64",
    "CONFIG_SPARC64",
    "CONFIG_ARCH_USES_HIGH_VMA_FLAGS",
    "CONFIG_ARM64_MTE",
    "CONFIG_ARM64_GCS",
    "CONFIG_X86_USER_SHADOW_STACK",
    "CONFIG_HAVE_ARCH_USERFAULTFD_MINOR",
    "CONFIG_ARCH_HAS_PKEYS",
)

# Kconfig symbols the model itself knows exist (bit-table gates and 64-bit guards).
KNOWN_SYMBOLS: tuple[str, ...] = IMPLIES_64BIT + (
    "CONFIG_MMU",
    "CONFIG_MEM_SOFT_DIRTY",
    "CONFIG_ARCH_PKEY_BITS",
    "CONFIG_RISCV_USER_CFI",
    "CONFIG_PPC32",
    "CONFIG_STACK_GROWSUP",
    "CONFIG_PARISC",
    "CONFIG_SPARC",
    "CONFIG_X86",
    "CONFIG_X86_32",
    "CONFIG_PPC",
    "CONFIG_RISCV",
    "CONFIG_KSM",
    "CONFIG_DAX",
    "CONFIG_HUGETLB_PAGE",
    "CONFIG_TRANSPARENT_HUGEPAGE",
    "CONFIG_USERFAULTFD",
    "CONFIG_MSEAL_SYSTEM_MAPPINGS",
    "CONFIG_DEBUG_VM",
    "CONFIG_PER_VMA_LOCK",
    "CONFIG_SHMEM",
    "CONFIG_NUMA",
)


def build_configs(path: str) -> set[str]:
    """Configurations every build of `path` has (from the shipped build facts)."""
    out: set[str] = set()
    for prefix, config, _ in BUILD_ONLY_WITH:
        if path == prefix or (prefix.endswith("/") and path.startswith(prefix)):
            out.add(config)
    if "_64." in path or path.endswith("_64.h") or "/page_64" in path:
        out.add("CONFIG_64BIT")
    return out


# Configurations that imply another, from where the symbol is defined (Kconfig).
IMPLIES: tuple[tuple[str, str, str], ...] = (
    (
        "CONFIG_STACK_GROWSUP",
        "CONFIG_PARISC",
        "arch/parisc/Kconfig: config STACK_GROWSUP def_bool y",
    ),
    ("CONFIG_PARISC", "CONFIG_STACK_GROWSUP", "arch/parisc/Kconfig: STACK_GROWSUP def_bool y"),
    ("CONFIG_ARM64_MTE", "CONFIG_ARM64", "arch/arm64/Kconfig: config ARM64_MTE"),
    ("CONFIG_ARM64_GCS", "CONFIG_ARM64", "arch/arm64/Kconfig: config ARM64_GCS"),
    ("CONFIG_PPC64", "CONFIG_PPC", "arch/powerpc/platforms/Kconfig.cputype: config PPC64"),
    ("CONFIG_PPC32", "CONFIG_PPC", "arch/powerpc/platforms/Kconfig.cputype: config PPC32"),
    ("CONFIG_X86_64", "CONFIG_X86", "arch/x86/Kconfig: config X86_64"),
    ("CONFIG_SPARC64", "CONFIG_SPARC", "arch/sparc/Kconfig: config SPARC64"),
)


def closure(facts: set[str]) -> set[str]:
    """`facts` plus what they imply (IMPLIES, and every IMPLIES_64BIT symbol -> CONFIG_64BIT)."""
    out = set(facts)
    changed = True
    while changed:
        changed = False
        for src, dst, _ in IMPLIES:
            if src in out and dst not in out:
                out.add(dst)
                changed = True
            if "!" + dst in out and "!" + src not in out:  # contrapositive
                out.add("!" + src)
                changed = True
        if "CONFIG_64BIT" not in out and any(s in out for s in IMPLIES_64BIT):
            out.add("CONFIG_64BIT")
            changed = True
    return out
