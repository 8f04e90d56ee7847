"""lock-semantics on real March 2026 lines."""

from __future__ import annotations

from tests.flagmodel import march


def test_mseal_missing_write_lock_warns():
    found = march.at(march.run("lock-semantics", [march.patch("v2", 22)]), "mm/mseal.c", 80)
    assert [f.severity for f in found] == ["warning"]
    assert "vma_modify_flags" in found[0].message


def test_explicit_vma_start_write_is_fine():
    """v3 added vma_start_write(vma) before vma_set_flags(); do_brk_flags() locks the VMA
    earlier; the merge paths write-lock the target they assign."""
    assert march.run("lock-semantics", march.revision("v4")) == []


def test_sticky_flags_read_before_the_lock_warns():
    found = march.run("lock-semantics", [march.patch("v2", 5)])
    assert [(f.line, f.severity) for f in found] == [(907, "warning"), (916, "warning")]
    assert "VMA_MAYBE_GUARD_BIT" in found[0].message and "line 910" in found[0].message


def test_lock_seen_in_the_base_tree(tmp_path):
    text = march.pre_image("mm/vma.c", march.patch("v2", 5), march.patch("v4", 5))
    repo = march.git_tree(tmp_path, {"mm/vma.c": text})
    found = march.run("lock-semantics", [march.patch("v2", 5)], repo)
    assert [f.line for f in found] == [907, 916, 1171, 1194]
    assert "base tree line 1161" in found[2].message
    assert march.run("lock-semantics", [march.patch("v4", 5)], repo) == []
