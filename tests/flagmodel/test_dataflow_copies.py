"""Data flow through a bitmap copy of a legacy word (issue 10 item 2): v2 patch 17
mprotect_fixup() declares `vma_flags_t new_vma_flags = legacy_to_vma_flags(newflags);` and
turns `newflags |= VM_ACCOUNT;` / `newflags &= ~VM_ACCOUNT;` into set/clear on that copy (the
function converts it back later, in another changed block). The old word and the copy are the
same flags: the blocks are decided, and a slip in either line is an error at its line."""

from __future__ import annotations

import pytest

from reviewer.flagmodel.check import check_revision
from reviewer.flagmodel.equivalence import SideInfo, compare
from reviewer.flagmodel.mutations import replace_line
from reviewer.flagmodel.tree_state import Model
from tests.flagmodel import march

SET = "+\t\t\tvma_flags_set(&new_vma_flags, VMA_ACCOUNT_BIT);"
CLEAR = "+\t\tvma_flags_clear(&new_vma_flags, VMA_ACCOUNT_BIT);"


def _in_series(patch=None):
    patches = list(march.revision("v2"))
    return check_revision(
        [*patches[:16], patch or patches[16], *patches[17:]], helpers=False, focus={17}
    )


def _at(report, line: int, severity=("error", "warning")) -> list:
    return [
        f
        for f in report.findings
        if f.file == "mm/mprotect.c" and f.line == line and f.severity in severity
    ]


def test_set_and_clear_on_the_bitmap_copy_are_verified_as_sent():
    report = _in_series()
    for line in (752, 756):
        assert not _at(report, line, ("error", "warning", "info")), line


@pytest.mark.parametrize(
    ("line", "old", "new"),
    [
        (752, SET, SET.replace("VMA_ACCOUNT_BIT", "VMA_NORESERVE_BIT")),
        (752, SET, SET.replace("vma_flags_set", "vma_flags_clear")),
        (756, CLEAR, CLEAR.replace("VMA_ACCOUNT_BIT", "VMA_NORESERVE_BIT")),
        (756, CLEAR, CLEAR.replace("vma_flags_clear", "vma_flags_set")),
    ],
)
def test_a_slip_on_the_copy_is_an_error_at_its_line(line, old, new):
    orig = march.patch("v2", 17)
    assert old in orig.diff.split("\n")
    got = _in_series(replace_line(orig, old, new))
    assert any("new_vma_flags" in f.message for f in _at(got, line))


def test_a_word_parameter_or_ed_with_a_flag_is_that_word_not_an_unknown_value():
    # `newflags` is a parameter whose declaration the hunk does not show
    out = compare(
        "newflags |= VM_ACCOUNT;",
        "vma_flags_set(&new_vma_flags, VMA_ACCOUNT_BIT);",
        Model("S3"),
        Model("S3"),
        SideInfo(),
        SideInfo(flag_names={"new_vma_flags"}),
    )
    assert out.status != "unverified", out.message
