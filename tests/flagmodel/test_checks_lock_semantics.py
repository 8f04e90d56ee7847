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


def test_a_series_helper_that_locks_and_the_lines_read_for_dropped_locks(monkeypatch):
    """A function the series shows calling vma_start_write() is a locking helper; the
    removed lines are parsed for dropped locking calls only where one is named."""
    from reviewer.flagmodel.checks import lock_semantics
    from reviewer.flagmodel.findings import CheckReport
    from reviewer.flagmodel.patch_view import view_of
    from tests.flagmodel import synth

    body = """
 static void lock_and_mark(struct vm_area_struct *vma)
 {
 \tvma_start_write(vma);
 }

 static void user(struct vm_area_struct *vma)
 {
-\tint unrelated = compute(vma);
-\tlock_and_mark(vma);
+\tvma_set_flags(vma, VMA_LOCKED_BIT);
 }
"""
    view = view_of(synth.patch(synth.diff("mm/x.c", synth.hunk(10, body))))
    locking = lock_semantics._locking_helpers([view])
    assert "lock_and_mark" in locking
    parsed, real = [], lock_semantics.parse
    monkeypatch.setattr(lock_semantics, "parse", lambda t: parsed.append(t) or real(t))
    [f] = view.files
    lock_semantics._lock_dropped(view, f, locking, CheckReport())
    assert parsed == ["\tlock_and_mark(vma);"]
