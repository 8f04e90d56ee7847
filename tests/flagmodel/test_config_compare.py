"""compare_configs (reviewer/flagmodel/config_compare.py): each configuration a block is built
in, the worst outcome winning."""

from __future__ import annotations

from reviewer.flagmodel import config_compare
from reviewer.flagmodel.equivalence import SideInfo
from reviewer.flagmodel.tree_state import Model

# a config-gated flag (VM_SOFTDIRTY is VM_NONE without CONFIG_MEM_SOFT_DIRTY) set where the
# new side sets another one: different with the optional features enabled already
OLD = "vm_flags_set(vma, VM_SOFTDIRTY);"


def _configs_run(monkeypatch, new: str) -> tuple[str, list[str]]:
    seen: list[str] = []
    real = config_compare.compare

    def compare(old_text, new_text, pre, post, old_info, new_info):
        seen.append(post.features)
        return real(old_text, new_text, pre, post, old_info, new_info)

    monkeypatch.setattr(config_compare, "compare", compare)
    out = config_compare.compare_configs(
        "mm/x.c", OLD, new, Model("S3"), Model("S3"), SideInfo(), SideInfo()
    )
    return out.status, seen


def test_a_difference_with_the_features_enabled_is_not_searched_again_without_them(
    monkeypatch,
):
    status, seen = _configs_run(monkeypatch, "vma_set_flags(vma, VMA_WRITE_BIT);")
    assert (status, seen) == ("different", ["all"])


def test_a_block_equivalent_with_the_features_enabled_is_compared_without_them(monkeypatch):
    # the unconditional VMA_SOFTDIRTY_BIT: the same flag only while CONFIG_MEM_SOFT_DIRTY is on
    status, seen = _configs_run(monkeypatch, "vma_set_flags(vma, VMA_SOFTDIRTY_BIT);")
    assert (status, seen) == ("different", ["all", "min"])
