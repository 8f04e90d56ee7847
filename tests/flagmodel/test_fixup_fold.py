"""Folding the fix-ups of the January v2 thread into their patches, from patch text alone
(issue 15 item 8): a fix-up in a file the patch does not touch (7/13), one that rewrites a line
the patch added (8/13), one on a file the patch creates (12/13), and one that does not fit."""

from __future__ import annotations

import dataclasses

from reviewer.diff.patch import parse_diff
from reviewer.flagmodel.fixup_fold import fold_both, fold_patch


def _hunk(diff: str, path: str, needle: str):
    fd = parse_diff(diff).file(path)
    return next(h for h in fd.hunks if any(needle in ln for ln in h.lines))


def _consistent(diff: str) -> None:
    for fd in parse_diff(diff).files:
        for h in fd.hunks:
            assert sum(1 for ln in h.lines if ln[:1] in " -") == h.old_len
            assert sum(1 for ln in h.lines if ln[:1] in " +") == h.new_len


def test_fixup_of_7_adds_the_missed_caller_as_its_own_hunk(v2_patches):
    patch = v2_patches[6]
    [fixup] = patch.fixups
    folded = fold_patch(patch)
    assert folded.folded == [fixup] and folded.failed == []
    _consistent(folded.patch.diff)
    h = _hunk(folded.patch.diff, "mm/mmap.c", "current->mm->def_flags")
    assert h.header == "@@ -108,7 +108,8 @@"
    assert "-\treturn mlock_future_ok(current->mm, current->mm->def_flags, len)" in h.lines
    assert "+\t\t\t      current->mm->def_flags & VM_LOCKED, len)" in h.lines
    assert folded.fixup_lines == {"mm/mmap.c": {111: fixup.message_id, 112: fixup.message_id}}
    # the patch's own hunks below the fix-up move down by the line it adds
    assert _hunk(folded.patch.diff, "mm/mmap.c", "bool is_vma_locked,").header == (
        "@@ -225,12 +226,12 @@"
    )
    assert _hunk(patch.diff, "mm/mmap.c", "bool is_vma_locked,").header == "@@ -225,12 +225,12 @@"


def test_context_only_shows_the_tree_line_the_fixup_reveals(v2_patches):
    folded = fold_patch(v2_patches[6], context_only=True)
    h = _hunk(folded.patch.diff, "mm/mmap.c", "current->mm->def_flags")
    assert h.header == "@@ -108,7 +108,7 @@"
    assert all(ln[:1] == " " for ln in h.lines)
    assert folded.fixup_lines == {}


def test_fixup_of_8_rewrites_a_line_the_patch_added(v2_patches):
    patch = v2_patches[7]
    folded = fold_patch(patch)
    assert folded.failed == []
    _consistent(folded.patch.diff)
    posted = _hunk(patch.diff, "mm/shmem.c", "shmem_kernel_file_setup(const char")
    assert (
        "+ * @vma_flags: VMA_NORESERVE_BIT suppresses pre-accounting of the entire object size"
        in (posted.lines)
    )
    h = _hunk(folded.patch.diff, "mm/shmem.c", "shmem_kernel_file_setup(const char")
    assert not any("@vma_flags" in ln for ln in h.lines)
    assert "- * @flags: VM_NORESERVE suppresses pre-accounting of the entire object size" in h.lines
    assert "+ * @flags: VMA_NORESERVE_BIT suppresses pre-accounting of the entire object size" in (
        h.lines
    )
    assert (h.old_start, h.old_len) == (posted.old_start, posted.old_len)
    # the second fix-up hunk lies past the patch's hunk: it is widened with the fix-up's lines
    h2 = _hunk(folded.patch.diff, "mm/shmem.c", "shmem_file_setup - get an unlinked file")
    assert "+ * @flags: VMA_NORESERVE_BIT suppresses pre-accounting of the entire object size" in (
        h2.lines
    )


