"""create_init_stack_vma() in 9/13 of the June 2026 series: VMA_STACK_FLAGS is added to the
flags two blocks below where the legacy code OR-ed VM_STACK_FLAGS in, and the hunk holds the
function's header (git names the function before it, relocate_vma_down(), in the @@ line)."""

from __future__ import annotations

from reviewer.flagmodel.block_context import function_of
from reviewer.flagmodel.check import check_revision
from reviewer.flagmodel.hunk_pairs import change_blocks
from reviewer.flagmodel.patch_view import view_of
from tests.flagmodel import later
from tests.flagmodel.march import mutate

LATER_SET = "\tvma_flags_set_mask(&flags, VMA_STACK_FLAGS);"


def _errors(patch):
    rep = check_revision([*later.revision()[:8], patch], helpers=False, focus={9})
    return [(f.file, f.line) for f in rep.findings if f.severity == "error"]


def test_blocks_are_in_the_function_whose_header_the_hunk_shows():
    view = view_of(later.revision()[8])
    f = next(f for f in view.files if f.path == "mm/vma_exec.c")
    assert {function_of(view, f, b) for b in change_blocks(f)} == {"create_init_stack_vma"}


def test_flags_completed_by_a_later_block_are_no_error():
    assert _errors(later.revision()[8]) == []


def test_without_the_later_block_the_missing_stack_flags_are_an_error():
    p = mutate(later.revision()[8], LATER_SET, "\t;")
    assert ("mm/vma_exec.c", 115) in _errors(p)
