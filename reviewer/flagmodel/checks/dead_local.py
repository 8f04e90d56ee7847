"""dead-local: a flag set or cleared on a local vma_flags_t copy that nothing reads afterwards,
typically where the old code changed the VMA itself (`vm_flags_set(vma, VM_SOFTDIRTY)` became
`vma_flags_set(&vma_flags, VMA_SOFTDIRTY_BIT)` just before `return 0;`).

Which calls set or clear flags, and through which argument, comes from the model's helper table
(kind set/clear on a flags pointer). The path after the call is followed statement by statement
(out of `if` bodies and blocks) to a `return` that does not mention the local; any mention of the
local, a loop, a `goto`, or a line the patch does not show stops the check with no finding.
Error when the replaced line changed another object (wrong subject); warning otherwise."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tree_sitter import Node

from reviewer.flagmodel import registry
from reviewer.flagmodel.c_parse import nodes_of, parse, text_of, walk
from reviewer.flagmodel.checks import common
from reviewer.flagmodel.findings import CheckReport, Finding, Severity

if TYPE_CHECKING:
    from reviewer.flagmodel.patch_view import PatchView

CHECK = "dead-local"
_WRITE_KINDS = ("set", "clear", "word_set", "word_clear", "clear_all", "word_assign")
_LOOPS = ("for_statement", "while_statement", "do_statement")


def _writers() -> dict[str, registry.Helper]:
    return {h.name: h for h in registry.HELPERS if h.kind in _WRITE_KINDS}


def run(views: list[PatchView], report: CheckReport, repo: Path | None) -> None:
    writers = _writers()
    for view in views:
        for f in common.c_files(view):
            _check_file(view, f, writers, report)


def _check_file(view, f, writers, report: CheckReport) -> None:
    root = view.new_roots[f.path]
    added = common.added_lines(f)
    old_subjects = _old_subjects(f, writers)
    for call in nodes_of(root, "call_expression"):
        func = text_of(call.child_by_field_name("function"))
        helper = writers.get(func)
        if helper is None or helper.target != "flags_ptr":
            continue
        line = common.line_at(view, f.path, call.start_point[0])
        if line not in added:
            continue
        args = [a for a in call.child_by_field_name("arguments").named_children]
        local = _address_of_local(args[0]) if args else ""
        if not local:
            continue
        decl = _declared_kind(root, local)
        if decl == "pointer":
            continue
        old = old_subjects.get(line, [])
        wrong = [s for s, kind in old if s != f"&{local}" and _same_kind(kind, helper.kind)]
        if decl == "" and not wrong:
            continue  # the local's type is not visible and nothing says it replaced the VMA
        verb = "cleared" if "clear" in helper.kind else "set"
        what = ", ".join(" ".join(text_of(a).split()) for a in args[1:]) or "the flag"
        if not _dead_after(view, f.path, call, local):
            objects = [s for s in wrong if _object_base(s)]
            if objects and not _written_back(view.new_roots[f.path], call, local, objects):
                base = _object_base(objects[0])
                report.add(
                    Finding(
                        Severity.WARNING,
                        CHECK,
                        view.index,
                        f.path,
                        line,
                        f"{func}() changes the local {local} where the old code changed "
                        f"{objects[0]}, and nothing the patch shows copies {local} back into "
                        f"{base}: {what} may never be {verb} on {base} (wrong subject?)",
                    )
                )
            continue
        if wrong:
            message = (
                f"{func}() changes only the local copy {local}, which nothing reads afterwards, "
                f"where the old code changed {wrong[0]}: {what} is never {verb} on "
                f"{wrong[0]} (set it with a helper on {wrong[0]} itself)"
            )
        else:
            message = (
                f"{func}() changes the local copy {local}, which nothing reads afterwards "
                "(dead store): did you mean to change the VMA or descriptor it was copied from?"
            )
        report.add(
            Finding(
                Severity.ERROR if wrong else Severity.WARNING,
                CHECK,
                view.index,
                f.path,
                line,
                message,
            )
        )


def _object_base(subject: str) -> str:
    """`vma` for the subjects `vma`, `&vma->flags`, `&vma.flags`, `desc`; "" for `&local`."""
    text = subject.replace(" ", "")
    if text.startswith("&"):
        text = text[1:]
        for sep in ("->", "."):
            if sep in text:
                return text.split(sep, 1)[0]
        return ""
    return text if text.isidentifier() else ""


def _written_back(root: Node, call: Node, local: str, objects: list[str]) -> bool:
    """A statement after `call` mentions both the local and the object's base."""
    bases = {_object_base(o) for o in objects}
    for node in nodes_of(root, "expression_statement", "declaration", "return_statement"):
        if node.start_byte <= call.end_byte:
            continue
        names = {text_of(n) for n in walk(node) if n.type == "identifier"}
        if local in names and names & bases:
            return True
    return False


