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


# Skipping the second configuration when the first one's runs never asked it (Model.config_reads)


def _model_with(text: str) -> Model:
    from reviewer.flagmodel.c_parse import all_definitions, parse
    from reviewer.flagmodel.defs import Sourced

    model = Model("S3")
    for d in all_definitions(parse(text)):
        model.defs.setdefault(d.name, []).append(Sourced(d, "series patch 1", "mm/x.c"))
    return model


def _runs(old: str, new: str, pre: Model, post: Model) -> tuple[str, list[str]]:
    seen: list[str] = []
    real = config_compare.compare

    def compare(old_text, new_text, pre, post, old_info, new_info):
        seen.append(post.features)
        return real(old_text, new_text, pre, post, old_info, new_info)

    config_compare.compare = compare
    try:
        out = config_compare.compare_configs("mm/x.c", old, new, pre, post, SideInfo(), SideInfo())
    finally:
        config_compare.compare = real
    return out.status, seen


# an #ifdef'd definition (so the block is config-relevant by its names) whose both
# configurations pick the same body
NEUTRAL = "#ifdef CONFIG_64BIT\n#define MY_FLAGS (VM_READ | VM_WRITE)\n#endif\n"
# the same, its body naming a config-gated flag (VM_SOFTDIRTY is VM_NONE without the feature)
GATED = "#ifdef CONFIG_64BIT\n#define MY_FLAGS (VM_SOFTDIRTY | VM_WRITE)\n#endif\n"


def test_the_definition_is_conditional_in_the_text():
    from reviewer.flagmodel.c_parse import all_definitions, parse

    (d,) = all_definitions(parse(NEUTRAL))
    assert d.conditions  # otherwise the tests below prove nothing about config relevance


def test_a_block_whose_runs_never_read_the_configuration_is_searched_once():
    old, new = "vm_flags_set(vma, MY_FLAGS);", "vm_flags_set(vma, VM_READ | VM_WRITE);"
    pre, post = _model_with(NEUTRAL), _model_with(NEUTRAL)
    assert config_compare._config_relevant(old, new, [], post)
    assert _runs(old, new, pre, post) == ("equivalent", ["all"])


def test_a_block_reading_a_gated_flag_is_searched_in_both_even_through_the_memos():
    # (the gated flag only through MY_FLAGS: no side names it itself)
    old, new = "vm_flags_set(vma, MY_FLAGS);", "vm_flags_set(vma, MY_FLAGS | VM_WRITE);"
    pre, post = _model_with(GATED), _model_with(GATED)
    assert _runs(old, new, pre, post) == ("equivalent", ["all", "min"])
    # the second time the constant and the calls come from the models' memos: a memo entry
    # whose computation read the configuration still counts as reading it
    assert _runs(old, new, pre, post) == ("equivalent", ["all", "min"])


def test_config_reads_counts_only_answers_that_differ_between_configurations():
    model = Model("S3")
    model.symbol_defined("CONFIG_MMU")  # a base symbol: defined in both
    model.is_enabled("CONFIG_64BIT")
    assert model.config_reads == 0
    model.symbol_defined("CONFIG_MEM_SOFT_DIRTY")
    assert model.config_reads == 1
    model.is_enabled("CONFIG_MEM_SOFT_DIRTY")
    assert model.config_reads == 2
