"""A non-equivalent block is reported at the line its difference comes from (equivalence_blame),
function-like macros are compared by running their bodies (equivalence_macros), `vma_flag_t`
parameters stand for any bit, and code git aligned with another function is not a
conversion. Real lines of the March 2026 series, each with a slip put into one line."""

from __future__ import annotations

from reviewer.flagmodel.check import check_revision
from reviewer.flagmodel.equivalence import SideInfo, compare
from reviewer.flagmodel.mutations import replace_line
from reviewer.flagmodel.tree_state import Model
from tests.flagmodel import march


def _in_series(rev: str, index: int, patch=None):
    patches = list(march.revision(rev))
    return check_revision(
        [*patches[: index - 1], patch or patches[index - 1]], helpers=False, focus={index}
    )


def _errors_at(report, path: str, line: int) -> list[str]:
    return [
        f.message
        for f in report.findings
        if f.file == path and f.line == line and f.severity in ("error", "warning")
    ]


def test_wrong_bit_in_the_second_line_of_a_condition_is_blamed_on_that_line():
    # v4 patch 21 mm/vma.c: `if (vma_test(vma, VMA_ACCOUNT_BIT) &&\n security_vm_enough...`
    rev, index = "v4", 21
    orig = march.patch(rev, index)
    line = "+\tif (vma_test(vma, VMA_ACCOUNT_BIT) &&"
    assert line in orig.diff.split("\n")
    bad = replace_line(orig, line, line.replace("VMA_ACCOUNT_BIT", "VMA_NORESERVE_BIT"))
    base, got = _in_series(rev, index), _in_series(rev, index, bad)
    assert not _errors_at(base, "mm/vma.c", 3311)
    assert _errors_at(got, "mm/vma.c", 3311)  # the `if` line, not the call in its body
    assert not _errors_at(got, "mm/vma.c", 3312)


def test_data_flow_blame_follows_a_local_to_the_write_that_put_the_wrong_bit_there():
    # v4 patch 17 do_brk_flags(): three set calls, then `vma_flags = ksm_vma_flags(...)` and
    # `may_expand_vm(mm, &vma_flags, ...)`: a wrong bit in the second set is blamed there
    rev, index = "v4", 17
    orig = march.patch(rev, index)
    line = "+\tvma_flags_set(&vma_flags, VMA_ACCOUNT_BIT);"
    bad = replace_line(orig, line, line.replace("VMA_ACCOUNT_BIT", "VMA_NORESERVE_BIT"))
    got = _in_series(rev, index, bad)
    assert _errors_at(got, "mm/vma.c", 2893)


def test_short_circuit_fork_is_the_blamed_operand():
    out = compare(
        "if (vm_flags & VM_ACCOUNT &&\n"
        "    security_vm_enough_memory_mm(mm, charged))\n\treturn -ENOMEM;",
        "if (vma_flags_test(&vma_flags, VMA_NORESERVE_BIT) &&\n"
        "    security_vm_enough_memory_mm(mm, charged))\n\treturn -ENOMEM;",
        Model("S3"),
        Model("S3"),
        SideInfo(),
        SideInfo(),
    )
    assert out.status == "different"
    assert out.row is not None and out.row[0] == 0


def test_macro_bodies_are_compared_and_a_slip_is_at_its_line():
    # v3 patch 20 tools/testing/vma/tests/vma.c `#define do_test_and_reset(...)`, reformatted
    # and converted (vma_clear_flags(&vma, ...)): equivalent as sent, set<->clear caught
    rev, index = "v3", 20
    orig = march.patch(rev, index)
    base = _in_series(rev, index)
    assert not _errors_at(base, "tools/testing/vma/tests/vma.c", 376)
    line = "+\tvma_flags_clear(&flags, __VA_ARGS__);\t\t\t\t\\"
    assert line in orig.diff.split("\n")
    bad = replace_line(orig, line, line.replace("vma_flags_clear", "vma_flags_set"))
    got = _in_series(rev, index, bad)
    assert any(
        "do_test_and_reset" in m for m in _errors_at(got, "tools/testing/vma/tests/vma.c", 376)
    )


def test_macro_negation_is_caught_at_its_line():
    rev, index = "v3", 20
    orig = march.patch(rev, index)
    line = "+\tASSERT_FALSE(vma_test_any(&vma, __VA_ARGS__));\t\t\t\\"
    assert line in orig.diff.split("\n")
    bad = replace_line(orig, line, line.replace("(vma_test_any", "(!vma_test_any"))
    got = _in_series(rev, index, bad)
    assert _errors_at(got, "tools/testing/vma/tests/vma.c", 380)


