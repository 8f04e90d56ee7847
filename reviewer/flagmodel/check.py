"""Check a revision's patches against the VMA flag model: the engine behind ``reviewer check``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tree_sitter import Node

from reviewer.flagmodel.c_parse import Definition, definitions, nodes_of, parse, text_of
from reviewer.flagmodel.equivalence import SideInfo, compare, flag_related
from reviewer.flagmodel.findings import CheckReport, Finding
from reviewer.flagmodel.hunk_pairs import FileDiff, change_blocks, parse_diff
from reviewer.flagmodel.tree_state import (
    Model,
    Signature,
    detect_base_state,
    is_helper_name,
    max_state,
    names_by_row,
    names_in,
    param_projections,
    renames,
    signatures,
    state_of_names,
)
from reviewer.models import Patch


@dataclass
class PatchView:
    """One patch's files with both sides parsed once."""

    index: int
    files: list[FileDiff]
    old_roots: dict[str, Node]
    new_roots: dict[str, Node]
    old_texts: dict[str, str]
    new_texts: dict[str, str]
    old_numbers: dict[str, list[int]]
    new_numbers: dict[str, list[int]]
    added_names: dict[str, frozenset[str]]  # identifiers on each file's added lines


def view_of(patch: Patch) -> PatchView:
    files = parse_diff(patch.diff)
    old_roots, new_roots, old_texts, new_texts, old_nums, new_nums = {}, {}, {}, {}, {}, {}
    added: dict[str, frozenset[str]] = {}
    for f in files:
        old_texts[f.path], old_nums[f.path] = f.side_text("old")
        new_texts[f.path], new_nums[f.path] = f.side_text("new")
        old_roots[f.path] = parse(old_texts[f.path])
        new_roots[f.path] = parse(new_texts[f.path])
        added[f.path] = _names_on_lines(f, new_roots[f.path], "new", "+")
    return PatchView(
        patch.index, files, old_roots, new_roots, old_texts, new_texts, old_nums, new_nums, added
    )


def _names_on_lines(f: FileDiff, root: Node, side: str, tags: str) -> frozenset[str]:
    """Identifiers on the lines with one of `tags`, read from the side's single parse."""
    return frozenset().union(*_names_per_line(f, root, side, tags))


def _names_per_line(f: FileDiff, root: Node, side: str, tags: str) -> list[frozenset[str]]:
    by_row = names_by_row(root)
    keep = " -" if side == "old" else " +"
    out: list[frozenset[str]] = []
    row = 0
    for hunk in f.hunks:
        for ln in hunk.lines:
            if ln.tag not in keep:
                continue
            if ln.tag in tags:
                out.append(by_row.get(row, frozenset()))
            row += 1
        row += 1  # the blank line side_text puts after each hunk
    return out


def enclosing_function(root: Node, numbers: list[int], line: int) -> str:
    """Name of the function definition around a real line number of one side."""
    try:
        row = numbers.index(line)
    except ValueError:
        return ""
    node = root.descendant_for_point_range((row, 0), (row, 0))
    while node is not None:
        if node.type == "function_definition":
            decl = node.child_by_field_name("declarator")
            while decl is not None and decl.type != "function_declarator":
                decl = decl.child_by_field_name("declarator")
            name = decl.child_by_field_name("declarator") if decl is not None else None
            return text_of(name) if name is not None else ""
        node = node.parent
    return ""


def clear_memos() -> None:
    """Forget the per-content parse and index memos (benchmarks; long-running processes)."""
    from reviewer.flagmodel import c_parse, hunk_pairs, tree_state

    for memo in (
        c_parse.parse,
        c_parse.nodes_by_type,
        tree_state.names_in,
        tree_state.names_under,
        tree_state.names_by_row,
        tree_state.signatures,
        hunk_pairs._depths,
    ):
        memo.cache_clear()


