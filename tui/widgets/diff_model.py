"""Turn a commit message, a unified diff and check findings into display lines, once.

The diff viewer renders from this list only, so building it is the whole cost of opening a
patch: one pass over the text, no Rich parsing, tabs expanded to 8 columns up front.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from reviewer.sanitize import clean_text

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")


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
    text: str


@dataclass
class DiffModel:
    lines: list[DiffLine] = field(default_factory=list)
    hunks: list[int] = field(default_factory=list)  # rows of hunk headers
    files: list[int] = field(default_factory=list)  # rows of "diff --git" lines
    findings: list[int] = field(default_factory=list)  # rows of finding lines
    width: int = 0  # widest line, in characters


def _display(text: str) -> str:
    return clean_text(text).expandtabs(8)


def build_model(
    message: str = "",
    diff: str = "",
    findings: list[FindingLike] | None = None,
    extra: list[tuple[str, str]] = (),
) -> DiffModel:
    """Display lines of a message and diff, findings below their lines, then each
    (title, diff) of ``extra`` (fix-ups posted in replies) as its own section."""
    model = DiffModel()
    for text in message.splitlines() if message else []:
        model.lines.append(DiffLine("msg", _display(text)))
    if message and diff:
        model.lines.append(DiffLine("msg", ""))
    anchors = _diff_lines(model, diff)
    _place_findings(model, anchors, findings or [])
    for title, extra_diff in extra:
        model.lines += [DiffLine("msg", ""), DiffLine("note", _display(title))]
        _diff_lines(model, extra_diff)
    model.width = max((len(ln.text) for ln in model.lines), default=0)
    return model


def build_interdiff_model(notes: str, diffs: list[str]) -> DiffModel:
    """Display lines of notes, then diffs of texts: a message diff, or an interdiff from
    reviewer.interdiff (one outer -/+/space column before each patch line, '--- old/…' and
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
            elif raw.startswith("@@"):
                model.hunks.append(len(model.lines))
                kind = "hunk"
            else:
                kind = {"+": "add", "-": "del"}.get(raw[:1], "ctx")
            model.lines.append(DiffLine(kind, _display(raw)))
    model.width = max((len(ln.text) for ln in model.lines), default=0)
    return model


def _diff_lines(model: DiffModel, diff: str) -> dict[tuple[str, int], int]:
    """Append the diff's lines; return {(file, post-image line): row} for placing findings."""
    anchors: dict[tuple[str, int], int] = {}
    path, new_line, in_hunk = "", 0, False
    for raw in diff.splitlines():
        row = len(model.lines)
        if raw.startswith("diff --git "):
            path, in_hunk = raw.split(" b/", 1)[-1], False
            model.files.append(row)
            anchors.setdefault((path, 0), row)
            kind = "file"
        elif (match := _HUNK.match(raw)) is not None:
            new_line, in_hunk = int(match.group(1)), True
            model.hunks.append(row)
            kind = "hunk"
        elif not in_hunk:
            if raw.startswith("+++ ") and raw[4:6] == "b/":
                path = raw[6:]
            kind = "meta"
        elif raw.startswith("+"):
            anchors[(path, new_line)] = row
            new_line, kind = new_line + 1, "add"
        elif raw.startswith("-"):
            kind = "del"
        elif raw.startswith("\\"):
            kind = "meta"
        else:  # context; mail may have stripped the space of blank context lines
            anchors[(path, new_line)] = row
            new_line, kind = new_line + 1, "ctx"
        model.lines.append(DiffLine(kind, _display(raw)))
    return anchors


def _place_findings(model: DiffModel, anchors: dict, findings: list[FindingLike]) -> None:
    """Insert each finding right below the line it is about (else below its file header)."""
    after: dict[int, list[FindingLike]] = {}
    for finding in findings:
        row = anchors.get((finding.file, finding.line), anchors.get((finding.file, 0), -1))
        after.setdefault(row, []).append(finding)
    if not after:
        return
    lines, old_hunks, old_files = model.lines, set(model.hunks), set(model.files)
    model.lines, model.hunks, model.files = [], [], []
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


def _add_finding(model: DiffModel, finding: FindingLike) -> None:
    model.findings.append(len(model.lines))
    where = f"{finding.file}:{finding.line}" if finding.file else "series"
    head = f"  >> {finding.severity.upper()} [{finding.check}] {where}: {finding.message}"
    model.lines.append(DiffLine(finding.severity, _display(head)))
    if finding.counterexample:
        model.lines.append(DiffLine("note", _display(f"     {finding.counterexample}")))
