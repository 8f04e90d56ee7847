"""Fold a fix-up (a diff posted in reply to a patch) into that patch, from patch text alone.

A fix-up's pre-image is the tree after the patch. Where its hunks meet the patch's hunks, the
patch's post-image lines (context and '+') must equal the fix-up's pre-image lines (context and
'-'); the combined hunk then goes from the patch's pre-image straight to the post-image with the
fix-up applied. A fix-up hunk outside every patch hunk (or in a file the patch does not touch)
shows base lines, so it becomes a hunk of its own with its line numbers moved to the patch's
pre-image. Nothing is read from a tree.

``context_only=True`` folds only what the fix-up *shows* (its context and '-' lines, as
context): the patch as posted, plus the lines of the tree after it that the fix-up reveals (a
caller the patch left unconverted is then visible to the checks).

A fix-up that does not fit (its pre-image disagrees with the patch's post-image, it renames,
creates or deletes a file the patch touches, binary content) raises ``FoldError``; callers keep
the patch as posted and say so.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import Enum

from reviewer.diff.patch import FileDiff, Hunk, parse_diff
from reviewer.errors import ReviewerError
from reviewer.models import Fixup, Patch


class FoldError(ReviewerError):
    """The fix-up cannot be folded into the patch from the patch text."""


class Kind(Enum):
    BASE = "base"  # a line of the pre-image the patch keeps
    PATCH_REMOVED = "patch-removed"
    PATCH_ADDED = "patch-added"
    FIX_ADDED = "fix-added"


@dataclass
class _Line:
    tag: str  # " ", "-", "+"
    text: str
    origin: str = ""  # message-id of the fix-up a '+'/'-' line comes from; "" = the patch


@dataclass
class _Hunk:
    old_start: int
    old_len: int
    new_start: int
    new_len: int
    section: str
    lines: list[_Line]

    def span(self, side: str) -> tuple[int, int]:
        """[start, end) on one side; an empty side sits after its start line."""
        start, length = (
            (self.old_start, self.old_len) if side == "old" else (self.new_start, self.new_len)
        )
        return (start, start + length) if length else (start + 1, start + 1)


@dataclass
class _File:
    diff: FileDiff  # paths and header lines
    hunks: list[_Hunk]


@dataclass
class _Entry:
    kind: Kind
    text: str
    mpos: int | None  # line number after the patch (the fix-up's pre-image)
    origin: str = ""
    fix_removed: str = ""  # message-id of the fix-up removing this line


@dataclass
class Folded:
    """A patch with its fix-ups folded in (or the ones that fitted)."""

    patch: Patch
    folded: list[Fixup] = field(default_factory=list)
    failed: list[tuple[Fixup, str]] = field(default_factory=list)  # (fix-up, why)
    # post-image lines that come from a fix-up: {path: {line: fix-up message-id}}
    fixup_lines: dict[str, dict[int, str]] = field(default_factory=dict)


def fold_patch(patch: Patch, context_only: bool = False) -> Folded:
    """The patch with each of its fix-ups folded in, in posting order; a fix-up that does not
    fit is left out and listed in ``failed``. A patch without fix-ups is returned as it is
    (its diff is not read)."""
    if not patch.fixups:
        return Folded(patch)
    return _fold_all(patch, _files(patch.diff, ""), context_only)


def fold_both(patch: Patch) -> tuple[Folded, Folded]:
    """``(fold_patch(patch, context_only=True), fold_patch(patch))`` from one parse of the
    patch's diff (folding builds new files and hunks; it never edits the parsed ones)."""
    if not patch.fixups:
        return Folded(patch), Folded(patch)
    files = _files(patch.diff, "")
    return _fold_all(patch, files, True), _fold_all(patch, files, False)


def _fold_all(patch: Patch, files: list[_File], context_only: bool) -> Folded:
    out = Folded(patch)
    for fixup in patch.fixups:
        try:
            files = _fold(files, fixup, context_only)
        except FoldError as exc:
            out.failed.append((fixup, str(exc)))
            continue
        except Exception as exc:  # noqa: BLE001 - mail is hostile: a bad fix-up is a reason, never a traceback
            out.failed.append((fixup, f"unreadable fix-up: {exc!r}"))
            continue
        out.folded.append(fixup)
    if out.folded:
        out.patch = dataclasses.replace(patch, diff=_render(files))
        out.fixup_lines = _origins(files)
    return out


