"""Test macros of tools/testing/vma/tests/vma.c that the March 2026 series extends (v2 14/25,
16/25): an added assertion must agree with the ones the macro already makes; a negated one is
an error at its line, the real additions are not."""

from __future__ import annotations

from reviewer.flagmodel.check import check_revision
from reviewer.flagmodel.mutations import replace_line
from tests.flagmodel import march

VMA_C = "tools/testing/vma/tests/vma.c"


def _check(index: int, p):
    """Patch `index` of v2 checked in its series (earlier patches define the helpers)."""
    patches = list(march.revision("v2")[: index - 1]) + [p]
    report = check_revision(patches, helpers=False, focus={index})
    return [f for f in report.findings if f.file == VMA_C and f.severity in ("error", "warning")]


def test_real_extensions_pass_and_a_negated_added_assertion_is_an_error():
    real = march.patch("v2", 16)
    assert _check(16, real) == []
    line = "\tASSERT_TRUE(vma_test_single_mask(&vma, mk_vma_flags(_flag)));\t    \\"
    bad = replace_line(real, "+" + line, "+" + line.replace("(vma_test", "(!vma_test"))
    [found] = _check(16, bad)
    assert found.line == 194 and found.severity == "error"
    assert "disagrees" in found.message


def test_added_assertion_on_a_vma_initialised_from_the_flags():
    """v2 14/25 adds `ASSERT_TRUE(vma_test_any(&vma, __VA_ARGS__))` where the function now
    declares `struct vm_area_struct vma = { .flags = flags, };`: the VMA holds the flags the
    other assertions test, so the addition agrees with them (its negation does not)."""
    real = march.patch("v2", 14)
    assert _check(14, real) == []
    line = "\tASSERT_TRUE(vma_test_any(&vma, __VA_ARGS__));"
    bad = replace_line(real, "+" + line, "+" + line.replace("(vma_test", "(!vma_test"))
    assert [f.line for f in _check(14, bad)] == [237]
