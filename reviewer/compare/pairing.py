"""Pair the patches of two revisions: same code, same subject, or similar changes.

Handles added, dropped and reordered patches, and recognises a patch split into several (or
several merged into one) by how much of its changed lines the other side contains.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reviewer.diff.patch import PatchDiff, parse_diff
from reviewer.models import Patch

SIMILAR = 0.5  # minimum similarity for pairing patches whose subject changed
CONTAINED = 0.6  # share of a patch's changed lines found in another for split/merge


@dataclass
class Side:
    patch: Patch
    diff: PatchDiff
    lines: set[str] = field(default_factory=set)


@dataclass
class Pair:
    old: Side | None
    new: Side | None
    how: str  # "code" | "subject" | "similar" | "added" | "removed"
    note: str = ""  # e.g. "split from 3", "merged into 5", "moved from 2"


def sides(patches: list[Patch]) -> list[Side]:
    out = []
    for patch in patches:
        diff = parse_diff(patch.diff)
        out.append(Side(patch, diff, set(diff.change_lines())))
    return out


def pair_patches(old_patches: list[Patch], new_patches: list[Patch]) -> list[Pair]:
    old, new = sides(old_patches), sides(new_patches)
    pairs: list[Pair] = []
    free_old, free_new = list(old), list(new)
    for how, match in (("code", _same_code), ("subject", _same_subject)):
        for n in list(free_new):
            o = next((o for o in free_old if match(o, n)), None)
            if o is not None:
                pairs.append(Pair(o, n, how))
                free_old.remove(o)
                free_new.remove(n)
    _pair_similar(free_old, free_new, pairs)
    pairs += [Pair(None, n, "added") for n in free_new]
    pairs += [Pair(o, None, "removed") for o in free_old]
    _note_splits_and_merges(pairs)
    _note_moves(pairs)
    return sorted(pairs, key=_order)


def _same_code(a: Side, b: Side) -> bool:
    return bool(a.diff.files) and a.diff.change_key == b.diff.change_key


def _same_subject(a: Side, b: Side) -> bool:
    return normalise(a.patch.subject) == normalise(b.patch.subject)


def normalise(subject: str) -> str:
    return " ".join(subject.lower().split())


def similarity(a: Side, b: Side) -> float:
    if not a.lines and not b.lines:
        return 0.0
    return len(a.lines & b.lines) / len(a.lines | b.lines)


def _pair_similar(free_old: list[Side], free_new: list[Side], pairs: list[Pair]) -> None:
    scored = sorted(
        ((similarity(o, n), i, j) for i, o in enumerate(free_old) for j, n in enumerate(free_new)),
        reverse=True,
    )
    used_old: set[int] = set()
    used_new: set[int] = set()
    for score, i, j in scored:
        if score < SIMILAR:
            break
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        pairs.append(Pair(free_old[i], free_new[j], "similar", f"{score:.0%} similar"))
    free_old[:] = [o for i, o in enumerate(free_old) if i not in used_old]
    free_new[:] = [n for j, n in enumerate(free_new) if j not in used_new]


def _contained(part: Side, whole: Side) -> float:
    return len(part.lines & whole.lines) / len(part.lines) if part.lines else 0.0


def _note_splits_and_merges(pairs: list[Pair]) -> None:
    olds = [p.old for p in pairs if p.old]
    news = [p.new for p in pairs if p.new]
    for pair in pairs:
        if pair.how == "added" and pair.new:
            src = max(olds, key=lambda o: _contained(pair.new, o), default=None)
            if src and _contained(pair.new, src) >= CONTAINED:
                pair.note = f"split from {src.patch.index}"
        elif pair.how == "removed" and pair.old:
            dst = max(news, key=lambda n: _contained(pair.old, n), default=None)
            if dst and _contained(pair.old, dst) >= CONTAINED:
                pair.note = f"merged into {dst.patch.index}"


def _note_moves(pairs: list[Pair]) -> None:
    """Mark pairs whose relative order changed (not those merely shifted by added patches)."""
    matched = sorted((p for p in pairs if p.old and p.new), key=lambda p: p.new.patch.index)
    keep = _longest_increasing([p.old.patch.index for p in matched])
    for k, pair in enumerate(matched):
        if k not in keep:
            moved = f"moved from {pair.old.patch.index}"
            pair.note = f"{pair.note}; {moved}" if pair.note else moved


def _longest_increasing(seq: list[int]) -> set[int]:
    """Positions of one longest increasing subsequence (O(n^2), series are short)."""
    if not seq:
        return set()
    best = [1] * len(seq)
    prev = [-1] * len(seq)
    for i in range(len(seq)):
        for j in range(i):
            if seq[j] < seq[i] and best[j] + 1 > best[i]:
                best[i], prev[i] = best[j] + 1, j
    i = max(range(len(seq)), key=best.__getitem__)
    out = set()
    while i >= 0:
        out.add(i)
        i = prev[i]
    return out


def _order(pair: Pair) -> tuple[int, int]:
    if pair.new:
        return (pair.new.patch.index, 0)
    return (pair.old.patch.index if pair.old else 0, 1)
