"""Review comments on diff lines: written on one revision's patch, found again in later ones.

A comment is anchored to one diff line (its file, side, line number, text and the two lines
above it), to a whole hunk (shown and quoted after the hunk), or to the patch as a whole. On a
later revision the comment follows the patch through reviewer.compare.pairing and is placed on the
line with the same text in the same file (the context and the nearest line number break ties);
when that line is gone the comment is shown as outdated. Comment bodies are the reviewer's own
text; anchors come from mail and are only ever compared and displayed inert.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from reviewer.diff.anchor import DiffPos, Kind, hunk_end, is_code, positions
from reviewer.errors import ReviewerError
from reviewer.models import Patch, Revision, Series
from reviewer.store import review as rs
from reviewer.store.core import Store

CONTEXT_LINES = 2
PATCH_LEVEL = -1  # row of a comment on the patch as a whole


class Side(StrEnum):
    NEW = "new"  # an added or context line, by post-image line number
    OLD = "old"  # a removed line, by pre-image line number
    HUNK = "hunk"  # the hunk holding that line
    PATCH = "patch"  # the patch as a whole


@dataclass
class Placed:
    """A comment as it shows on one patch: under diff line ``row`` (PATCH_LEVEL: above the diff;
    None: outdated, its line is gone)."""

    comment: rs.CommentRow
    row: int | None
    written_on: str  # label of the revision it was written on
    own: bool  # written on this very patch

    @property
    def outdated(self) -> bool:
        return self.row is None

    def to_json(self) -> dict:
        c = self.comment
        return {
            "id": c.id,
            "file": c.file,
            "side": c.side,
            "line": c.line,
            "anchor": c.anchor,
            "body": c.body,
            "finding_id": c.finding_id,
            "written_on": self.written_on,
            "own": self.own,
            "outdated": self.outdated,
            "diff_line": self.row,
            "created": c.created,
            "updated": c.updated,
        }


def _context(lines: list[DiffPos], pos: DiffPos) -> str:
    """The code lines just above ``pos`` in its hunk (at most CONTEXT_LINES)."""
    above: list[str] = []
    at = pos.index - 1
    while at >= 0 and len(above) < CONTEXT_LINES and lines[at].hunk == pos.hunk:
        if is_code(lines[at]):
            above.append(lines[at].text)
        at -= 1
    return "\n".join(reversed(above))


def anchor_at(diff: str, index: int, side: Side | None = None) -> tuple[str, Side, int, str, str]:
    """(file, side, line, anchor text, context) of diff line ``index``; Side.HUNK anchors the
    first changed line of its hunk."""
    lines = positions(diff)
    if not 0 <= index < len(lines):
        raise ReviewerError(f"the diff has no line {index + 1}")
    pos = lines[index]
    if side == Side.HUNK:
        if pos.hunk < 0:
            raise ReviewerError("not inside a hunk")
        changed = [p for p in lines if p.hunk == pos.hunk and p.kind in (Kind.ADD, Kind.DEL)]
        first = changed[0] if changed else lines[pos.hunk + 1]
        return first.file, Side.HUNK, first.new or first.old, first.text, _context(lines, first)
    if not is_code(pos):
        raise ReviewerError("not on a line of code (use the hunk or the patch as a whole)")
    side = Side.OLD if pos.kind == Kind.DEL else Side.NEW
    number = pos.old if side == Side.OLD else pos.new
    return pos.file, side, number, pos.text, _context(lines, pos)


def find_line(diff: str, file: str, line: int, side: Side = Side.NEW) -> int:
    """The diff line index of ``file:line`` (post-image, or pre-image for Side.OLD)."""
    for pos in positions(diff):
        if pos.file != file or not is_code(pos):
            continue
        if side == Side.OLD:
            if pos.kind == Kind.DEL and pos.old == line:
                return pos.index
        elif pos.kind != Kind.DEL and pos.new == line:
            return pos.index
    raise ReviewerError(f"the patch's diff has no {side} line {file}:{line}")


def add(
    store: Store, series: Series, patch: Patch, body: str, index: int | None = None,
    side: Side | None = None, finding_id: str = "",
) -> int:  # fmt: skip
    """Store a comment on diff line ``index`` (None: the patch as a whole); returns its id."""
    body = body.strip("\n")
    if not body.strip():
        raise ReviewerError("empty comment")
    if index is None or side == Side.PATCH:
        file, side, line, anchor, context = "", Side.PATCH, 0, "", ""
    else:
        file, side, line, anchor, context = anchor_at(patch.diff, index, side)
    row = rs.CommentRow(0, series.id, patch.message_id, file, str(side), line, anchor, context,
                        body, finding_id, "", "")  # fmt: skip
    with store.transaction():
        return rs.add_comment(store, row)


def edit(store: Store, comment_id: int, body: str) -> None:
    """New text for a comment; empty text deletes it."""
    with store.transaction():
        found = (
            rs.update_comment_body(store, comment_id, body.strip("\n"))
            if body.strip()
            else rs.delete_comment(store, comment_id)
        )
    if not found:
        raise ReviewerError(f"no comment #{comment_id}")


def delete(store: Store, comment_id: int) -> None:
    with store.transaction():
        if not rs.delete_comment(store, comment_id):
            raise ReviewerError(f"no comment #{comment_id}")


def from_finding(store: Store, series: Series, patch: Patch, finding) -> int:
    """Adopt a flag-model finding as a comment on its line (its message and counterexample as
    the starting text); adopting the same finding again returns the comment made before."""
    for c in rs.series_comments(store, series.id):
        if c.finding_id == finding.id and c.patch_message_id == patch.message_id:
            return c.id
    body = finding.message + (f"\n\n{finding.counterexample}" if finding.counterexample else "")
    try:
        index: int | None = find_line(patch.diff, finding.file, finding.line)
    except ReviewerError:
        index = None
    return add(store, series, patch, body, index, finding_id=finding.id)


def locate(comment: rs.CommentRow, lines: list[DiffPos]) -> int | None:
    """The diff line a comment shows under in this diff, or None when its line is gone."""
    if comment.side == Side.PATCH:
        return PATCH_LEVEL
    same = [p for p in lines if p.file == comment.file and is_code(p) and p.text == comment.anchor]
    if not same:
        return None
    wanted = comment.context.splitlines()

    def score(pos: DiffPos) -> tuple[int, int]:
        got = _context(lines, pos).splitlines()
        agree = sum(a == b for a, b in zip(reversed(wanted), reversed(got), strict=False))
        number = pos.old if pos.kind == Kind.DEL else pos.new
        return (agree, -abs(number - comment.line))

    best = max(same, key=score)
    return hunk_end(lines, best.hunk) if comment.side == Side.HUNK else best.index


def lineage(series: Series, revision: Revision, patch: Patch) -> dict[str, str]:
    """{message-id: revision label} of this patch and the patches it descends from in earlier
    revisions (as reviewer.compare.pairing pairs them)."""
    from reviewer.compare.pairing import pair_patches

    out = {patch.message_id: revision.label}
    position = next(
        i for i, r in enumerate(series.revisions) if r.message_id == revision.message_id
    )
    current = {patch.index}
    for at in range(position, 0, -1):
        older, newer = series.revisions[at - 1], series.revisions[at]
        pairs = pair_patches(older.patches, newer.patches)
        current = {
            p.old.patch.index for p in pairs if p.old and p.new and p.new.patch.index in current
        }
        if not current:
            break
        for p in older.patches:
            if p.index in current:
                out[p.message_id] = older.label
    return out


def patch_comments(
    store: Store,
    series: Series,
    revision: Revision,
    patch: Patch,
    family: dict[str, str] | None = None,
) -> list[Placed]:
    """The comments to show on a patch: its own, then those written on the patches it descends
    from (``family``, from lineage(); computed when not given), each placed on its line in this
    diff (or outdated)."""
    stored = rs.series_comments(store, series.id)
    if not stored:
        return []
    if family is None:
        own_revision = {p.message_id for p in revision.patches}
        if all(c.patch_message_id in own_revision for c in stored):
            family = {patch.message_id: revision.label}
        else:
            family = lineage(series, revision, patch)
    lines = positions(patch.diff)
    out = []
    for c in stored:
        if c.patch_message_id in family:
            own = c.patch_message_id == patch.message_id
            out.append(Placed(c, locate(c, lines), family[c.patch_message_id], own))
    return out
