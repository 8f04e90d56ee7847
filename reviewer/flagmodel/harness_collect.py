"""The helper definitions a series shows, collected for the helper harness: per patch that
adds or changes helpers, each copy's (kernel or tools/testing/vma) definitions as of it, where
each was read, and which are only support or have lines the hunks leave out. A definition the
hunks cut is read from the lines all the series' hunks show (series_defs) or rebuilt from a
base definition (def_rebuild)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.flagmodel import def_rebuild, series_defs
from reviewer.flagmodel import defs as defs_layer
from reviewer.flagmodel.c_parse import Definition, definitions, parse
from reviewer.flagmodel.tree_state import is_helper_name

if TYPE_CHECKING:
    from reviewer.flagmodel.hunk_pairs import FileDiff
    from reviewer.flagmodel.patch_view import PatchView


Location = tuple[int, str, int]  # (patch index, path, post-image line)


def group_of(path: str) -> str | None:
    if path.startswith("tools/testing/vma/"):
        return "tools"
    return "kernel" if path.startswith("include/linux/") else None


@dataclass
class Collected:
    """Per patch that adds or changes helpers: the definitions of that copy as of it; where
    each was read; which are support (shown whole but untouched, or no helper: there for the
    helpers that use them); which have lines the patch does not show (gapped)."""

    groups: list[tuple[int, str, dict[str, Definition]]]
    where: dict[int, Location]
    support: set[int]
    gapped: set[int]
    notes: list[str]
    series: series_defs.SeriesDefs | None = None  # the series' lines, pieces and renames
    # id -> (definition, the text shown of it) for definitions only headed there, as context
    heads: dict[int, tuple[Definition, str]] | None = None
    # every definition named by id above, kept alive so that no later object reuses its id
    kept: list[Definition] = field(default_factory=list)


def collect(views: list[PatchView], repo: Path | None = None) -> Collected:
    notes: list[str] = []
    current: dict[str, dict[str, Definition]] = {"kernel": {}, "tools": {}}
    where: dict[int, Location] = {}
    support: set[int] = set()
    gapped: set[int] = set()
    out: list[tuple[int, str, dict[str, Definition]]] = []
    series = series_defs.SeriesDefs(views, repo)
    heads: dict[int, tuple[Definition, str]] = {}
    kept: list[Definition] = []
    for view in views:
        touched: set[str] = set()
        for f in view.files:
            group = group_of(f.path)
            if group is None:
                continue
            added = {ln.new_no for h in f.hunks for ln in h.lines if ln.tag == "+"}
            for d, nums in _file_definitions(view, f):
                rows = nums[d.start_line : d.node.end_point[0] + 1]
                span = set(rows)
                line = nums[d.start_line] if d.start_line < len(nums) else 0
                if d.node.has_error or not _contiguous(rows):
                    whole = series.whole(f.path, view.index, d.name, line)
                    if whole is not None:
                        notes.append(
                            f"patch {view.index} {f.path}:{line}: {d.name}() is cut by the "
                            "hunks; its post-image was read from the lines the series' hunks "
                            "show of the file"
                        )
                        d, rows = whole.defn, [line]
                if d.node.has_error or not _contiguous(rows):
                    prev = current[group].get(d.name)
                    if prev is not None and (id(prev) in gapped or prev.node.has_error):
                        prev = None
                    rebuilt = _rebuild(d, f, span, prev, repo)
                    if rebuilt is not None:
                        notes.append(
                            f"patch {view.index} {f.path}:{line}: {d.name}() is cut by the "
                            f"hunks; its post-image was rebuilt from {rebuilt.origin}"
                        )
                        d, rows = rebuilt.defn, [line]  # whole now
                head = None
                if d.node.has_error or not _contiguous(rows):
                    own = series_defs.leading_run(rows)
                    if own and not set(own) & added:
                        # only its head shows, as context: the patch does not change what it
                        # shows of it; the lines glued after the gap may be another's
                        head = series.run_from(f.path, view.index, line)
                        span, rows = set(own), own
                if head is not None and not span & added and d.name not in current[group]:
                    heads[id(d)] = (d, head)  # the object kept alive: ids are not reused
                    gapped.add(id(d))
                if span & added:
                    current[group][d.name] = d
                    if not _contiguous(rows):  # parsed across lines the hunks leave out
                        gapped.add(id(d))
                    if is_helper_name(d.name):
                        touched.add(group)
                    else:  # changed, but no helper: there for the helpers that use it
                        support.add(id(d))
                elif d.name not in current[group] and _contiguous(rows):
                    current[group][d.name] = d
                    support.add(id(d))
                else:
                    continue
                where[id(d)] = (view.index, f.path, line)
                kept.append(d)
        for group in sorted(touched):
            out.append((view.index, group, dict(current[group])))
    return Collected(out, where, support, gapped, notes, series, heads, kept)


def _rebuild(
    d: Definition, f: FileDiff, span: set[int], prev: Definition | None, repo: Path | None
) -> def_rebuild.Rebuilt | None:
    """A definition the hunks cut short or split, rebuilt from a base definition (see
    def_rebuild): the series' own earlier version, else the base tree's, else the snapshot's
    (the copy of the same file first)."""
    near = {
        ln.old_no
        for h in f.hunks
        for ln in h.lines
        if ln.tag == " " and ln.old_no and ln.new_no in span
    }
    if not near:
        return None
    tiers: list[list[tuple[str, Definition]]] = []
    if prev is not None:
        tiers.append([("the series' earlier version", prev)])
    layers = []
    if repo is not None:
        layers.append(defs_layer.from_tree(str(repo)).get(d.name, []))
    layers.append(defs_layer.snapshot().get(d.name, []))
    for cands in layers:
        same = [(c.origin + " " + c.file, c.defn) for c in cands if c.file == f.path]
        other = [(c.origin + " " + c.file, c.defn) for c in cands if c.file != f.path]
        tiers += [same, other]
    try:
        return def_rebuild.rebuild(d.name, f, near, tiers)
    except Exception:  # noqa: BLE001 - odd input: the definition stays refused, with its reason
        return None


def _file_definitions(view: PatchView, f: FileDiff) -> list[tuple[Definition, list[int]]]:
    """Definitions of a file's post-image with the line numbers of the text they were
    parsed from. The whole side is parsed as one text; a definition that comes out broken there
    (glued to an unfinished construct at the end of the previous hunk) is read from its own
    hunk instead. One that is broken in both is kept as it is, so the allowlist refuses it with
    a finding rather than the helper vanishing silently."""
    nums = view.new_numbers[f.path]
    whole = [(d, nums) for d in definitions(view.new_roots[f.path])]
    found = [(d, n) for d, n in whole if not d.node.has_error]
    names = {d.name for d, _ in found}
    broken = {d.name: (d, n) for d, n in whole if d.node.has_error}
    for hunk in f.hunks:
        lines = [ln for ln in hunk.lines if ln.tag in " +"]
        root = parse("\n".join(ln.text for ln in lines))
        hunk_nums = [ln.new_no or 0 for ln in lines]
        for d in definitions(root):
            if d.name in names:
                continue
            if d.node.has_error:
                broken.setdefault(d.name, (d, hunk_nums))
            else:
                found.append((d, hunk_nums))
                names.add(d.name)
    return found + [pair for name, pair in broken.items() if name not in names]


def _contiguous(rows: list[int]) -> bool:
    return bool(rows) and all(b == a + 1 for a, b in zip(rows, rows[1:], strict=False))
