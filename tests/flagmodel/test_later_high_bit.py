"""high-bit: a high bit the unchanged lines already use under the very same #if adds no 32-bit
build that reaches it; another high bit there is still an error (the shape met in a June 2026
series: a new mask defined next to an unchanged one feeding the same bit under that #if)."""

from __future__ import annotations

from tests.flagmodel import synth
from tests.flagmodel.march import run

GUARD = "#if defined(CONFIG_X86_USER_SHADOW_STACK) || defined(CONFIG_RISCV_USER_CFI)"


def _patch(added_bit: str):
    return synth.patch(
        synth.diff(
            "include/linux/mm.h",
            synth.hunk(
                400,
                f"""
 {GUARD}
+#define VMA_NEW_MASK mk_vma_flags({added_bit})
 #define VMA_OLD_MASK mk_vma_flags(VMA_GROWSDOWN_BIT, VMA_SHADOW_STACK_BIT)
 #else
+#define VMA_NEW_MASK EMPTY_VMA_FLAGS
 #define VMA_OLD_MASK mk_vma_flags(VMA_GROWSDOWN_BIT)
 #endif
""",
            ),
        )
    )


def test_bit_the_context_uses_under_the_same_guard_is_fine():
    assert run("high-bit", [_patch("VMA_SHADOW_STACK_BIT")]) == []


def test_other_high_bit_under_that_guard_is_still_an_error():
    """Without a tree the model does not know that RISCV_USER_CFI depends on 64BIT, so the
    guard alone does not excuse a high bit the context does not already use."""
    found = run("high-bit", [_patch("VMA_SEALED_BIT")])
    assert [(f.file, f.line, f.severity) for f in found] == [("include/linux/mm.h", 401, "error")]
