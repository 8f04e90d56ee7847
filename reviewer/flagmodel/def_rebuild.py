"""Post-image of a definition the patch shows only in part, rebuilt from its base definition.

A hunk often cuts a helper short (a changed signature with three lines of its body) or shows
it in two hunks with lines between them left out. Such a definition cannot be compiled from the
patch text alone. When a base definition of the same name is known (an earlier patch of the
series, the base tree read through git, the shipped API snapshot), the hunks of the file are
applied to it — only if every line the hunks show of the old side (context and removed lines)
at their real line numbers is exactly the base definition's line at that place. The lines the
patch does not show then come from the base; nothing is guessed. Two bases that both fit but
give different results leave the definition refused (unverified), as does any mismatch.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reviewer.flagmodel.c_parse import Definition, blank_attributes, definitions, parse
from reviewer.flagmodel.hunk_pairs import FileDiff


@dataclass(frozen=True)
class Rebuilt:
    defn: Definition  # parsed from the rebuilt text (no parse error)
    origin: str  # where the base came from
    text: str


def _old_side(f: FileDiff) -> tuple[dict[int, str], set[int], dict[int, list[str]]]:
    """Old line number -> text of every shown old line, the removed ones, and the added lines
    that follow each old line (the insertion points of the new side)."""
    shown: dict[int, str] = {}
    removed: set[int] = set()
    after: dict[int, list[str]] = {}
    for hunk in f.hunks:
        last = hunk.old_start - 1
        for ln in hunk.lines:
            if ln.tag in " -" and ln.old_no:
                shown[ln.old_no] = ln.text
                last = ln.old_no
                if ln.tag == "-":
                    removed.add(ln.old_no)
            elif ln.tag == "+":
                after.setdefault(last, []).append(ln.text)
    return shown, removed, after


def _norm(line: str) -> str:
    """A line's tokens: white space is not significant in C outside string literals (which
    the harness allowlist refuses anyway), and copies of a helper are indented differently.
    Attribute macros are blanked as the parser blanks them: a definition's text (from the
    series, the tree or the snapshot) reads `inline` where the patch line has
    `__always_inline`."""
    return " ".join(blank_attributes(line).split())


def _offsets(base: list[str], shown: dict[int, str], near: set[int]) -> list[int]:
    """Old line numbers where the base definition can start: every shown old line inside it
    equals the base line there, and it covers at least one of the `near` lines (the old lines
    of the hunks that show the definition being rebuilt)."""
    first = _norm(base[0])
    out = []
    for start, text in shown.items():
        if _norm(text) != first:
            continue
        span = range(start, start + len(base))
        if not any(n in near for n in span):
            continue
        if all(_norm(shown[n]) == _norm(base[n - start]) for n in span if n in shown):
            out.append(start)
    return out


def _apply(
    base: list[str],
    start: int,
    shown: dict[int, str],
    removed: set[int],
    after: dict[int, list[str]],
) -> str:
    """The base with the hunks applied: shown lines as the patch has them, the others from the
    base, removed lines dropped, added lines inserted where the hunks put them."""
    out: list[str] = []
    end = start + len(base) - 1
    for n in range(start, end + 1):
        if n not in removed:
            out.append(shown.get(n, base[n - start]))
        if n < end or n in removed:  # lines added after the closing line are not the body's
            out.extend(after.get(n, []))
    return "\n".join(out) + "\n"


def rebuild(
    name: str, f: FileDiff, near: set[int], tiers: Iterable[Iterable[tuple[str, Definition]]]
) -> Rebuilt | None:
    """The post-image of definition `name` in file `f`: the hunks applied to the base
    definitions of the first tier (best first: the series' own earlier version, the base tree,
    the snapshot's copy of the same file, other copies) in which any fits. `near` are the old
    line numbers of the hunk lines that show the definition. None when no base fits, or when
    the fitting bases of that tier give different results."""
    shown, removed, after = _old_side(f)
    for tier in tiers:
        found: dict[str, Rebuilt] = {}
        for origin, base in tier:
            lines = base.text.split("\n")
            starts = _offsets(lines, shown, near)
            if len(starts) != 1:
                continue
            text = _apply(lines, starts[0], shown, removed, after)
            root = parse(text)
            got = [d for d in definitions(root) if d.name == name and not d.node.has_error]
            if len(got) != 1 or root.has_error:
                continue
            key = "\n".join(_norm(t) for t in text.split("\n"))
            found.setdefault(key, Rebuilt(got[0], origin, text))
        if found:
            return next(iter(found.values())) if len(found) == 1 else None
    return None
