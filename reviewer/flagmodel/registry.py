"""Embedded facts about VMA flags: bit numbers, legacy masks and the helper API per tree state.

Source: docs vma-flags-reference.md (the project's spec of the model). Tree states:
S0 before Nov 2025, S1 after it (v6.19), S2 after the Jan 2026 v2 series (v7.0), S3 after the
Mar 2026 renames. Everything the checker knows about semantics starts here; the series' own
definitions and renames are layered on top by ``tree_state.Model``.
"""

from __future__ import annotations

from dataclasses import dataclass

STATES = ("S0", "S1", "S2", "S3")
BITS_PER_LONG = 64

# name -> bit number (VMA_<name>_BIT). Unconditional enum entries unless noted in CONFIG_BITS.
BITS: dict[str, int] = {
    "READ": 0,
    "WRITE": 1,
    "EXEC": 2,
    "SHARED": 3,
    "MAYREAD": 4,
    "MAYWRITE": 5,
    "MAYEXEC": 6,
    "MAYSHARE": 7,
    "GROWSDOWN": 8,
    "UFFD_MISSING": 9,
    "MAYOVERLAY": 9,
    "PFNMAP": 10,
    "MAYBE_GUARD": 11,
    "UFFD_WP": 12,
    "LOCKED": 13,
    "IO": 14,
    "SEQ_READ": 15,
    "RAND_READ": 16,
    "DONTCOPY": 17,
    "DONTEXPAND": 18,
    "LOCKONFAULT": 19,
    "ACCOUNT": 20,
    "NORESERVE": 21,
    "HUGETLB": 22,
    "SYNC": 23,
    "ARCH_1": 24,
    "WIPEONFORK": 25,
    "DONTDUMP": 26,
    "SOFTDIRTY": 27,
    "MIXEDMAP": 28,
    "HUGEPAGE": 29,
    "NOHUGEPAGE": 30,
    "MERGEABLE": 31,
    "HIGH_ARCH_0": 32,
    "HIGH_ARCH_1": 33,
    "HIGH_ARCH_2": 34,
    "HIGH_ARCH_3": 35,
    "HIGH_ARCH_4": 36,
    "HIGH_ARCH_5": 37,
    "HIGH_ARCH_6": 38,
    "PKEY_BIT0": 32,
    "PKEY_BIT1": 33,
    "PKEY_BIT2": 34,
    "PKEY_BIT3": 35,
    "PKEY_BIT4": 36,
    "MTE": 36,
    "MTE_ALLOWED": 37,
    "SHADOW_STACK": 37,
    "ALLOW_ANY_UNCACHED": 39,
    "DROPPABLE": 40,
    "UFFD_MINOR": 41,
    "SEALED": 42,
    # arch aliases of bit 24
    "SAO": 24,
    "GROWSUP": 24,
    "SPARC_ADI": 24,
    "ARM64_BTI": 24,
    "ARCH_CLEAR": 24,
    "MAPPED_COPY": 24,
    "STACK": 8,
    "STACK_EARLY": 8,
}

# Legacy VM_xxx that are VM_NONE unless a config symbol is set (the VMA_xxx_BIT still exists).
CONFIG_BITS: dict[str, str] = {
    "UFFD_MISSING": "CONFIG_MMU",
    "MAYOVERLAY": "!CONFIG_MMU",
    "SOFTDIRTY": "CONFIG_MEM_SOFT_DIRTY",
    "PKEY_BIT0": "CONFIG_ARCH_HAS_PKEYS",
    "PKEY_BIT1": "CONFIG_ARCH_HAS_PKEYS",
    "PKEY_BIT2": "CONFIG_ARCH_HAS_PKEYS",
    "PKEY_BIT3": "CONFIG_ARCH_PKEY_BITS>3",
    "PKEY_BIT4": "CONFIG_ARCH_PKEY_BITS>4",
    "MTE": "CONFIG_ARM64_MTE",
    "MTE_ALLOWED": "CONFIG_ARM64_MTE",
    "SHADOW_STACK": "CONFIG_X86_USER_SHADOW_STACK",
    "ALLOW_ANY_UNCACHED": "CONFIG_64BIT",
    "DROPPABLE": "CONFIG_64BIT",
    "UFFD_MINOR": "CONFIG_HAVE_ARCH_USERFAULTFD_MINOR",
    "SEALED": "CONFIG_64BIT",
    "SAO": "CONFIG_PPC64",
    "GROWSUP": "CONFIG_PARISC",
    "SPARC_ADI": "CONFIG_SPARC64",
    "ARM64_BTI": "CONFIG_ARM64",
    "MAPPED_COPY": "!CONFIG_MMU",
}

