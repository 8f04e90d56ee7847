"""A legacy flags word the new side carries on in a bitmap copy of it (the shape met in a June
2026 series: the function makes `vma_flags = legacy_to_vma_flags(vm_flags)` at its top, then
sets the bits on the copy instead of on vm_flags, and stores the copy)."""

from __future__ import annotations

from reviewer.flagmodel.check import check_revision
from tests.flagmodel import synth

SET_DUMP = "\tvma_flags_set(&vma_flags, VMA_DONTDUMP_BIT);"


def _findings(set_dump: str = SET_DUMP):
    lines = f"""
 static struct vm_area_struct *new_mapping(struct mm_struct *mm, vm_flags_t vm_flags)
 {{
+\tvma_flags_t vma_flags = legacy_to_vma_flags(vm_flags);
 \tstruct vm_area_struct *vma;

 \tvma = vm_area_alloc(mm);
 \tif (!vma)
 \t\treturn NULL;

-\tvm_flags |= VM_DONTEXPAND | VM_DONTDUMP;
+\tvma_flags_set(&vma_flags, VMA_DONTEXPAND_BIT);
+{set_dump}
 \tif (wants_noreserve(mm))
-\t\tvm_flags |= VM_NORESERVE;
-\tvm_flags_init(vma, vm_flags);
+\t\tvma_flags_set(&vma_flags, VMA_NORESERVE_BIT);
+\tvma->flags = vma_flags;
 \treturn vma;
 }}
"""
    p = synth.patch(synth.diff("mm/mapping.c", synth.hunk(40, lines)))
    rep = check_revision([p], helpers=False)
    return [(f.line, f.severity, f.check) for f in rep.findings]


def test_bits_set_on_the_copy_are_the_old_words_bits():
    found = _findings()
    assert not [f for f in found if f[1] == "error"]
    assert not [f for f in found if f[2] == "unverified"]


def test_a_bit_dropped_from_the_copy_is_not_proven():
    found = _findings("\t;")
    assert (49, "info", "unverified") in found or (49, "error", "equivalence") in found
