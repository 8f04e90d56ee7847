"""A VMA reached through a member (`vma_test(ctx->vma, X)`, the shape met in a June 2026 series)
is the object the callee's `vma` stands for, as the old side names it (`ctx->vma->vm_flags`)."""

from __future__ import annotations

from reviewer.flagmodel.check import check_revision
from tests.flagmodel import synth


def _errors(new_bit: str):
    lines = f"""
 static bool remap_charge(struct remap_ctx *ctx)
 {{
-\tif (!(ctx->vma->vm_flags & VM_ACCOUNT))
+\tif (!vma_test(ctx->vma, {new_bit}))
 \t\treturn true;
 \treturn charge_pages(ctx->len);
 }}
"""
    p = synth.patch(synth.diff("mm/mremap.c", synth.hunk(970, lines)))
    rep = check_revision([p], helpers=False)
    return [(f.file, f.line) for f in rep.findings if f.severity == "error"]


def test_member_vma_argument_is_the_callers_object():
    assert _errors("VMA_ACCOUNT_BIT") == []


def test_wrong_bit_through_a_member_vma_is_still_caught():
    assert ("mm/mremap.c", 972) in _errors("VMA_LOCKED_BIT")
