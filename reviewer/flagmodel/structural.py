"""Structural checks around the conversions: #ifdef twins, callers of functions whose flags
parameter became a bool, 64-bit-only bits, drift between kernel and tools/testing/vma copies of
the helpers, and config symbols no Kconfig defines."""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tree_sitter import Node

from reviewer.flagmodel import registry
from reviewer.flagmodel.c_parse import (
    Definition,
    definitions,
    nodes_of,
    normalized,
    parse,
    text_of,
    walk,
)
from reviewer.flagmodel.findings import CheckReport, Finding
from reviewer.flagmodel.tree_state import Model, is_helper_name, is_word_type, signatures

if TYPE_CHECKING:
    from reviewer.flagmodel.check import PatchView

TOOLS_COPIES = ("tools/testing/vma/include/dup.h", "tools/testing/vma/vma_internal.h")
_LEGACY_TYPES = ("vm_flags_t",)
_CONFIG_RE = re.compile(r"^\s*(?:menu)?config\s+([A-Za-z0-9_]+)", re.M)


def check_patch(
    view: PatchView, pre: Model, post: Model, report: CheckReport, repo: Path | None
) -> None:
    _twins(view, report, repo)
    _bool_params(view, report, repo)
    _high_bits(view, report)
    if repo is not None:
        _unknown_configs(view, report, repo)


def check_series(views: list[PatchView], report: CheckReport, repo: Path | None) -> None:
    _dup_drift(views, report, repo)


# ---------------------------------------------------------------------------------------------
# (b) #ifdef twins
# ---------------------------------------------------------------------------------------------


def _changed_old_lines(view: PatchView, path: str) -> set[int]:
    out: set[int] = set()
    for f in view.files:
        if f.path == path:
            for h in f.hunks:
                out |= {ln.old_no for ln in h.lines if ln.tag == "-" and ln.old_no}
    return out


def _uses_legacy(defn: Definition) -> bool:
    return any(t in ptype for ptype, _ in defn.params for t in _LEGACY_TYPES)


def _twins(view: PatchView, report: CheckReport, repo: Path | None) -> None:
    for f in view.files:
        old_sigs = signatures(view.old_roots[f.path])
        new_sigs = signatures(view.new_roots[f.path])
        for name in sorted(set(old_sigs) & set(new_sigs)):
            old_t = [p for p, _ in old_sigs[name].params]
            new_t = [p for p, _ in new_sigs[name].params]
            if old_t == new_t or not any(t in " ".join(old_t) for t in _LEGACY_TYPES):
                continue
            visible = _declarators(view.new_roots[f.path], name)
            stale = [
                (row, params) for row, params in visible if any(t in params for t in _LEGACY_TYPES)
            ]
            nums = view.new_numbers[f.path]
            line = nums[visible[0][0]] if visible and visible[0][0] < len(nums) else 0
            if stale and len(visible) > 1:
                report.add(
                    Finding(
                        "error",
                        "ifdef-twin",
                        view.index,
                        f.path,
                        nums[stale[0][0]] if stale[0][0] < len(nums) else 0,
                        f"{name}() converted in one #ifdef branch but its twin "
                        f"still takes {', '.join(old_t)}",
                    )
                )
                continue
            tree_twins = _tree_twins(repo, f.path, name) if repo is not None else None
            if tree_twins is not None:
                touched = _changed_old_lines(view, f.path)
                for twin in tree_twins:
                    span = range(twin.start_line + 1, twin.node.end_point[0] + 2)
                    if not touched & set(span) and _uses_legacy(twin):
                        report.add(
                            Finding(
                                "error",
                                "ifdef-twin",
                                view.index,
                                f.path,
                                line,
                                f"{name}() changed its parameters ({' , '.join(old_t)} -> "
                                f"{', '.join(new_t)}) but its twin at line {twin.start_line + 1} "
                                f"({' && '.join(twin.conditions) or 'other branch'}) is left "
                                "unconverted",
                            )
                        )
            elif len(visible) <= 1 and _likely_has_stub(f, name):
                report.add(
                    Finding(
                        "warning",
                        "ifdef-twin",
                        view.index,
                        f.path,
                        line,
                        f"{name}() is a static inline in a header next to extern prototypes, so "
                        "it usually has a config stub twin; the patch converts only one "
                        "definition and the twin is not visible (run with --repo to verify)",
                    )
                )


