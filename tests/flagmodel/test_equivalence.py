from __future__ import annotations

import pytest

from reviewer.flagmodel.equivalence import SideInfo, compare
from reviewer.flagmodel.tree_state import Model


def run(old: str, new: str, pre: str = "S1", post: str = "S2"):
    info = SideInfo(flag_names={"vm_flags", "vma_flags", "flags"})
    return compare(old, new, Model(pre), Model(post), info, info)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "desc->vm_flags |= VM_HUGETLB | VM_DONTEXPAND;",
            "vma_desc_set_flags(desc, VMA_HUGETLB_BIT, VMA_DONTEXPAND_BIT);",
        ),
        ("desc->vm_flags &= ~VM_RAND_READ;", "vma_desc_clear_flags(desc, VMA_RAND_READ_BIT);"),
        (
            "if ((desc->vm_flags & (VM_SHARED | VM_MAYSHARE)) == 0) return -EINVAL;",
            "if (!vma_desc_test_flags(desc, VMA_SHARED_BIT, VMA_MAYSHARE_BIT)) return -EINVAL;",
        ),
        (
            "if ((vm_flags & VM_MAYSHARE) != VM_MAYSHARE) return -EINVAL;",
            "if (!vma_flags_test(&vm_flags, VMA_MAYSHARE_BIT)) return -EINVAL;",
        ),
        (
            "bool rw = desc->vm_flags & VM_WRITE;",
            "const bool rw = vma_desc_test_flags(desc, VMA_WRITE_BIT);",
        ),
        (
            "x = (flags & VM_NORESERVE) ? A : 0;",
            "x = vma_flags_test(&flags, VMA_NORESERVE_BIT) ? A : 0;",
        ),
        (
            "if ((desc->vm_flags & VM_SHARED) && (desc->vm_flags & VM_MAYWRITE)) return 1;",
            "if (vma_desc_test_flags(desc, VMA_SHARED_BIT) &&\n"
            " vma_desc_test_flags(desc, VMA_MAYWRITE_BIT)) return 1;",
        ),
        (
            "return (vma->vm_flags & VM_REMAP_FLAGS) == VM_REMAP_FLAGS;",
            "return vma_test_all_flags_mask(vma, VMA_REMAP_FLAGS);",
        ),
        (
            "return is_cow_mapping(desc->vm_flags);",
            "return vma_flags_test(&desc->vma_flags, VMA_MAYWRITE_BIT) &&\n"
            " !vma_flags_test(&desc->vma_flags, VMA_SHARED_BIT);",
        ),
        ("f(name, 0, VM_NORESERVE);", "f(name, 0, mk_vma_flags(VMA_NORESERVE_BIT));"),
        ("f(name, 0, 0);", "f(name, 0, EMPTY_VMA_FLAGS);"),
    ],
)
def test_real_conversions_are_equivalent(old, new):
    out = run(old, new)
    assert out.status == "equivalent", out
    assert not out.issues


def test_any_instead_of_all_gives_counterexample():
    out = run(
        "if ((f & (VM_SHARED | VM_MAYWRITE)) == (VM_SHARED | VM_MAYWRITE)) return 1;",
        "if (vma_flags_test(&f, VMA_SHARED_BIT, VMA_MAYWRITE_BIT)) return 1;",
    )
    assert out.status == "different"
    assert "set" in out.counterexample and "clear" in out.counterexample
    assert "old falls through, new returns 1" in out.counterexample


def test_masked_compare_equal_to_one_bit():
    out = run(
        "return (f & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;",
        "return vma_flags_test(&f, VMA_MAYWRITE_BIT) && vma_flags_test(&f, VMA_SHARED_BIT);",
    )
    assert out.status == "different"
    assert "VM_MAYWRITE set" in out.counterexample and "VM_SHARED clear" in out.counterexample


def test_dropped_negation_and_set_clear_swap():
    assert (
        run(
            "if (!(d->vm_flags & VM_SHARED)) return 1;",
            "if (vma_desc_test_flags(d, VMA_SHARED_BIT)) return 1;",
        ).status
        == "different"
    )
    assert (
        run("d->vm_flags |= VM_SEQ_READ;", "vma_desc_clear_flags(d, VMA_SEQ_READ_BIT);").status
        == "different"
    )


def test_mask_passed_as_bit_is_a_type_error_and_wrong():
    out = run("if (f & VM_SHARED) return 1;", "if (vma_flags_test(&f, VM_SHARED)) return 1;")
    assert out.status == "different"
    assert any(i.kind == "mask-as-bit" for i in out.issues)


def test_bit_passed_as_mask():
    out = run("vm_flags_set(vma, VM_IO);", "vm_flags_set(vma, VMA_IO_BIT);", "S2", "S2")
    assert any(i.kind == "bit-as-mask" for i in out.issues)
    assert out.status == "different"


def test_vma_flags_test_meaning_changes_between_s2_and_s3():
    same = "if (vma_flags_test(&f, VMA_READ_BIT, VMA_WRITE_BIT)) return 1;"
    out = run(same, same, "S2", "S3")
    assert any(i.kind == "arity" for i in out.issues)
    renamed = run(
        same, "if (vma_flags_test_any(&f, VMA_READ_BIT, VMA_WRITE_BIT)) return 1;", "S2", "S3"
    )
    assert renamed.status == "equivalent"


def test_two_any_tests_joined_by_and_replaced_by_one_all():
    out = run(
        "return vma_desc_test_flags(d, VMA_SHARED_BIT) && "
        "vma_desc_test_flags(d, VMA_MAYWRITE_BIT);",
        "return vma_desc_test_all(d, VMA_SHARED_BIT, VMA_MAYWRITE_BIT);",
        "S2",
        "S3",
    )
    assert out.status == "equivalent"
    wrong = run(
        "return vma_desc_test_flags(d, VMA_SHARED_BIT) && "
        "vma_desc_test_flags(d, VMA_MAYWRITE_BIT);",
        "return vma_desc_test_any(d, VMA_SHARED_BIT, VMA_MAYWRITE_BIT);",
        "S2",
        "S3",
    )
    assert wrong.status == "different"


def test_lock_drop_is_reported():
    out = run(
        "vm_flags_set(vma, VM_REMAP_FLAGS);",
        "vma_set_flags_mask(vma, VMA_REMAP_FLAGS);",
        "S2",
        "S2",
    )
    assert out.status == "equivalent"
    assert "write lock" in out.lock_change


def test_unparseable_is_unverified_not_passed():
    out = run("if (f & VM_SHARED", "if (vma_flags_test(&f, VMA_SHARED_BIT)")
    assert out.status == "unverified"


def test_or_in_became_overwrite_is_named_as_such():
    outcome = run(
        "if (desc->vm_flags != vma->vm_flags) vm_flags_set(vma, desc->vm_flags);",
        "vma->flags = desc->vma_flags;",
    )
    assert outcome.status == "different" and outcome.overwrite
    assert "overwritten instead of OR-ed in" in outcome.message


def test_a_constant_assignment_is_a_plain_difference_not_an_overwrite():
    outcome = run("vma->vm_flags |= VM_READ;", "vma->flags = mk_vma_flags(VMA_READ_BIT);")
    assert outcome.status == "different" and not outcome.overwrite
