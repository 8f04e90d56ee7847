"""The model sides of one patch: the tree model before it (old side) and after it (new side),
learnt from the definitions the patch shows whole, its renames and its changed signatures."""

from __future__ import annotations

from tree_sitter import Node

from reviewer.flagmodel.c_parse import Definition, definitions, nodes_of, parse, text_of
from reviewer.flagmodel.call_binds import param_binds
from reviewer.flagmodel.interp_params import param_projections
from reviewer.flagmodel.patch_view import PatchView, names_per_line
from reviewer.flagmodel.tree_state import (
    Model,
    Signature,
    max_state,
    renames,
    signatures,
    state_of_names,
)


def pre_series_names(views: list[PatchView]) -> set[str]:
    """Identifiers of the old-side lines of each patch, minus lines naming what earlier
    patches of the series added."""
    names: set[str] = set()
    added: set[str] = set()
    for view in views:
        for f in view.files:
            for line_names in names_per_line(f, view.old_roots[f.path], "old", " -"):
                if not (line_names & added):
                    names |= line_names
        for names_added in view.added_names.values():
            added |= names_added
    return names


def models_for(model: Model, view: PatchView) -> tuple[Model, Model]:
    """Model of the tree before this patch (old side) and after it (new side)."""
    added_names: set[str] = set().union(*view.added_names.values())
    post = model.copy(max_state(model.state, state_of_names(added_names)))
    pre = model.copy()
    old_defs, new_defs = _whole_definitions(view)
    _learn(pre, old_defs)
    _learn(post, new_defs)
    shown_old, shown_new = shown_definitions(view, "old"), shown_definitions(view, "new")
    pre.defs.update(shown_old)
    post.defs.update(shown_new)
    _align_user_functions(pre, shown_old)
    _align_user_functions(post, shown_new)
    renamed = _view_once(view, "renames", lambda: renames(old_defs, new_defs))
    for old_name, new_name in renamed.items():
        post.renamed_from[new_name] = old_name
        if post.helper(new_name) is None and pre.helper(old_name) is not None:
            post.overrides[new_name] = pre.helper(old_name)
        _inherit_renamed(pre, post, old_name, new_name)
    _signature_projections(view, pre, post)
    return pre, post


def _view_once(view: PatchView, key: str, build):
    """A value computed from the view alone, once per view (read only; fix-up compare mode
    checks a view twice, and the old side's definitions are asked for by the engine too)."""
    if key not in view.memo:
        view.memo[key] = build()
    return view.memo[key]


def _whole_definitions(view: PatchView) -> tuple[list[Definition], list[Definition]]:
    """Definitions each side shows whole (old side, new side)."""

    def build() -> tuple[list[Definition], list[Definition]]:
        old_defs = [
            d
            for path, r in view.old_roots.items()
            for d in definitions(r)
            if _whole(d, view.old_numbers[path])
        ]
        new_defs = [
            d
            for path, r in view.new_roots.items()
            for d in definitions(r)
            if _whole(d, view.new_numbers[path])
        ]
        return old_defs, new_defs

    return _view_once(view, "whole", build)


def _inherit_renamed(pre: Model, post: Model, old_name: str, new_name: str) -> None:
    """A pure rename keeps the old name's meaning: when every definition of the new name the
    patch shows whole is, but for the name, one the old side shows, the new name gets all the
    old name's definitions (its #ifdef twins the hunks cut too: patch 7/13 of the June 2026
    series shows only the !CONFIG_MMU stub of vma_flags_to_page_prot() whole)."""
    from reviewer.flagmodel.c_parse import Definition
    from reviewer.flagmodel.defs import Sourced, pick, snapshot

    shown_new = post.defs.get(new_name) or []
    shown_old = {_body(s.defn, old_name) for s in pre.defs.get(old_name) or []}
    if not shown_new or any(_body(s.defn, new_name) not in shown_old for s in shown_new):
        return
    olds = pre.tree_defs.get(old_name) or snapshot().get(old_name) or pre.defs.get(old_name)
    if not olds:
        return
    post.defs[new_name] = [
        Sourced(
            Definition(new_name, d.kind, d.text, d.params, d.node, d.start_line, d.conditions),
            f"{s.origin} (renamed {old_name} -> {new_name})",
            s.file,
        )
        for s in olds
        for d in [s.defn]
    ]
    if new_name in post.user_functions:
        chosen = pick(post.defs[new_name], "all").defn
        if chosen.kind == "function":
            post.user_functions[new_name] = chosen


def _align_user_functions(model: Model, shown: dict) -> None:
    """A series function is read as the definition lookup picks among the twins this patch
    side shows (file order of #ifdef twins, the fuller source's twins when the hunks cut some),
    not as the first twin one joined parse of the hunks happened to keep whole."""
    from reviewer.flagmodel.defs import _norm, complete, pick, snapshot

    for name, learnt in list(model.user_functions.items()):
        cands = shown.get(name)
        if not cands or _norm(learnt) not in {_norm(c.defn) for c in cands}:
            continue  # only the twins this side of this patch shows
        cands = complete(cands, model.tree_defs.get(name) or snapshot().get(name))
        chosen = pick(cands, "all").defn
        if chosen.kind == "function":
            model.user_functions[name] = chosen


