"""A flag-free statement a patch only moves inside one function (the shape met in a June 2026
series: a call moved above the flags set-up, two hunks of one function whose @@ line git cut at
the '(')."""

from __future__ import annotations

from reviewer.flagmodel.check import check_revision
from reviewer.flagmodel.hunk_pairs import change_blocks
from reviewer.flagmodel.moved_lines import moved_statements
from reviewer.flagmodel.patch_view import view_of
from tests.flagmodel import synth

SECTION = "struct vm_area_struct *make_mapping("
MOVED = "set_range(vma, addr, len);"


def _patch(
    moved: str = MOVED, new_flags: str = "VM_DONTEXPAND | vma_flags_to_legacy(mm->def_vma_flags)"
):
    first = f"""
 \tif (!vma)
 \t\treturn ERR_PTR(-ENOMEM);

-\tvm_flags |= VM_DONTEXPAND | mm->def_flags;
+\t{moved}
+\tvm_flags |= {new_flags};
 \tvm_flags_init(vma, vm_flags);

 \tvma->vm_ops = ops;
"""
    second = f"""
 \tvma->vm_private_data = priv;
-\t{moved}

 \tret = insert_vm_struct(mm, vma);
 \tif (ret)
"""
    return synth.patch(
        synth.diff("mm/vma.c", synth.hunk(300, first, SECTION), synth.hunk(310, second, SECTION))
    )


def _moved(patch):
    view = view_of(patch)
    [f] = view.files
    return moved_statements(view, f, change_blocks(f))


def _errors(patch):
    rep = check_revision([patch], helpers=False)
    return [(f.file, f.line) for f in rep.findings if f.severity == "error"]


def test_the_moved_call_is_found_in_its_function():
    assert _moved(_patch()) == {("make_mapping", MOVED)}


def test_a_moved_call_is_no_difference_but_a_dropped_flag_still_is():
    assert _errors(_patch()) == []
    assert ("mm/vma.c", 304) in _errors(_patch(new_flags="vma_flags_to_legacy(mm->def_vma_flags)"))


def test_a_moved_lock_is_not_a_flag_free_move():
    assert _moved(_patch(moved="vma_start_write(vma);")) == set()
