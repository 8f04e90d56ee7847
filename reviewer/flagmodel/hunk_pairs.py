"""Unified diff -> files, hunks and change blocks, each block widened to whole statements.

A change block is a run of removed/added lines. It is widened with context lines until both of
its sides are syntactically complete (balanced brackets, no dangling operator), so the old and
the new side can each be parsed and run as a statement list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

_CONTINUES = (",", "&&", "||", "(", "=", "?", ":", "|", "&", "+", "-", "\\", "[")
_COMMENT_START = re.compile(r"^\s*(/\*|\*/|\*\s|\*$|//)")
_CLOSED_COMMENT = re.compile(r"^\s*/\*.*?\*/", re.S)


class _CommentLine:
    """A line that is only comment: `// ...`, a block comment's start or continuation. A
    line that opens with a closed comment and goes on with code (`/* arg = */false);`) is
    code."""

    @staticmethod
    def match(text: str) -> bool:
        if not _COMMENT_START.match(text):
            return False
        rest = text
        while (closed := _CLOSED_COMMENT.match(rest)) is not None:
            rest = rest[closed.end() :]
        return not rest.strip() or rest is text


_COMMENT_LINE = _CommentLine()


@dataclass
class Line:
    tag: str  # " ", "-", "+"
    text: str
    old_no: int | None
    new_no: int | None


@dataclass
class Hunk:
    old_start: int
    new_start: int
    section: str  # text after the second @@ (enclosing function per git)
    lines: list[Line] = field(default_factory=list)


@dataclass
class FileDiff:
    old_path: str
    new_path: str
    hunks: list[Hunk] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.new_path if self.new_path != "/dev/null" else self.old_path

    def side_text(self, side: str) -> tuple[str, list[int]]:
        """All hunks' lines of one side ('old' or 'new') joined, with real line numbers."""
        keep = " -" if side == "old" else " +"
        out, numbers = [], []
        for hunk in self.hunks:
            for line in hunk.lines:
                if line.tag in keep:
                    out.append(line.text)
                    numbers.append((line.old_no if side == "old" else line.new_no) or 0)
            out.append("")
            numbers.append(0)
        return "\n".join(out), numbers


@dataclass
class Block:
    file: FileDiff
    hunk: Hunk
    start: int  # index into hunk.lines, inclusive (after widening)
    end: int  # exclusive
    complete: bool
    guards: list = field(default_factory=list)  # enclosing if/#ifdef conditions (new side)

    def side(self, side: str) -> str:
        return "\n".join(ln.text for ln in self._rows(side))

    def numbers(self, side: str) -> list[int]:
        """Line number (of that side's file) of each row of ``side(side)``."""
        return [(ln.old_no if side == "old" else ln.new_no) or 0 for ln in self._rows(side)]

    def _rows(self, side: str) -> list[Line]:
        """The side's lines of the block, and the context lines right after it that only
        close braces the side left open (`}`): a body that ends there is complete, not one
        that goes on outside the diff."""
        keep = " -" if side == "old" else " +"
        rows = [
            ln
            for ln in self.hunk.lines[self.start : self.end]
            if ln.tag in keep and not _COMMENT_LINE.match(ln.text)
        ]
        code = "\n".join(ln.text for ln in rows)
        depth = code.count("{") - code.count("}")
        for ln in self.hunk.lines[self.end :]:
            if depth <= 0 or ln.tag != " " or ln.text.strip() not in ("}", "};"):
                break
            rows.append(ln)
            depth -= 1
        return rows

    def changed(self, tag: str) -> list[Line]:
        return [ln for ln in self.hunk.lines[self.start : self.end] if ln.tag == tag]

    @property
    def line(self) -> int:
        """Post-image line of the first added line (or where the removal happened)."""
        for ln in self.hunk.lines[self.start : self.end]:
            if ln.tag == "+":
                return ln.new_no or 0
        for ln in self.hunk.lines[self.start :]:
            if ln.new_no:
                return ln.new_no
        return self.hunk.new_start

    @property
    def old_line(self) -> int:
        for ln in self.hunk.lines[self.start : self.end]:
            if ln.tag == "-":
                return ln.old_no or 0
        return self.hunk.old_start