def test_a_vma_flag_t_parameter_is_any_bit():
    info = SideInfo(bit_params={"bit"})
    same = compare(
        "return (vma->vm_flags & BIT(bit)) != 0;",
        "return vma_flags_test(&vma->flags, bit);",
        Model("S3"),
        Model("S3"),
        info,
        info,
    )
    assert same.status == "equivalent", same
    negated = compare(
        "return (vma->vm_flags & BIT(bit)) != 0;",
        "return !vma_flags_test(&vma->flags, bit);",
        Model("S3"),
        Model("S3"),
        info,
        info,
    )
    assert negated.status == "different"


def test_body_of_another_function_aligned_by_git_is_not_a_conversion():
    # v3 patch 13 dup.h: git pairs the old vma_test_all_mask() body with the new vma_test()
    report = _in_series("v3", 13)
    assert not [
        f for f in report.findings if f.file == "tools/testing/vma/include/dup.h" and f.line == 1013
    ]


def test_macro_shown_by_a_later_patch_is_known_to_an_earlier_one():
    # v2 patch 4 tools/testing/vma/tests/merge.c: `ASSERT_TRUE(IS_SET(vma->vm_flags,
    # VM_STICKY))` -> `ASSERT_TRUE(vma_flags_test_any_mask(&vma->flags, VMA_STICKY_FLAGS))`;
    # IS_SET() is defined in tools/testing/vma/shared.h, shown as context by patch 16 only
    alone = check_revision([march.patch("v2", 4)], helpers=False)
    series = _in_series("v2", 4)
    assert any("IS_SET" in m for m in _errors_at(alone, "tools/testing/vma/tests/merge.c", 333))
    assert not _errors_at(series, "tools/testing/vma/tests/merge.c", 333)


def test_else_if_branch_is_compared_on_its_own():
    # v4 patch 17 mm/mprotect.c mprotect_fixup(): the `} else if (...)` branch is a block of
    # its own (its `if` is another block); a wrong bit in its condition is caught there
    rev, index = "v4", 17
    orig = march.patch(rev, index)
    line = "+\t} else if (vma_flags_test(&old_vma_flags, VMA_ACCOUNT_BIT) &&"
    assert line in orig.diff.split("\n")
    base = _in_series(rev, index)
    assert not _errors_at(base, "mm/mprotect.c", 754)
    assert not [
        f
        for f in base.findings
        if f.file == "mm/mprotect.c" and f.line == 754 and "does not parse" in f.message
    ]
    bad = replace_line(orig, line, line.replace("VMA_ACCOUNT_BIT", "VMA_NORESERVE_BIT"))
    assert _errors_at(_in_series(rev, index, bad), "mm/mprotect.c", 754)


def test_operand_of_a_rewritten_condition_that_decided_it_is_blamed():
    # v4 patch 25 mm/vma.h: a legacy mask comparison became `vma_flags_test(...) &&\n
    # !vma_flags_test_any(...)`: the shapes part, and the operand that made the new value
    # wrong is blamed (the second line when its `!` is lost)
    rev, index = "v4", 25
    orig = march.patch(rev, index)
    line = "+\t\t!vma_flags_test_any(vma_flags, VMA_SHARED_BIT, VMA_STACK_BIT);"
    assert line in orig.diff.split("\n")
    bad = replace_line(orig, line, line.replace("!vma_flags_test_any", "vma_flags_test_any"))
    got = _in_series(rev, index, bad)
    assert _errors_at(got, "mm/vma.h", 533)
    assert not _errors_at(_in_series(rev, index), "mm/vma.h", 533)


def test_negated_first_operand_of_a_rewritten_condition_is_blamed_on_its_line():
    rev, index = "v4", 25
    orig = march.patch(rev, index)
    line = "+\treturn vma_flags_test(vma_flags, VMA_WRITE_BIT) &&"
    assert line in orig.diff.split("\n")
    bad = replace_line(orig, line, line.replace("return vma_flags_test", "return !vma_flags_test"))
    assert _errors_at(_in_series(rev, index, bad), "mm/vma.h", 532)


def _slip(rev: str, index: int, line: str, new: str):
    orig = march.patch(rev, index)
    assert line in orig.diff.split("\n")
    return _in_series(rev, index), _in_series(rev, index, replace_line(orig, line, new))