def check_revision(
    patches: list[Patch], repo: Path | None = None, helpers: bool = True
) -> CheckReport:
    from reviewer.flagmodel import checks, helper_harness

    report = CheckReport()
    views = [view_of(p) for p in patches]
    base, source = detect_base_state(_pre_series_names(views), repo)
    report.tree_state, report.state_source = base, source
    model = Model(base)
    for view in views:
        pre, post = models_for(model, view)
        check_conversions(view, pre, post, report)
        model = post.copy()
    report.final_state = model.state
    checks.run_all(views, report, repo)
    if helpers:
        helper_harness.check_helpers(views, report, repo)
    return report


def _pre_series_names(views: list[PatchView]) -> set[str]:
    """Identifiers of the old-side lines of each patch, minus lines naming what earlier
    patches of the series added."""
    names: set[str] = set()
    added: set[str] = set()
    for view in views:
        for f in view.files:
            for line_names in _names_per_line(f, view.old_roots[f.path], "old", " -"):
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
    _learn(pre, old_defs)
    _learn(post, new_defs)
    for old_name, new_name in renames(old_defs, new_defs).items():
        post.renamed_from[new_name] = old_name
        if post.helper(new_name) is None and pre.helper(old_name) is not None:
            post.overrides[new_name] = pre.helper(old_name)
    _signature_projections(view, pre, post, old_defs)
    return pre, post


def _whole(defn: Definition, numbers: list[int]) -> bool:
    """The definition lies inside one hunk (no lines of it hidden between hunks)."""
    rows = numbers[defn.start_line : defn.node.end_point[0] + 1]
    return bool(rows) and all(b == a + 1 for a, b in zip(rows, rows[1:], strict=False))


def _learn(model: Model, defs: list[Definition]) -> None:
    from reviewer.flagmodel.tree_state import classify

    seen: set[str] = set()
    for d in defs:
        if d.name in seen or d.node.has_error:
            continue  # keep the first (config-enabled) of #ifdef twins
        seen.add(d.name)
        if model.helper(d.name) is not None:
            continue  # registry semantics win; the harness checks the definition itself
        if is_helper_name(d.name):
            learned = classify(d, model)
            if learned is not None:
                model.overrides[d.name] = learned
                continue
        if d.kind == "function" and _reads_flags(d.node):
            model.user_functions[d.name] = d


def _reads_flags(node: Node) -> bool:
    return any(
        t.startswith(("VM_", "VMA_")) or t in ("vm_flags", "vma_flags", "flags")
        for t in (text_of(n) for n in nodes_of(node, "identifier", "field_identifier"))
    )


def _signature_projections(
    view: PatchView, pre: Model, post: Model, old_defs: list[Definition]
) -> None:
    old_sigs: dict[str, Signature] = {}
    new_sigs: dict[str, Signature] = {}
    for root in view.old_roots.values():
        old_sigs.update(signatures(root))
    for root in view.new_roots.values():
        new_sigs.update(signatures(root))
    old_roots = list(view.old_roots.values())
    for name, old_sig in old_sigs.items():
        new_sig = new_sigs.get(name)
        if new_sig is None:
            continue
        for key, (old_proj, new_proj) in param_projections(
            name, old_sig, new_sig, old_roots
        ).items():
            if old_proj is not None:
                pre.projections[key] = old_proj
            if new_proj is not None:
                post.projections[key] = new_proj
            use = getattr(old_proj, "use", None)
            if use is not None:
                post.param_meaning[new_sig.params[key[1]][1]] = use


# ---------------------------------------------------------------------------------------------
# conversions
# ---------------------------------------------------------------------------------------------


def side_info(root: Node) -> SideInfo:
    info = SideInfo(flag_names={"vm_flags", "vma_flags"})
    for node in nodes_of(root, "parameter_declaration", "declaration", "field_declaration"):
        type_node = node.child_by_field_name("type")
        type_text = text_of(type_node) if type_node is not None else ""
        strong = type_text in ("vm_flags_t", "vma_flags_t")
        for decl in node.children_by_field_name("declarator"):
            name, value = _declared(decl)
            if not name:
                continue
            if strong:
                info.flag_names.add(name)
                if value is not None:
                    info.inits[name] = value
            elif value is not None and node.type == "declaration" and _is_const(node):
                info.consts.setdefault(name, value)
    return info


