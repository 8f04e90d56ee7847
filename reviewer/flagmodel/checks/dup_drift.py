"""dup-drift: a helper whose include/linux copy and tools/testing/vma copy (dup.h,
vma_internal.h) differ after the series (compared token by token, comments and inline/static
ignored)."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reviewer.flagmodel.c_parse import Definition, definitions, normalized
from reviewer.flagmodel.findings import CheckReport, Finding, Severity
from reviewer.flagmodel.tree_state import is_helper_name

if TYPE_CHECKING:
    from reviewer.flagmodel.patch_view import PatchView

CHECK = "dup-drift"
TOOLS_COPIES = ("tools/testing/vma/include/dup.h", "tools/testing/vma/vma_internal.h")


def run(views: list[PatchView], report: CheckReport, repo: Path | None) -> None:
    if views:
        _dup_drift(views, report, repo)


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
                Severity.WARNING,
                "dup-drift",
                view.index,
                path,
                line,
                f"{name}() differs between {kpath} (patch {kidx}) and {tpath} (patch {tidx})",
                "tokens: " + " ".join(diff[:16]),
                copies=[
                    {"file": kpath, "patch": kidx, "line": kline, "text": kdef.text},
                    {"file": tpath, "patch": tidx, "line": tline, "text": tdef.text},
                ],
            )
        )


def _flag_def(d: Definition) -> bool:
    return is_helper_name(d.name) or any(t in d.text for t in ("vma_flags_t", "vm_flags_t"))


def _comparable(d: Definition) -> str:
    text = normalized(d.node)
    for word in ("__always_inline", "inline", "static"):
        text = text.replace(word + " ", "")
    return text
