"""The flag model on a real series it was not built from, end to end: "[PATCH 00/13] convert
more vm_flags_t users to vma_flags_t" (Lorenzo Stoakes, 29 Jun 2026; drivers, arch, mm/mmap,
mlock, mprotect, mremap), tracked offline and checked through the CLI like a new user would
(samples/threads/later/, figures and the verdict on every finding in docs/later-series.md)."""

from __future__ import annotations

import json

from reviewer.cli import main
from tests.flagmodel import later


def _check_json(tmp_path, capsys) -> tuple[int, dict]:
    db = str(tmp_path / "later.db")
    assert main(["track", "--db", db, "--offline", str(later.CONVERT_MORE)]) == 0
    out = capsys.readouterr().out
    assert "v1 tracked (13 patches)" in out and "Traceback" not in out
    rc = main(["check", "--db", db, "--json", "1"])
    return rc, json.loads(capsys.readouterr().out)


def test_june_series_end_to_end(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("REVIEWER_CACHE", str(tmp_path / "cache"))
    rc, data = _check_json(tmp_path, capsys)
    assert rc != 0  # one error-level finding: the real one
    assert data["revision"] == "v1" and data["counts"]["error"] == 1
    got = {(f["severity"], f["check"], f["patch"], f["file"], f["line"]) for f in data["findings"]}
    # the one mistake a reviewer replied with (Lance Yang, 2 Jul 2026): VM_GROWSUP is VM_NONE
    # except on parisc, VMA_GROWSUP_BIT is the ARCH_1 bit other arches use for other flags
    assert ("error", "config-gated", 12, "mm/mprotect.c", 897) in got
    [error] = [f for f in data["findings"] if f["severity"] == "error"]
    assert "VMA_ARM64_BTI_BIT" in error["message"] and "tests the bit" in error["message"]
    # mremap's vm_flags_clear() took the VMA write lock, vma_clear_flags() does not
    assert ("info", "locking", 13, "mm/mremap.c", 1189) in got
    assert data["counts"]["warning"] == 0
    # 120 of 165 blocks and helpers proven; what the model cannot decide stays under 30 %
    assert data["verified"] >= 120
    assert data["unverified"] / (data["verified"] + data["unverified"]) < 0.30
    for f in data["findings"]:
        assert "Traceback" not in f["message"]
        if f["check"] == "unverified":
            assert f["file"] and f["line"] and f["message"]


def test_each_patch_alone_has_no_false_error():
    """Checked one patch at a time (the others only teaching definitions), as `b4 review`
    does per patch: only 12/13's real GROWSUP error."""
    from reviewer.flagmodel.check import check_revision

    patches = list(later.revision())
    for p in patches:
        rep = check_revision(patches, helpers=False, focus={p.index})
        want = [(12, "mm/mprotect.c", 897, "config-gated")] if p.index == 12 else []
        assert later.errors(rep) == want, p.index


def test_vma_no_bit_patch_checks_clean():
    """Kiryl Shutsemau's "[PATCH v5 04/18] mm: skip out-of-range bits in mk_vma_flags()"
    (26 May 2026): VMA_NO_BIT, a range-checked DECLARE_VMA_BIT() and vma_flags_set_flag()
    dropping negative bits. A correct fix (Cc: stable): checked alone, no finding, the changed
    helper proven."""
    from reviewer.flagmodel.check import check_revision

    patches = list(later.revision(later.LATER / "vma-no-bit-v5-04.mbox"))
    assert [p.subject for p in patches] == ["mm: skip out-of-range bits in mk_vma_flags()"]
    rep = check_revision(patches)
    assert rep.findings == [] and rep.verified >= 1