def test_fixup_of_12_trims_a_file_the_patch_creates(v2_patches):
    patch = v2_patches[11]
    folded = fold_patch(patch)
    assert folded.failed == []
    _consistent(folded.patch.diff)
    posted = parse_diff(patch.diff).file("tools/testing/vma/include/dup.h")
    now = parse_diff(folded.patch.diff).file("tools/testing/vma/include/dup.h")
    assert posted.hunks[0].header == "@@ -0,0 +1,1341 @@"
    assert now.hunks[0].header == "@@ -0,0 +1,1329 @@"
    assert any("struct unmap_desc {" in ln for ln in posted.hunks[0].lines)
    assert not any("struct unmap_desc {" in ln for ln in now.hunks[0].lines)
    assert now.old_path is None  # still a new file


def test_a_fixup_that_does_not_fit_is_left_out_with_the_reason(v2_patches):
    patch = v2_patches[7]
    [fixup] = patch.fixups
    wrong = fixup.diff.replace(
        " * @size: size to be set for the file", " * @size: a line the patch does not have", 1
    )
    bad = dataclasses.replace(patch, fixups=[dataclasses.replace(fixup, diff=wrong)])
    folded = fold_patch(bad)
    assert folded.folded == [] and folded.patch.diff == patch.diff
    [(_, why)] = folded.failed
    assert "mm/shmem.c" in why and "does not have" in why
    garbage = dataclasses.replace(patch, fixups=[dataclasses.replace(fixup, diff="no diff here")])
    assert fold_patch(garbage).failed[0][1] == "the fix-up has no diff"


def test_damaged_fixups_never_raise(v2_patches):
    """Lines of the real fix-ups dropped, duplicated or renumbered: folded consistently or
    refused with a reason, never an exception."""
    import random

    rng = random.Random(15)
    for patch in (v2_patches[6], v2_patches[7], v2_patches[11]):
        lines = patch.fixups[0].diff.splitlines()
        for _ in range(60):
            damaged = list(lines)
            at = rng.randrange(len(damaged))
            choice = rng.randrange(4)
            if choice == 0:
                del damaged[at]
            elif choice == 1:
                damaged.insert(at, damaged[at])
            elif choice == 2:
                damaged[at] = damaged[at].replace("@@ -", f"@@ -{rng.randrange(1, 9)}", 1)
            else:
                damaged[at] = damaged[at][:1] + "x" + damaged[at][1:]
            fixup = dataclasses.replace(patch.fixups[0], diff="\n".join(damaged))
            folded = fold_patch(dataclasses.replace(patch, fixups=[fixup]))
            if folded.folded:
                _consistent(folded.patch.diff)
            else:
                assert folded.failed and folded.failed[0][1]


def test_fold_both_is_the_two_folds_from_one_parse(v2_patches):
    """The fix-up compare mode's two variants of each patch (context only, folded) come from
    one parse of its diff and equal the two separate folds, for every patch of the thread."""
    for patch in v2_patches:
        shown, folded = fold_both(patch)
        for got, want in (
            (shown, fold_patch(patch, context_only=True)),
            (folded, fold_patch(patch)),
        ):
            assert got.patch == want.patch
            assert (got.folded, got.failed, got.fixup_lines) == (
                want.folded,
                want.failed,
                want.fixup_lines,
            )
    assert fold_both(v2_patches[6])[0].patch.diff != fold_both(v2_patches[6])[1].patch.diff


def test_a_patch_without_fixups_is_not_read(v2_patches):
    """Its diff is not parsed: a binary patch in a series whose other patches have fix-ups
    no longer stops the fold (it used to raise FoldError: binary content)."""
    binary = dataclasses.replace(
        v2_patches[0],
        fixups=[],
        diff="diff --git a/logo.png b/logo.png\nindex 1..2 100644\nGIT binary patch\nliteral 3\n"
        "KcmZ?wbhEb\n\n",
    )
    assert parse_diff(binary.diff).files[0].binary
    for got in (fold_patch(binary), *fold_both(binary)):
        assert got.patch is binary and not got.folded and not got.failed