def _declarators(root: Node, name: str) -> list[tuple[int, str]]:
    """(row, parameter text) of every function declarator named `name`."""
    out = []
    for node in nodes_of(root, "function_declarator"):
        ident = node.child_by_field_name("declarator")
        params = node.child_by_field_name("parameters")
        if ident is not None and text_of(ident) == name and params is not None:
            out.append((node.start_point[0], text_of(params)))
    return out


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
    file = repo / path
    if not file.is_file():
        return None
    defs = [d for d in definitions(parse(file.read_text(errors="replace"))) if d.name == name]
    return defs if len(defs) > 1 else []


# ---------------------------------------------------------------------------------------------
# (d) flags word -> bool parameters
# ---------------------------------------------------------------------------------------------


def _bool_params(view: PatchView, report: CheckReport, repo: Path | None) -> None:
    old_sigs, new_sigs = {}, {}
    for f in view.files:
        old_sigs.update(signatures(view.old_roots[f.path]))
        new_sigs.update(signatures(view.new_roots[f.path]))
    for name, old in old_sigs.items():
        new = new_sigs.get(name)
        if new is None:
            continue
        for idx, ((otype, oname), (ntype, nname)) in enumerate(
            zip(old.params, new.params, strict=False)
        ):
            if ntype.strip() != "bool" or not is_word_type(otype, oname):
                continue
            callers = [(c, True) for c in _callers_in_patch(view, name, idx)]
            if repo is not None:
                callers += [(c, False) for c in _callers_in_tree(repo, view, name, idx)]
            for (path, line, arg), in_patch in callers:
                if not _whole_word(arg):
                    continue
                where = (
                    "but this caller still passes the whole flags word"
                    if in_patch
                    else f"caller at {path}:{line} (not touched by the patch) still passes the "
                    "whole word"
                )
                joiner = " " if in_patch else "; "
                message = f"{name}() now takes bool {nname}{joiner}{where} {text_of(arg)!r}"
                report.add(Finding("error", "bool-param", view.index, path, line, message))


def _calls(root: Node, name: str, idx: int):
    for node in nodes_of(root, "call_expression"):
        if text_of(node.child_by_field_name("function")) == name:
            args = [
                a
                for a in node.child_by_field_name("arguments").named_children
                if a.type != "comment"
            ]
            if idx < len(args):
                yield node, args[idx]


def _callers_in_patch(view: PatchView, name: str, idx: int):
    for f in view.files:
        nums = view.new_numbers[f.path]
        for call, arg in _calls(view.new_roots[f.path], name, idx):
            row = call.start_point[0]
            yield f.path, nums[row] if row < len(nums) else 0, arg


def _callers_in_tree(repo: Path, view: PatchView, name: str, idx: int):
    for path in _files_mentioning(repo, name):
        rel = str(path.relative_to(repo))
        touched = _changed_old_lines(view, rel)
        root = parse(path.read_text(errors="replace"))
        for call, arg in _calls(root, name, idx):
            line = call.start_point[0] + 1
            if line not in touched:
                yield rel, line, arg


def _files_mentioning(repo: Path, name: str):
    needle = name.encode()
    for top in ("mm", "fs", "include", "kernel", "ipc", "drivers", "arch", "security"):
        base = repo / top
        if not base.is_dir():
            continue
        for dirpath, _dirs, files in os.walk(base):
            for fname in files:
                if fname.endswith((".c", ".h")):
                    path = Path(dirpath) / fname
                    try:
                        if needle in path.read_bytes():
                            yield path
                    except OSError:
                        continue


