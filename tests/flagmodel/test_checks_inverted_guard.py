"""inverted-guard on real March 2026 directive lines."""

from __future__ import annotations

from tests.flagmodel import march


def test_real_rewrite_of_a_guard_is_fine():
    """v2 17/23: `#ifdef CONFIG_PPC32` -> `#if defined(CONFIG_PPC32)` (same condition)."""
    assert march.run("inverted-guard", march.revision("v2")) == []


def test_negated_rewrite_is_an_error():
    p = march.mutate(
        march.patch("v2", 17), "#if defined(CONFIG_PPC32)", "#if !defined(CONFIG_PPC32)"
    )
    [found] = march.run("inverted-guard", [p])
    assert found.severity == "error" and found.file == "include/linux/mm.h"


def test_ifndef_of_the_same_symbol_and_flipped_comparison():
    p = march.mutate(march.patch("v2", 17), "#if defined(CONFIG_PPC32)", "#ifndef CONFIG_PPC32")
    assert [f.check for f in march.run("inverted-guard", [p])] == ["inverted-guard"]
    p = march.rewrite_context(
        march.patch("v4", 20), "#if NUM_VMA_FLAG_BITS > 64", "#if NUM_VMA_FLAG_BITS <= 64"
    )
    assert [f.severity for f in march.run("inverted-guard", [p])] == ["error"]
