"""What the model sides of a patch take from the patch view alone is computed once per view
(patch_models): the definitions each side shows whole, renames, changed prototypes. The fix-up
compare mode and the engine's own context pass ask for them again; the answers are the same and
nothing a model does afterwards changes them."""

from __future__ import annotations

from reviewer.flagmodel.patch_models import models_for, shown_definitions
from reviewer.flagmodel.patch_view import view_of
from reviewer.flagmodel.registry import STATES
from reviewer.flagmodel.tree_state import Model
from tests.flagmodel import synth

HELPER = """
-static bool old_can_write(vm_flags_t vm_flags)
+static bool new_can_write(vma_flags_t *flags)
 {
-\treturn vm_flags & VM_WRITE;
+\treturn vma_flags_test(flags, VMA_WRITE_BIT);
 }
"""

CALLER = """
-static void check(struct vm_area_struct *vma, vm_flags_t vm_flags)
+static void check(struct vm_area_struct *vma, bool writable)
 {
-\tif (vm_flags & VM_WRITE)
+\tif (writable)
 \t\tvma_start_write(vma);
 }
"""


def _view(body: str = HELPER + CALLER, index: int = 1):
    return view_of(synth.patch(synth.diff("mm/x.c", synth.hunk(10, body)), index=index))


def test_shown_definitions_once_per_view_and_side():
    view = _view()
    old, new = shown_definitions(view, "old"), shown_definitions(view, "new")
    assert shown_definitions(view, "old") is old and shown_definitions(view, "new") is new
    assert "old_can_write" in old and "new_can_write" in new
    other = _view(CALLER, index=2)  # another view: its own definitions
    assert "old_can_write" not in shown_definitions(other, "old")


def test_models_for_twice_on_one_view_learns_the_same():
    view = _view()
    first_pre, first_post = models_for(Model(STATES[0]), view)
    first_post.param_meaning["scratch"] = None  # what a later step may do to its own model
    first_post.projections.clear()
    pre, post = models_for(Model(STATES[0]), view)
    # the bool parameter that replaced the word: its meaning and both projections, again
    assert set(post.param_meaning) == {"writable"}
    assert set(pre.projections) == set(post.projections) == {("check", 1)}
    assert post.renamed_from == first_post.renamed_from
    assert post.param_binds == first_post.param_binds
