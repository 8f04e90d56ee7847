"""Issue 10 item 5: anything the model cannot decide is `unverified` (info) with file, line and
reason; one block failing never loses the report. Real lines of the March 2026 series."""

from __future__ import annotations

from reviewer.flagmodel import check as check_mod
from reviewer.flagmodel.check import check_revision
from reviewer.flagmodel.equivalence import SideInfo, compare
from reviewer.flagmodel.tree_state import Model
from tests.march_series import march


def _compare(old: str, new: str, old_flags=(), new_flags=()):
    return compare(
        old,
        new,
        Model("S3"),
        Model("S3"),
        SideInfo(flag_names={"vm_flags", "vma_flags", *old_flags}),
        SideInfo(flag_names={"vm_flags", "vma_flags", *new_flags}),
    )


def test_flags_read_through_an_unresolved_pointer_do_not_crash():
    # mm/vma.c vma_modify_flags_uffd(), March v4 patch 9: these lines crashed _show_bits().
    out = _compare("vmg.vm_flags = vm_flags;", "vmg.vma_flags = *vma_flags;")
    assert out.status != "different"


def test_assignment_from_pointer_param_does_not_crash():
    # mm/mprotect.c, March series: `vma->flags = *new_vma_flags;`
    out = _compare("vm_flags_reset_once(vma, newflags);", "vma->flags = *new_vma_flags;")
    assert out.status != "different"


def test_march_v4_gives_a_report(monkeypatch):
    report = check_revision(march("v4"), helpers=False)
    assert report.verified > 100
    assert all(f.file or f.patch == 0 for f in report.findings)


def test_one_failing_block_is_unverified_and_the_rest_is_kept(monkeypatch):
    monkeypatch.setenv("REVIEWER_JOBS", "1")  # the calls are counted in this process
    real = check_mod._check_block
    calls = {"n": 0}

    def flaky(index, path, block, *rest):
        calls["n"] += 1
        if calls["n"] == 3:
            raise TypeError("bad operand type for unary -: 'Opaque'")
        return real(index, path, block, *rest)

    monkeypatch.setattr(check_mod, "_check_block", flaky)
    report = check_revision(march("v4")[:10], helpers=False)
    failed = [f for f in report.findings if "model failed here" in f.message]
    assert len(failed) == 1
    [f] = failed
    assert f.severity == "info" and f.check == "unverified"
    assert f.file and f.line > 0 and "TypeError" in f.message
    assert calls["n"] > 3  # blocks after the failing one were still checked


def test_a_block_failing_in_a_worker_is_unverified_and_the_rest_is_kept(monkeypatch):
    monkeypatch.setenv("REVIEWER_JOBS", "2")
    real = check_mod._check_block

    def flaky(index, path, block, *rest):
        if index == 5 and path == "mm/vma.c":  # fails in whichever worker checks that file
            raise TypeError("bad operand type for unary -: 'Opaque'")
        return real(index, path, block, *rest)

    monkeypatch.setattr(check_mod, "_check_block", flaky)
    report = check_revision(march("v4")[:6], helpers=False)
    failed = [f for f in report.findings if "model failed here" in f.message]
    assert failed and all(f.patch == 5 and f.file == "mm/vma.c" for f in failed)
    assert all(f.severity == "info" and "TypeError" in f.message for f in failed)
    assert report.verified > 0 and any(f.file != "mm/vma.c" for f in report.findings)


def test_a_failing_check_step_keeps_the_report(monkeypatch, tmp_path):
    from reviewer.flagmodel.checks import high_bit

    monkeypatch.setenv("REVIEWER_CACHE", str(tmp_path))  # no checks' outcome kept from before

    def boom(*args):
        raise KeyError("x")

    monkeypatch.setattr(high_bit, "run", boom)
    report = check_revision(march("v4")[:5], helpers=False)
    assert report.verified > 0
    assert any("high-bit" in f.message for f in report.findings if f.check == "unverified")