def _declared(decl: Node) -> tuple[str, Node | None]:
    value = None
    if decl.type == "init_declarator":
        value = decl.child_by_field_name("value")
        decl = decl.child_by_field_name("declarator")
    while decl is not None and decl.type != "identifier":
        decl = decl.child_by_field_name("declarator")
    return (text_of(decl) if decl is not None else ""), value


def _is_const(node: Node) -> bool:
    return any(c.type == "type_qualifier" and text_of(c) == "const" for c in node.children)


def check_conversions(view: PatchView, pre: Model, post: Model, report: CheckReport) -> None:
    for f in view.files:
        if f.old_path == "/dev/null" or f.new_path == "/dev/null":
            continue
        old_info = side_info(view.old_roots[f.path])
        new_info = side_info(view.new_roots[f.path])
        new_info.consts.update(post.param_meaning)
        for block in change_blocks(f):
            old_text, new_text = block.side("old"), block.side("new")
            if not old_text.strip() or not new_text.strip():
                continue
            func = enclosing_function(view.new_roots[f.path], view.new_numbers[f.path], block.line)
            if func and (is_helper_name(func) or post.helper(func) is not None):
                continue  # helper bodies are checked by the harness
            old_rel = flag_related(old_text, names_in(old_text), old_info, pre)
            new_rel = flag_related(new_text, names_in(new_text), new_info, post)
            if not (old_rel or new_rel):
                continue
            _check_block(
                view.index, f.path, block, old_text, new_text, pre, post, old_info, new_info, report
            )


def _check_block(
    index: int,
    path: str,
    block,
    old_text: str,
    new_text: str,
    pre: Model,
    post: Model,
    old_info: SideInfo,
    new_info: SideInfo,
    report: CheckReport,
) -> None:
    line = block.line
    outcome = compare(old_text, new_text, pre, post, old_info, new_info)
    for issue in outcome.issues:
        report.add(Finding("error", "type", index, path, line, issue.message))
    if outcome.status == "skip":
        return
    if outcome.status == "unverified":
        report.unverified += 1
        report.add(
            Finding(
                "info",
                "unverified",
                index,
                path,
                line,
                f"conversion not verified: {outcome.message}",
                _snippet(old_text, new_text),
            )
        )
        return
    if outcome.lock_change:
        report.add(Finding("info", "locking", index, path, line, outcome.lock_change))
    if outcome.status == "different" and outcome.overwrite:
        # Same result whenever the target starts as a copy of the source and nothing clears a
        # flag in the source, a caller invariant the patch text cannot show: a behaviour change
        # to review, not a proven mistranslation.
        report.add(
            Finding(
                "warning",
                "behaviour-change",
                index,
                path,
                line,
                f"{outcome.message}; equivalent only if it starts as a copy of the target's "
                "flags and nothing clears a flag in it",
                outcome.counterexample,
            )
        )
        report.verified += 1
        return
    if outcome.status == "different":
        report.add(
            Finding(
                "error",
                "equivalence",
                index,
                path,
                line,
                f"converted code is not equivalent to the code it replaces: {outcome.message}",
                outcome.counterexample,
            )
        )
        report.verified += 1
        return
    report.verified += 1
    report.verified_lines |= {(index, "+" + ln.text) for ln in block.changed("+")}
    if outcome.error_path_only:
        report.add(
            Finding(
                "warning",
                "equivalence",
                index,
                path,
                line,
                "equivalent except on an error-return path (fine only if the "
                "modified object is discarded on error)",
                outcome.counterexample,
            )
        )
    for note in outcome.notes:
        report.notes.append(f"patch {index} {path}:{line}: {note}")


def _snippet(old_text: str, new_text: str) -> str:
    def squash(t: str) -> str:
        return " ".join(t.split())[:160]

    return f"old: {squash(old_text)} | new: {squash(new_text)}"


__all__ = ["check_revision", "CheckReport", "Finding"]
