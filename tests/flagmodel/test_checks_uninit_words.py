"""uninit-words on the real first legacy_to_vma_flags() (fixed in v3)."""

from __future__ import annotations

from tests.flagmodel import march


def test_first_word_only_then_returned():
    found = march.run("uninit-words", [march.patch("v2", 11)])
    assert {(f.file, f.line, f.severity) for f in found} == {
        ("include/linux/mm_types.h", 1094, "error"),
        ("tools/testing/vma/include/dup.h", 828, "error"),
    }


def test_empty_initialiser_is_fine():
    assert march.run("uninit-words", [march.patch("v4", 11)]) == []


def test_clear_all_first_is_fine():
    p = march.mutate(
        march.patch("v2", 11),
        "\tret.__vma_flags[0] = (unsigned long)flags;",
        "\tvma_flags_clear_all(&ret); ret.__vma_flags[0] = (unsigned long)flags;",
    )
    assert [f.file for f in march.run("uninit-words", [p])] == ["tools/testing/vma/include/dup.h"]
