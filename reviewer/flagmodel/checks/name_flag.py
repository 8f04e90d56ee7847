"""name-flag: a flag definition whose name says one flag and whose value is another.

On added lines, against the model's bit table (registry.BITS) and the definitions of the
series, the base tree and the shipped snapshot:
* a bit enum entry `DECLARE_VMA_BIT(X, n)` (or `VMA_X_BIT = n`) where the table says bit m != n;
* `DECLARE_VMA_BIT_ALIAS(X, Y)` outside any #if branch where X and Y are different bits (inside
  an arch/config branch an alias of another bit is how arch flags are declared);
* `#define VM_X INIT_VM_FLAG(Y)` / `BIT(n)` / a hex mask that is not X's bit;
* a vma_flags_t constant (`#define VMA_X[_FLAGS] mk_vma_flags(...)`) whose bits differ from its
  legacy twin `VM_X[_FLAGS]`, beyond the bits whose VM_ names are config-dependent.
All errors."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.flagmodel import registry
from reviewer.flagmodel.c_parse import nodes_of, text_of
from reviewer.flagmodel.checks import common
from reviewer.flagmodel.findings import CheckReport, Finding, Severity

if TYPE_CHECKING:
    from reviewer.flagmodel.patch_view import PatchView

CHECK = "name-flag"


def run(views: list[PatchView], report: CheckReport, repo: Path | None) -> None:
    ctx = common.build_context(views)
    gated = common.gated_flags(views, [])
    gated_bits = {b for name in gated for b in (common.mask_bits(name, common.Context()) or ())}
    for view in views:
        for f in common.c_files(view):
            added = common.added_lines(f)
            root = view.new_roots[f.path]
            _enum_entries(view, f, root, added, report)
            _defines(view, f, root, added, ctx, gated_bits, report)


def _bits_text(bits) -> str:
    return "{" + ", ".join(str(b) for b in sorted(bits)) + "}"


def _enum_entries(view, f, root, added, report: CheckReport) -> None:
    for node, args in common.declares(root):
        line = common.line_at(view, f.path, node.start_point[0])
        if line not in added or len(args) != 2:
            continue
        name, value = args
        expected = registry.BITS.get(name)
        if text_of(node) == "DECLARE_VMA_BIT":
            try:
                got = int(value, 0)
            except ValueError:
                continue
            if expected is not None and got != expected:
                report.add(
                    Finding(
                        Severity.ERROR,
                        CHECK,
                        view.index,
                        f.path,
                        line,
                        f"VMA_{name}_BIT is declared as bit {got}, but the bit table has "
                        f"{name} at bit {expected} ({registry.bit_label(got)} is bit {got})",
                    )
                )
        else:
            other = registry.BITS.get(value)
            in_branch = common.guards(node) or _row_in_branch(view, f, node.start_point[0])
            if expected is None or other is None or other == expected or in_branch:
                continue
            report.add(
                Finding(
                    Severity.ERROR,
                    CHECK,
                    view.index,
                    f.path,
                    line,
                    f"VMA_{name}_BIT is declared an alias of VMA_{value}_BIT (bit {other}) outside "
                    f"any #if branch, but the bit table has {name} at bit {expected}",
                )
            )
    for node in nodes_of(root, "enumerator"):
        name_node = node.child_by_field_name("name")
        value = node.child_by_field_name("value")
        line = common.line_at(view, f.path, node.start_point[0])
        if name_node is None or value is None or line not in added:
            continue
        expected = registry.bit_of_name(text_of(name_node))
        if value.type != "number_literal" or expected is None:
            continue
        got = int(text_of(value).rstrip("uUlL"), 0)
        if got != expected:
            report.add(
                Finding(
                    Severity.ERROR,
                    CHECK,
                    view.index,
                    f.path,
                    line,
                    f"{text_of(name_node)} = {got}, but the bit table has it at bit {expected}",
                )
            )


def _row_in_branch(view, f, row: int) -> bool:
    """The row sits inside an #if by the directive lines (when the parse lost the #if)."""
    rows = common.row_branches(view.new_texts[f.path])
    return 0 <= row < len(rows) and bool(rows[row])


