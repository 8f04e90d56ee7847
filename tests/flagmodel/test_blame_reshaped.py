"""Blame when the two sides do not have the same shape (equivalence_localise): one `if` split
into several, a nested `if` on a mask merged into one `&&` chain, a mask comparison rewritten
as `a && !b`. The finding is at the line of the slip. Real lines of the March 2026 series
(v2 ksm_compatible(), vma_supports_mlock(); v4 patch 25 mprotect_fixup(),
is_data_mapping_vma_flags()), each with one slip put into one line."""

from __future__ import annotations

import pytest

from reviewer.flagmodel.check import check_revision
from reviewer.flagmodel.mutations import replace_line
from tests.flagmodel import march


def _in_series(rev: str, index: int, patch=None):
    patches = list(march.revision(rev))
    return check_revision(
        [*patches[: index - 1], patch or patches[index - 1], *patches[index:]],
        helpers=False,
        focus={index},
    )


def _errors_at(report, path: str, line: int) -> list[str]:
    return [
        f.message
        for f in report.findings
        if f.file == path and f.line == line and f.severity in ("error", "warning")
    ]


SPLIT_IF = "\tif (vma_flags_test_single_mask(&vma_flags, VMA_DROPPABLE))"
ANY_MASK = "\tif (vma_flags_test_any_mask(&vma_flags, VMA_SPECIAL_FLAGS))"


@pytest.mark.parametrize(
    ("rev", "index", "path", "line", "old", "new"),
    [
        # v2 ksm_compatible(): one `if (vm_flags & (...))` became three `if`s
        (
            "v2",
            17,
            "mm/ksm.c",
            744,
            SPLIT_IF,
            SPLIT_IF.replace("(vma_flags_test", "(!vma_flags_test"),
        ),
        ("v2", 17, "mm/ksm.c", 746, ANY_MASK, ANY_MASK.replace("_any_mask", "_all_mask")),
        (
            "v2",
            17,
            "mm/ksm.c",
            746,
            ANY_MASK,
            ANY_MASK.replace("(vma_flags_test", "(!vma_flags_test"),
        ),
        # v2 vma_supports_mlock(): the same split
        (
            "v2",
            18,
            "mm/internal.h",
            1257,
            "\tif (vma_test_single_mask(vma, VMA_DROPPABLE))",
            "\tif (!vma_test_single_mask(vma, VMA_DROPPABLE))",
        ),
    ],
)
def test_a_slip_in_one_of_the_ifs_a_condition_was_split_into_is_at_its_line(
    rev, index, path, line, old, new
):
    orig = march.patch(rev, index)
    bad = replace_line(orig, "+" + old, "+" + new)
    assert bad.diff != orig.diff
    base, got = _in_series(rev, index), _in_series(rev, index, bad)
    assert not _errors_at(base, path, line)
    assert _errors_at(got, path, line)


MPROTECT_LOCKED = "\t    vma_flags_test(&old_vma_flags, VMA_LOCKED_BIT) &&"
MPROTECT_ANY = "\t    !vma_flags_test_any(&old_vma_flags, VMA_WRITE_BIT, VMA_SHARED_BIT))"
DATA_ANY = "\t\t!vma_flags_test_any(vma_flags, VMA_SHARED_BIT, VMA_STACK_BIT);"


@pytest.mark.parametrize(
    ("path", "line", "old", "new"),
    [
        # negation of the middle operand: it is false where the chain must be true
        ("mm/mprotect.c", 788, MPROTECT_LOCKED, MPROTECT_LOCKED.replace("vma_", "!vma_", 1)),
        # a wrong bit: the operand names a bit the old code never tested
        ("mm/mprotect.c", 789, MPROTECT_ANY, MPROTECT_ANY.replace("VMA_WRITE_BIT", "VMA_EXEC_BIT")),
        # a dropped bit: the chain is too weak; the operand testing old flags clear lacks it
        ("mm/mprotect.c", 789, MPROTECT_ANY, MPROTECT_ANY.replace("VMA_WRITE_BIT, ", "")),
        # any<->all: the one operand that is no plain conjunction of bit tests
        ("mm/mprotect.c", 789, MPROTECT_ANY, MPROTECT_ANY.replace("_any", "_all")),
        ("mm/vma.h", 533, DATA_ANY, DATA_ANY.replace(", VMA_STACK_BIT", "")),
        ("mm/vma.h", 533, DATA_ANY, DATA_ANY.replace("_any", "_all")),
    ],
)
def test_a_slip_in_one_operand_of_a_merged_condition_is_at_its_line(path, line, old, new):
    # v4 patch 25: `if (test(new, W)) { mask = and(old, W, S, L); if (same(&mask, L)) ...}`
    # became `if (test(new, W) && test(old, L) && !test_any(old, W, S))`; likewise
    # `mask = and(...); return same(&mask, W)` became `return test(W) && !test_any(S, ST)`
    orig = march.patch("v4", 25)
    bad = replace_line(orig, "+" + old, "+" + new)
    assert bad.diff != orig.diff
    base, got = _in_series("v4", 25), _in_series("v4", 25, bad)
    assert not _errors_at(base, path, line)
    assert _errors_at(got, path, line)
    assert not _errors_at(got, path, line - 1 if line == 789 or line == 533 else line + 1)


OUTER = "\tif (vma_flags_test(&new_vma_flags, VMA_WRITE_BIT)) {"


@pytest.mark.parametrize(
    "new", [OUTER.replace("VMA_WRITE_BIT", "VMA_EXEC_BIT"), OUTER.replace("(vma_", "(!vma_", 1)]
)
def test_a_slip_in_the_outer_of_two_nested_ifs_is_at_the_outer_line(new):
    # v2 patch 17 mprotect_fixup(): `if (old & (W|S|L)) == L && (new & W))` became
    # `if (test(new, W)) { mask = and(old, W, S, L); if (same(&mask, L)) populate(); }`:
    # both `if`s are taken on the way to the extra call; the outer one is the wrong one
    orig = march.patch("v2", 17)
    assert orig.diff.split("\n").count("+" + OUTER) == 2  # the first one is line 741
    bad = replace_line(orig, "+" + OUTER, "+" + new, occurrence=1)
    assert bad.diff != orig.diff
    base, got = _in_series("v2", 17), _in_series("v2", 17, bad)
    assert not _errors_at(base, "mm/mprotect.c", 789)
    assert _errors_at(got, "mm/mprotect.c", 789)