# VMA_xxx_BIT enum entries that exist only in their architecture's or feature's configuration
# (declared inside #if blocks of the enum): code naming them is built only there.
CONFIG_ONLY_BITS = frozenset(
    ("SAO", "GROWSUP", "SPARC_ADI", "ARM64_BTI", "ARCH_CLEAR", "MAPPED_COPY", "SHADOW_STACK")
)

HIGH_BITS = range(32, 43)  # exist only on 64-bit builds

# Composite legacy masks (VM_xxx that are ORs of several bits).
COMPOSITE_MASKS: dict[str, tuple[str, ...]] = {
    "VM_REMAP_FLAGS": ("IO", "PFNMAP", "DONTEXPAND", "DONTDUMP"),
    "VM_SPECIAL": ("IO", "DONTEXPAND", "PFNMAP", "MIXEDMAP"),
    "VM_ACCESS_FLAGS": ("READ", "WRITE", "EXEC"),
    "VM_LOCKED_MASK": ("LOCKED", "LOCKONFAULT"),
    "VM_NO_KHUGEPAGED": ("IO", "DONTEXPAND", "PFNMAP", "MIXEDMAP", "HUGETLB"),
    "VM_ATOMIC_SET_ALLOWED": ("MAYBE_GUARD",),
}
# Composite vma_flags_t masks built with mk_vma_flags() (S2+).
COMPOSITE_VMA_MASKS: dict[str, tuple[str, ...]] = {
    "VMA_REMAP_FLAGS": ("IO", "PFNMAP", "DONTEXPAND", "DONTDUMP"),
    "VMA_SPECIAL_FLAGS": ("IO", "DONTEXPAND", "PFNMAP", "MIXEDMAP"),
    "VMA_ACCESS_FLAGS": ("READ", "WRITE", "EXEC"),
    "VMA_LOCKED_MASK": ("LOCKED", "LOCKONFAULT"),
}


def bit_of_name(ident: str) -> int | None:
    """VMA_xxx_BIT -> bit number."""
    if ident.startswith("VMA_") and ident.endswith("_BIT"):
        return BITS.get(ident[4:-4])
    return None


_BASE_CONFIG = ("CONFIG_MMU", "CONFIG_64BIT")


def mask_of_name(ident: str, features: str = "all") -> int | None:
    """VM_xxx -> mask (bit set) on a 64-bit MMU build: with every optional feature enabled
    (``features="all"``) or disabled (``"min"``: a config-gated VM_xxx is VM_NONE)."""
    if ident == "VM_NONE":
        return 0
    if ident in COMPOSITE_MASKS:
        return _mask(COMPOSITE_MASKS[ident])
    if ident.startswith("VM_") and ident[3:] in BITS:
        cond = CONFIG_BITS.get(ident[3:], "")
        if features == "min" and cond and cond not in _BASE_CONFIG:
            return 0
        return 1 << BITS[ident[3:]]
    return None


def symbol_defined(name: str, features: str) -> bool | None:
    """Whether a macro is defined in a configuration: ``CONFIG_X`` or a config-gated
    ``VM_X`` (None: not a symbol the model knows)."""
    if name.startswith("CONFIG_"):
        return name in _BASE_CONFIG or features == "all"
    if name.startswith("VM_") and name[3:] in CONFIG_BITS:
        cond = CONFIG_BITS[name[3:]]
        if cond in _BASE_CONFIG:
            return True
        if cond.startswith("!"):
            return cond[1:] not in _BASE_CONFIG and features == "min"
        return features == "all"
    return None


def is_enabled(symbol: str, features: str) -> int:
    """IS_ENABLED(CONFIG_X) in a configuration."""
    return int(symbol in _BASE_CONFIG or features == "all")


def vma_mask_of_name(ident: str) -> int | None:
    if ident == "EMPTY_VMA_FLAGS":
        return 0
    if ident in COMPOSITE_VMA_MASKS:
        return _mask(COMPOSITE_VMA_MASKS[ident])
    return None


def _mask(names: tuple[str, ...]) -> int:
    out = 0
    for name in names:
        out |= 1 << BITS[name]
    return out


def bit_label(bit: int) -> str:
    """Human name for a bit number (first non-alias name), e.g. 3 -> VM_SHARED."""
    for name, num in BITS.items():
        if num == bit:
            return f"VM_{name}"
    return f"bit {bit}"


