"""high-bit on real March 2026 lines."""

from __future__ import annotations

from tests.flagmodel import march

SPECIAL = "#define VMA_SPECIAL_FLAGS mk_vma_flags(VMA_IO_BIT, VMA_DONTEXPAND_BIT, \\"


def test_high_bit_in_a_macro_mk_vma_flags_is_an_error():
    p = march.patch("v4", 17)
    p = march.mutate(p, SPECIAL, SPECIAL.replace("VMA_IO_BIT", "VMA_SEALED_BIT"))
    found = [f for f in march.run("high-bit", [p]) if f.file == "include/linux/mm.h"]
    assert [(f.line, f.severity) for f in found] == [(558, "error")]
    assert "#define VMA_SPECIAL_FLAGS" in found[0].message and "mk_vma_flags" in found[0].message


def test_real_series_low_bits_and_guards_are_fine():
    """v4 uses bits 37..42 only in 64-bit files (mseal.c, arm64), under config guards, in
    tools/testing/vma (128 bits) and in VMA_DROPPABLE under `CONFIG_64BIT || CONFIG_PPC32`
    (on PPC32 DROPPABLE is an alias of ARCH_1, bit 24)."""
    found = march.run("high-bit", march.revision("v4"))
    assert found == []


def test_droppable_disjunction_needs_the_low_alias():
    """Without the PPC32 alias of DROPPABLE the `CONFIG_64BIT || CONFIG_PPC32` branch reaches a
    32-bit build with bit 40."""
    p = march.patch("v4", 17)
    p = march.rewrite_context(
        p,
        "\tDECLARE_VMA_BIT_ALIAS(DROPPABLE, ARCH_1),",
        "\tDECLARE_VMA_BIT_ALIAS(DROPPABLE, SEALED),",
    )
    found = march.at(march.run("high-bit", [p]), "include/linux/mm.h", 506)
    assert [f.severity for f in found] == ["error"]


def test_tools_literal_past_128_bits():
    p = march.patch("v4", 2)
    line = next(
        ln[1:]
        for ln in p.diff.splitlines()
        if ln.startswith("+") and "VMA_EXEC_BIT, 64, 65);" in ln
    )
    found = march.run("high-bit", [march.mutate(p, line, line.replace("65", "130"))])
    assert [f.severity for f in found] == ["error"] and "130" in found[0].message
    assert march.run("high-bit", [p]) == []


def test_unguarded_bit_enum_entry():
    p = march.rewrite_context(
        march.patch("v4", 17),
        "\tDECLARE_VMA_BIT(UFFD_MINOR, 41),",
        "\tDECLARE_VMA_BIT(UFFD_MINOR, 41), DECLARE_VMA_BIT(NEWFLAG, 43),",
    )
    found = march.run("high-bit", [p])
    assert any("NEWFLAG" in f.message for f in found)