# -- parse / render -----------------------------------------------------------------------------


def _files(text: str, origin: str) -> list[_File]:
    out = []
    for fd in parse_diff(text).files:
        if fd.binary:
            raise FoldError(f"{fd.path}: binary content")
        hunks = [
            _Hunk(
                h.old_start,
                h.old_len,
                h.new_start,
                h.new_len,
                h.section,
                [
                    _Line(ln[:1], ln[1:], origin if ln[:1] in "+-" else "")
                    for ln in h.lines
                    if ln[:1] in (" ", "-", "+")
                ],
            )  # fmt: skip
            for h in fd.hunks
        ]
        out.append(_File(fd, hunks))
    return out


def _render(files: list[_File]) -> str:
    out: list[str] = []
    for f in files:
        old, new = f.diff.old_path, f.diff.new_path
        out.append(f"diff --git a/{old or new} b/{new or old}")
        out += f.diff.headers
        if f.diff.index:
            out.append(f.diff.index)
        out.append(f"--- a/{old}" if old else "--- /dev/null")
        out.append(f"+++ b/{new}" if new else "+++ /dev/null")
        for h in f.hunks:
            hunk = Hunk(h.old_start, h.old_len, h.new_start, h.new_len, h.section,
                        [ln.tag + ln.text for ln in h.lines])  # fmt: skip
            out.append(hunk.text())
    return "\n".join(out) + "\n"


def _origins(files: list[_File]) -> dict[str, dict[int, str]]:
    out: dict[str, dict[int, str]] = {}
    for f in files:
        for h in f.hunks:
            line = h.new_start
            for ln in h.lines:
                if ln.tag == "+" and ln.origin:
                    out.setdefault(f.diff.path, {})[line] = ln.origin
                if ln.tag in " +":
                    line += 1
    return out


# -- folding -------------------------------------------------------------------------------------


def _as_context(f: _File) -> _File:
    hunks = []
    for h in f.hunks:
        lines = [_Line(" ", ln.text) for ln in h.lines if ln.tag in " -"]
        hunks.append(_Hunk(h.old_start, h.old_len, h.old_start, h.old_len, h.section, lines))
    return _File(f.diff, hunks)


def _fold(files: list[_File], fixup: Fixup, context_only: bool) -> list[_File]:
    fixes = _files(fixup.diff, fixup.message_id)
    if not fixes:
        raise FoldError("the fix-up has no diff")
    out = list(files)
    by_path = {f.diff.new_path: i for i, f in enumerate(out) if f.diff.new_path}
    for fix in fixes:
        if context_only:
            fix = _as_context(fix)
        path = fix.diff.old_path
        if path is None or fix.diff.new_path != path or fix.diff.headers:
            if path in by_path or fix.diff.new_path in by_path:
                raise FoldError(f"{fix.diff.path}: the fix-up creates, deletes or renames it")
            out.append(fix)  # a file of its own (rare in a fix-up)
            continue
        if path not in by_path:
            out.append(fix)  # the patch does not touch it: the fix-up's hunks show base lines
            by_path[path] = len(out) - 1
            continue
        target = out[by_path[path]]
        out[by_path[path]] = _File(target.diff, _fold_hunks(path, target.hunks, fix.hunks))
    return out


def _same(a: str, b: str) -> bool:
    return a.split() == b.split()  # mail mangles whitespace; a line's words must agree


def _fold_hunks(path: str, patch_hunks: list[_Hunk], fix_hunks: list[_Hunk]) -> list[_Hunk]:
    """One file: patch hunks (pre-image -> middle) and fix-up hunks (middle -> post-image)."""
    items = [("p", h.span("new"), h) for h in patch_hunks]
    items += [("f", h.span("old"), h) for h in fix_hunks]
    items.sort(key=lambda item: (item[1][0], item[0] == "f"))
    clusters: list[list[tuple[str, tuple[int, int], _Hunk]]] = []
    end = None
    for item in items:
        start, stop = item[1]
        if clusters and end is not None and start <= end:
            clusters[-1].append(item)
            end = max(end, stop)
        else:
            clusters.append([item])
            end = stop
    out = []
    for cluster in clusters:
        u0 = min(span[0] for _, span, _ in cluster)
        pre_shift = sum(
            h.new_len - h.old_len for h in patch_hunks if h.span("new")[1] <= u0
            and all(h is not c for _, _, c in cluster)
        )  # fmt: skip
        post_shift = sum(
            h.new_len - h.old_len for h in fix_hunks if h.span("old")[1] <= u0
            and all(h is not c for _, _, c in cluster)
        )  # fmt: skip
        entries = _entries(path, cluster)
        out.append(_emit(entries, u0 - pre_shift, u0 + post_shift, cluster))
    return out


