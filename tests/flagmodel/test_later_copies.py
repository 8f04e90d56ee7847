"""A legacy flags word the new side carries on in a bitmap copy of it (10/13 of the June 2026
series: `vma_flags_t vma_flags = legacy_to_vma_flags(vm_flags);` in
__install_special_mapping(), then the bits set on the copy instead of on vm_flags)."""

from __future__ import annotations

from reviewer.flagmodel.check import check_revision
from tests.flagmodel import later
from tests.flagmodel.march import mutate

SET = "\tvma_flags_set(&vma_flags, VMA_DONTEXPAND_BIT);"


def _vma_c(patch):
    patches = [*later.revision()[:9], patch]
    rep = check_revision(patches, helpers=False, focus={10})
    return [(f.line, f.severity, f.check) for f in rep.findings if f.file == "mm/vma.c"]


def test_bits_set_on_the_copy_are_the_old_words_bits():
    found = _vma_c(later.revision()[9])
    assert not [f for f in found if f[1] == "error"]
    assert (3428, "info", "unverified") not in found  # the DONTEXPAND block is proven


def test_a_bit_dropped_from_the_copy_is_not_proven():
    found = _vma_c(mutate(later.revision()[9], SET, "\t;"))
    assert (3428, "info", "unverified") in found or (3428, "error", "equivalence") in found
