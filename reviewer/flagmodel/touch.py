"""What a diff touches, for a reviewer: a git-style diffstat and the functions its hunks are in
(as git's hunk headers name them, read with tree-sitter-c)."""

from __future__ import annotations

from dataclasses import dataclass

from reviewer.diff.patch import parse_diff


@dataclass
class FileStat:
    path: str
    added: int
    removed: int


def diffstat(diff: str) -> list[FileStat]:
    out = []
    for f in parse_diff(diff).files:
        lines = [ln for h in f.hunks for ln in h.lines]
        added = sum(1 for ln in lines if ln.startswith("+"))
        removed = sum(1 for ln in lines if ln.startswith("-"))
        out.append(FileStat(f.path, added, removed))
    return out


def render_diffstat(stats: list[FileStat], width: int = 60) -> list[str]:
    """' mm/secretmem.c | 7 ++++---' lines and the summary, as `git diff --stat` prints them."""
    if not stats:
        return []
    name_w = min(max(len(s.path) for s in stats), width)
    most = max(s.added + s.removed for s in stats) or 1
    bar_w = max(width - name_w - 8, 10)
    lines = []
    for s in stats:
        total = s.added + s.removed
        scale = min(1.0, bar_w / most)  # as git: scaled only when the widest does not fit
        plus = max(round(s.added * scale), 1 if s.added else 0)
        minus = max(round(s.removed * scale), 1 if s.removed else 0)
        name = s.path if len(s.path) <= name_w else "..." + s.path[-(name_w - 3) :]
        lines.append(f" {name:<{name_w}} | {total:>4} {'+' * plus}{'-' * minus}")
    added, removed = sum(s.added for s in stats), sum(s.removed for s in stats)
    files = f"{len(stats)} file{'s' if len(stats) != 1 else ''} changed"
    lines.append(f" {files}, {added} insertions(+), {removed} deletions(-)")
    return lines


def functions_touched(diff: str) -> dict[str, list[str]]:
    """{path: [function names]} from the hunk headers (`@@ ... @@ static int foo(...)`)."""
    out: dict[str, list[str]] = {}
    for f in parse_diff(diff).files:
        names = out.setdefault(f.path, [])
        for hunk in f.hunks:
            name = _declared_function(hunk.section)
            if name and name not in names:
                names.append(name)
    return out


def touches_text(diff: str) -> str:
    """'mm/mmap.c: check_brk_limits()'; files without a named function by path alone."""
    parts = []
    for path, names in functions_touched(diff).items():
        parts.append(f"{path}: {', '.join(n + '()' for n in names)}" if names else path)
    return "; ".join(parts)


def _declared_function(section: str) -> str:
    """The function a hunk header's context line declares, or '' (a struct, a macro, ...)."""
    if "(" not in section:
        return ""
    from reviewer.flagmodel.c_parse import parse, text_of, walk

    root = parse(section.rstrip("{ ").rstrip() + ";")
    for node in walk(root):
        if node.type == "function_declarator":
            name = node.child_by_field_name("declarator")
            while name is not None and name.type not in ("identifier", "field_identifier"):
                name = name.child_by_field_name("declarator")
            return text_of(name) if name is not None else ""
    return ""