def parse_diff(diff: str) -> list[FileDiff]:
    """Files and hunks of a patch, read from the project's one repaired parse
    (``reviewer.diff.patch``: blank context lines that lost their space in the mail, hunk
    lengths, the "-- " signature), numbered for each side."""
    from reviewer.diff import patch as patch_diff

    files: list[FileDiff] = []
    for src in patch_diff.parse_diff(diff).files:
        cur = FileDiff(src.old_path or "/dev/null", src.new_path or "/dev/null")
        for h in src.hunks:
            hunk = Hunk(h.old_start, h.new_start, h.section)
            old_no, new_no = h.old_start, h.new_start
            for raw in h.lines:
                tag, text = raw[:1], raw[1:]
                if tag == " ":
                    hunk.lines.append(Line(" ", text, old_no, new_no))
                    old_no += 1
                    new_no += 1
                elif tag == "-":
                    hunk.lines.append(Line("-", text, old_no, None))
                    old_no += 1
                elif tag == "+":
                    hunk.lines.append(Line("+", text, None, new_no))
                    new_no += 1
                # "\ No newline at end of file" carries no line of either side
            cur.hunks.append(hunk)
        files.append(cur)
    return files


def change_blocks(fdiff: FileDiff) -> list[Block]:
    blocks: list[Block] = []
    for hunk in fdiff.hunks:
        raw: list[tuple[int, int]] = []
        i = 0
        while i < len(hunk.lines):
            if hunk.lines[i].tag == " ":
                i += 1
                continue
            j = i
            while j < len(hunk.lines) and hunk.lines[j].tag != " ":
                j += 1
            raw.append((i, j))
            i = j
        widened = [_widen(hunk, s, e) for s, e in raw]
        merged: list[tuple[int, int, bool]] = []
        for s, e, ok in widened:
            if merged and s <= merged[-1][1]:
                ps, pe, pok = merged[-1]
                merged[-1] = (ps, max(pe, e), pok and ok)
            else:
                merged.append((s, e, ok))
        blocks.extend(Block(fdiff, hunk, s, e, ok) for s, e, ok in merged)
    return blocks


def _widen(hunk: Hunk, start: int, end: int) -> tuple[int, int, bool]:
    for _ in range(60):
        grew = False
        for side in ("old", "new"):
            keep = " -" if side == "old" else " +"
            text_lines = [
                ln.text
                for ln in hunk.lines[start:end]
                if ln.tag in keep and not _COMMENT_LINE.match(ln.text)
            ]
            low, final = _depths("\n".join(text_lines))
            if low < 0 and start > 0 or start > 0 and _prev_continues(hunk, start):
                start -= 1
                grew = True
            if (final > 0 or _ends_open(text_lines)) and end < len(hunk.lines):
                end += 1
                grew = True
        if not grew:
            break
    ok = all(_balanced(hunk, start, end, s) for s in ("old", "new"))
    return start, end, ok


def _prev_continues(hunk: Hunk, start: int) -> bool:
    prev = hunk.lines[start - 1]
    text = prev.text.rstrip()
    if not text or _COMMENT_LINE.match(text) or text.endswith("*/"):
        return False
    return text.endswith(_CONTINUES)


def _ends_open(lines: list[str]) -> bool:
    """The side ends inside a statement: a dangling operator or a bodiless if/while header."""
    code = [ln.rstrip() for ln in lines if ln.strip()]
    if not code or code[-1].endswith("*/"):
        return False
    if code[-1].endswith(_CONTINUES):
        return True
    if code[-1].endswith(")"):
        joined = " ".join(code).lstrip()
        return joined.startswith(("if", "} else", "else", "while", "for"))
    return False


def _balanced(hunk: Hunk, start: int, end: int, side: str) -> bool:
    keep = " -" if side == "old" else " +"
    text = "\n".join(ln.text for ln in hunk.lines[start:end] if ln.tag in keep)
    low, final = _depths(text)
    return low >= 0 and final == 0


# Comments, string and char literals (possibly unterminated) and the brackets outside them.
_BRACKET_TOKENS = re.compile(
    r"/\*.*?(?:\*/|\Z)"  # block comment
    r"|//[^\n]*"  # line comment
    r'|"(?:\\.|[^"\\])*"?'  # string literal
    r"|'(?:\\.|[^'\\])*'?"  # char literal
    r"|[()\[\]]",
    re.S,
)


@lru_cache(maxsize=8192)
def _depths(text: str) -> tuple[int, int]:
    """Lowest and final bracket depth of a text, ignoring strings and comments."""
    depth = low = 0
    for match in _BRACKET_TOKENS.finditer(text):
        token = match.group()
        if token in ("(", "["):
            depth += 1
        elif token in (")", "]"):
            depth -= 1
            low = min(low, depth)
    return low, depth
