"""config-gated on real March 2026 lines."""

from __future__ import annotations

from reviewer.flagmodel.checks import tree
from tests.flagmodel import march, synth

ARM64 = "arch/arm64/include/asm/page.h"


def test_arm64_mte_allowed_unconditional_is_an_error():
    found = march.at(march.run("config-gated", [march.patch("v2", 17)]), ARM64, 50, "error")
    assert len(found) == 1
    assert "VM_MTE_ALLOWED" in found[0].message and "CONFIG_ARM64_MTE" in found[0].message


def test_arm64_fixed_under_ifdef_is_fine():
    assert march.run("config-gated", [march.patch("v4", 17)]) == []


def test_inverted_mte_guard_is_known_off():
    p = march.mutate(march.patch("v4", 17), "#ifdef CONFIG_ARM64_MTE", "#ifndef CONFIG_ARM64_MTE")
    [found] = march.run("config-gated", [p])
    assert found.severity == "error" and "known to be off" in found.message


def test_runtime_condition_read_from_its_definition():
    """`if (pgtable_supports_soft_dirty())` guards VMA_SOFTDIRTY_BIT: its definition is
    IS_ENABLED(CONFIG_MEM_SOFT_DIRTY); an unreadable condition leaves a warning."""
    p = march.patch("v4", 21)
    assert march.run("config-gated", [p]) == []
    other = march.replace_context(
        p, "\tif (pgtable_supports_soft_dirty())", "\tif (some_unknown_predicate())"
    )
    found = march.run("config-gated", [other])
    assert [f.severity for f in found] == ["warning"]
    assert "VM_SOFTDIRTY" in found[0].message


def test_file_built_only_on_64bit_is_fine():
    """mm/mseal.c is built only with CONFIG_64BIT (mm/Makefile): VM_SEALED -> VMA_SEALED_BIT."""
    found = march.run("config-gated", [march.patch("v4", 23)])
    assert [f for f in found if f.file == "mm/mseal.c"] == []


def test_new_vma_macro_against_its_legacy_twin():
    """__VMA_UFFD_FLAGS sets VMA_UFFD_MINOR_BIT always; __VM_UFFD_FLAGS had VM_UFFD_MINOR, which is
    VM_NONE without CONFIG_HAVE_ARCH_USERFAULTFD_MINOR (a real bug, fixed after v4)."""
    found = march.run("config-gated", [march.patch("v4", 23)])
    found = march.at(found, "include/linux/userfaultfd_k.h", 27, "error")
    assert found and "32-bit" in found[0].message


def test_build_configs_from_the_tree_makefile(tmp_path):
    makefile = (
        "obj-y := filemap.o\nifdef CONFIG_64BIT\nmmu-$(CONFIG_MMU)\t+= newseal.o\nendif\n"
        "obj-$(CONFIG_SHMEM) += shmemx.o\n"
    )
    repo = march.git_tree(tmp_path, {"mm/Makefile": makefile})
    assert {"CONFIG_64BIT", "CONFIG_MMU"} <= tree.build_configs(repo, "mm/newseal.c")
    assert "CONFIG_SHMEM" in tree.build_configs(repo, "mm/shmemx.c")
    assert "CONFIG_64BIT" not in tree.build_configs(repo, "mm/filemap.c")


def test_bit_shared_by_other_flags_is_an_error_behind_any_condition():
    """The shape of a finding a reviewer replied with on a June 2026 series: a test of
    VMA_GROWSUP_BIT behind an unreadable `if`. VM_GROWSUP is VM_NONE except on parisc and its
    bit is ARM64_BTI, SAO, SPARC_ADI elsewhere, so the condition does not make it a mere
    warning (a dedicated bit like SOFTDIRTY stays one, above)."""
    lines = synth.GROWS_UP
    p = synth.patch(synth.diff("mm/mprotect.c", synth.hunk(890, lines)))
    [found] = march.run("config-gated", [p])
    assert (found.file, found.line, found.severity) == ("mm/mprotect.c", 893, "error")
    assert "VMA_ARM64_BTI_BIT" in found.message and "tests the bit" in found.message


