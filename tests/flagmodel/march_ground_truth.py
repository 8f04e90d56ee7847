"""Ground truth of the March 2026 series "mm/vma: convert vm_flags_t to vma_flags_t in vma code".

Worked out by reading the corpus (/work/shared/corpus/vma-flags-2026-03-vma-code/) as a reviewer
would: the v3 and v4 cover letters' changelogs, Andrew Morton's "how v3/v4 altered mm.git"
replies (the exact fix diffs) and Vlastimil Babka's review replies. Each entry is a mistake that
is in v1 and v2 (same text, line numbers of the v2 post-image unless noted) and was fixed in v3
or v4. ``line`` is the post-image line of the added line that carries the mistake in that
revision; ``snippet`` is a substring of that line.

``detector`` names the check expected to report it (None: not a flag-model finding, listed for
completeness). ``severity`` is the least severity that counts as "flagged".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mistake:
    key: str
    revision: str
    patch: int
    file: str
    line: int
    snippet: str
    bug_class: str
    fixed_in: str
    fix: str
    evidence: str
    detector: str | None
    severity: str = "warning"


V3_CHANGELOG = "v3 cover letter <cover.1773846935.git.ljs@kernel.org> changelog"
V3_DIFF = "Andrew Morton, Re: [PATCH v3 00/23], 'Below is how v3 altered mm.git'"
V4_DIFF = "Andrew Morton, Re: [PATCH v4 00/25], 'Here's how v4 altered mm.git'"

_MISTAKES = [
    # -- config-gated legacy flag replaced by an unconditional bit ------------------------------
    (
        "arm64-mte-allowed",
        17,
        13,
        "arch/arm64/include/asm/page.h",
        50,
        50,
        "VMA_MTE_ALLOWED_BIT)",
        "config-gated",
        "v3",
        "wrapped in #ifdef CONFIG_ARM64_MTE, #else VMA_DATA_FLAGS_TSK_EXEC",
        f"{V3_CHANGELOG}: 'Updated VMA_DATA_DEFAULT_FLAGS declaration on arm64 to be predicated "
        "on CONFIG_ARM64_MTE as to whether VMA_MTE_ALLOWED_BIT is set, as per Sashiko.' "
        "(old: VM_DATA_FLAGS_TSK_EXEC | VM_MTE_ALLOWED, VM_MTE_ALLOWED is VM_NONE without "
        "CONFIG_ARM64_MTE)",
        "config-gated",
    ),
    # -- flag set on a dead local copy instead of on the VMA ------------------------------------
    (
        "brk-softdirty-dead-local",
        17,
        13,
        "mm/vma.c",
        2946,
        2948,
        "vma_flags_set(&vma_flags, VMA_SOFTDIRTY_BIT);",
        "dead-local",
        "v3",
        "vma_set_flags(vma, VMA_SOFTDIRTY_BIT);",
        f"{V3_CHANGELOG}: 'Fixed bug where the VMA did not have VMA_SOFTDIRTY_BIT set if "
        "pgtable_supports_soft_dirty(), but rather the stack variable vma_flags, as per "
        f"Sashiko.' {V3_DIFF}: '-\\t\\tvma_flags_set(&vma_flags, VMA_SOFTDIRTY_BIT); "
        "+\\t\\tvma_set_flags(vma, VMA_SOFTDIRTY_BIT);' in do_brk_flags()",
        "dead-local",
    ),
    # -- lock dropped: vm_flags_set() took the VMA write lock, vma_set_flags() does not --------
    (
        "mseal-missing-write-lock",
        22,
        19,
        "mm/mseal.c",
        80,
        80,
        "vma_set_flags(vma, VMA_SEALED_BIT);",
        "lock-dropped",
        "v3",
        "vma_start_write(vma); added before vma_set_flags(vma, VMA_SEALED_BIT)",
        f"{V3_CHANGELOG}: 'Added missing vma_start_write() in mseal_apply() as per Sahiko.' "
        f"{V3_DIFF}: '+\\t\\t\\tvma_start_write(vma);' in mseal_apply()",
        "lock-semantics",
    ),
    # -- VMA flags read before the VMA is write-locked (sticky flags race) ----------------------
    (
        "merge-next-sticky-before-lock",
        5,
        5,
        "mm/vma.c",
        907,
        907,
        "const vma_flags_t next_sticky =",
        "read-before-lock",
        "v3",
        "next_sticky computed after vma_start_write(next)",
        f"{V3_CHANGELOG}: 'Obtained sticky flag masks after VMA write lock acquired on merge "
        "and update vma_expand() similarly. This is meaningful, as the maybe guard flag is set "
        "atomically which might race outside of a VMA write lock, as per Sashiko.'",
        "lock-semantics",
    ),
    (
        "merge-prev-sticky-before-lock",
        5,
        5,
        "mm/vma.c",
        916,
        916,
        "const vma_flags_t prev_sticky =",
        "read-before-lock",
        "v3",
        "prev_sticky computed after vma_start_write(prev)",
        f"{V3_CHANGELOG} (same entry as above); {V3_DIFF} vma_merge_existing_range() hunk",
        "lock-semantics",
    ),
    (
        "expand-target-sticky-before-lock",
        5,
        5,
        "mm/vma.c",
        1171,
        1171,
        "const vma_flags_t target_sticky =",
        "read-before-lock",
        "v3",
        "target_sticky computed after vma_start_write(target)",
        f"{V3_CHANGELOG} (same entry); {V3_DIFF} vma_expand() hunk",
        "lock-semantics",
    ),
    (
        "expand-next-sticky-before-lock",
        5,
        5,
        "mm/vma.c",
        1194,
        1194,
        "const vma_flags_t next_sticky =",
        "read-before-lock",
        "v3",
        "next_sticky computed after vma_start_write(next) in the later remove_next block",
        f"{V3_CHANGELOG} (same entry); {V3_DIFF} vma_expand() hunk",
        "lock-semantics",
    ),
    # -- helper leaves the upper words of a vma_flags_t uninitialised ---------------------------
    (
        "legacy-to-vma-flags-uninit",
        11,
        11,
        "include/linux/mm_types.h",
        1094,
        1094,
        "ret.__vma_flags[0] = (unsigned long)flags;",
        "uninit-upper-words",
        "v3",
        "vma_flags_t ret = EMPTY_VMA_FLAGS; vma_flags_overwrite_word(&ret, flags);",
        f"{V3_CHANGELOG}: 'Updated legacy_to_vma_flags() to ensure upper bits are cleared for "
        "NUM_VMA_FLAG_BITS > 64 as per Sashiko.'",
        "uninit-words",
    ),
    (
        "legacy-to-vma-flags-uninit-tools",
        11,
        11,
        "tools/testing/vma/include/dup.h",
        828,
        825,
        "ret.__vma_flags[0] = (unsigned long)flags;",
        "uninit-upper-words",
        "v3",
        "vma_flags_t ret = EMPTY_VMA_FLAGS; vma_flags_overwrite_word(&ret, flags);",
        f"{V3_DIFF}: tools/testing/vma/include/dup.h legacy_to_vma_flags() hunk",
        "uninit-words",
    ),
    # -- WRITE_ONCE() of a whole multi-word vma_flags_t instead of vm_flags_reset_once() --------
    (
        "mlock-write-once-struct",
        22,
        19,
        "mm/mlock.c",
        446,
        446,
        "WRITE_ONCE(vma->flags, *new_vma_flags);",
        "write-once-tearing",
        "v4",
        "vma_flags_reset_once(vma, new_vma_flags);",
        "Vlastimil Babka on v3 22/23: 'how is switching from vm_flags_t to vma_flags_t allowing "
        "us to simply do WRITE_ONCE() instead of the full logic of vm_flags_reset_once()? Won't "
        "it fail to compile once once flags are more than single word? Or worse, will compile "
        f"but silently allow tearing?' {V4_DIFF}: mm/mlock.c hunks",
        "write-once",
    ),
    (
        "mlock-write-once-struct-2",
        22,
        19,
        "mm/mlock.c",
        454,
        454,
        "WRITE_ONCE(vma->flags, *new_vma_flags);",
        "write-once-tearing",
        "v4",
        "vma_flags_reset_once(vma, new_vma_flags);",
        f"{V4_DIFF}: second mm/mlock.c hunk",
        "write-once",
    ),
    (
        "mprotect-write-once-struct",
        22,
        19,
        "mm/mprotect.c",
        772,
        772,
        "WRITE_ONCE(vma->flags, new_vma_flags);",
        "write-once-tearing",
        "v4",
        "vma_flags_reset_once(vma, &new_vma_flags);",
        f"{V4_DIFF}: mm/mprotect.c mprotect_fixup() hunk ('Vlastimil: Ditto.')",
        "write-once",
    ),
    # -- tools copies drifted from the kernel helpers --------------------------------------------
    (
        "dup-h-access-private-drift",
        13,
        13,
        "tools/testing/vma/include/dup.h",
        779,
        None,
        "static __always_inline void vma_flags_overwrite_word_once(vma_flags_t *flags,",
        "dup-drift",
        "v3",
        "ACCESS_PRIVATE() dropped from the dup.h word helpers",
        f"{V3_CHANGELOG}: 'Refreshed vma_flags_overwrite_word(), vma_flag_overwrite_word_once(), "
        "vma_flags_set_word() and vma_flags_clear_word() in the VMA test dup.h header to keep "
        "them consistent with the kernel.'",
        "dup-drift",
    ),
    # -- not flag-model findings (listed for completeness) ---------------------------------------
    (
        "vma-clear-flags-vmag-param",
        19,
        16,
        "tools/testing/vma/include/dup.h",
        1072,
        1048,
        "#define vma_clear_flags(vmag, ...) \\",
        "cosmetic",
        "v3",
        "#define vma_clear_flags(vma, ...)",
        f"{V3_CHANGELOG}: 'Corrected vmag -> vma typo in VMA test code as per Sashiko.' "
        "(consistent parameter name, same expansion)",
        None,
    ),
    (
        "vma-flags-empty-const",
        1,
        1,
        "include/linux/mm_types.h",
        874,
        None,
        "static __always_inline bool vma_flags_empty(vma_flags_t *flags)",
        "const-correctness",
        "v3",
        "const vma_flags_t *flags",
        f"{V3_CHANGELOG}: 'Const-ified vma_flags_t * param for vma_flags_empty() as per Sashiko.'",
        None,
    ),
]


# Real bugs that are still in v4 (the merged revision) and were fixed after it.
REF = "shared/docs/vma-flags-reference.md"
LATER_FIXED = [
    Mistake(
        "uffd-flags-minor-unconditional",
        "v4",
        23,
        "include/linux/userfaultfd_k.h",
        27,
        "VMA_UFFD_MINOR_BIT)",
        "config-gated",
        "May 2026 (after v4)",
        "mk_vma_flags_from_masks() with VMA_UFFD_MISSING/_WP/_MINOR masks that are empty when "
        "the feature is not configured",
        f"{REF} section 3.6: 'May 2026 mk_vma_flags_from_masks() + VMA_UFFD_MISSING/_WP/_MINOR "
        "masks'; section 4.8: 'observed: on 32-bit mk_vma_flags(VMA_UFFD_MINOR_BIT=41) writes "
        "one word past the end'. __VM_UFFD_FLAGS has VM_UFFD_MINOR = VM_NONE without "
        "CONFIG_HAVE_ARCH_USERFAULTFD_MINOR; __VMA_UFFD_FLAGS sets bit 41 always.",
        "config-gated",
        "error",
    ),
    Mistake(
        "uffd-flags-missing-unconditional",
        "v4",
        23,
        "include/linux/userfaultfd_k.h",
        26,
        "#define __VMA_UFFD_FLAGS mk_vma_flags(VMA_UFFD_MISSING_BIT, VMA_UFFD_WP_BIT, \\",
        "config-gated",
        "May 2026 (after v4)",
        "same fix (VMA_UFFD_MISSING mask, empty without CONFIG_MMU)",
        f"{REF} section 3.6 (same fix); VM_UFFD_MISSING is VM_NONE without CONFIG_MMU, where "
        "bit 9 is VMA_MAYOVERLAY_BIT",
        "config-gated",
        "error",
    ),
]


def _build() -> list[Mistake]:
    out: list[Mistake] = []
    for key, v2p, v1p, path, v2line, v1line, snippet, cls, fixed, fix, evidence, det in _MISTAKES:
        out.append(Mistake(key, "v2", v2p, path, v2line, snippet, cls, fixed, fix, evidence, det))
        if v1line is not None:
            out.append(
                Mistake(key, "v1", v1p, path, v1line, snippet, cls, fixed, fix, evidence, det)
            )
    return out


MISTAKES: list[Mistake] = _build()


def expected(revision: str) -> list[Mistake]:
    """The mistakes of one revision a flag-model check is expected to report."""
    return [m for m in MISTAKES if m.revision == revision and m.detector is not None]
