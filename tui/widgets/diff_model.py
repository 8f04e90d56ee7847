"""Turn a commit message, a unified diff and check findings into display lines, once.

The diff viewer renders from this list only, so building it is the whole cost of opening a
patch: one pass over the text, no Rich parsing, tabs expanded to 8 columns up front.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from reviewer.diff.anchor import Kind, positions
from reviewer.diff.patch import line_kind
from reviewer.sanitize import clean_text


class FindingLike(Protocol):
    severity: str
    check: str
    file: str
    line: int
    message: str
    counterexample: str


@dataclass
class DiffLine:
    kind: str  # msg | meta | file | hunk | add | del | ctx | error | warning | info | note
    # | comment | outdated | reply (another reviewer's comment from the thread)
    text: str
    ref: int = 0  # comment lines: the comment's id; the patch's diff lines: diff line + 1


@dataclass(frozen=True)
class CommentNote:
    """A review comment to show: under diff line ``at`` (-1: above the diff, None: outdated,
    also above the diff), ``head`` is its first display line."""

    id: int
    at: int | None
    head: str
    body: str
    kind: str = ""  # display kind; default: comment, or outdated when at is None


@dataclass
class DiffModel:
    lines: list[DiffLine] = field(default_factory=list)
    hunks: list[int] = field(default_factory=list)  # rows of hunk headers
    files: list[int] = field(default_factory=list)  # rows of "diff --git" lines
    findings: list[int] = field(default_factory=list)  # rows of finding lines
    comments: list[int] = field(default_factory=list)  # first rows of review comments
    width: int = 0  # widest line, in characters


def _display(text: str) -> str:
    return clean_text(text).expandtabs(8)


def build_model(
    message: str = "",
    diff: str = "",
    findings: list[FindingLike] | None = None,
    extra: list[tuple[str, str]] = (),
    comments: list[CommentNote] = (),
) -> DiffModel:
    """Display lines of a message and diff, findings and review comments below their lines,
    then each (title, diff) of ``extra`` (fix-ups posted in replies) as its own section."""
    model = DiffModel()
    for text in message.splitlines() if message else []:
        model.lines.append(DiffLine("msg", _display(text)))
    if message and diff:
        model.lines.append(DiffLine("msg", ""))
    start = len(model.lines)
    anchors = _diff_lines(model, diff, refs=True)
    notes: dict[int, list[CommentNote]] = {}
    for note in comments:
        at = note.at if note.at is not None and note.at >= 0 else -1
        notes.setdefault(start + at if at >= 0 else -1, []).append(note)
    _place_findings(model, anchors, findings or [], notes)
    for title, extra_diff in extra:
        model.lines += [DiffLine("msg", ""), DiffLine("note", _display(title))]
        _diff_lines(model, extra_diff)
    model.width = max((len(ln.text) for ln in model.lines), default=0)
    return model


def build_interdiff_model(notes: str, diffs: list[str]) -> DiffModel:
    """Display lines of notes, then diffs of texts: a message diff, or an interdiff from
    reviewer.compare.interdiff (one outer -/+/space column before each patch line, '--- old/…' and
    '+++ new/…' per file, '@@@' between hunks). Its lines are not a patch's, so they get
    their own pass: a patch's '---' line inside a hunk would otherwise end the file."""
    model = DiffModel()
    model.lines += [DiffLine("msg", _display(text)) for text in notes.splitlines()]
    for diff in filter(None, diffs):
        if model.lines:
            model.lines.append(DiffLine("msg", ""))
        lines = diff.splitlines()
        for at, raw in enumerate(lines):
            before, after = (
                lines[at - 1] if at else "",
                lines[at + 1] if at + 1 < len(lines) else "",
            )
            if raw.startswith("--- ") and after.startswith("+++ "):
                model.files.append(len(model.lines))
                kind = "file"
            elif raw.startswith("+++ ") and before.startswith("--- "):
                kind = "file"
            else:
                kind = line_kind(raw)
                if kind == "hunk":
                    model.hunks.append(len(model.lines))
            model.lines.append(DiffLine(kind, _display(raw)))
    model.width = max((len(ln.text) for ln in model.lines), default=0)
    return model


def _diff_lines(model: DiffModel, diff: str, refs: bool = False) -> dict[tuple[str, int], int]:
    """Append the diff's lines (with ``refs``, each knows its line in the diff); return
    {(file, post-image line): row} for placing findings. Kinds and line numbers come from
    reviewer.diff.anchor, i.e. the one repaired diff parse."""
    anchors: dict[tuple[str, int], int] = {}
    for pos in positions(diff):
        row = len(model.lines)
        if pos.kind == Kind.FILE:
            model.files.append(row)
            anchors.setdefault((pos.file, 0), row)
        elif pos.kind == Kind.HUNK:
            model.hunks.append(row)
        elif pos.kind in (Kind.ADD, Kind.CTX):
            anchors[(pos.file, pos.new)] = row
        model.lines.append(
            DiffLine(str(pos.kind), _display(pos.text), pos.index + 1 if refs else 0)
        )
    return anchors


def _place_findings(
    model: DiffModel, anchors: dict, findings: list[FindingLike], notes: dict | None = None
) -> None:
    """Insert each finding right below the line it is about (else below its file header), and
    each comment of ``notes`` ({row: [CommentNote]}, -1: at the top) below its row."""
    after: dict[int, list[FindingLike]] = {}
    for finding in findings:
        row = anchors.get((finding.file, finding.line), anchors.get((finding.file, 0), -1))
        after.setdefault(row, []).append(finding)
    notes = notes or {}
    if not after and not notes:
        return
    lines, old_hunks, old_files = model.lines, set(model.hunks), set(model.files)
    model.lines, model.hunks, model.files = [], [], []
    for note in notes.get(-1, []):
        _add_comment(model, note)
    for finding in after.get(-1, []):
        _add_finding(model, finding)
    for row, item in enumerate(lines):
        if row in old_hunks:
            model.hunks.append(len(model.lines))
        if row in old_files:
            model.files.append(len(model.lines))
        model.lines.append(item)
        for finding in after.get(row, []):
            _add_finding(model, finding)
        for note in notes.get(row, []):
            _add_comment(model, note)


def _add_comment(model: DiffModel, note: CommentNote) -> None:
    model.comments.append(len(model.lines))
    kind = note.kind or ("outdated" if note.at is None else "comment")
    first, *rest = note.body.splitlines() or [""]
    model.lines.append(DiffLine(kind, _display(f"  ## [{note.head}] {first}"), note.id))
    for text in rest:
        model.lines.append(DiffLine(kind, _display(f"  ##   {text}"), note.id))


# what a fix-up posted in reply does to a finding (reviewer/flagmodel/fixup_check.py)
_FIXUP_TAGS = {
    "resolved": " [as posted; resolved by a fix-up in a reply]",
    "introduced": " [with a fix-up in a reply folded in]",
}


def _add_finding(model: DiffModel, finding: FindingLike) -> None:
    model.findings.append(len(model.lines))
    where = f"{finding.file}:{finding.line}" if finding.file else "series"
    head = f"  >> {finding.severity.upper()} [{finding.check}] {where}: {finding.message}"
    head += _FIXUP_TAGS.get(getattr(finding, "fixup_effect", ""), "")
    model.lines.append(DiffLine(finding.severity, _display(head)))
    if finding.counterexample:
        model.lines.append(DiffLine("note", _display(f"     {finding.counterexample}")))
