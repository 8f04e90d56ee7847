"""ifdef-twin: a function with one definition per #if branch (a config stub twin) converted in one
branch only.

Twins are declarations of the same name in different branches of one #if (a prototype under
CONFIG_X and its static inline stub under #else count; a prototype next to its own definition
does not). When both are in the patch: error at the twin that still takes or returns
`vm_flags_t` while the other was converted. When only one is visible: with --repo the tree's copy
of the file is read for the twin (error when it is left unconverted); without a tree a header
static inline next to extern prototypes gives a warning.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tree_sitter import Node

from reviewer.flagmodel.c_parse import Definition, definitions, nodes_of, parse, text_of
from reviewer.flagmodel.checks import common, tree
from reviewer.flagmodel.findings import CheckReport, Finding, Severity
from reviewer.flagmodel.tree_state import signatures

if TYPE_CHECKING:
    from reviewer.flagmodel.patch_view import PatchView

CHECK = "ifdef-twin"
_LEGACY = "vm_flags_t"
_CONVERTED = ("vma_flags_t", "vm_area_desc", "vma_flag_t")


def run(views: list[PatchView], report: CheckReport, repo: Path | None) -> None:
    for view in views:
        for f in common.c_files(view):
            if not _visible_twins(view, f, report) and not _twins_across_hunks(view, f, report):
                _hidden_twins(view, f, report, repo)


def _headers(root: Node) -> dict[str, list[tuple[Node, str]]]:
    """name -> (node, header text) of every function definition and prototype."""
    out: dict[str, list[tuple[Node, str]]] = {}
    for node in nodes_of(root, "function_definition", "declaration"):
        decl = node.child_by_field_name("declarator")
        while decl is not None and decl.type in ("pointer_declarator", "init_declarator"):
            decl = decl.child_by_field_name("declarator")
        if decl is None or decl.type != "function_declarator":
            continue
        name = decl.child_by_field_name("declarator")
        if name is None:
            continue
        body = node.child_by_field_name("body")
        end = body.start_byte if body is not None else node.end_byte
        header = node.text[: end - node.start_byte].decode(errors="replace")
        out.setdefault(text_of(name), []).append((node, header))
    return out


def _tokens(text: str) -> set[str]:
    from reviewer.flagmodel.tree_state import names_in

    return set(names_in(text + ";"))


def _kind(header: str) -> str:
    if not any(t in header for t in (_LEGACY, *_CONVERTED)):
        return ""  # (a token is a substring: nothing to parse the header for)
    toks = _tokens(header)
    if _LEGACY in toks:
        return "legacy"
    if toks & set(_CONVERTED):
        return "converted"
    return ""


def _visible_twins(view: PatchView, f, report: CheckReport) -> bool:
    """Report twins both visible in the new side; True when the file had a twin pair."""
    root = view.new_roots[f.path]
    added = common.added_lines(f)
    found = False
    for name, decls in _headers(root).items():
        if len(decls) < 2:
            continue
        for a, ahead in decls:
            for b, bhead in decls:
                if a.id == b.id:
                    continue
                text = view.new_texts[f.path]
                if not (
                    common.exclusive(a, b)
                    or common.exclusive_rows(text, a.start_point[0], b.start_point[0])
                ):
                    continue
                found = True
                if _kind(ahead) != "legacy" or _kind(bhead) != "converted":
                    continue
                b_rows = range(b.start_point[0], b.start_point[0] + bhead.count("\n") + 1)
                if not any(common.line_at(view, f.path, r) in added for r in b_rows):
                    continue
                aline = common.line_at(view, f.path, a.start_point[0])
                bline = common.line_at(view, f.path, b.start_point[0])
                cond = " && ".join(
                    ("" if holds else "!") + c for c, holds in reversed(common.guards(a))
                )
                report.add(
                    Finding(
                        Severity.ERROR,
                        CHECK,
                        view.index,
                        f.path,
                        aline,
                        f"{name}() converted at line {bline} but its #if twin at line {aline} "
                        f"({cond or 'other branch'}) still uses vm_flags_t: the configuration "
                        "that compiles the twin gets the old interface",
                    )
                )
    return found


def _twins_across_hunks(view: PatchView, f, report: CheckReport) -> bool:
    """Two bodies of one function in different hunks of one file: C allows that only in
    exclusive #if branches, so they are twins even when the directives between them are not
    shown (a hunk gap, or the lines of the tree a fix-up in a reply shows). Each hunk's new side
    is parsed on its own. Error at a body left on vm_flags_t and untouched while the other's
    header was converted by the patch; True when the file had such a pair."""
    bodies: dict[str, list[tuple[int, str, bool]]] = {}  # name -> (line, kind, touched)
    for hunk in f.hunks:
        kept = [ln for ln in hunk.lines if ln.tag in " +"]
        root = parse("\n".join(ln.text for ln in kept))
        changed = {i for i, ln in enumerate(kept) if ln.tag == "+"}
        for name, decls in _headers(root).items():
            for node, head in decls:
                decl = node.child_by_field_name("declarator")
                if node.type != "function_definition" or decl is None or decl.has_error:
                    continue  # a body the hunk cuts short still has its whole header
                rows = range(node.start_point[0], node.start_point[0] + head.count("\n") + 1)
                touched = any(r in changed for r in rows)
                line = kept[node.start_point[0]].new_no or 0
                bodies.setdefault(name, []).append((line, _kind(head), touched))
    found = False
    for name, found_bodies in bodies.items():
        converted = [b for b in found_bodies if b[1] == "converted" and b[2]]
        for line, kind, touched in found_bodies:
            if kind != "legacy" or touched or not converted:
                continue
            found = True
            report.add(
                Finding(
                    "error",
                    CHECK,
                    view.index,
                    f.path,
                    line,
                    f"{name}() converted at line {converted[0][0]} but its twin at line {line} "
                    "(another body of it in this file, so the other #if branch) still uses "
                    "vm_flags_t: the configuration that compiles the twin gets the old interface",
                )
            )
    return found


def _hidden_twins(view: PatchView, f, report: CheckReport, repo: Path | None) -> None:
    old_sigs = signatures(view.old_roots[f.path])
    new_sigs = signatures(view.new_roots[f.path])
    for name in sorted(set(old_sigs) & set(new_sigs)):
        old_t = [p for p, _ in old_sigs[name].params]
        new_t = [p for p, _ in new_sigs[name].params]
        if old_t == new_t or not any(_LEGACY in t for t in old_t):
            continue
        defs = [d for d in definitions(view.new_roots[f.path]) if d.name == name]
        line = common.line_at(view, f.path, defs[0].start_line) if defs else 0
        tree_twins = _tree_twins(repo, f.path, name) if repo is not None else None
        if tree_twins is not None:
            touched = _changed_old_lines(f)
            for twin in tree_twins:
                span = range(twin.start_line + 1, twin.node.end_point[0] + 2)
                if not touched & set(span) and _uses_legacy(twin):
                    report.add(
                        Finding(
                            Severity.ERROR,
                            CHECK,
                            view.index,
                            f.path,
                            line,
                            f"{name}() changed its parameters ({' , '.join(old_t)} -> "
                            f"{', '.join(new_t)}) but its twin at line {twin.start_line + 1} "
                            f"({' && '.join(twin.conditions) or 'other branch'}) is left "
                            "unconverted",
                        )
                    )
        elif (
            # a static inline body the patch converts (a changed prototype alone has no
            # stub twin to miss: June 2026 3/13, __get_unmapped_area() next to the static
            # inline get_unmapped_area() that calls it)
            len(defs) == 1
            and "inline" in defs[0].text.split(name, 1)[0]
            and not _all_visible_converted(view, f, name)
            and _likely_has_stub(f, name)
        ):
            report.add(
                Finding(
                    Severity.WARNING,
                    CHECK,
                    view.index,
                    f.path,
                    line,
                    f"{name}() is a static inline in a header next to extern prototypes, so "
                    "it usually has a config stub twin; the patch converts only one "
                    "definition and the twin is not visible (run with --repo to verify)",
                )
            )


def _all_visible_converted(view: PatchView, f, name: str) -> bool:
    """Every declaration of `name` the new side shows (prototype in the other #if branch
    included) is converted, and there are at least two: the twin is in the patch."""
    params = []
    for node in nodes_of(view.new_roots[f.path], "function_declarator"):
        ident = node.child_by_field_name("declarator")
        plist = node.child_by_field_name("parameters")
        if ident is not None and plist is not None and text_of(ident) == name:
            params.append(text_of(plist))
    return len(params) >= 2 and all(_kind(p) == "converted" for p in params)


def _changed_old_lines(f) -> set[int]:
    return {ln.old_no for h in f.hunks for ln in h.lines if ln.tag == "-" and ln.old_no}


def _uses_legacy(defn: Definition) -> bool:
    return any(_LEGACY in ptype for ptype, _ in defn.params)


def _likely_has_stub(fdiff, name: str) -> bool:
    if not fdiff.path.startswith("include/") or not fdiff.path.endswith(".h"):
        return False
    for hunk in fdiff.hunks:
        section = hunk.section.strip()
        body = "\n".join(ln.text for ln in hunk.lines)
        if (
            f"{name}(" in body
            and "static inline" in body
            and section
            and not section.startswith(("static", "#", "struct", "enum"))
            and section.rstrip().endswith((",", ");", "("))
        ):
            return True
    return False


def _tree_twins(repo: Path, path: str, name: str) -> list[Definition] | None:
    text = tree.read(repo, path)
    if text is None:
        return None
    defs = [d for d in definitions(parse(text)) if d.name == name]
    return defs if len(defs) > 1 else []
