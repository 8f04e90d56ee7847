"""ifdef-twin on the real ksm_vma_flags() prototype / !CONFIG_KSM stub pair."""

from __future__ import annotations

from tests.flagmodel import march

KSM = "include/linux/ksm.h"


def test_both_twins_converted_is_fine():
    assert march.run("ifdef-twin", [march.patch("v4", 17)]) == []


def test_stub_left_unconverted_is_an_error():
    p = march.mutate(
        march.patch("v4", 17),
        "static inline vma_flags_t ksm_vma_flags(struct mm_struct *mm,",
        "static inline vm_flags_t ksm_vma_flags(struct mm_struct *mm,",
    )
    p = march.mutate(
        p,
        "\t\tconst struct file *file, vma_flags_t vma_flags)",
        "\t\tconst struct file *file, vm_flags_t vm_flags)",
    )
    [found] = march.run("ifdef-twin", [p])
    assert (found.file, found.line, found.severity) == (KSM, 106, "error")


def test_prototype_left_unconverted_is_an_error():
    p = march.mutate(
        march.patch("v4", 17),
        "vma_flags_t ksm_vma_flags(struct mm_struct *mm, const struct file *file,",
        "vm_flags_t ksm_vma_flags(struct mm_struct *mm, const struct file *file,",
    )
    p = march.mutate(p, "\t\t\t  vma_flags_t vma_flags);", "\t\t\t  vm_flags_t vm_flags);")
    [found] = march.run("ifdef-twin", [p])
    assert (found.line, found.severity) == (20, "error")


def test_january_dax_stub_still_warned(v1_patches):
    found = march.run("ifdef-twin", v1_patches)
    assert [(f.patch, f.file, f.severity) for f in found] == [(8, "include/linux/dax.h", "warning")]