def _body(defn, name: str) -> str:
    return " ".join(defn.text.replace(name, "@").split())


def shown_definitions(view: PatchView, side: str) -> dict:
    """Every definition (function, function-like macro, #define) shown whole on one side of a
    patch, with its provenance (once per view and side: read only)."""
    return _view_once(view, f"shown {side}", lambda: _shown_definitions(view, side))


def _shown_definitions(view: PatchView, side: str) -> dict:
    from reviewer.flagmodel.c_parse import all_definitions
    from reviewer.flagmodel.defs import side_definitions

    roots = view.old_roots if side == "old" else view.new_roots
    numbers = view.old_numbers if side == "old" else view.new_numbers
    tag = "pre" if side == "old" else "post"
    origin = f"series patch {view.index} {tag}-image"
    found = [
        (d, origin, path)
        for path, root in roots.items()
        for d in all_definitions(root)
        if _whole(d, numbers[path]) and not d.node.has_error
    ]
    where = {id(d): numbers[path][d.start_line] for d, _, path in found}
    # A definition the side's joined text glues to an unfinished one at the end of the
    # previous hunk (a helper the hunk cuts short) is read from its own hunk.
    seen = {(path, d.name) for d, _, path in found}
    keep = " -" if side == "old" else " +"
    for f in view.files:
        if f.path not in roots or not roots[f.path].has_error:
            continue  # the joined text parses cleanly: nothing is glued
        for hunk in f.hunks:
            root = parse("\n".join(ln.text for ln in hunk.lines if ln.tag in keep))
            start = hunk.old_start if side == "old" else hunk.new_start
            for d in all_definitions(root):
                if (f.path, d.name) not in seen and not d.node.has_error:
                    seen.add((f.path, d.name))
                    found.append((d, origin, f.path))
                    where[id(d)] = start + d.start_line
    # file order, so #ifdef twins keep theirs (the enabled body first, then the stub)
    found.sort(key=lambda item: (item[2], where.get(id(item[0]), 0)))
    return side_definitions(found)


def _whole(defn: Definition, numbers: list[int]) -> bool:
    """The definition lies inside one hunk (no lines of it hidden between hunks)."""
    rows = numbers[defn.start_line : defn.node.end_point[0] + 1]
    return bool(rows) and all(b == a + 1 for a, b in zip(rows, rows[1:], strict=False))


def _learn(model: Model, defs: list[Definition]) -> None:
    seen: set[str] = set()
    for d in defs:
        if d.name in seen or d.node.has_error:
            continue  # keep the first (config-enabled) of #ifdef twins
        seen.add(d.name)
        if model.helper(d.name) is not None:
            continue  # registry semantics win; the harness checks the definition itself
        # Anything else the series defines is interpreted from its definition when called
        # (model.defs); a function reading flags is also kept for the twin/param checks.
        if d.kind == "function" and _reads_flags(d.node):
            model.user_functions[d.name] = d


def _reads_flags(node: Node) -> bool:
    return any(
        t.startswith(("VM_", "VMA_")) or t in ("vm_flags", "vma_flags", "flags")
        for t in (text_of(n) for n in nodes_of(node, "identifier", "field_identifier"))
    )


def _signature_projections(view: PatchView, pre: Model, post: Model) -> None:
    binds, projections = _view_once(view, "signatures", lambda: _view_signatures(view))
    post.param_binds = binds
    for key, old_proj, new_proj, use_name, use in projections:
        if old_proj is not None:
            pre.projections[key] = old_proj
        if new_proj is not None:
            post.projections[key] = new_proj
        if use is not None:
            post.param_meaning[use_name] = use


def _view_signatures(view: PatchView) -> tuple[dict, list[tuple]]:
    """The view's changed prototypes: the parameter bindings of its calls (call_binds) and,
    in order, each changed parameter's (key, old projection, new projection, new parameter
    name, the old parameter's use)."""
    old_sigs: dict[str, Signature] = {}
    new_sigs: dict[str, Signature] = {}
    for root in view.old_roots.values():
        old_sigs.update(signatures(root))
    for root in view.new_roots.values():
        new_sigs.update(signatures(root))
    old_roots = list(view.old_roots.values())
    binds = param_binds(old_sigs, new_sigs, old_roots, list(view.new_roots.values()))
    projections = []
    for name, old_sig in old_sigs.items():
        new_sig = new_sigs.get(name)
        if new_sig is None:
            continue
        for key, (old_proj, new_proj) in param_projections(
            name, old_sig, new_sig, old_roots
        ).items():
            use = getattr(old_proj, "use", None)
            use_name = new_sig.params[key[1]][1] if use is not None else ""
            projections.append((key, old_proj, new_proj, use_name, use))
    return binds, projections
