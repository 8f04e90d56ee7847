"""The four-patch series: its edits of the mini tree, commit messages, commits per revision."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import git

from synthgen.identity import AUTHOR
from synthgen.tree import MM_H, VMA_INTERNAL, Edit, apply_edits, commit_all

RENAME_ATOMIC: list[Edit] = [
    (
        MM_H,
        "static inline bool __vma_flag_atomic_valid(struct vm_area_struct *vma,\n"
        "\t\t\t\t\t   vma_flag_t bit)\n",
        "static inline bool __vma_atomic_valid_flag(struct vm_area_struct *vma, vma_flag_t bit)\n",
    ),
    (
        MM_H,
        "static inline void vma_flag_set_atomic(struct vm_area_struct *vma,\n"
        "\t\t\t\t       vma_flag_t bit)\n",
        "static inline void vma_set_atomic_flag(struct vm_area_struct *vma, vma_flag_t bit)\n",
    ),
    (
        MM_H,
        "static inline bool vma_flag_test_atomic(struct vm_area_struct *vma,\n"
        "\t\t\t\t\tvma_flag_t bit)\n",
        "static inline bool vma_test_atomic_flag(struct vm_area_struct *vma, vma_flag_t bit)\n",
    ),
    (MM_H, "if (__vma_flag_atomic_valid(vma, bit))", "if (__vma_atomic_valid_flag(vma, bit))"),
    ("mm/khugepaged.c", "vma_flag_test_atomic(vma, VMA_", "vma_test_atomic_flag(vma, VMA_"),
    ("mm/madvise.c", "vma_flag_set_atomic(vma, VMA_", "vma_set_atomic_flag(vma, VMA_"),
]

_DESC_TEST_SET = """\
/* Test whether the VMA flag bit is set in the VMA descriptor, non-atomically. */
static inline bool vma_desc_test_flag(const struct vm_area_desc *desc,
				      vma_flag_t bit)
{
	return test_bit((__force int)bit,
			ACCESS_PRIVATE(&desc->vma_flags, __vma_flags));
}

/* Set the VMA flag bit in the VMA descriptor, non-atomically. */
static inline void vma_desc_set_flag(struct vm_area_desc *desc,
				     vma_flag_t bit)
{
	__set_bit((__force int)bit, ACCESS_PRIVATE(&desc->vma_flags, __vma_flags));
}
"""

_DESC_CLEAR = """\

/* Clear the VMA flag bit in the VMA descriptor, non-atomically. */
static inline void vma_desc_clear_flag(struct vm_area_desc *desc,
				       vma_flag_t bit)
{
	__clear_bit((__force int)bit, ACCESS_PRIVATE(&desc->vma_flags, __vma_flags));
}
"""

_MM_ANCHOR = "static inline void vma_set_anonymous(struct vm_area_struct *vma)\n"
_TOOLS_ANCHOR = "static inline bool is_shared_maywrite(vm_flags_t vm_flags)\n"


def desc_helpers(mirror_clear: bool) -> list[Edit]:
    """v1 forgot to mirror vma_desc_clear_flag() into the userland test header; v2 adds it."""
    tools = _DESC_TEST_SET + (_DESC_CLEAR if mirror_clear else "")
    return [
        (MM_H, _MM_ANCHOR, _DESC_TEST_SET + _DESC_CLEAR + "\n" + _MM_ANCHOR),
        (VMA_INTERNAL, _TOOLS_ANCHOR, tools + "\n" + _TOOLS_ANCHOR),
    ]


SECRETMEM: list[Edit] = [
    (
        "mm/secretmem.c",
        "\tif ((desc->vm_flags & (VM_SHARED | VM_MAYSHARE)) == 0)\n"
        "\t\treturn -EINVAL;\n"
        "\n"
        "\tif (!mlock_future_ok(desc->mm, desc->vm_flags | VM_LOCKED, len))\n"
        "\t\treturn -EAGAIN;\n"
        "\n"
        "\tdesc->vm_flags |= VM_LOCKED | VM_DONTDUMP;\n",
        "\tif (!vma_desc_test_flag(desc, VMA_SHARED_BIT) &&\n"
        "\t    !vma_desc_test_flag(desc, VMA_MAYSHARE_BIT))\n"
        "\t\treturn -EINVAL;\n"
        "\n"
        "\tif (!mlock_future_ok(desc->mm, desc->vm_flags | VM_LOCKED, len))\n"
        "\t\treturn -EAGAIN;\n"
        "\n"
        "\tvma_desc_set_flag(desc, VMA_LOCKED_BIT);\n"
        "\tvma_desc_set_flag(desc, VMA_DONTDUMP_BIT);\n",
    ),
]

MEM_AIO: list[Edit] = [
    (
        "drivers/char/mem.c",
        "\t/* Remap-pfn-range will mark the range VM_IO. */\n",
        "\t/* Remap-pfn-range will mark the range with the I/O flag. */\n",
    ),
    (
        "drivers/char/mem.c",
        "\tif (desc->vm_flags & VM_SHARED)\n\t\treturn shmem_zero_setup_desc(desc);\n",
        "\tif (vma_desc_test_flag(desc, VMA_SHARED_BIT))\n\t\treturn shmem_zero_setup_desc(desc);\n",
    ),
    (
        "fs/aio.c",
        "\tdesc->vm_flags |= VM_DONTEXPAND;\n",
        "\tvma_desc_set_flag(desc, VMA_DONTEXPAND_BIT);\n",
    ),
]

# Commit messages.

SOB = f"Signed-off-by: {AUTHOR[0]} <{AUTHOR[1]}>"
PEDRO_RB = "Reviewed-by: Pedro Example <pfalcato@example.net>"

MSG_RENAME = f"""\
mm: rename vma_flag_test/set_atomic() to vma_test/set_atomic_flag()

