"""The fix-up compare mode checks a revision twice; a patch whose inputs did not change is
replayed from the first check (its findings and the model after it: conversion_reuse), never
when the patch, a patch before it or the definitions the series shows changed."""

from __future__ import annotations

import dataclasses

import pytest

from reviewer.flagmodel import conversion_reuse
from reviewer.flagmodel.check import check_revision
from reviewer.flagmodel.fixup_fold import fold_patch
from reviewer.flagmodel.patch_models import shown_definitions
from reviewer.flagmodel.patch_view import view_of
from tests.march_series import jan, march


@pytest.fixture
def replays(monkeypatch) -> list[int]:
    """The index of every patch whose conversion findings were replayed."""
    seen: list[int] = []
    original = conversion_reuse.PatchStep.replay

    def replay(self, report):
        seen.append(len(seen))
        return original(self, report)

    monkeypatch.setattr(conversion_reuse.PatchStep, "replay", replay)
    return seen


def _same(a, b) -> None:
    assert a.to_json() == b.to_json()
    assert a.verified_lines == b.verified_lines


def test_fixup_compare_replays_the_patches_before_the_first_fixup(replays):
    patches = jan("v2-thread.mbox")  # fix-ups in reply to 7/13, 8/13 and 12/13
    shown = [fold_patch(p, context_only=True).patch for p in patches]
    folded = [fold_patch(p).patch for p in patches]
    memo = conversion_reuse.CheckMemo()
    _same(check_revision(shown, helpers=False, reuse=memo), check_revision(shown, helpers=False))
    assert not replays and len(memo.steps) == len(patches)
    reused = check_revision(folded, helpers=False, reuse=memo)
    assert len(replays) == 6  # 1/13 .. 6/13: the same text and the same model before them
    _same(reused, check_revision(folded, helpers=False))


def test_a_changed_patch_is_checked_again_and_so_is_every_patch_after_it(replays):
    # v4 17/25 with its guard taken away: the check must find the error, not replay the pass
    guarded = " \tif (pgtable_supports_soft_dirty())\n-\t\tvm_flags_set(vma, VM_SOFTDIRTY);\n"
    patches = march("v4")[:18]
    p17 = patches[16]
    assert p17.index == 17 and guarded in p17.diff
    unguarded = guarded.replace("pgtable_supports_soft_dirty()", "soft_dirty_wanted(vma)")
    mutated = [*patches[:16], dataclasses.replace(p17, diff=p17.diff.replace(guarded, unguarded)),
               patches[17]]  # fmt: skip
    memo = conversion_reuse.CheckMemo()
    before = check_revision(patches, helpers=False, reuse=memo)
    assert not [f for f in before.findings if f.severity == "error" and f.file == "mm/vma.c"]
    after = check_revision(mutated, helpers=False, reuse=memo)
    assert len(replays) == 16  # 17/25 changed: it and 18/25 after it are checked again
    [err] = [f for f in after.findings if f.severity == "error" and f.file == "mm/vma.c"]
    assert "VM_SOFTDIRTY" in err.counterexample
    _same(after, check_revision(mutated, helpers=False))


def test_keys_follow_the_definitions_the_series_shows_and_each_patch():
    patches = march("v4")[:3]
    defs: dict = {}
    for view in map(view_of, patches):
        for name, cands in shown_definitions(view, "old").items():
            defs.setdefault(name, cands)
    key = conversion_reuse.series_key("state", "detected", None, defs)
    assert key == conversion_reuse.series_key("state", "detected", None, dict(defs))
    name = next(iter(defs))
    cand = defs[name][0]
    defn = dataclasses.replace(cand.defn, text=cand.defn.text + " ")
    edited = dataclasses.replace(cand, defn=defn)
    assert key != conversion_reuse.series_key("state", "detected", None, {**defs, name: [edited]})
    assert key != conversion_reuse.series_key("other", "detected", None, defs)
    assert key != conversion_reuse.series_key("state", "detected", "/tree", defs)
    one = conversion_reuse.view_key(key, 1, patches[0].diff)
    assert one != conversion_reuse.view_key(key, 2, patches[0].diff)
    assert one != conversion_reuse.view_key(key, 1, patches[0].diff + "\n")
    assert conversion_reuse.view_key(one, 2, patches[1].diff) != conversion_reuse.view_key(
        conversion_reuse.view_key(key, 1, patches[0].diff + "\n"), 2, patches[1].diff
    )