def test_a_test_of_a_local_is_blamed_on_the_write_that_named_its_bits():
    # v2 patch 5 anon_vma_compatible(): `diff = vma_flags_diff_pair(...)`, two clear_mask
    # calls, then `vma_flags_empty(&diff) &&` inside the return: set<->clear in either call is
    # blamed on that call, not on the return nor on the declaration
    line = "+\tvma_flags_clear_mask(&diff, VMA_ACCESS_FLAGS);"
    base, got = _slip("v2", 5, line, line.replace("clear", "set"))
    assert not _errors_at(base, "mm/vma.c", 1973)
    assert _errors_at(got, "mm/vma.c", 1973)
    line = "+\tvma_flags_clear_mask(&diff, VMA_IGNORE_MERGE_FLAGS);"
    _, got = _slip("v2", 5, line, line.replace("clear", "set"))
    assert _errors_at(got, "mm/vma.c", 1974) or _errors_at(got, "mm/vma.c", 95)
    assert not _errors_at(got, "mm/vma.c", 1971)


def test_a_write_under_a_condition_decided_the_other_way_is_blamed_on_the_condition():
    # v2 patch 22 mlock_vma_pages_range(): `if (vma_flags_test(new_vma_flags, VMA_IO_BIT)) {
    # vma_flags_clear(...); WRITE_ONCE(vma->flags, ...) }`: a wrong bit in the test is the
    # slip, the write below it is right
    line = "+\tif (vma_flags_test(new_vma_flags, VMA_IO_BIT)) {"
    base, got = _slip("v2", 22, line, line.replace("VMA_IO_BIT", "VMA_SEQ_READ_BIT"))
    assert not _errors_at(base, "mm/mlock.c", 452)
    assert _errors_at(got, "mm/mlock.c", 452)
    assert not _errors_at(got, "mm/mlock.c", 454) or _errors_at(base, "mm/mlock.c", 454)


def test_a_ternary_turned_into_an_if_is_blamed_on_the_new_condition():
    # v3 patch 21 acct_stack_growth(): `new_start = (vm_flags & VM_GROWSUP) ? ... : ...;`
    # became `new_start = ...; if (vma_test(vma, VMA_GROWSUP_BIT)) new_start = vma->vm_start;`
    line = "+\tif (vma_test(vma, VMA_GROWSUP_BIT))"
    base, got = _slip("v3", 21, line, line.replace("(vma_test", "(!vma_test"))
    assert not _errors_at(base, "mm/vma.c", 3100)
    assert _errors_at(got, "mm/vma.c", 3100)


def test_an_if_whose_body_goes_on_outside_the_diff_must_decide_alike():
    # v2 patch 22 mseal_apply(): the block is `if (!vma_test(vma, VMA_SEALED_BIT)) {` and a
    # local set in the body; the body's rest (vma_modify_flags(..., &vma_flags)) is context.
    # The condition itself must agree: a wrong bit there is no longer "equivalent"
    line = "+\t\tif (!vma_test(vma, VMA_SEALED_BIT)) {"
    base, got = _slip("v2", 22, line, line.replace("VMA_SEALED_BIT", "VMA_READ_BIT"))
    assert not _errors_at(base, "mm/mseal.c", 71)
    assert any("condition" in m for m in _errors_at(got, "mm/mseal.c", 71))
    old = "if (!(vma->vm_flags & VM_SEALED)) {\n\tvm_flags_t vm_flags = vma->vm_flags | VM_SEALED;"
    old = "if (!(vma->vm_flags & VM_SEALED)) {\n\tint x = 1;"
    new = "if (!vma_test(vma, VMA_SEALED_BIT)) {\n\tint x = 1;"
    same = compare(old, new, Model("S3"), Model("S3"), SideInfo(), SideInfo())
    assert same.status == "equivalent", same
    bad = new.replace("VMA_SEALED_BIT", "VMA_READ_BIT")
    differ = compare(old, bad, Model("S3"), Model("S3"), SideInfo(), SideInfo())
    assert differ.status == "different" and differ.row is not None and differ.row[0] == 0


def test_a_write_inside_a_macro_expansion_is_blamed_on_the_blocks_call():
    # v3 patch 22 mseal_apply(): `vma_start_write(vma);\n vma_clear_flags(vma, ...)` where
    # vma_clear_flags() is a macro of the series: the slip is the second line of the block,
    # not the first line of the macro's expansion
    line = "+\t\t\tvma_set_flags(vma, VMA_SEALED_BIT);"
    base, got = _slip("v3", 22, line, line.replace("vma_set_flags", "vma_clear_flags"))
    assert not _errors_at(base, "mm/mseal.c", 81)
    assert _errors_at(got, "mm/mseal.c", 81)
    assert not _errors_at(got, "mm/mseal.c", 80) or _errors_at(base, "mm/mseal.c", 80)
