"""A flag-free statement a patch only moves inside one function (5/13 of the June 2026 series
moves vma_set_range() above the flags set-up of __install_special_mapping())."""

from __future__ import annotations

from reviewer.flagmodel.check import check_revision
from reviewer.flagmodel.hunk_pairs import change_blocks
from reviewer.flagmodel.moved_lines import moved_statements
from reviewer.flagmodel.patch_view import view_of
from tests.flagmodel import later
from tests.flagmodel.march import mutate

FLAGS = "\tvm_flags |= vma_flags_to_legacy(mm->def_vma_flags) | VM_DONTEXPAND;"


def _vma_c(patch):
    view = view_of(patch)
    f = next(f for f in view.files if f.path == "mm/vma.c")
    return moved_statements(view, f, change_blocks(f))


def test_the_moved_call_is_found_in_its_function():
    assert _vma_c(later.revision()[4]) == {
        ("__install_special_mapping", "vma_set_range(vma, addr, addr + len, 0);")
    }


def test_a_moved_call_is_no_difference_but_a_dropped_flag_still_is():
    patches = list(later.revision()[:5])
    rep = check_revision(patches, helpers=False, focus={5})
    assert later.errors(rep) == []
    patches[4] = mutate(patches[4], FLAGS, FLAGS.replace(" | VM_DONTEXPAND", ""))
    rep = check_revision(patches, helpers=False, focus={5})
    assert ("mm/vma.c", 3428) in [(f, ln) for _, f, ln, _ in later.errors(rep)]


def test_a_moved_lock_is_not_a_flag_free_move():
    moved = "\tvma_set_range(vma, addr, addr + len, 0);"
    p = later.revision()[4]
    p = mutate(p, moved, "\tvma_start_write(vma);")
    p = p.__class__(
        **{**p.__dict__, "diff": p.diff.replace("-" + moved, "-\tvma_start_write(vma);")}
    )
    assert _vma_c(p) == set()
