"""Parse the unified diff of a patch into files and hunks, tolerant of what mail does to it.

Mail often loses the single space of blank context lines (the real RESEND of the January 2026
VMA-flags series did), which also changes ``git patch-id``. Hunk line counts tell where a hunk
ends, so an empty line inside a hunk is read as a blank context line and whatever follows the
last hunk (the "-- " signature) is ignored.

This is the project's one parser of unified diffs: compare, apply, the flag model
(``flagmodel.hunk_pairs``), truncation detection (``diff_integrity``) and diff-line positions
(``diff_anchor``, which the TUI's diff model reads) all use this parse. A single hunk header is
read with :func:`hunk_range`; code that only has one line out of context (a quoted diff in a
reply, an interdiff's lines) asks :func:`line_kind`. No other module matches hunk headers itself
(tests/diff/test_patch.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$")
HUNK_MARK = "@@"  # starts every hunk header, and an interdiff's hunk separators


@dataclass(frozen=True)
class HunkRange:
    """What a hunk header says: ``@@ -old_start,old_len +new_start,new_len @@ section``."""

    old_start: int
    old_len: int
    new_start: int
    new_len: int
    section: str
    head: str  # the header up to its second "@@", as written (",1" lengths may be missing)

    def renumbered(self, old_start: int, new_start: int) -> str:
        """The header (without section) at other start lines, lengths written as they were."""
        match = _HUNK.match(self.head)
        assert match is not None
        old_len = f",{match.group(2)}" if match.group(2) is not None else ""
        new_len = f",{match.group(4)}" if match.group(4) is not None else ""
        return f"@@ -{old_start}{old_len} +{new_start}{new_len} @@"


def hunk_range(line: str) -> HunkRange | None:
    """The ranges of a unified hunk header, or None when ``line`` is not one."""
    match = _HUNK.match(line)
    if match is None:
        return None
    old_len = int(match.group(2)) if match.group(2) is not None else 1
    new_len = int(match.group(4)) if match.group(4) is not None else 1
    head = line[: line.index(" @@", 2) + 3]
    return HunkRange(
        int(match.group(1)), old_len, int(match.group(3)), new_len, match.group(5), head
    )


def line_kind(line: str) -> str:
    """The kind of one diff line seen without its hunk: file | hunk | add | del | ctx. Only for
    lines out of context (quoted in a reply, an interdiff); a patch is read with parse_diff."""
    if line.startswith("diff --git"):
        return "file"
    if line.startswith(HUNK_MARK):
        return "hunk"
    return {"+": "add", "-": "del"}.get(line[:1], "ctx")


@dataclass
class Hunk:
    old_start: int
    old_len: int
    new_start: int
    new_len: int
    section: str  # the function name git prints after @@
    lines: list[str]  # each starts with " ", "-", "+" or "\\"
    at: int = -1  # index of the header in text.splitlines(); lines[k] is at at + 1 + k
    head: str = ""  # the header up to its second "@@", as written

    @property
    def header(self) -> str:
        return f"@@ -{self.old_start},{self.old_len} +{self.new_start},{self.new_len} @@"

    def blocks(self) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        """The changes without context: runs of (removed lines, added lines)."""
        out: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
        minus: list[str] = []
        plus: list[str] = []
        for line in self.lines:
            tag = line[:1]
            if tag == "-":
                minus.append(line[1:])
            elif tag == "+":
                plus.append(line[1:])
            elif tag == " " and (minus or plus):
                out.append((tuple(minus), tuple(plus)))
                minus, plus = [], []
        if minus or plus:
            out.append((tuple(minus), tuple(plus)))
        return out

    def missing(self) -> tuple[int, int]:
        """(old, new) lines the header promises that the text does not have (a cut diff)."""
        old = sum(ln[:1] in " -" for ln in self.lines)
        new = sum(ln[:1] in " +" for ln in self.lines)
        return self.old_len - old, self.new_len - new

    def preimage(self) -> list[str]:
        return [ln[1:] for ln in self.lines if ln[:1] in (" ", "-")]

    def text(self) -> str:
        return "\n".join([self.header + (f" {self.section}" if self.section else ""), *self.lines])


@dataclass
class FileDiff:
    old_path: str | None  # None for a new file
    new_path: str | None  # None for a deleted file
    headers: list[str] = field(default_factory=list)  # mode/rename/similarity lines, no index
    index: str = ""  # the "index a..b mode" line
    hunks: list[Hunk] = field(default_factory=list)
    binary: list[str] = field(default_factory=list)
    at: int = -1  # index of the "diff --git" line in text.splitlines()

    @property
    def path(self) -> str:
        return self.new_path or self.old_path or ""

    @property
    def old_blob(self) -> str | None:
        if not self.index:
            return None
        blob = self.index.split()[1].split("..")[0]
        return None if set(blob) == {"0"} else blob

    def change_key(self) -> tuple:
        """What the file change does, independent of context, line numbers and index lines."""
        blocks = tuple(b for h in self.hunks for b in h.blocks())
        return (self.old_path, self.new_path, tuple(self.headers), blocks, tuple(self.binary))

    def exact_key(self) -> tuple:
        hunks = tuple((h.header, tuple(h.lines)) for h in self.hunks)
        return (*self.change_key(), self.index, hunks)


@dataclass
class PatchDiff:
    files: list[FileDiff]

    @cached_property
    def change_key(self) -> tuple:
        return tuple(f.change_key() for f in self.files)

    @cached_property
    def exact_key(self) -> tuple:
        return tuple(f.exact_key() for f in self.files)

    def change_lines(self) -> list[str]:
        """Every added/removed line, tagged, for similarity scoring."""
        out = []
        for f in self.files:
            for h in f.hunks:
                out += [f"{f.path}:{ln}" for ln in h.lines if ln[:1] in "+-"]
        return out

    def file(self, path: str) -> FileDiff | None:
        return next((f for f in self.files if f.path == path), None)

    @property
    def paths(self) -> list[str]:
        out = []
        for f in self.files:
            for p in (f.old_path, f.new_path):
                if p and p not in out:
                    out.append(p)
        return out


def parse_diff(text: str) -> PatchDiff:
    files: list[FileDiff] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("diff --git "):
            current = _start_file(line)
            current.at = i
            files.append(current)
            i += 1
            i = _read_file(lines, i, current)
        else:
            i += 1
    return PatchDiff(files)


def _start_file(line: str) -> FileDiff:
    rest = line[len("diff --git ") :]
    old, _, new = rest.partition(" b/")
    return FileDiff(old_path=old.removeprefix("a/"), new_path=new)


def _read_file(lines: list[str], i: int, fd: FileDiff) -> int:
    while i < len(lines) and not lines[i].startswith("diff --git "):
        line = lines[i]
        rng = hunk_range(line)
        if rng is not None:
            hunk, i = _read_hunk(lines, i, rng)
            fd.hunks.append(hunk)
            continue
        if line.startswith("index "):
            fd.index = line
        elif line.startswith("--- "):
            fd.old_path = None if line == "--- /dev/null" else line[4:].removeprefix("a/")
        elif line.startswith("+++ "):
            fd.new_path = None if line == "+++ /dev/null" else line[4:].removeprefix("b/")
        elif line.startswith("GIT binary patch") or fd.binary:
            fd.binary.append(line)
        elif not fd.hunks and line and not line.startswith("-- "):
            fd.headers.append(line)
        i += 1
    return i


def _read_hunk(lines: list[str], at: int, rng: HunkRange) -> tuple[Hunk, int]:
    hunk = Hunk(
        rng.old_start, rng.old_len, rng.new_start, rng.new_len, rng.section, [], at, rng.head
    )
    old_left, new_left, i = rng.old_len, rng.new_len, at + 1
    while i < len(lines) and (old_left > 0 or new_left > 0):
        line = lines[i]
        tag = line[:1]
        if line == "":
            line, tag = " ", " "  # a blank context line that lost its space in transit
        if tag == " ":
            old_left -= 1
            new_left -= 1
        elif tag == "-":
            old_left -= 1
        elif tag == "+":
            new_left -= 1
        elif tag != "\\":
            break  # malformed: stop at what is not hunk content
        hunk.lines.append(line)
        i += 1
    while i < len(lines) and lines[i].startswith("\\"):
        hunk.lines.append(lines[i])  # "\ No newline at end of file"
        i += 1
    return hunk, i


def unsafe_paths(diff: PatchDiff) -> list[str]:
    """Paths a patch must not touch: absolute, or climbing out of the tree with '..'."""
    bad = []
    for path in diff.paths:
        parts = path.split("/")
        if path.startswith("/") or ".." in parts or ".git" in parts:
            bad.append(path)
    return bad