def test_gated_names_of_removed_lines(monkeypatch):
    """The gated legacy names a block removes, in code or in a #define body; only the lines a
    gated name appears in are parsed for them."""
    from reviewer.flagmodel.checks import common
    from reviewer.flagmodel.checks.config_gated import _gated_removed
    from reviewer.flagmodel.hunk_pairs import change_blocks, parse_diff

    body = """
-#define X_FLAGS (VM_READ | \\
-\t\t VM_SOFTDIRTY)
+#define X_FLAGS mk_vma_flags(VMA_READ_BIT, VMA_SOFTDIRTY_BIT)
 int a;
-\tvma->vm_flags |= VM_WRITE;
+\tvma_set_flags(vma, VMA_WRITE_BIT);
"""
    [f] = parse_diff(synth.diff("mm/x.c", synth.hunk(10, body)))
    gated, plain = change_blocks(f)
    gates = {"VM_SOFTDIRTY": frozenset({"CONFIG_MEM_SOFT_DIRTY"})}
    parsed, real = [], common.line_names
    monkeypatch.setattr(common, "line_names", lambda text: parsed.append(text) or real(text))
    assert _gated_removed(gated, gates) == {"VM_SOFTDIRTY"}
    assert _gated_removed(plain, gates) == set()
    assert parsed == ["\t\t VM_SOFTDIRTY)"]


# an architecture's own configuration set unconditionally in that architecture's .c file
MTE_SET = """
 static void mte_x_enable(struct vm_area_struct *vma)
 {
 \tvma_start_write(vma);
-\tvm_flags_set(vma, VM_MTE);
+\tvma_set_flags(vma, VMA_MTE_BIT);
 }
"""


def _mte_set(path: str):
    return synth.patch(synth.diff(path, synth.hunk(30, MTE_SET)))


def test_an_arch_c_file_may_be_built_only_with_its_arch_config_a_warning_without_a_tree():
    """arch/arm64/kernel/mte.c is built only with CONFIG_ARM64_MTE (its Makefile): without a
    tree that cannot be read, so the unconditional VMA_MTE_BIT is a warning saying so."""
    [found] = march.run("config-gated", [_mte_set("arch/arm64/kernel/mte_x.c")])
    assert found.severity == "warning" and "arm64's Makefile" in found.message
    assert "--repo" in found.message and "CONFIG_ARM64_MTE" in found.message


def test_the_tree_makefile_decides_for_an_arch_c_file(tmp_path):
    only_mte = march.git_tree(
        tmp_path / "a", {"arch/arm64/kernel/Makefile": "obj-$(CONFIG_ARM64_MTE) += mte_x.o\n"}
    )
    assert march.run("config-gated", [_mte_set("arch/arm64/kernel/mte_x.c")], only_mte) == []
    always = march.git_tree(tmp_path / "b", {"arch/arm64/kernel/Makefile": "obj-y += mte_x.o\n"})
    [found] = march.run("config-gated", [_mte_set("arch/arm64/kernel/mte_x.c")], always)
    assert found.severity == "error" and "nothing here limits it" in found.message


def test_outside_the_arch_directory_or_in_a_header_it_stays_an_error():
    for path in ("drivers/misc/mte_x.c", "arch/arm64/include/asm/mte_x.h"):
        [found] = march.run("config-gated", [_mte_set(path)])
        assert found.severity == "error" and "nothing here limits it" in found.message, path


def test_arm64_code_is_not_told_about_32_bit_builds():
    """arm64 is 64-bit only (arch/arm64/Kconfig): the error on v2's page.h names the missing
    CONFIG_ARM64_MTE, not a 32-bit build that cannot happen; userfaultfd_k.h (every arch) keeps
    the 32-bit note for bit 41."""
    [arm64] = march.at(march.run("config-gated", [march.patch("v2", 17)]), ARM64, 50, "error")
    assert "32-bit" not in arm64.message
    uffd = march.at(
        march.run("config-gated", [march.patch("v4", 23)]), "include/linux/userfaultfd_k.h", 27
    )
    assert uffd and "32-bit builds" in uffd[0].message
