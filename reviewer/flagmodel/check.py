"""Check a revision's patches against the VMA flag model: the engine behind ``reviewer check``."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from tree_sitter import Node

from reviewer.flagmodel.c_parse import Definition, definitions, nodes_of, parse, text_of
from reviewer.flagmodel.equivalence import Outcome, SideInfo, compare, flag_related
from reviewer.flagmodel.equivalence_macros import body_names
from reviewer.flagmodel.findings import UNVERIFIED, CheckReport, Finding, Severity
from reviewer.flagmodel.hunk_pairs import FileDiff, change_blocks
from reviewer.flagmodel.interp_params import param_projections
from reviewer.flagmodel.patch_view import PatchView, names_per_line, view_of
from reviewer.flagmodel.tree_state import (
    Model,
    Signature,
    detect_base_state,
    is_helper_name,
    max_state,
    names_in,
    names_under,
    renames,
    signatures,
    state_of_names,
)
from reviewer.models import Patch


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
        c_parse.text_of,
        c_parse.all_definitions,
        c_parse.nodes_by_type,
        tree_state.names_in,
        tree_state.names_under,
        tree_state.names_by_row,
        tree_state.signatures,
        hunk_pairs._depths,
        _shared_side_info,
    ):
        memo.cache_clear()


def check_revision(
    patches: list[Patch],
    repo: Path | None = None,
    helpers: bool = True,
    focus: set[int] | None = None,
) -> CheckReport:
    """Check a revision. With `focus` (patch indexes), only those patches are checked; the
    others (the series before them) only teach the model their definitions, as when the
    series is checked whole."""
    from reviewer.flagmodel import checks, helper_harness

    report = CheckReport()
    all_views = [view_of(p) for p in patches]
    views = [v for v in all_views if focus is None or v.index in focus]
    checked = {id(v) for v in views}
    base, source = detect_base_state(_pre_series_names(all_views), repo)
    report.tree_state, report.state_source = base, source
    model = Model(base)
    for view in all_views:
        for name, cands in _shown_definitions(view, "old").items():
            model.context_defs.setdefault(name, cands)
    if repo is not None:
        from reviewer.flagmodel.defs import from_tree

        model.tree_defs = from_tree(str(repo))
    for view in all_views:
        try:
            pre, post = models_for(model, view)
        except Exception as exc:  # noqa: BLE001 - keep checking with the model so far
            if id(view) in checked:
                _undecided(report, view.index, "", 0, exc)
            pre, post = model.copy(), model.copy()
        if id(view) in checked:
            _guarded(
                report, view.index, "conversions", check_conversions, view, pre, post, report
            )
        model = post.copy()
    report.final_state = model.state
    checks.run_all(views, report, repo)  # each check guarded on its own
    if helpers:
        _guarded(report, 0, "helper harness", helper_harness.check_helpers, views, report, repo)
    return report


def _guarded(report: CheckReport, index: int, label: str, step, *args) -> None:
    """Run one step of the check; a failure becomes an unverified finding naming the step."""
    try:
        step(*args)
    except Exception as exc:  # noqa: BLE001 - one step never loses the report
        _undecided(report, index, "", 0, RuntimeError(f"{label}: {exc!r}"))


def _pre_series_names(views: list[PatchView]) -> set[str]:
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
    pre.defs.update(_shown_definitions(view, "old"))
    post.defs.update(_shown_definitions(view, "new"))
    for old_name, new_name in renames(old_defs, new_defs).items():
        post.renamed_from[new_name] = old_name
        if post.helper(new_name) is None and pre.helper(old_name) is not None:
            post.overrides[new_name] = pre.helper(old_name)
    _signature_projections(view, pre, post, old_defs)
    return pre, post


def _shown_definitions(view: PatchView, side: str) -> dict:
    """Every definition (function, function-like macro, #define) shown whole on one side of a
    patch, with its provenance."""
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
    # A definition the side's joined text glues to an unfinished one at the end of the
    # previous hunk (a helper the hunk cuts short) is read from its own hunk.
    seen = {(path, d.name) for d, _, path in found}
    keep = " -" if side == "old" else " +"
    for f in view.files:
        if f.path not in roots or not roots[f.path].has_error:
            continue  # the joined text parses cleanly: nothing is glued
        for hunk in f.hunks:
            root = parse("\n".join(ln.text for ln in hunk.lines if ln.tag in keep))
            for d in all_definitions(root):
                if (f.path, d.name) not in seen and not d.node.has_error:
                    seen.add((f.path, d.name))
                    found.append((d, origin, f.path))
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
        if node.type == "parameter_declaration":
            for decl in node.children_by_field_name("declarator"):
                name, _value = _declared(decl)
                if name:
                    info.params.add(name)
                    if type_text == "vma_flag_t" and decl.type == "identifier":
                        info.bit_params.add(name)  # a bit number the caller chooses
        if strong:
            for decl in node.children_by_field_name("declarator"):
                inner = (
                    decl.child_by_field_name("declarator")
                    if decl.type == "init_declarator"
                    else decl
                )
                if inner is not None and inner.type == "pointer_declarator":
                    name, _value = _declared(decl)
                    info.pointer_names.add(name)
        if "vm_area_struct" in type_text or "vm_area_desc" in type_text:
            for decl in node.children_by_field_name("declarator"):
                name, _value = _declared(decl)
                if name:
                    info.vma_names.add(name)
        for decl in node.children_by_field_name("declarator"):
            name, value = _declared(decl)
            if not name:
                continue
            if strong:
                info.flag_names.add(name)
                info.decl_rows.setdefault(name, []).append((node.start_point[0], value))
                if value is not None:
                    info.inits[name] = value
            elif value is not None and node.type == "declaration" and _is_const(node):
                info.consts.setdefault(name, value)
    return info


def _enclosing_node(root: Node, numbers: list[int], line: int) -> Node | None:
    try:
        row = numbers.index(line)
    except ValueError:
        return None
    node = root.descendant_for_point_range((row, 0), (row, 0))
    while node is not None and node.type != "function_definition":
        node = node.parent
    return node


@lru_cache(maxsize=1024)
def _shared_side_info(root: Node) -> SideInfo:
    """side_info() of one parse, shared by the blocks of a hunk: read only."""
    return side_info(root)


def _hunk_inits(info: SideInfo, numbers: list[int], line: int) -> dict[str, Node]:
    """When the function around a block cannot be parsed: for each flags name, its nearest
    declaration above the block (a parameter or a declaration without a value hides an
    earlier function's initialiser)."""
    try:
        row = numbers.index(line)
    except ValueError:
        return {}
    return _initialisers_above(info, row)


def _same_function(fn: Node, numbers: list[int], line: int, section: str) -> bool:
    """The parsed function around a block is the one git names for the block's hunk (or the
    function starts in the same run of lines as the block): hunks of several functions joined
    can glue one function's body to another's declarations."""
    decl = fn.child_by_field_name("declarator")
    while decl is not None and decl.type != "function_declarator":
        decl = decl.child_by_field_name("declarator")
    name_node = decl.child_by_field_name("declarator") if decl is not None else None
    name = text_of(name_node) if name_node is not None else ""
    if name and f"{name}(" in section:
        return True
    try:
        row = numbers.index(line)
    except ValueError:
        return False
    rows = numbers[fn.start_point[0] : row + 1]
    return bool(rows) and all(b == a + 1 for a, b in zip(rows, rows[1:], strict=False))


def block_info(
    file_info: SideInfo, root: Node, numbers: list[int], line: int, section: str | None = None
) -> SideInfo:
    """What one side says about the names of a block: the file's flag names, plus the
    declarations and initialisers of the enclosing function (data flow across the changed
    function: a local's visible initialiser gives its value)."""
    fn = _enclosing_node(root, numbers, line)
    if fn is None:  # no function around the block is visible: initialisers of its hunk
        return replace(file_info, inits=_hunk_inits(file_info, numbers, line), elsewhere=set())
    inner = side_info(fn)
    if section is not None and not _same_function(fn, numbers, line, section):
        # a body glued to another hunk's function: the file's nearest declarations
        inner.inits = _hunk_inits(file_info, numbers, line)
    else:
        inner.inits = _hunk_inits(inner, numbers, line)
    return SideInfo(
        flag_names=file_info.flag_names | inner.flag_names,
        consts={**file_info.consts, **inner.consts},
        inits=inner.inits,
        vma_names=file_info.vma_names | inner.vma_names,
        pointer_names=inner.pointer_names,
        params=inner.params,
        bit_params=inner.bit_params,
    )


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
        # tools/testing/vma builds with -DNUM_VMA_FLAG_BITS=128; the kernel with BITS_PER_LONG
        bits = 128 if f.path.startswith("tools/testing/vma/") else 64
        pre.num_bits = post.num_bits = bits
        pre.tools = post.tools = f.path.startswith("tools/")
        blocks = change_blocks(f)
        region = _changed_names_by_function(view, f, blocks)
        for block in blocks:
            old_text, new_text = block.side("old"), block.side("new")
            if not old_text.strip() or not new_text.strip():
                continue
            func = enclosing_function(view.new_roots[f.path], view.new_numbers[f.path], block.line)
            if func and (is_helper_name(func) or post.helper(func) is not None):
                continue  # helper bodies are checked by the harness
            old_func = enclosing_function(
                view.old_roots[f.path], view.old_numbers[f.path], block.old_line
            )
            if func and old_func and func != old_func and post.renamed_from.get(func) != old_func:
                continue  # git aligned the body of another function: new code, not a conversion
            old_names = set(names_in(old_text)) | body_names(old_text)
            new_names = set(names_in(new_text)) | body_names(new_text)
            old_rel = flag_related(old_text, old_names, old_info, pre)
            new_rel = flag_related(new_text, new_names, new_info, post)
            if not (old_rel or new_rel):
                continue
            block.guards = block_guards(
                view.new_roots[f.path], view.new_texts[f.path], view.new_numbers[f.path], block.line
            )
            old_block_info = block_info(
                old_info,
                view.old_roots[f.path],
                view.old_numbers[f.path],
                block.old_line,
                block.hunk.section,
            )
            new_block_info = block_info(
                new_info,
                view.new_roots[f.path],
                view.new_numbers[f.path],
                block.line,
                block.hunk.section,
            )
            # the block's own hunk parsed alone: its declarations above the block win (text of
            # several hunks parsed together can glue a function to the previous one)
            old_block_info.inits.update(_own_hunk_inits(block, "old"))
            new_block_info.inits.update(_own_hunk_inits(block, "new"))
            # names the other changed blocks of the same function also touch: their final
            # values are decided by the region, not by this block alone
            new_block_info.elsewhere = set().union(
                *(
                    names
                    for other, names in region.get(_function_of(view, f, block), [])
                    if other is not block and other.line > block.line  # completes it later
                )
            )
            old_text, new_text = trim_fragment(old_text, new_text)
            try:
                _check_block(
                    view.index,
                    f.path,
                    block,
                    old_text,
                    new_text,
                    pre,
                    post,
                    old_block_info,
                    new_block_info,
                    report,
                )
            except Exception as exc:  # noqa: BLE001 - one block never loses the report
                _undecided(report, view.index, f.path, block.line, exc, old_text, new_text)


def trim_fragment(old_text: str, new_text: str) -> tuple[str, str]:
    """Both sides of a block without the context they share that closes or continues an
    enclosing construct the block does not show: a leading ``}`` / ``} else`` / ``else`` of an
    earlier branch (the block then runs as its own ``if``; the earlier conditions are the same
    unchanged context on both sides), a trailing ``}`` / ``};`` that closes more than the block
    opens (the end of an initialiser or body), and the ``\\`` line splices of a macro body
    whose ``#define`` line is not in the block. Anything else is left alone."""
    old, new = old_text.split("\n"), new_text.split("\n")
    body = [ln for ln in old[:-1] + new[:-1] if ln.strip()]
    if (
        body
        and all(ln.rstrip().endswith("\\") for ln in body)
        and not any(ln.lstrip().startswith("#") for ln in old + new)
    ):  # lines of a macro body (its #define line not in the block)
        old = [ln.rstrip().removesuffix("\\") for ln in old]
        new = [ln.rstrip().removesuffix("\\") for ln in new]
    while old and new:
        o_head, n_head = old[0].strip(), new[0].strip()
        if o_head == n_head == "}":
            old, new = old[1:], new[1:]
            continue
        for prefix in ("} else if", "else if"):
            if o_head.startswith(prefix) and n_head.startswith(prefix):
                cut = len(prefix) - 2
                old = [o_head[cut:]] + old[1:]
                new = [n_head[cut:]] + new[1:]
                break
        else:
            break
    while (
        old
        and new
        and old[-1].strip() == new[-1].strip()
        and old[-1].strip() in ("}", "};", "},")
        and _depth(old) < 0
        and _depth(new) < 0
    ):
        old, new = old[:-1], new[:-1]
    return "\n".join(old), "\n".join(new)


def _depth(lines: list[str]) -> int:
    from reviewer.flagmodel.c_parse import strip_comments

    code = strip_comments("\n".join(lines))
    return code.count("{") - code.count("}")


def _own_hunk_inits(block, side: str) -> dict[str, Node]:
    keep = " -" if side == "old" else " +"
    lines = [ln for ln in block.hunk.lines if ln.tag in keep]
    first = block.hunk.lines[block.start]
    rows = [i for i, ln in enumerate(lines) if ln is first]
    if not rows:
        before = [ln for ln in block.hunk.lines[: block.start] if ln.tag in keep]
        row = len(before)
    else:
        row = rows[0]
    root = parse("\n".join(ln.text for ln in lines))
    return _initialisers_above(_shared_side_info(root), row)


def _function_of(view: PatchView, f: FileDiff, block) -> str:
    """The function a block is in: from the parse, else the one git names in the hunk header."""
    func = enclosing_function(view.new_roots[f.path], view.new_numbers[f.path], block.line)
    if func:
        return func
    root = parse(block.hunk.section.strip() + ";")
    for decl in nodes_of(root, "function_declarator"):
        name = decl.child_by_field_name("declarator")
        if name is not None and name.type == "identifier":
            return text_of(name)
    return ""


def _changed_names_by_function(view: PatchView, f: FileDiff, blocks) -> dict[str, list]:
    """function name -> [(block, identifiers on its changed lines)] of one file."""
    out: dict[str, list] = {}
    for block in blocks:
        func = _function_of(view, f, block)
        if not func:
            continue
        # what the block writes on one side only: a computation moved between blocks
        # (written on both sides it is a parallel conversion, decided block by block)
        new_w, old_w = _written_names(block.side("new")), _written_names(block.side("old"))
        moved = {_canon_name(n) for n in new_w} ^ {_canon_name(n) for n in old_w}
        names = {n for n in new_w | old_w if _canon_name(n) in moved}
        out.setdefault(func, []).append((block, names))
    return out


def _canon_name(name: str) -> str:
    """A local's name without its representation (vm_flags / vma_flags, newflags /
    new_vma_flags), to tell a parallel conversion from a computation that moved."""
    return name.replace("vma_", "").replace("vm_", "").replace("_", "")


_MUTATORS = ("set", "clear", "reset", "mod", "overwrite", "init", "assign", "and", "append")


def _written_names(text: str) -> set[str]:
    """Names a block may change: assignment targets and the objects passed by address or as
    the first argument of a flags mutator (vma_flags_set(&x, ...), vm_flags_set(vma, ...))."""
    from reviewer.flagmodel.c_parse import parse_statements

    frag = parse_statements(text)
    out: set[str] = set()
    for stmt in frag.statements:
        # (a declaration's initialiser is not a competing write: it is the value the data flow
        # of the block already starts from)
        for node in nodes_of(stmt, "assignment_expression", "call_expression"):
            if node.type == "assignment_expression":
                target = node.child_by_field_name("left")
            else:
                fn = text_of(node.child_by_field_name("function"))
                args = node.child_by_field_name("arguments")
                if args is None or not args.named_children:
                    continue
                if not any(m in fn for m in _MUTATORS):
                    continue
                target = args.named_children[0]
            if target is not None:
                out |= set(names_under(target))
    return out


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
    outcome = _compare_configs(
        path, old_text, new_text, pre, post, old_info, new_info, block.guards
    )
    for issue in outcome.issues:
        report.add(Finding(Severity.ERROR, "type", index, path, line, issue.message))
    if outcome.status == "skip":
        return
    if outcome.status == "unverified":
        report.unverified += 1
        report.add(
            Finding(
                Severity.INFO,
                UNVERIFIED,
                index,
                path,
                line,
                f"conversion not verified: {outcome.message}",
                _snippet(old_text, new_text),
            )
        )
        return
    if outcome.lock_change:
        report.add(Finding(Severity.INFO, "locking", index, path, line, outcome.lock_change))
    if outcome.status == "different" and outcome.overwrite:
        # Same result whenever the target starts as a copy of the source and nothing clears a
        # flag in the source, a caller invariant the patch text cannot show: a behaviour change
        # to review, not a proven mistranslation.
        report.add(
            Finding(
                Severity.WARNING,
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
                Severity.ERROR,
                "equivalence",
                index,
                path,
                _blamed_line(block, new_text, outcome) or line,
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
                Severity.WARNING,
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


def _blamed_line(block, new_text: str, outcome: Outcome) -> int:
    """The post-image line the difference comes from (equivalence_blame), when its row still
    holds the blamed text (a fragment rewritten for the parse is not mapped): else 0."""
    if outcome.row is None:
        return 0
    row, head = outcome.row
    rows, numbers = new_text.split("\n"), block.numbers("new")
    if row >= len(rows) or row >= len(numbers) or not head or head not in rows[row]:
        return 0
    return numbers[row]


def block_guards(root: Node, text: str, numbers: list[int], line: int) -> list[Node]:
    """The conditions a block of one side sits under: enclosing ``if`` conditions (the block
    in the consequence) and ``#ifdef``/``#ifndef``/``#if`` lines visible in the hunks."""
    try:
        row = numbers.index(line)
    except ValueError:
        return []
    lines = text.split("\n")
    src = lines[row] if row < len(lines) else ""
    col = len(src) - len(src.lstrip())
    node = root.descendant_for_point_range((row, col), (row, col))
    out: list[Node] = []
    child = node
    node = node.parent if node is not None else None
    while node is not None:
        if node.type == "if_statement" and child == node.child_by_field_name("consequence"):
            out.append(node.child_by_field_name("condition"))
        elif node.type in ("preproc_ifdef", "preproc_if") and child.type not in (
            "preproc_else",
            "preproc_elif",
        ):
            out.append(node)
        child, node = node, node.parent
    return [g for g in out if g is not None]


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


_RANK = {"skip": 0, "equivalent": 1, "unverified": 2, "different": 3}


def _compare_configs(path, old_text, new_text, pre, post, old_info, new_info, guards=None):
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
    try:
        for features in configs:
            pre.features = post.features = features
            if guards is not None and _guarded_off(guards, post):
                result = Outcome("skip", "not built in this configuration")
            else:
                result = compare(old_text, new_text, pre, post, old_info, new_info)
            if outcome is None or _RANK[result.status] > _RANK[outcome.status]:
                if result.status == "different" and features == "min" and len(configs) > 1:
                    result.message += " (only with the optional CONFIG_ features disabled)"
                outcome = result
    finally:
        pre.features = post.features = "all"
    return outcome


def _undecided(
    report: CheckReport,
    index: int,
    path: str,
    line: int,
    exc: BaseException,
    old_text: str = "",
    new_text: str = "",
) -> None:
    """A step of the model failed on this block: report it unverified (info) with the reason,
    never a traceback and never the loss of the rest of the report."""
    report.unverified += 1
    report.add(
        Finding(
            Severity.INFO,
            UNVERIFIED,
            index,
            path,
            line,
            f"not verified: the model failed here ({type(exc).__name__}: {exc})",
            _snippet(old_text, new_text) if old_text or new_text else "",
        )
    )


def _snippet(old_text: str, new_text: str) -> str:
    def squash(t: str) -> str:
        return " ".join(t.split())[:160]

    return f"old: {squash(old_text)} | new: {squash(new_text)}"


def _initialisers_above(info: SideInfo, row: int) -> dict[str, Node]:
    """Each name's value from its nearest declaration above `row` (none when that declaration
    has no initialiser)."""
    out: dict[str, Node] = {}
    for name, decls in info.decl_rows.items():
        above = [(r, v) for r, v in decls if r < row]
        if above:
            value = max(above, key=lambda rv: rv[0])[1]
            if value is not None:
                out[name] = value
    return out


__all__ = ["check_revision", "CheckReport", "Finding"]
