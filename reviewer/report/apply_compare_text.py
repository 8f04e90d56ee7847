"""Plain-text rendering of apply, compare and verify-applied results (mail text sanitised)."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from reviewer.compare.revisions import Comparison
from reviewer.constants import PairClass
from reviewer.sanitize import clean_line, clean_text

if TYPE_CHECKING:  # apply (and GitPython under it) loads only when a result is rendered
    from reviewer.apply.am import ApplyResult
    from reviewer.apply.verify import VerifyResult


def _indent(text: str, prefix: str = "      ") -> list[str]:
    return [prefix + line for line in clean_text(text).splitlines()]


def render_apply(result: ApplyResult) -> list[str]:
    from reviewer.apply.am import FAILED

    lines = [
        f"{result.revision} on {result.base[:12]} ({result.base_source}) -> {result.ref}",
    ]
    for p in result.patches:
        lines.append(f"  {p.index:>3}  {p.status:<18}  {clean_line(p.subject)}")
        if p.status != FAILED:
            continue
        if p.error:
            lines.append(f"       {clean_line(p.error)}")
        for f in p.failures:
            where = f"{f.file} {f.hunk}" if f.hunk else f.file
            lines.append(f"       {clean_line(where)}: {f.reason}")
            if f.last_commit:
                lines.append(f"       last changed there by {clean_line(f.last_commit)}")
            if f.expected_vs_tree:
                lines += _indent(f.expected_vs_tree, "         ")
    applied = sum(p.status != FAILED for p in result.patches)
    lines.append(f"{applied}/{len(result.patches)} patches applied; tip {result.tip[:12]}")
    return lines


def render_comparison(cmp: Comparison, diffs: bool = True) -> list[str]:
    lines = [f"{cmp.from_label} -> {cmp.to_label}: {clean_line(cmp.verdict)}"]
    for p in cmp.pairs:
        frm = "-" if p.from_index is None else str(p.from_index)
        to = "-" if p.to_index is None else str(p.to_index)
        note = f"  [{clean_line(p.note)}]" if p.note else ""
        lines.append(f"  {frm:>3} -> {to:<3} {p.classification:<13} {clean_line(p.subject)}{note}")
        if p.classification == PairClass.CODE_CHANGED and p.files:
            files = clean_line(", ".join(p.files))
            lines += textwrap.wrap(files, 100, initial_indent="       files: ",
                                   subsequent_indent=" " * 14, break_on_hyphens=False)  # fmt: skip
        if p.stale_trailers:
            stale = "; ".join(p.stale_trailers)
            lines.append(f"       stale: {clean_line(stale)}")
        if diffs and p.interdiff:
            lines += _indent(p.interdiff)
        if diffs and p.message_diff and p.classification == PairClass.MESSAGE_ONLY:
            lines += _indent(p.message_diff)
    return lines


def render_verify(result: VerifyResult, diffs: bool = True) -> list[str]:
    lines = [f"{result.revision} vs {clean_line(result.branch)} ({result.searched})"]
    for p in result.patches:
        commit = f"{p.commit} ({p.matched_by})" if p.commit else ""
        lines.append(f"  {p.index:>3}  {p.status:<26} {commit:<24} {clean_line(p.subject)}")
        if p.files:
            lines.append(f"       files: {clean_line(', '.join(p.files))}")
        if diffs:
            for diff in p.diffs.values():
                lines += _indent(diff)
            if p.message_diff:
                lines += _indent(p.message_diff)
    return lines