In order to stay consistent between functions which manipulate a vm_flags_t
argument of the form of vma_flags_...() and those which manipulate a
VMA (in this case the flags field of a VMA), rename
vma_flag_[test/set]_atomic() to vma_[test/set]_atomic_flag().

This lays the groundwork for adding VMA descriptor flag helpers in a
subsequent commit.

{SOB}
"""

MSG_HELPERS = f"""\
mm: add vma_desc_test/set/clear_flag() helpers

Add helpers which test, set and clear an individual VMA flag bit in a VMA
descriptor, so mmap_prepare hooks can stop open-coding operations on the
legacy desc->vm_flags field.

Also mirror the helpers into the userland VMA test header so they can be
used by the VMA tests.

{SOB}
"""

MSG_SECRETMEM_V1 = f"""\
mm: update secretmem to use VMA flags on mmap_prepare

This patch updates secretmem to use the new vma_flags_t type which will
soon supersede vm_flags_t altogether.

No functional changes intended.

{SOB}
"""

MSG_SECRETMEM_V2 = f"""\
mm: update secretmem to use VMA flags on mmap_prepare

Update secretmem_mmap_prepare() to test and set flags in the VMA
descriptor with the vma_desc_*_flag() helpers rather than manipulating the
legacy desc->vm_flags field directly.

This is laying the groundwork for eliminating vm_flags_t from
vm_area_desc.

No functional changes intended.

{SOB}
"""

MSG_MEM_AIO = f"""\
mm: update /dev/zero and the aio ring to use VMA flags on mmap_prepare

Convert the remaining simple mmap_prepare users, mmap_zero_prepare() and
aio_ring_mmap_prepare(), to the vma_desc_*_flag() helpers.

{SOB}
"""


@dataclass
class PatchSpec:
    message: str
    edits: list[Edit]


def series_v1() -> list[PatchSpec]:
    return [
        PatchSpec(MSG_RENAME, RENAME_ATOMIC),
        PatchSpec(MSG_HELPERS, desc_helpers(mirror_clear=False)),
        PatchSpec(MSG_SECRETMEM_V1, SECRETMEM),
        PatchSpec(MSG_MEM_AIO, MEM_AIO),
    ]


def series_v2() -> list[PatchSpec]:
    return [
        PatchSpec(MSG_RENAME.replace(SOB, f"{PEDRO_RB}\n{SOB}"), RENAME_ATOMIC),
        PatchSpec(MSG_HELPERS, desc_helpers(mirror_clear=True)),
        PatchSpec(MSG_SECRETMEM_V2, SECRETMEM),
        PatchSpec(MSG_MEM_AIO, MEM_AIO),
    ]


def commit_series(repo: git.Repo, specs: list[PatchSpec], start_date: str) -> list[str]:
    """Commit each patch spec on top of HEAD, one minute apart from start_date."""
    day, clock = start_date.split("T")
    hour = int(clock[:2])
    shas = []
    for i, spec in enumerate(specs):
        apply_edits(Path(repo.working_tree_dir), spec.edits)
        shas.append(commit_all(repo, spec.message, f"{day}T{hour:02d}:{i:02d}:00+00:00"))
    return shas