def _whole_word(arg: Node) -> bool:
    """An argument that is a flags word as such, not a test of it."""
    node = arg
    while node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    if node.type in ("true", "false", "number_literal", "unary_expression", "call_expression"):
        return False
    if node.type == "binary_expression":
        op = text_of(node.child_by_field_name("operator"))
        return op in ("|", "+")  # x | VM_LOCKED is still a word
    text = text_of(node)
    return node.type in ("identifier", "field_expression") and "flags" in text


# ---------------------------------------------------------------------------------------------
# (c) bits only 64-bit builds have, bits past NUM_VMA_FLAG_BITS
# ---------------------------------------------------------------------------------------------

_64BIT_GUARDS = (
    "CONFIG_64BIT",
    "CONFIG_ARCH_USES_HIGH_VMA_FLAGS",
    "CONFIG_ARCH_HAS_PKEYS",
    "CONFIG_ARM64",
    "CONFIG_X86_USER_SHADOW_STACK",
    "CONFIG_ARM64_GCS",
    "CONFIG_HAVE_ARCH_USERFAULTFD_MINOR",
    "CONFIG_ARM64_MTE",
    "CONFIG_PPC64",
    "CONFIG_RISCV_USER_CFI",
)


def _high_bits(view: PatchView, report: CheckReport) -> None:
    for f in view.files:
        root = view.new_roots[f.path]
        nums = view.new_numbers[f.path]
        added = {ln.new_no for h in f.hunks for ln in h.lines if ln.tag == "+"}
        guarded = _guarded_rows(root)
        tools = f.path.startswith("tools/")
        for node in nodes_of(root, "identifier"):
            name = text_of(node)
            bit = registry.bit_of_name(name)
            row = node.start_point[0]
            line = nums[row] if row < len(nums) else 0
            if bit is None or line not in added or tools:
                continue
            if bit in registry.HIGH_BITS and row not in guarded:
                report.add(
                    Finding(
                        "warning",
                        "high-bit",
                        view.index,
                        f.path,
                        line,
                        f"{name} is bit {bit}, which exists only on 64-bit builds; "
                        "this use is not under a 64-bit-only config guard (on "
                        "32-bit NUM_VMA_FLAG_BITS is 32 and the bitmap op indexes "
                        "past the array)",
                    )
                )
        for node in nodes_of(root, "call_expression"):
            if text_of(node.child_by_field_name("function")) == "mk_vma_flags":
                for arg in node.child_by_field_name("arguments").named_children:
                    if arg.type == "number_literal":
                        value = int(text_of(arg).rstrip("uUlL"), 0)
                        limit = 128 if tools else registry.BITS_PER_LONG
                        row = arg.start_point[0]
                        line = nums[row] if row < len(nums) else 0
                        if value >= limit and line in added:
                            report.add(
                                Finding(
                                    "error",
                                    "high-bit",
                                    view.index,
                                    f.path,
                                    line,
                                    f"bit {value} is >= NUM_VMA_FLAG_BITS ({limit})",
                                )
                            )


def _guarded_rows(root: Node) -> set[int]:
    rows: set[int] = set()
    for node in nodes_of(root, "preproc_ifdef", "preproc_if", "preproc_elif"):
        cond = text_of(
            node.child_by_field_name("name") or node.child_by_field_name("condition") or node
        )
        if any(g in cond for g in _64BIT_GUARDS):
            rows |= set(range(node.start_point[0], node.end_point[0] + 1))
    return rows


# ---------------------------------------------------------------------------------------------
# (f) config symbols no Kconfig defines
# ---------------------------------------------------------------------------------------------

_KCONFIG_CACHE: dict[str, set[str]] = {}


