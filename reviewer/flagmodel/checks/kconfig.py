"""kconfig: a CONFIG_ symbol on an added line that no Kconfig defines (a typo such as
CONFIG_STACK_GROWS_UP for CONFIG_STACK_GROWSUP silently compiles the other branch).

With --repo: checked against every Kconfig file of the tree (read through git objects at HEAD,
tools/ included) plus the `config` entries the series itself adds: error, with the nearest
existing symbol. Without a tree: checked against the symbols the model knows (its bit-table gates
and 64-bit guards) and the symbols the series' context and removed lines use (those exist): a
near miss (edit distance 1, or 2 for long names) of a known symbol is a warning naming it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.flagmodel import registry
from reviewer.flagmodel.checks import common, snapshot, tree
from reviewer.flagmodel.findings import CheckReport, Finding, Severity
from reviewer.flagmodel.tree_state import names_in

if TYPE_CHECKING:
    from reviewer.flagmodel.patch_view import PatchView

CHECK = "kconfig"
_KCONFIG_ENTRY = re.compile(r"^\s*(?:menu)?config\s+([A-Za-z0-9_]+)\s*$")


def run(views: list[PatchView], report: CheckReport, repo: Path | None) -> None:
    in_tree = tree.kconfig_symbols(repo) if repo is not None else frozenset()
    added_by_series = _series_kconfig(views)
    known = _known(views) | {"CONFIG_" + s for s in added_by_series}
    for view in views:
        for f in common.c_files(view):
            seen: set[tuple[int, str]] = set()
            for use in common.added_uses(view, f):
                sym = use.name
                if not sym.startswith("CONFIG_") or (use.line, sym) in seen:
                    continue
                seen.add((use.line, sym))
                base = sym[7:].removesuffix("_MODULE")
                if in_tree:
                    if base in in_tree or base in added_by_series:
                        continue
                    near = _nearest(base, in_tree | added_by_series)
                    hint = f"; did you mean CONFIG_{near}?" if near else ""
                    report.add(
                        Finding(
                            Severity.ERROR,
                            CHECK,
                            view.index,
                            f.path,
                            use.line,
                            f"{sym} is defined by no Kconfig file of the tree (typo?){hint}",
                        )
                    )
                    continue
                if "CONFIG_" + base in known:
                    continue
                near = _nearest(base, {k[7:] for k in known})
                if near:
                    report.add(
                        Finding(
                            Severity.WARNING,
                            CHECK,
                            view.index,
                            f.path,
                            use.line,
                            f"{sym} is not a symbol the model or the series knows, and it is one "
                            f"typo away from CONFIG_{near}: check the spelling (run with --repo "
                            "to check against the tree's Kconfig files)",
                        )
                    )


def _series_kconfig(views: list[PatchView]) -> set[str]:
    out: set[str] = set()
    for view in views:
        for f in view.files:
            if not f.path.split("/")[-1].startswith("Kconfig"):
                continue
            for h in f.hunks:
                for ln in h.lines:
                    m = _KCONFIG_ENTRY.match(ln.text) if ln.tag in " +" else None
                    if m:
                        out.add(m.group(1))
    return out


def _known(views: list[PatchView]) -> set[str]:
    known = set(snapshot.KNOWN_SYMBOLS)
    for cond in registry.CONFIG_BITS.values():
        known |= {n for n in names_in(cond.lstrip("!")) if n.startswith("CONFIG_")}
    known |= {n for n in names_in(snapshot.DEFINITIONS) if n.startswith("CONFIG_")}
    for view in views:
        for f in view.files:
            for h in f.hunks:
                for ln in h.lines:
                    if ln.tag in " -" and "CONFIG_" in ln.text:
                        known |= {n for n in common.line_names(ln.text) if n.startswith("CONFIG_")}
    return known


def _distance(a: str, b: str, limit: int = 3) -> int:
    """Edit distance counting a swap of two adjacent characters as one edit (optimal string
    alignment), giving up (returning `limit`) once it reaches `limit`."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            best = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, prev2[j - 2] + 1)
            cur.append(best)
        if min(cur) >= limit:
            return limit
        prev2, prev = prev, cur
    return min(prev[-1], limit)


def _nearest(name: str, candidates: set[str] | frozenset[str]) -> str:
    """The closest candidate within the near-miss distance (1, or 2 for names of 8+ chars)."""
    allowed = 2 if len(name) >= 8 else 1
    best, best_d = "", allowed + 1
    for cand in candidates:
        if cand == name or abs(len(cand) - len(name)) > allowed:
            continue
        d = _distance(name, cand, allowed + 1)
        if d < best_d or (d == best_d and cand < best):
            best, best_d = cand, d
    return best if best_d <= allowed else ""
