"""A VMA reached through a member (`vma_test(vrm->vma, X)`, 13/13 of the June 2026 series) is
the object the callee's `vma` stands for, as the old side names it (`vrm->vma->vm_flags`)."""

from __future__ import annotations

from reviewer.flagmodel.check import check_revision
from tests.flagmodel import later
from tests.flagmodel.march import mutate

LINE = "\tif (!vma_test(vrm->vma, VMA_ACCOUNT_BIT))"


def _errors(patch):
    rep = check_revision([*later.revision()[:12], patch], helpers=False, focus={13})
    return [(f.file, f.line) for f in rep.findings if f.severity == "error"]


def test_member_vma_argument_is_the_callers_object():
    assert _errors(later.revision()[12]) == []


def test_wrong_bit_through_a_member_vma_is_still_caught():
    p = mutate(later.revision()[12], LINE, LINE.replace("VMA_ACCOUNT_BIT", "VMA_LOCKED_BIT"))
    assert ("mm/mremap.c", 979) in _errors(p)  # vrm_calc_charge(), the first of the two
