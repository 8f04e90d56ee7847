"""high-bit on the June 2026 series: a high bit the unchanged lines already use under the same
#if adds no 32-bit build that reaches it; another high bit there is still an error."""

from __future__ import annotations

from tests.flagmodel import later
from tests.flagmodel.march import mutate, run

DEFINE = "#define VMA_SHADOW_STACK mk_vma_flags(VMA_SHADOW_STACK_BIT)"


def test_bit_the_context_uses_under_the_same_guard_is_fine():
    """2/13 adds VMA_SHADOW_STACK under `#if defined(CONFIG_X86_USER_SHADOW_STACK) || ... ||
    defined(CONFIG_RISCV_USER_CFI)`, right above the unchanged VMA_STARTGAP_FLAGS that feeds
    the same bit to mk_vma_flags() under that #if."""
    assert run("high-bit", [later.revision()[1]]) == []


def test_other_high_bit_under_that_guard_is_still_an_error():
    """Without a tree the model does not know that RISCV_USER_CFI depends on 64BIT, so the
    guard alone does not excuse a high bit the context does not already use."""
    p = mutate(later.revision()[1], DEFINE, DEFINE.replace("SHADOW_STACK_BIT", "SEALED_BIT"))
    found = run("high-bit", [p])
    assert [(f.file, f.line, f.severity) for f in found] == [("include/linux/mm.h", 466, "error")]