# ---------------------------------------------------------------------------------------------
# Helper API. kind: any | all | single | set | clear | assign | mk | word_set | word_clear |
# word_assign | legacy_pred. target: how the flags are reached from the first argument.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Helper:
    name: str
    kind: str
    target: str  # "flags_ptr" | "flags_val" | "vma" | "desc" | "word" | "none"
    args: str  # "bits" (varargs VMA_xxx_BIT) | "mask" (vma_flags_t) | "word" | "bit" | "none"
    locks: bool = False  # takes vma_start_write()
    word0_only: bool = False
    states: tuple[str, ...] = STATES


_S2UP = ("S2", "S3")
_S1UP = ("S1", "S2", "S3")

HELPERS: list[Helper] = [
    # legacy word API (all states)
    Helper("vm_flags_set", "word_set", "vma", "word", locks=True, word0_only=True),
    Helper("vm_flags_clear", "word_clear", "vma", "word", locks=True, word0_only=True),
    Helper("vm_flags_init", "word_assign", "vma", "word"),
    Helper("vm_flags_reset", "word_assign", "vma", "word"),
    Helper("vm_flags_reset_once", "word_assign", "vma", "word"),
    # S1 word helpers on vma_flags_t
    Helper("vma_flags_clear_all", "clear_all", "flags_ptr", "none", states=_S1UP),
    Helper("vma_flags_overwrite_word", "word_assign", "flags_ptr", "word", True, True, _S1UP),
    Helper("vma_flags_overwrite_word_once", "word_assign", "flags_ptr", "word", False, True, _S1UP),
    Helper("vma_flags_set_word", "word_set", "flags_ptr", "word", False, True, _S1UP),
    Helper("vma_flags_clear_word", "word_clear", "flags_ptr", "word", False, True, _S1UP),
    # atomic
    Helper("vma_flag_set_atomic", "atomic_set", "vma", "bit", states=("S0", "S1")),
    Helper("vma_flag_test_atomic", "atomic_test", "vma", "bit", states=("S0", "S1")),
    Helper("vma_set_atomic_flag", "atomic_set", "vma", "bit", states=_S2UP),
    Helper("vma_test_atomic_flag", "atomic_test", "vma", "bit", states=_S2UP),
    # construction
    Helper("mk_vma_flags", "mk", "none", "bits", states=_S2UP),
    Helper("vma_flag_set", "set", "flags_ptr", "bit", states=("S2",)),
    Helper("vma_flags_set_flag", "set", "flags_ptr", "bit", states=("S3",)),
    # S2 tests
    Helper("vma_flags_test", "any", "flags_ptr", "bits", states=("S2",)),
    Helper("vma_flags_test_mask", "any", "flags_ptr", "mask", states=("S2",)),
    Helper("vma_desc_test_flags", "any", "desc", "bits", states=("S2",)),
    Helper("vma_desc_test_flags_mask", "any", "desc", "mask", states=("S2",)),
    Helper("vma_test_all_flags", "all", "vma", "bits", states=("S2",)),
    Helper("vma_test_all_flags_mask", "all", "vma", "mask", states=("S2",)),
    # S3 tests
    Helper("vma_flags_test", "single", "flags_ptr", "bit", states=("S3",)),
    Helper("vma_desc_test", "single", "desc", "bit", states=("S3",)),
    Helper("vma_flags_test_any", "any", "flags_ptr", "bits", states=("S3",)),
    Helper("vma_flags_test_any_mask", "any", "flags_ptr", "mask", states=("S3",)),
    Helper("vma_desc_test_any", "any", "desc", "bits", states=("S3",)),
    Helper("vma_desc_test_any_mask", "any", "desc", "mask", states=("S3",)),
    Helper("vma_test_all", "all", "vma", "bits", states=("S3",)),
    Helper("vma_test_all_mask", "all", "vma", "mask", states=("S3",)),
    Helper("vma_desc_test_all", "all", "desc", "bits", states=("S3",)),
    Helper("vma_desc_test_all_mask", "all", "desc", "mask", states=("S3",)),
    # S2+ common
    Helper("vma_flags_test_all", "all", "flags_ptr", "bits", states=_S2UP),
    Helper("vma_flags_test_all_mask", "all", "flags_ptr", "mask", states=_S2UP),
    Helper("vma_flags_set", "set", "flags_ptr", "bits", states=_S2UP),
    Helper("vma_flags_set_mask", "set", "flags_ptr", "mask", states=_S2UP),
    Helper("vma_flags_clear", "clear", "flags_ptr", "bits", states=_S2UP),
    Helper("vma_flags_clear_mask", "clear", "flags_ptr", "mask", states=_S2UP),
    Helper("vma_set_flags", "set", "vma", "bits", states=_S2UP),
    Helper("vma_set_flags_mask", "set", "vma", "mask", states=_S2UP),
    Helper("vma_desc_set_flags", "set", "desc", "bits", states=_S2UP),
    Helper("vma_desc_set_flags_mask", "set", "desc", "mask", states=_S2UP),
    Helper("vma_desc_clear_flags", "clear", "desc", "bits", states=_S2UP),
    Helper("vma_desc_clear_flags_mask", "clear", "desc", "mask", states=_S2UP),
]

