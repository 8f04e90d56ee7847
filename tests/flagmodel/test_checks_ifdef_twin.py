"""ifdef-twin on the real ksm_vma_flags() prototype / !CONFIG_KSM stub pair."""

from __future__ import annotations

from tests.flagmodel import march

KSM = "include/linux/ksm.h"


def test_both_twins_converted_is_fine():
    assert march.run("ifdef-twin", [march.patch("v4", 17)]) == []


def test_stub_left_unconverted_is_an_error():
    p = march.mutate(
        march.patch("v4", 17),
        "static inline vma_flags_t ksm_vma_flags(struct mm_struct *mm,",
        "static inline vm_flags_t ksm_vma_flags(struct mm_struct *mm,",
    )
    p = march.mutate(
        p,
        "\t\tconst struct file *file, vma_flags_t vma_flags)",
        "\t\tconst struct file *file, vm_flags_t vm_flags)",
    )
    [found] = march.run("ifdef-twin", [p])
    assert (found.file, found.line, found.severity) == (KSM, 106, "error")


def test_prototype_left_unconverted_is_an_error():
    p = march.mutate(
        march.patch("v4", 17),
        "vma_flags_t ksm_vma_flags(struct mm_struct *mm, const struct file *file,",
        "vm_flags_t ksm_vma_flags(struct mm_struct *mm, const struct file *file,",
    )
    p = march.mutate(p, "\t\t\t  vma_flags_t vma_flags);", "\t\t\t  vm_flags_t vm_flags);")
    [found] = march.run("ifdef-twin", [p])
    assert (found.line, found.severity) == (20, "error")


def test_january_dax_stub_still_warned(v1_patches):
    found = march.run("ifdef-twin", v1_patches)
    assert [(f.patch, f.file, f.severity) for f in found] == [(8, "include/linux/dax.h", "warning")]


def test_the_fixup_in_a_reply_shows_the_dax_stub_twin(threads_dir):
    """v1-RESEND 8/12 converts daxdev_mapping_supported() but not its !CONFIG_DAX stub; Zi Yan's
    fix-up in the reply converts the stub. The fix-up's lines show the stub (two bodies of one
    function in include/linux/dax.h, so #if twins, though no directive is visible): the patch
    as posted gets the error, resolved by the fix-up (issue 15 item 8)."""
    from reviewer.flagmodel.findings import FixupEffect
    from reviewer.flagmodel.fixup_check import FixupMode, check_with_fixups
    from tests.flagmodel.conftest import _patches

    patches = _patches("v1-resend-thread.mbox")[:8]
    assert [f.author.split(" <")[0] for f in patches[7].fixups] == ["Zi Yan"]
    report = check_with_fixups(patches, mode=FixupMode.COMPARE, helpers=False)
    [found] = [f for f in report.findings if f.check == "ifdef-twin"]
    assert (found.severity, found.patch, found.file, found.line) == (
        "error",
        8,
        "include/linux/dax.h",
        114,
    )
    assert "daxdev_mapping_supported() converted at line 68 but its twin at line 114" in (
        found.message
    )
    assert found.fixup_effect == FixupEffect.RESOLVED.value
    assert report.count("error") == 0
    posted = check_with_fixups(patches, mode=FixupMode.POSTED, helpers=False)
    [warned] = [f for f in posted.findings if f.check == "ifdef-twin"]
    assert warned.severity == "warning"  # without the fix-up's lines the stub is not visible


def test_header_kind_parses_only_headers_naming_a_flags_type(monkeypatch):
    from reviewer.flagmodel import tree_state
    from reviewer.flagmodel.checks.ifdef_twin import _kind

    parsed, real = [], tree_state.names_in
    monkeypatch.setattr(tree_state, "names_in", lambda t: parsed.append(t) or real(t))
    assert _kind("static int plain(struct mm_struct *mm)") == ""
    assert parsed == []
    assert _kind("static void a(vm_flags_t flags)") == "legacy"
    assert _kind("static void b(vma_flags_t *flags)") == "converted"
    assert _kind("static void c(unsigned long vm_flags_tx)") == ""  # a longer name: no type
    assert len(parsed) == 3
