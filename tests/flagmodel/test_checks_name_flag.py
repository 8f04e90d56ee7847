"""name-flag on real March 2026 definitions."""

from __future__ import annotations

from tests.flagmodel import march

LOCKED = "#define VMA_LOCKED_MASK\tmk_vma_flags(VMA_LOCKED_BIT, VMA_LOCKONFAULT_BIT)"
DROPPABLE = "#define VMA_DROPPABLE\t\tmk_vma_flags(VMA_DROPPABLE_BIT)"


def test_real_definitions_agree():
    for rev in ("v1", "v2", "v4"):
        assert march.run("name-flag", march.revision(rev)) == []


def test_mask_that_drops_a_bit_of_its_legacy_twin():
    p = march.mutate(march.patch("v4", 21), LOCKED, LOCKED.replace("LOCKONFAULT", "LOCKED"))
    found = march.at(march.run("name-flag", [p]), "include/linux/mm.h", 587, "error")
    assert found and "drops VM_LOCKONFAULT" in found[0].message


def test_constant_named_after_one_flag_defined_as_another():
    p = march.mutate(
        march.patch("v4", 17), DROPPABLE, DROPPABLE.replace("DROPPABLE_BIT", "DONTDUMP_BIT")
    )
    found = march.at(march.run("name-flag", [p]), "include/linux/mm.h", 506, "error")
    assert found and "VM_DROPPABLE" in found[0].message


def test_bit_enum_entry_disagrees_with_the_bit_table():
    p = march.rewrite_context(
        march.patch("v4", 17),
        "\tDECLARE_VMA_BIT(DROPPABLE, 40),",
        "\tDECLARE_VMA_BIT(DROPPABLE, 41),",
    )
    [found] = march.run("name-flag", [p])
    assert found.severity == "error" and "bit 40" in found.message


def test_legacy_define_disagrees_with_the_bit_table():
    p = march.rewrite_context(
        march.patch("v4", 17),
        "#define VM_DROPPABLE\t\tINIT_VM_FLAG(DROPPABLE)",
        "#define VM_DROPPABLE\t\tINIT_VM_FLAG(SEALED)",
    )
    found = march.run("name-flag", [p])
    assert [f.severity for f in found] == ["error"] and "VM_DROPPABLE" in found[0].message
