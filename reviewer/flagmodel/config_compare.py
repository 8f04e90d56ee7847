"""Compare a block in each kernel configuration it is built in (every optional CONFIG_ feature
enabled, then disabled; tools/testing/vma alone): the worst outcome wins, a block guarded off in
a configuration is skipped there."""

from __future__ import annotations

from tree_sitter import Node

from reviewer.flagmodel.c_parse import text_of
from reviewer.flagmodel.equivalence import Outcome, compare
from reviewer.flagmodel.equivalence_side import Verdict
from reviewer.flagmodel.tree_state import (
    Model,
    names_in,
    names_under,
)


def _guarded_off(guards: list[Node], model: Model) -> bool:
    """A guard of the block is false in the model's configuration (so the block is not built
    or not run there): ``#ifdef VM_SAO`` / ``#ifdef CONFIG_X`` with the feature disabled,
    ``if (pgtable_supports_soft_dirty())`` = IS_ENABLED(CONFIG_MEM_SOFT_DIRTY)."""
    from reviewer.flagmodel import interp_expressions as expressions
    from reviewer.flagmodel import interp_values as interp
    from reviewer.flagmodel import registry

    for guard in guards:
        if guard.type == "preproc_ifdef":
            name_node = guard.child_by_field_name("name")
            name = text_of(name_node) if name_node is not None else ""
            negated = text_of(guard.children[0]).strip() == "#ifndef"
            defined = registry.symbol_defined(name, model.features)
            if defined is not None and defined == negated:
                return True
            continue
        if guard.type == "preproc_if":
            continue  # #if expressions: not decided here
        env = interp.Env(model, {}, {}, set(), {})
        try:
            value = expressions.eval_expr(env, guard)
            taken = interp.truth(env, value)
        except interp.Unsupported:
            continue
        if not taken and not env.seen_atoms and not env.seen_subjects:
            return True
    return False


def _config_relevant(old_text: str, new_text: str, guards: list[Node], model: Model) -> bool:
    """The block (or a guard around it) names something whose meaning depends on the
    configuration: a config-gated VM_xxx / VMA_xxx_BIT, IS_ENABLED(), or a name with #ifdef'd
    definitions (VMA_STICKY_FLAGS, pgtable_supports_soft_dirty())."""
    from reviewer.flagmodel import registry
    from reviewer.flagmodel.defs import snapshot

    names = set(names_in(old_text)) | set(names_in(new_text))
    for g in guards:
        names |= names_under(g)
    for name in names:
        if name == "IS_ENABLED" or name.startswith("CONFIG_"):
            return True
        if name.startswith("VM_") and name[3:] in registry.CONFIG_BITS:
            return True
        if name.startswith("VMA_") and name.endswith("_BIT"):
            base = name[4:-4]
            if base in registry.CONFIG_BITS or base in registry.CONFIG_ONLY_BITS:
                return True
        cands = model.defs.get(name) or model.tree_defs.get(name) or snapshot().get(name)
        if cands and any(c.defn.conditions for c in cands):
            return True
    return False


_RANK = {Verdict.SKIP: 0, Verdict.EQUIVALENT: 1, Verdict.UNVERIFIED: 2, Verdict.DIFFERENT: 3}


def compare_configs(path, old_text, new_text, pre, post, old_info, new_info, guards=None):
    """Compare in each configuration the file is built in: the kernel with every optional
    CONFIG_ feature enabled and with them disabled (a VM_xxx that is VM_NONE unless CONFIG_Y
    is a configuration dimension); tools/testing/vma (userland, no CONFIG_ options) in the
    second only. The worst outcome wins; a difference seen only with the features disabled
    says so."""
    if path.startswith("tools/"):
        configs: tuple[str, ...] = ("min",)
    elif _config_relevant(old_text, new_text, guards or [], post):
        configs = ("all", "min")
    else:
        configs = ("all",)
    outcome = None
    blind = False  # the compare in "all" made no lookup whose answer depends on the configuration
    try:
        for features in configs:
            pre.features = post.features = features
            if guards is not None and _guarded_off(guards, post):
                result = Outcome(Verdict.SKIP, "not built in this configuration")
            elif blind:
                # every lookup of the "all" compare answers the same in "min" (Model.config_reads):
                # the same runs again, the same outcome, which cannot replace the one kept
                continue
            else:
                mark = (pre.config_reads, post.config_reads)
                result = compare(old_text, new_text, pre, post, old_info, new_info)
                blind = features == "all" and mark == (pre.config_reads, post.config_reads)
            if outcome is None or _RANK[result.status] > _RANK[outcome.status]:
                if result.status == Verdict.DIFFERENT and features == "min" and len(configs) > 1:
                    result.message += " (only with the optional CONFIG_ features disabled)"
                outcome = result
            if outcome.status == Verdict.DIFFERENT:
                break  # the worst outcome already: no later configuration can replace it
    finally:
        pre.features = post.features = "all"
    return outcome