def _entries(path: str, cluster) -> list[_Entry]:
    """The cluster's lines after the patch, with the patch's removals in place, then each fix-up
    hunk applied on top."""
    known: dict[int, str] = {}
    for kind, _, h in cluster:
        if kind == "f":
            m = h.span("old")[0]
            for ln in h.lines:
                if ln.tag in " -":
                    if m in known and not _same(known[m], ln.text):
                        raise FoldError(f"{path}:{m}: two fix-up hunks disagree")
                    known[m] = ln.text
                    m += 1
    u0 = min(span[0] for _, span, _ in cluster)
    u1 = max(span[1] for _, span, _ in cluster)
    seq: list[_Entry] = []
    cur = u0

    def fill(upto: int) -> None:
        nonlocal cur
        for m in range(cur, upto):
            if m not in known:
                raise FoldError(f"{path}:{m}: a line neither the patch nor the fix-up shows")
            seq.append(_Entry(Kind.BASE, known[m], m))
        cur = max(cur, upto)

    for kind, span, h in cluster:
        if kind != "p":
            continue
        fill(span[0])
        m = span[0]
        for ln in h.lines:
            if ln.tag == "-":
                seq.append(_Entry(Kind.PATCH_REMOVED, ln.text, None, ln.origin))
                continue
            kind_ = Kind.BASE if ln.tag == " " else Kind.PATCH_ADDED
            if m in known and not _same(known[m], ln.text):
                raise FoldError(
                    f"{path}:{m}: the fix-up expects {known[m].strip()!r}, "
                    f"the patch has {ln.text.strip()!r}"
                )
            seq.append(_Entry(kind_, ln.text, m, ln.origin))
            m += 1
        cur = max(cur, m)
    fill(u1)
    for kind, span, h in cluster:
        if kind == "f":
            _apply(path, seq, span[0], h)
    return seq


def _apply(path: str, seq: list[_Entry], start: int, h: _Hunk) -> None:
    by_m = {e.mpos: e for e in seq if e.mpos is not None}
    m = start
    pending: list[_Entry] = []

    def flush(before: _Entry | None) -> None:
        if not pending:
            return
        at = len(seq) if before is None else next(i for i, e in enumerate(seq) if e is before)
        seq[at:at] = pending
        pending.clear()

    for ln in h.lines:
        if ln.tag == "+":
            pending.append(_Entry(Kind.FIX_ADDED, ln.text, None, ln.origin))
            continue
        entry = by_m.get(m)
        if entry is None:
            raise FoldError(f"{path}:{m}: the fix-up reaches past what the patch shows")
        flush(entry)
        if ln.tag == "-":
            if entry.fix_removed:
                raise FoldError(f"{path}:{m}: removed twice")
            entry.fix_removed = ln.origin or "fix-up"
        m += 1
    flush(by_m.get(m))


def _emit(entries: list[_Entry], old_start: int, new_start: int, cluster) -> _Hunk:
    lines: list[_Line] = []
    for e in entries:
        if e.kind is Kind.PATCH_REMOVED:
            lines.append(_Line("-", e.text, e.origin))
        elif e.kind is Kind.BASE:
            lines.append(_Line("-", e.text, e.fix_removed) if e.fix_removed else _Line(" ", e.text))
        elif e.kind is Kind.PATCH_ADDED:
            if not e.fix_removed:
                lines.append(_Line("+", e.text, e.origin))
        else:
            lines.append(_Line("+", e.text, e.origin))
    old_len = sum(1 for ln in lines if ln.tag in " -")
    new_len = sum(1 for ln in lines if ln.tag in " +")
    section = next((h.section for _, _, h in cluster if h.section), "")
    return _Hunk(
        old_start if old_len else old_start - 1,
        old_len,
        new_start if new_len else new_start - 1,
        new_len,
        section,
        lines,
    )