def _defines(view, f, root, added, ctx, gated_bits, report: CheckReport) -> None:
    for node in nodes_of(root, "preproc_def"):
        name_node = node.child_by_field_name("name")
        value = node.child_by_field_name("value")
        if name_node is None or value is None:
            continue
        line = common.line_at(view, f.path, node.start_point[0])
        rows = range(node.start_point[0], node.end_point[0] + 1)
        if not any(common.line_at(view, f.path, r) in added for r in rows):
            continue
        name, body = text_of(name_node), text_of(value).replace("\\\n", " ").strip()
        if name.startswith("VM_") and name[3:] in registry.BITS:
            _legacy_single(view, f, line, name, body, ctx, report)
        elif "VMA_" in name and not name.endswith("_BIT"):
            _vma_constant(view, f, node.start_point[0], line, name, body, ctx, gated_bits, report)


def _legacy_single(view, f, line, name, body, ctx, report: CheckReport) -> None:
    if body in ("VM_NONE", "0"):
        return
    expected = registry.BITS[name[3:]]
    got = common.expr_bits(body, ctx)
    if got is None or len(got) != 1 or expected in got:
        return
    [bit] = got
    if registry.BITS.get(name[3:]) == bit:
        return
    report.add(
        Finding(
            Severity.ERROR,
            CHECK,
            view.index,
            f.path,
            line,
            f"{name} is defined as {body} = bit {bit} ({registry.bit_label(bit)}), but the bit "
            f"table has {name[3:]} at bit {expected}",
        )
    )


def _file_defines(root) -> dict[str, list[tuple[int, str]]]:
    out: dict[str, list[tuple[int, str]]] = {}
    for node in nodes_of(root, "preproc_def"):
        name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
        if name is not None and value is not None:
            body = " ".join(text_of(value).replace("\\\n", " ").split())
            out.setdefault(text_of(name), []).append((node.start_point[0], body))
    return out


def _legacy_twin(view, f, legacy_name: str, ctx, row: int) -> str | None:
    """The one definition of the legacy twin: in this file's new side within the same #if
    branch as the constant (row `row`), else the only one of the file's new or old side, else
    the series/tree/snapshot when that name has a single definition."""
    text = view.new_texts[f.path]
    here = common.row_branches(text)
    new_defs = _file_defines(view.new_roots[f.path]).get(legacy_name, [])
    if 0 <= row < len(here):
        same = {b for r, b in new_defs if r < len(here) and here[r] == here[row]}
        if len(same) == 1:
            return next(iter(same))
    for defs in (new_defs, _file_defines(view.old_roots[f.path]).get(legacy_name, [])):
        bodies = {b for _, b in defs}
        if bodies:
            return next(iter(bodies)) if len(bodies) == 1 else None
    return ctx.body(legacy_name) if len(ctx.all_bodies.get(legacy_name, ())) <= 1 else None


def _twin_names(name: str) -> list[str]:
    """Legacy names a vma_flags_t constant mirrors: VMA_X_FLAGS -> VM_X_FLAGS, VM_X."""
    legacy = name.replace("VMA_", "VM_", 1)
    out = [legacy]
    if legacy.endswith("_FLAGS"):
        out.append(legacy.removesuffix("_FLAGS"))
    return out


def _vma_constant(view, f, row, line, name, body, ctx, gated_bits, report: CheckReport) -> None:
    legacy_name, legacy_body = "", None
    for candidate in _twin_names(name):
        legacy_body = _legacy_twin(view, f, candidate, ctx, row)
        if legacy_body is not None:
            legacy_name = candidate
            break
    if legacy_body is None or "vma_flags_to_legacy" in legacy_body or name in legacy_body:
        return
    new_bits = common.expr_bits(body, ctx)
    old_bits = common.expr_bits(legacy_body, ctx)
    if new_bits is None or old_bits is None:
        return
    diff = new_bits ^ old_bits
    if not diff or diff <= gated_bits:
        return
    extra = new_bits - old_bits
    missing = old_bits - new_bits
    parts = []
    if extra:
        parts.append("adds " + ", ".join(registry.bit_label(b) for b in sorted(extra)))
    if missing:
        parts.append("drops " + ", ".join(registry.bit_label(b) for b in sorted(missing)))
    report.add(
        Finding(
            Severity.ERROR,
            CHECK,
            view.index,
            f.path,
            line,
            f"{name} is bits {_bits_text(new_bits)} but {legacy_name}, the legacy mask it is "
            f"named after, is {_bits_text(old_bits)}: it {' and '.join(parts)}",
        )
    )
