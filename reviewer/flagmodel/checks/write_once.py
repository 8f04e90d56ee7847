"""write-once: WRITE_ONCE() of a whole vma_flags_t.

WRITE_ONCE() gives single-copy atomicity only for a machine word; a vma_flags_t is an array of
BITS_TO_LONGS(NUM_VMA_FLAG_BITS) words, so once the flags are wider than a word the store tears
(or fails to build). The legacy vm_flags_reset_once() wrote only the first word once and the
rest normally; its vma_flags_t replacement must do the same. Warning at each WRITE_ONCE() on an
added line whose stored value is a vma_flags_t (a name declared `vma_flags_t`, or `*p` for a
`vma_flags_t *p`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.flagmodel.c_parse import nodes_of, text_of
from reviewer.flagmodel.checks import common
from reviewer.flagmodel.checks.flags_type import is_whole_flags
from reviewer.flagmodel.findings import CheckReport, Finding, Severity

if TYPE_CHECKING:
    from reviewer.flagmodel.patch_view import PatchView

CHECK = "write-once"


def run(views: list[PatchView], report: CheckReport, repo: Path | None) -> None:
    for view in views:
        for f in common.c_files(view):
            root = view.new_roots[f.path]
            added = common.added_lines(f)
            for call in nodes_of(root, "call_expression"):
                if text_of(call.child_by_field_name("function")) != "WRITE_ONCE":
                    continue
                line = common.line_at(view, f.path, call.start_point[0])
                args = call.child_by_field_name("arguments").named_children
                if line not in added or len(args) != 2 or not is_whole_flags(root, args[1]):
                    continue
                report.add(
                    Finding(
                        Severity.WARNING,
                        CHECK,
                        view.index,
                        f.path,
                        line,
                        f"WRITE_ONCE({text_of(args[0])}, {text_of(args[1])}) stores a whole "
                        "vma_flags_t: only a single word is written once, so with "
                        "NUM_VMA_FLAG_BITS > BITS_PER_LONG the store tears (or does not build); "
                        "write the first word once and copy the rest, as vm_flags_reset_once() "
                        "did",
                    )
                )
