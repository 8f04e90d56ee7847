"""lock-semantics: VMA write-lock mistakes a conversion can make (the equivalence engine notes every
lock-taking helper replaced by a lock-free one as info; this check says which ones matter).

* lock dropped: a removed call of a helper that takes the VMA write lock (model table:
  vm_flags_set/clear take vma_start_write(); a helper the series defines whose body calls
  vma_start_write() counts too) replaced by a lock-free write to the same VMA, where the VMA was
  obtained in this function from a call (`vma = vma_modify_flags(...)`) and nothing locks it
  before the write. Fine (no finding) when vma_start_write()/vma_assert_write_locked() on it (or
  on the variable it was assigned from) comes first; a VMA the function was given is left to
  the engine's info.
* read before lock: flags of a VMA read through a mask holding a bit that may be set with only
  the read lock held (VM_ATOMIC_SET_ALLOWED: VMA_MAYBE_GUARD_BIT via vma_set_atomic_flag()) before
  the function write-locks that VMA: the value can be stale by the time the lock is taken. The
  later vma_start_write() is looked for in the patch's lines of the function, and with --repo in
  the base tree's copy of the function (read through git).
Both are warnings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tree_sitter import Node

from reviewer.flagmodel import registry
from reviewer.flagmodel.c_parse import (
    definitions,
    function_body,
    nodes_of,
    parse,
    text_of,
    walk,
)
from reviewer.flagmodel.checks import common, tree
from reviewer.flagmodel.findings import CheckReport, Finding, Severity

if TYPE_CHECKING:
    from reviewer.flagmodel.patch_view import PatchView

CHECK = "lock-semantics"
_LOCKS = ("vma_start_write", "vma_start_write_killable", "vma_assert_write_locked")


def run(views: list[PatchView], report: CheckReport, repo: Path | None) -> None:
    locking = _locking_helpers(views)
    ctx = common.build_context(views)
    atomic = common.atomic_allowed_bits()
    for view in views:
        for f in common.c_files(view):
            _lock_dropped(view, f, locking, report)
            _read_before_lock(view, f, ctx, atomic, report, repo)


def _locking_helpers(views: list[PatchView]) -> set[str]:
    names = {h.name for h in registry.HELPERS if h.locks}
    for view in views:
        for root in (*view.old_roots.values(), *view.new_roots.values()):
            for d in definitions(root):
                if "vma_start_write" not in d.text:
                    continue  # (the call's text is part of the definition's)
                body = function_body(d)
                if body is not None and any(
                    text_of(c.child_by_field_name("function")) == "vma_start_write"
                    for c in nodes_of(body, "call_expression")
                ):
                    names.add(d.name)
    return names


def _vma_writers() -> set[str]:
    return {
        h.name
        for h in registry.HELPERS
        if h.target == "vma" and h.kind in ("set", "clear", "word_set", "word_clear")
    }


# ---------------------------------------------------------------------------------------------
# lock dropped
# ---------------------------------------------------------------------------------------------


def _same_hunk(view, path: str):
    def same(a: int, b: int) -> bool:
        return common.contiguous(view, path, min(a, b), max(a, b))

    return same


def _lock_dropped(view, f, locking: set[str], report: CheckReport) -> None:
    root = view.new_roots[f.path]
    same = _same_hunk(view, f.path)
    writers = _vma_writers() - locking
    calls_by_line: dict[int, list[Node]] = {}
    for call in nodes_of(root, "call_expression"):
        line = common.line_at(view, f.path, call.start_point[0])
        calls_by_line.setdefault(line, []).append(call)
    names = tuple(locking)
    for block in common.blocks(f):
        dropped: dict[str, str] = {}
        for ln in block.changed("-"):
            if not any(name in ln.text for name in names):
                continue  # (a call of a locking helper names it: no other line is parsed)
            for call in nodes_of(parse(ln.text), "call_expression"):
                func = text_of(call.child_by_field_name("function"))
                args = call.child_by_field_name("arguments").named_children
                if func in locking and args:
                    dropped[text_of(args[0])] = func
        if not dropped:
            continue
        for ln in block.changed("+"):
            for call in calls_by_line.get(ln.new_no or 0, []):
                func = text_of(call.child_by_field_name("function"))
                args = call.child_by_field_name("arguments").named_children
                if func not in writers or not args or text_of(args[0]) not in dropped:
                    continue
                subject = text_of(args[0])
                origin = _unlocked_origin(call, subject, same)
                if origin:
                    report.add(
                        Finding(
                            Severity.WARNING,
                            CHECK,
                            view.index,
                            f.path,
                            ln.new_no or 0,
                            f"{dropped[subject]}() took the VMA write lock, {func}() does not, "
                            f"and {subject} comes from {origin}() in this function with no "
                            f"vma_start_write({subject}) before the write: add one (or show "
                            "that the VMA is already write-locked)",
                        )
                    )


def _before(call: Node, kinds: tuple[str, ...], same) -> list[Node]:
    """Nodes of `kinds` before `call` in its function; when the function does not parse whole,
    in the lines of the same hunk (`same(row_a, row_b)`)."""
    top = call
    while top.parent is not None and top.type != "function_definition":
        top = top.parent
    whole = top.type == "function_definition"
    return [
        c
        for c in nodes_of(top, *kinds)
        if c.end_byte <= call.start_byte and (whole or same(c.start_point[0], call.start_point[0]))
    ]


def _statements_before(call: Node, same) -> list[Node]:
    return _before(call, ("call_expression",), same)


def _assignments_before(call: Node, same) -> list[Node]:
    return _before(call, ("assignment_expression", "init_declarator"), same)


def _locked(call: Node, subject: str, same, depth: int = 0) -> bool:
    for c in _statements_before(call, same):
        func = text_of(c.child_by_field_name("function"))
        args = c.child_by_field_name("arguments").named_children
        if func in _LOCKS and args and text_of(args[0]) == subject:
            return True
    if depth < 3:
        for a in _assignments_before(call, same):
            lhs = a.child_by_field_name("left") or a.child_by_field_name("declarator")
            rhs = a.child_by_field_name("right") or a.child_by_field_name("value")
            if (
                lhs is not None
                and rhs is not None
                and text_of(lhs) == subject
                and rhs.type in ("identifier", "field_expression")
                and _locked(call, text_of(rhs), same, depth + 1)
            ):
                return True
    return False


def _unlocked_origin(call: Node, subject: str, same) -> str:
    """Name of the function `subject` was last assigned from before `call`, when nothing
    write-locks it in between; "" otherwise."""
    if _locked(call, subject, same):
        return ""
    origin = ""
    for a in _assignments_before(call, same):
        lhs = a.child_by_field_name("left") or a.child_by_field_name("declarator")
        rhs = a.child_by_field_name("right") or a.child_by_field_name("value")
        if lhs is not None and rhs is not None and text_of(lhs) == subject:
            origin = (
                text_of(rhs.child_by_field_name("function"))
                if rhs.type == "call_expression"
                else ""
            )
    return origin


# ---------------------------------------------------------------------------------------------
# read before lock
# ---------------------------------------------------------------------------------------------


def _subject_of_read(call: Node) -> str:
    """The VMA whose flags a call reads: `&X->flags` / `X->flags` argument, or the first
    argument of a model helper that reads a VMA (vma_test*, ...)."""
    args = call.child_by_field_name("arguments").named_children
    for arg in args:
        node = arg
        if node.type == "pointer_expression" and text_of(node).startswith("&"):
            node = node.child_by_field_name("argument")
        if node is not None and node.type == "field_expression":
            field = node.child_by_field_name("field")
            base = node.child_by_field_name("argument")
            op = text_of(node)[len(text_of(base)) :].lstrip()[:2] if base is not None else ""
            if field is not None and text_of(field) in ("flags", "vm_flags") and op == "->":
                return text_of(base)
    func = text_of(call.child_by_field_name("function"))
    helper = {h.name: h for h in registry.HELPERS}.get(func)
    if helper is not None and helper.target == "vma" and helper.kind in ("any", "all", "single"):
        return text_of(args[0]) if args else ""
    return ""


def _read_bits(call: Node, ctx: common.Context) -> frozenset[int]:
    bits: set[int] = set()
    for arg in call.child_by_field_name("arguments").named_children:
        got = (
            common.expr_bits(text_of(arg), ctx)
            if arg.type in ("identifier", "call_expression")
            else None
        )
        if got:
            bits |= got
    return frozenset(bits)


def _read_before_lock(view, f, ctx, atomic, report: CheckReport, repo: Path | None) -> None:
    if not atomic:
        return
    root = view.new_roots[f.path]
    same = _same_hunk(view, f.path)
    added = common.added_lines(f)
    pre_image = tree.read(repo, f.old_path) if repo is not None else None
    for call in nodes_of(root, "call_expression"):
        line = common.line_at(view, f.path, call.start_point[0])
        if line not in added:
            continue
        subject = _subject_of_read(call)
        if not subject or _locked(call, subject, same):
            continue
        bits = _read_bits(call, ctx) & atomic
        if not bits:
            continue
        where = _later_lock(view, f, call, subject) or _tree_lock(f, line, subject, pre_image)
        if not where:
            continue
        stmt = common.enclosing(call, "declaration", "expression_statement")
        if stmt is not None:
            line = common.line_at(view, f.path, stmt.start_point[0]) or line
        names = ", ".join(
            registry.bit_label(b).replace("VM_", "VMA_") + "_BIT" for b in sorted(bits)
        )
        report.add(
            Finding(
                Severity.WARNING,
                CHECK,
                view.index,
                f.path,
                line,
                f"flags of {subject} are read here (including {names}, which may be set with "
                f"only the read lock held) before vma_start_write({subject}) {where}: the value "
                "can change before the write lock is taken; read it after the lock",
            )
        )


def _later_lock(view, f, call: Node, subject: str) -> str:
    top = call
    while top.parent is not None and top.type != "function_definition":
        top = top.parent
    for c in nodes_of(top, "call_expression"):
        if c.start_byte <= call.end_byte:
            continue
        if text_of(c.child_by_field_name("function")) != "vma_start_write":
            continue
        args = c.child_by_field_name("arguments").named_children
        if (
            args
            and text_of(args[0]) == subject
            and common.contiguous(view, f.path, call.start_point[0], c.start_point[0])
        ):
            return f"at line {common.line_at(view, f.path, c.start_point[0])}"
    return ""


def _old_position(f, new_line: int) -> float:
    """Position in the pre-image where an added line sits (just after the previous old line)."""
    for h in f.hunks:
        last_old = h.old_start - 1
        for ln in h.lines:
            if ln.tag in " -" and ln.old_no:
                last_old = ln.old_no
            if ln.tag == "+" and ln.new_no == new_line:
                return last_old + 0.5
    return -1.0


def _tree_lock(f, new_line: int, subject: str, pre_image: str | None) -> str:
    if pre_image is None:
        return ""
    pos = _old_position(f, new_line)
    if pos < 0:
        return ""
    root = parse(pre_image)
    end_row = None
    for d in definitions(root):
        if d.kind == "function" and d.start_line + 1 <= pos <= d.node.end_point[0] + 1:
            end_row, name = d.node.end_point[0] + 1, f"{d.name}()"
            break
    else:
        # the function does not parse whole: it ends at the next `}` in column 0
        closers = [
            n.start_point[0] + 1
            for n in walk(root)
            if n.type == "}" and n.start_point[1] == 0 and n.start_point[0] + 1 > pos
        ]
        if not closers:
            return ""
        end_row, name = min(closers), "the same function"
    for c in nodes_of(root, "call_expression"):
        row = c.start_point[0] + 1
        if not pos < row <= end_row:
            continue
        if text_of(c.child_by_field_name("function")) != "vma_start_write":
            continue
        args = c.child_by_field_name("arguments").named_children
        if args and text_of(args[0]) == subject:
            return f"(base tree line {row}, later in {name})"
    return ""