def _same_kind(old_kind: str, new_kind: str) -> bool:
    return ("clear" in old_kind) == ("clear" in new_kind)


def _address_of_local(arg: Node) -> str:
    node = arg
    while node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    if node.type != "pointer_expression" or not text_of(node).startswith("&"):
        return ""
    inner = node.child_by_field_name("argument")
    return text_of(inner) if inner is not None and inner.type == "identifier" else ""


def _declared_kind(root: Node, name: str) -> str:
    """'value' for a visible `vma_flags_t name` local or parameter, 'pointer' for a pointer or
    a non-flags type, '' when no declaration is visible."""
    for node in nodes_of(root, "declaration", "parameter_declaration"):
        for decl in node.children_by_field_name("declarator"):
            inner = (
                decl.child_by_field_name("declarator") if decl.type == "init_declarator" else decl
            )
            if inner is None:
                continue
            if inner.type == "identifier" and text_of(inner) == name:
                type_node = node.child_by_field_name("type")
                return (
                    "value"
                    if type_node is not None and "vma_flags_t" in text_of(type_node)
                    else "pointer"
                )
            if inner.type == "pointer_declarator" and any(
                n.type == "identifier" and text_of(n) == name for n in walk(inner)
            ):
                return "pointer"
    return ""


def _mentions(node: Node, name: str) -> bool:
    return any(n.type == "identifier" and text_of(n) == name for n in walk(node))


def _scope_of(call: Node, local: str) -> Node | None:
    """The block that declares `local`, when the declaration is visible around `call`."""
    node = call.parent
    while node is not None:
        if node.type == "compound_statement":
            for child in node.named_children:
                if child.type == "declaration" and child.start_byte < call.start_byte:
                    for decl in child.children_by_field_name("declarator"):
                        inner = (
                            decl.child_by_field_name("declarator")
                            if decl.type == "init_declarator"
                            else decl
                        )
                        if inner is not None and text_of(inner) == local:
                            return node
        node = node.parent
    return None


def _dead_after(view, path: str, call: Node, local: str) -> bool:
    scope = _scope_of(call, local)
    stmt = call
    while stmt.parent is not None and stmt.type != "expression_statement":
        stmt = stmt.parent
    if stmt.type != "expression_statement":
        return False
    last_row = stmt.end_point[0]
    node = stmt
    while node is not None:
        if node.type in _LOOPS or node.type == "function_definition":
            return False
        sibling = node.next_named_sibling
        while sibling is not None and sibling.type == "comment":
            sibling = sibling.next_named_sibling
        if sibling is None:
            parent = node.parent
            if scope is not None and parent is not None and parent.id == scope.id:
                return True  # the end of the block that declares it: the copy dies here
            if parent is None or parent.type in ("translation_unit", "function_definition"):
                return False
            if parent.type in _LOOPS:
                return False
            node = parent
            continue
        if not common.contiguous(view, path, last_row, sibling.end_point[0]):
            return False
        if _mentions(sibling, local) or sibling.type.startswith("preproc"):
            return False  # read, or a macro / #if the parse cannot follow
        if sibling.type == "return_statement":
            return True
        if sibling.type == "goto_statement" or any(
            n.type
            in ("goto_statement", "return_statement", "break_statement", "continue_statement")
            for n in walk(sibling)
        ):
            return False
        last_row = sibling.end_point[0]
        node = sibling
    return False


def _old_subjects(f, writers) -> dict[int, list[tuple[str, str]]]:
    """Post-image line of each added line -> (subject, kind) of the flag writes the removed
    lines of its change block made (`vm_flags_set(vma, X)` -> ("vma", "word_set"))."""
    out: dict[int, list[tuple[str, str]]] = {}
    names = tuple(writers)
    for block in common.blocks(f):
        found: list[tuple[str, str]] = []
        for ln in block.changed("-"):
            if not any(name in ln.text for name in names):
                continue  # (a call of a writer names it: no other line is parsed)
            for call in nodes_of(parse(ln.text), "call_expression"):
                helper = writers.get(text_of(call.child_by_field_name("function")))
                args = call.child_by_field_name("arguments").named_children
                if helper is not None and args:
                    found.append((text_of(args[0]), helper.kind))
        if found:
            for ln in block.changed("+"):
                out.setdefault(ln.new_no or 0, []).extend(found)
    return out
