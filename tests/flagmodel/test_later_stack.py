"""Flags completed two blocks below (the shape met in a June 2026 series: the legacy word started
from VM_STACK_FLAGS, the new code adds VMA_STACK_FLAGS to its bitmap further down), in a hunk
that shows its function's header while git's @@ line names the function before it."""

from __future__ import annotations

from reviewer.flagmodel.block_context import function_of
from reviewer.flagmodel.check import check_revision
from reviewer.flagmodel.hunk_pairs import change_blocks
from reviewer.flagmodel.patch_view import view_of
from tests.flagmodel import synth

LATER_SET = "\tvma_flags_set_mask(&flags, VMA_STACK_FLAGS);"


def _patch(later_set: str = LATER_SET):
    first = """
 int make_stack_vma(struct mm_struct *mm, struct vm_area_struct **vmap,
 \t\t   unsigned long *top)
 {
-\tunsigned long flags = VM_STACK_FLAGS | VM_RAND_READ;
+\tvma_flags_t flags = mk_vma_flags(VMA_RAND_READ_BIT);
 \tstruct vm_area_struct *vma = vm_area_alloc(mm);

 \tif (!vma)
 \t\treturn -ENOMEM;

 \tif (mmap_write_lock_killable(mm)) {
 \t\terr = -EINTR;
 \t\tgoto out;
"""
    second = f"""
 \tif (err)
 \t\tgoto out;

+{later_set}
 \tvma->vm_end = STACK_TOP_MAX;
 \tif (wants_noreserve(mm))
-\t\tflags |= VM_NORESERVE;
-\tvm_flags_init(vma, flags);
+\t\tvma_flags_set(&flags, VMA_NORESERVE_BIT);
+\tvma->flags = flags;
 \t*vmap = vma;
 \treturn 0;
"""
    before = "int move_stack_down(struct vm_area_struct *vma, unsigned long shift)"
    own = "int make_stack_vma(struct mm_struct *mm, struct vm_area_struct **vmap,"
    return synth.patch(
        synth.diff("mm/stack.c", synth.hunk(110, first, before), synth.hunk(130, second, own))
    )


def _errors(patch):
    rep = check_revision([patch], helpers=False)
    return [(f.file, f.line) for f in rep.findings if f.severity == "error"]


def test_blocks_are_in_the_function_whose_header_the_hunk_shows():
    p = _patch()
    view = view_of(p)
    [f] = view.files
    assert {function_of(view, f, b) for b in change_blocks(f)} == {"make_stack_vma"}


def test_flags_completed_by_a_later_block_are_no_error():
    assert _errors(_patch()) == []


def test_without_the_later_block_the_missing_stack_flags_are_an_error():
    assert ("mm/stack.c", 113) in _errors(_patch("\t;"))
