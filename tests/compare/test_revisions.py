"""Compare on the real January 2026 threads (checked by hand) and on the synthetic series."""

import pytest

from reviewer.compare.revisions import classify_pairs, compare_revisions, stale_patch_indexes
from tests.helpers_minitree import real_revisions, synthetic_revisions

RESEND_FILES = (
    "tools/testing/vma/include/dup.h, tools/testing/vma/include/stubs.h, "
    "tools/testing/vma/vma_internal.h"
)


@pytest.fixture(scope="module")
def real():
    return real_revisions()


@pytest.fixture(scope="module")
def synth():
    return synthetic_revisions()


def classes(cmp):
    return [(p.from_index, p.to_index, p.classification) for p in cmp.pairs]


def test_real_resend_is_rebased_and_patch_11_changed(real):
    # By hand: the RESEND was rebased (other index lines and line numbers, blank context lines
    # stripped in transit); patch 11 moves code that changed in the new base (struct unmap_desc).
    cmp = compare_revisions(real["v1"], real["v1-RESEND"])
    assert cmp.verdict == "RESEND of v1: CHANGED in patch 11 of v1-RESEND"
    assert ", ".join(cmp.pairs[10].files) == RESEND_FILES  # the files are the pair's
    expected = [(i, i, "rebase-only") for i in range(1, 13)]
    expected[2] = (3, 3, "identical")
    expected[10] = (11, 11, "code-changed")
    assert classes(cmp) == expected
    assert "struct unmap_desc" in cmp.pairs[10].interdiff


def test_real_resend_to_v2(real):
    cmp = compare_revisions(real["v1-RESEND"], real["v2"])
    unchanged = {(1, 2): "rebase-only", (3, 4): "identical", (6, 7): "rebase-only"}
    unchanged[(10, 11)] = "rebase-only"
    got = {(f, t): c for f, t, c in classes(cmp)}
    assert got[(None, 1)] == "added"
    assert cmp.pairs[0].subject == "mm/vma: remove __private sparse decoration from vma_flags_t"
    for key, kind in unchanged.items():
        assert got.pop(key) == kind
    del got[(None, 1)]
    assert set(got.values()) == {"code-changed"}
    assert sorted(t for _f, t in got) == [3, 5, 6, 8, 9, 10, 12, 13]
    # numbered as in v2 (the RESEND's 3 is the identical one), no file lists: the table has them
    assert cmp.verdict == "CHANGED in patches 3, 5, 6, 8, 9, 10, 12, 13 of v2; added patch 1 of v2"
    # v2 changelog: test helpers take const vma_flags_t * (v1 used ACCESS_PRIVATE)
    assert (
        "-+\tunsigned long *bitmap = ACCESS_PRIVATE(flags, __vma_flags);" in cmp.pairs[2].interdiff
    )


def test_real_v1_to_v2_pairs_every_v1_patch(real):
    cmp = compare_revisions(real["v1"], real["v2"])
    assert [p.from_index for p in cmp.pairs] == [None, *range(1, 13)]
    assert [p.to_index for p in cmp.pairs] == list(range(1, 14))


def test_synthetic_resend_is_identical(synth):
    cmp = compare_revisions(synth["v1"], synth["v1-RESEND"])
    assert cmp.verdict == "RESEND of v1: identical"
    assert {p.classification for p in cmp.pairs} == {"identical"}


def test_synthetic_v2(synth):
    cmp = compare_revisions(synth["v1-RESEND"], synth["v2"])
    assert cmp.verdict == "CHANGED in patch 2 of v2"
    assert [p.classification for p in cmp.pairs] == [
        "message-only",
        "code-changed",
        "message-only",
        "identical",
    ]
    assert "+Reviewed-by: Pedro Example" in cmp.pairs[0].message_diff
    assert "++static inline void vma_desc_clear_flag" in cmp.pairs[1].interdiff
    assert "include/linux/mm.h" not in cmp.pairs[1].interdiff


def test_synthetic_rebased_v3(synth):
    cmp = compare_revisions(synth["v2"], synth["v3"])
    assert cmp.verdict == "rebase-only"
    assert {p.classification for p in cmp.pairs} == {"rebase-only"}


def test_stale_trailers_of_code_changed_patch(synth):
    cmp = compare_revisions(synth["v1"], synth["v2"])
    stale = cmp.pairs[1].stale_trailers
    assert "Reviewed-by: Vlastimil Example <vbabka@example.org>" in stale
    assert stale_patch_indexes(synth["v1"], synth["v2"]) == {2: 2}


def _renumber(revision, patches):
    import copy

    rev = copy.deepcopy(revision)
    rev.patches = [copy.deepcopy(p) for p in patches]
    for i, p in enumerate(rev.patches, 1):
        p.index = i
    return rev


def test_reordered_and_dropped(synth):
    v2 = synth["v2"]
    p = v2.patches
    new = _renumber(v2, [p[0], p[2], p[1]])  # 3 before 2, 4 dropped
    results = classify_pairs(v2, new)
    got = {(r.from_index, r.to_index): (r.classification, r.note) for r in results}
    assert got[(4, None)] == ("removed", "")
    assert got[(1, 1)][0] == "identical"
    assert "moved from" in got[(2, 3)][1] or "moved from" in got[(3, 2)][1]


def test_split_patch(synth):
    import copy

    v2 = synth["v2"]
    p4 = v2.patches[3]
    mem, aio = p4.diff.split("diff --git a/fs/aio.c")
    first, second = copy.deepcopy(p4), copy.deepcopy(p4)
    first.diff = mem
    second.diff, second.subject = "diff --git a/fs/aio.c" + aio, "fs/aio: use VMA flags"
    new = _renumber(v2, [*v2.patches[:3], first, second])
    results = classify_pairs(v2, new)
    assert results[3].classification == "code-changed" and results[3].files == ["fs/aio.c"]
    assert (results[4].classification, results[4].note) == ("added", "split from 4")


def test_subject_change_is_message_only(synth):
    import copy

    new = copy.deepcopy(synth["v2"])
    new.patches[3].subject = "drivers/char/mem: use VMA flags on mmap_prepare"
    (r,) = [r for r in classify_pairs(synth["v2"], new) if r.to_index == 4]
    assert r.classification == "message-only"


def test_json_shape(synth):
    data = compare_revisions(synth["v1"], synth["v1-RESEND"]).to_json()
    assert data["from"] == "v1" and data["to"] == "v1-RESEND"
    assert set(data["patches"][0]) >= {"from_index", "to_index", "subject", "classification"}