# Semantic predicates over the flags, expressed as (kind, bits-that-must-be-set, bits-clear).
# "pred" helpers: true iff all of `need` set and none of `forbid` set; "anyof": any of `need`.
# target "word" takes a vm_flags_t value, "flags_ptr" a const vma_flags_t *, "desc"/"vma" objects.
DERIVED: dict[tuple[str, str], tuple[str, str, tuple[str, ...], tuple[str, ...]]] = {
    # (name, state-group) -> (target, kind, need, forbid)
    ("is_cow_mapping", "*"): ("word", "pred", ("MAYWRITE",), ("SHARED",)),
    ("is_shared_maywrite", "S0S1"): ("word", "pred", ("SHARED", "MAYWRITE"), ()),
    ("is_shared_maywrite", "S2S3"): ("flags_ptr", "pred", ("SHARED", "MAYWRITE"), ()),
    ("is_shared_maywrite_vm_flags", "S2S3"): ("word", "pred", ("SHARED", "MAYWRITE"), ()),
    ("vma_is_shared_maywrite", "*"): ("vma", "pred", ("SHARED", "MAYWRITE"), ()),
    ("is_nommu_shared_mapping", "*"): ("word", "anyof", ("MAYSHARE", "MAYOVERLAY"), ()),
    ("is_nommu_shared_vma_flags", "S2S3"): ("flags_ptr", "anyof", ("MAYSHARE", "MAYOVERLAY"), ()),
    ("is_vm_hugetlb_flags", "*"): ("word", "anyof", ("HUGETLB",), ()),
    ("is_vma_hugetlb_flags", "S2S3"): ("flags_ptr", "anyof", ("HUGETLB",), ()),
    ("vma_desc_is_cow_mapping", "S2S3"): ("desc", "pred", ("MAYWRITE",), ("SHARED",)),
}


def helpers_for(state: str) -> dict[str, Helper]:
    return {h.name: h for h in HELPERS if state in h.states}


def derived_for(state: str) -> dict[str, tuple[str, str, int, int]]:
    group = "S0S1" if state in ("S0", "S1") else "S2S3"
    out: dict[str, tuple[str, str, int, int]] = {}
    for (name, grp), (target, kind, need, forbid) in DERIVED.items():
        if grp in ("*", group):
            out[name] = (target, kind, _mask(need), _mask(forbid))
    return out


# Names whose presence identifies a state (defined, renamed to or used).
STATE_MARKERS: dict[str, tuple[str, ...]] = {
    "S3": (
        "vma_flags_test_any",
        "vma_flags_test_any_mask",
        "vma_desc_test_any",
        "vma_desc_test_any_mask",
        "vma_test_all",
        "vma_test_all_mask",
        "vma_desc_test_all",
        "vma_flags_set_flag",
        "vma_desc_test",
    ),
    "S2": (
        "mk_vma_flags",
        "__mk_vma_flags",
        "EMPTY_VMA_FLAGS",
        "vma_desc_test_flags",
        "vma_test_all_flags",
        "vma_set_atomic_flag",
        "vma_test_atomic_flag",
        "vma_flag_set",
        "vma_desc_set_flags",
        "vma_flags_test_mask",
    ),
    "S1": (
        "vma_flags_t",
        "vma_flag_t",
        "vma_flag_set_atomic",
        "vma_flag_test_atomic",
        "vma_flags_clear_all",
        "vma_flags_overwrite_word",
        "DECLARE_VMA_BIT",
        "INIT_VM_FLAG",
    ),
}

# Prefixes that make a name part of the flag API (definitions checked by the harness).
HELPER_PREFIXES = (
    "mk_vma_flags",
    "__mk_vma_flags",
    "vma_flags_",
    "vma_flag_",
    "vma_desc_",
    "vma_set_flags",
    "vma_test_",
    "vm_flags_",
    "__vm_flags_",
    "legacy_to_vma",
    "vma_set_atomic",
    "vma_test_atomic",
    "__vma_atomic",
)