def _kconfig_symbols(repo: Path) -> set[str]:
    key = str(repo.resolve())
    if key not in _KCONFIG_CACHE:
        found: set[str] = set()
        for dirpath, _dirs, files in os.walk(repo):
            if "/.git" in dirpath:
                continue
            for fname in files:
                if fname.startswith("Kconfig"):
                    text = (Path(dirpath) / fname).read_text(errors="replace")
                    found |= set(_CONFIG_RE.findall(text))
        _KCONFIG_CACHE[key] = found
    return _KCONFIG_CACHE[key]


def _unknown_configs(view: PatchView, report: CheckReport, repo: Path) -> None:
    known = _kconfig_symbols(repo)
    if not known:
        return
    for f in view.files:
        if not f.path.startswith("include/"):
            continue
        nums = view.new_numbers[f.path]
        added = {ln.new_no for h in f.hunks for ln in h.lines if ln.tag == "+"}
        for node in nodes_of(view.new_roots[f.path], "preproc_ifdef", "preproc_if", "preproc_elif"):
            row = node.start_point[0]
            line = nums[row] if row < len(nums) else 0
            if line not in added:
                continue
            body = text_of(node)
            if "VM_" not in body and "VMA_" not in body:
                continue
            cond = node.child_by_field_name("name") or node.child_by_field_name("condition")
            for ident in walk(cond) if cond is not None else []:
                name = text_of(ident)
                if (
                    ident.type == "identifier"
                    and name.startswith("CONFIG_")
                    and name[7:] not in known
                ):
                    report.add(
                        Finding(
                            "error",
                            "kconfig",
                            view.index,
                            f.path,
                            line,
                            f"{name} guards flag definitions but no Kconfig defines it (typo?)",
                        )
                    )


# ---------------------------------------------------------------------------------------------
# (a) drift between include/linux and tools/testing/vma copies
# ---------------------------------------------------------------------------------------------


def _dup_drift(views: list[PatchView], report: CheckReport, repo: Path | None) -> None:
    kernel: dict[str, Any] = {}
    tools: dict[str, Any] = {}
    for view in views:
        for f in view.files:
            added = {ln.new_no for h in f.hunks for ln in h.lines if ln.tag == "+"}
            for d in definitions(view.new_roots[f.path]):
                if d.node.has_error or not _flag_def(d):
                    continue
                nums = view.new_numbers[f.path]
                line = nums[d.start_line] if d.start_line < len(nums) else 0
                span = {
                    nums[r] for r in range(d.start_line, min(d.node.end_point[0] + 1, len(nums)))
                }
                if not span & added:
                    continue
                entry = (view.index, f.path, d, line)
                if f.path.startswith("include/linux/"):
                    kernel[d.name] = entry
                elif f.path in TOOLS_COPIES:
                    tools[d.name] = entry
    for name in sorted(set(kernel) & set(tools)):
        kidx, kpath, kdef, kline = kernel[name]
        tidx, tpath, tdef, tline = tools[name]
        ktext, ttext = _comparable(kdef), _comparable(tdef)
        if ktext == ttext:
            continue
        diff = [d for d in difflib.ndiff(ktext.split(), ttext.split()) if d[:1] in "+-"]
        idx = max(kidx, tidx)
        view = views[idx - 1] if idx - 1 < len(views) else views[-1]
        path, line = (tpath, tline) if tidx >= kidx else (kpath, kline)
        report.add(
            Finding(
                "warning",
                "dup-drift",
                view.index,
                path,
                line,
                f"{name}() differs between {kpath} (patch {kidx}) and {tpath} (patch {tidx})",
                "tokens: " + " ".join(diff[:16]),
            )
        )


def _flag_def(d: Definition) -> bool:
    return is_helper_name(d.name) or any(t in d.text for t in ("vma_flags_t", "vm_flags_t"))


def _comparable(d: Definition) -> str:
    text = normalized(d.node)
    for word in ("__always_inline", "inline", "static"):
        text = text.replace(word + " ", "")
    return text
