"""Statements a patch only moves inside one function (removed in one change block, added
unchanged in another): a statement that names no flags does not change them wherever it runs,
so each block is compared without it (June 2026 5/13 and 10/13 move `vma_set_range()` up and
back down in __install_special_mapping())."""

from __future__ import annotations

from reviewer.flagmodel.block_context import function_of
from reviewer.flagmodel.hunk_pairs import _COMMENT_LINE
from reviewer.flagmodel.tree_state import names_in


def moved_statements(view, f, blocks) -> set[tuple[str, str]]:
    """(function, statement text) of every flag-free statement removed from exactly one block
    and added, the same, in exactly one other block of that function."""
    where: dict[tuple[str, str, str], list[int]] = {}
    for block in blocks:
        func = function_of(view, f, block)
        if not func:
            continue
        for tag in "-+":
            for ln in block.changed(tag):
                key = _norm(ln.text)
                if key.endswith(";") and not _touches_flags(key):
                    where.setdefault((tag, func, key), []).append(id(block))
    out: set[tuple[str, str]] = set()
    for (tag, func, key), removed_in in where.items():
        added_in = where.get(("+", func, key))
        one_each = added_in and len(removed_in) == len(added_in) == 1
        if tag == "-" and one_each and removed_in != added_in:
            out.add((func, key))
    return out


def side_text(block, side: str, moved: set[tuple[str, str]], func: str) -> str:
    """``block.side(side)`` with the moved statements blanked (rows kept, so line numbers of the
    block still map)."""
    keep = " -" if side == "old" else " +"
    return "\n".join(
        "" if ln.tag in "-+" and (func, _norm(ln.text)) in moved else ln.text
        for ln in block.hunk.lines[block.start : block.end]
        if ln.tag in keep and not _COMMENT_LINE.match(ln.text)
    )


def _norm(text: str) -> str:
    return " ".join(text.split())


def _touches_flags(text: str) -> bool:
    """Names flags, or takes a lock (where `vma_start_write()` runs relative to a flags change
    is what the locking check judges)."""
    return any(
        "flag" in n.lower()
        or "lock" in n.lower()
        or "write" in n.lower()
        or n.startswith(("VM_", "VMA_"))
        for n in names_in(text)
    )
