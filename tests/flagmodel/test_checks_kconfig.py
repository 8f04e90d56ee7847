"""kconfig: typos of CONFIG_ symbols, without a tree and with one (read through git)."""

from __future__ import annotations

from tests.flagmodel import march

ARM64 = "arch/arm64/include/asm/page.h"


def _typo():
    return march.mutate(march.patch("v4", 17), "#ifdef CONFIG_ARM64_MTE", "#ifdef CONFIG_ARM64_MET")


def test_real_series_symbols_are_known():
    for rev in ("v1", "v2", "v4"):
        assert march.run("kconfig", march.revision(rev)) == []


def test_near_miss_without_tree_is_a_warning():
    [found] = march.run("kconfig", [_typo()])
    assert (found.file, found.severity) == (ARM64, "warning")
    assert "CONFIG_ARM64_MTE" in found.message


def test_unknown_symbol_with_tree_is_an_error(tmp_path):
    repo = march.git_tree(
        tmp_path, {"arch/arm64/Kconfig": "config ARM64\n\tdef_bool y\nconfig ARM64_MTE\n\tbool\n"}
    )
    [found] = [f for f in march.run("kconfig", [_typo()], repo) if f.file == ARM64]
    assert found.severity == "error" and "did you mean CONFIG_ARM64_MTE" in found.message
    assert [f for f in march.run("kconfig", [march.patch("v4", 17)], repo) if f.file == ARM64] == []


def test_tools_copy_checked_too():
    p = march.rewrite_context(
        march.patch("v4", 21),
        "#if defined(CONFIG_X86_USER_SHADOW_STACK) || defined(CONFIG_ARM64_GCS)",
        "#if defined(CONFIG_X86_USER_SHADOW_STACK) || defined(CONFIG_ARM64_GSC)",
    )
    found = march.run("kconfig", [p])
    assert [(f.file, f.severity) for f in found] == [("tools/testing/vma/include/dup.h", "warning")]


def test_new_symbol_far_from_any_known_is_not_guessed():
    p = march.mutate(
        march.patch("v4", 17), "#ifdef CONFIG_ARM64_MTE", "#ifdef CONFIG_SOMETHING_NEW"
    )
    assert march.run("kconfig", [p]) == []


def test_tree_is_read_at_head_not_from_the_working_tree(tmp_path):
    repo = march.git_tree(tmp_path, {"arch/arm64/Kconfig": "config ARM64_MTE\n\tbool\n"})
    (repo / "arch" / "Kconfig.extra").write_text("config ARM64_MET\n\tbool\n")  # uncommitted
    found = [f for f in march.run("kconfig", [_typo()], repo) if f.file == ARM64]
    assert [f.severity for f in found] == ["error"]
