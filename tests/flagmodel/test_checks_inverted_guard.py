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


def test_new_guard_excluding_the_flags_configuration():
    """v2 21/23 adds `#ifdef CONFIG_STACK_GROWSUP` around `vma_test(vma, VMA_GROWSUP_BIT)`;
    `#ifndef` would keep the test only where VM_GROWSUP does not exist (PARISC <-> STACK_GROWSUP
    from the snapshot's Kconfig facts)."""
    p = march.patch("v2", 21)
    assert march.run("inverted-guard", [p]) == []
    p = march.mutate(p, "#ifdef CONFIG_STACK_GROWSUP", "#ifndef CONFIG_STACK_GROWSUP")
    [found] = march.run("inverted-guard", [p])
    assert found.line == 3098 and "CONFIG_PARISC" in found.message


def test_new_guard_bounding_the_bitmap_below_its_bits():
    p = march.mutate(
        march.patch("v4", 2), "#if NUM_VMA_FLAG_BITS > 64", "#if NUM_VMA_FLAG_BITS <= 64"
    )
    found = march.run("inverted-guard", [p])
    assert found and all(f.severity == "error" for f in found)
    assert "bit 64" in found[0].message or "include 64" in found[0].message


def _mutate_at(p, path: str, line: int, new: str):
    """The patch with its added line at post-image `path:line` replaced by `+new`."""
    from reviewer.flagmodel.hunk_pairs import parse_diff
    from reviewer.flagmodel.mutations import replace_line

    [f] = [f for f in parse_diff(p.diff) if f.path == path]
    added = [ln for h in f.hunks for ln in h.lines if ln.tag == "+"]
    [target] = [ln for ln in added if ln.new_no == line]
    occurrence = [ln.text for ln in added if ln.new_no < line].count(target.text)
    return replace_line(p, "+" + target.text, "+" + new, occurrence)


VMA_C = "tools/testing/vma/tests/vma.c"


def test_misspelt_guard_corrected_then_negated():
    """v2 6/25 replaces `#if NUM_VMA_FLAGS > BITS_PER_LONG` (a name defined nowhere) by
    `#if NUM_VMA_FLAG_BITS > BITS_PER_LONG`: the same test, spelt right; its negation is an
    inverted guard."""
    p = march.patch("v2", 6)
    assert march.at(march.run("inverted-guard", [p]), VMA_C, 8) == []
    p = _mutate_at(p, VMA_C, 8, "#if !(NUM_VMA_FLAG_BITS > BITS_PER_LONG)")
    [found] = march.at(march.run("inverted-guard", [p]), VMA_C, 8)
    assert found.severity == "error"


def test_new_guard_around_calls_the_file_makes_with_bits():
    """v2 6/25 guards `do_test_and_reset(64); do_test_and_reset(65);` (a test macro the file
    also calls with VMA_READ_BIT) with `#if NUM_VMA_FLAG_BITS > 64`; the hunk before it ends in
    an open comment, so the file's parse does not see the #if."""
    p = march.patch("v2", 6)
    assert march.at(march.run("inverted-guard", [p]), VMA_C, 359) == []
    p = _mutate_at(p, VMA_C, 359, "#if !(NUM_VMA_FLAG_BITS > 64)")
    [found] = march.at(march.run("inverted-guard", [p]), VMA_C, 359)
    assert "bit 64" in found.message


def test_new_guard_hiding_a_helper_from_the_files_that_call_it():
    """v2 23/23 moves map_deny_write_exec() into mm/vma.h under a new `#ifdef CONFIG_MMU`; its
    callers in the patch (mm/mprotect.c, mm/vma.c) are built only with CONFIG_MMU (mm/Makefile,
    the shipped build facts). `#ifndef` would leave them calling an undefined helper."""
    p = march.patch("v2", 23)
    assert march.run("inverted-guard", [p]) == []
    [line] = [ln for ln in p.diff.split("\n") if ln == "+#ifdef CONFIG_MMU"]
    p = march.mutate(p, line[1:], "#ifndef CONFIG_MMU")
    [found] = march.run("inverted-guard", [p])
    assert (found.file, found.line, found.severity) == ("mm/vma.h", 707, "error")
    assert "map_deny_write_exec()" in found.message and "mm/" in found.message
