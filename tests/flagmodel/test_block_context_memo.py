"""What block_context computes once and shares between the blocks of one check: the function a
block is in, the side info of its function's hunks and of its enclosing function. Shared values
are read only; each block gets its own copy of what it changes; a memo is keyed by the diff
object itself, so equal text elsewhere (another patch, another hunk header) is not mixed up."""

from __future__ import annotations

from reviewer.flagmodel.block_context import (
    _enclosing_node,
    block_info,
    function_hunks_info,
    function_of,
    shared_side_info,
    side_info,
)
from reviewer.flagmodel.hunk_pairs import change_blocks
from reviewer.flagmodel.patch_view import view_of
from tests.flagmodel import synth

BODY = """
 static void set_up(struct vm_area_struct *vma, vm_flags_t extra)
 {
 \tvm_flags_t flags = VM_READ;
-\tflags |= VM_WRITE;
+\tflags |= VM_WRITE | extra;
 \tvma->vm_flags = flags;
 \tvm_flags_t later = flags;
-\tvm_flags_set(vma, later);
+\tvm_flags_set(vma, later | VM_EXEC);
 }
"""


OWN = "static void set_up(struct vm_area_struct *vma, vm_flags_t extra)"


def _blocks(section: str = OWN, body: str = BODY):
    view = view_of(synth.patch(synth.diff("mm/x.c", synth.hunk(10, body, section))))
    [f] = view.files
    return view, f, change_blocks(f)


def test_blocks_of_one_hunk_share_its_function_hunks_info():
    _view, _f, blocks = _blocks()
    assert len(blocks) == 2
    first, second = (function_hunks_info(b, "new") for b in blocks)
    assert first is not None and first is second
    assert {"flags", "later"} <= first.flag_names


def test_function_of_is_per_block_object_not_per_text():
    # the same lines under another hunk header: git names another function, and the block's
    # own hunk does not show a header (the body is cut), so the answers differ
    cut = "\n".join(BODY.strip("\n").splitlines()[2:-1])
    _va, fa, ba = _blocks("static int alpha(void)", cut)
    _vb, fb, bb = _blocks("static int beta(void)", cut)
    assert function_of(_va, fa, ba[0]) == "alpha"
    assert function_of(_vb, fb, bb[0]) == "beta"
    assert function_of(_va, fa, ba[0]) == "alpha"  # (asked again: the memo, same answer)


def test_block_info_leaves_the_shared_function_info_alone():
    view, f, blocks = _blocks()
    root, numbers = view.new_roots[f.path], view.new_numbers[f.path]
    file_info = side_info(root)
    fn = _enclosing_node(root, numbers, blocks[1].line)
    shared = shared_side_info(fn)
    before = (set(shared.params), set(shared.pointer_names), dict(shared.inits))
    infos = [block_info(file_info, root, numbers, b.line, b.hunk.section) for b in blocks]
    for info in infos:  # what the engine does to a block's info afterwards
        info.params.add("x")
        info.bit_params.add("x")
        info.pointer_names.add("x")
        info.inits["x"] = None
    assert (set(shared.params), set(shared.pointer_names), dict(shared.inits)) == before
    assert "x" not in shared.bit_params
    # each block's initialisers are the declarations above it: `later` only for the second
    assert "later" not in infos[0].inits and "later" in infos[1].inits
    assert {"vma", "extra"} <= infos[0].params
