"""The real March 2026 series for the check tests: revisions parsed once, one check run alone,
real hunks rewritten into mutants, and small git trees rebuilt from a hunk's pre-image lines."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from reviewer.flagmodel import checks
from reviewer.flagmodel.findings import CheckReport, Finding
from reviewer.flagmodel.hunk_pairs import parse_diff
from reviewer.flagmodel.mutations import replace_line
from reviewer.flagmodel.patch_view import view_of
from reviewer.models import Patch
from reviewer.series.parse import parse_messages
from reviewer.sources.mail import load_source

CORPUS = Path(__file__).resolve().parents[2] / "samples" / "threads" / "march"


def corpus_dir() -> Path:
    return CORPUS


@lru_cache(maxsize=8)
def revision(rev: str) -> tuple[Patch, ...]:
    loaded = load_source(str(corpus_dir() / f"{rev}-thread.mbox"), offline=True)
    return tuple(parse_messages([m.msg for m in loaded.messages]).revisions[-1].patches)


def patch(rev: str, index: int) -> Patch:
    return revision(rev)[index - 1]


def run(check_id: str, patches, repo: Path | None = None) -> list[Finding]:
    report = CheckReport()
    checks.run_one(check_id, checks.REGISTRY[check_id], [view_of(p) for p in patches], report, repo)
    return report.findings


def at(findings: list[Finding], path: str, line: int, severity: str | None = None) -> list[Finding]:
    return [
        f
        for f in findings
        if f.file == path and f.line == line and (severity is None or f.severity == severity)
    ]


def mutate(p: Patch, old: str, new: str) -> Patch:
    """The patch with its added line `+old` (exact text after the +) replaced by `+new`."""
    return replace_line(p, "+" + old, "+" + new)


def git_tree(tmp_path: Path, files: dict[str, str]) -> Path:
    """A git repository with one commit holding `files`."""
    import git

    repo = git.Repo.init(tmp_path / "tree")
    for rel, text in files.items():
        target = Path(repo.working_tree_dir) / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        repo.index.add([rel])
    repo.index.commit("base")
    return Path(repo.working_tree_dir)


def pre_image(path: str, *patches: Patch) -> str:
    """The pre-image of `path` rebuilt from the old side of the patches' hunks at their real
    line numbers (lines no hunk shows are blank; comment lines are blanked too, since a comment
    cut by a hunk boundary would swallow the code after it)."""
    lines: dict[int, str] = {}
    for p in patches:
        for f in parse_diff(p.diff):
            if f.path != path:
                continue
            for h in f.hunks:
                for ln in h.lines:
                    if ln.tag in " -" and ln.old_no:
                        comment = ln.text.lstrip().startswith(("/*", "*"))
                        lines.setdefault(ln.old_no, "" if comment else ln.text)
    last = max(lines)
    return "\n".join(lines.get(i, "") for i in range(1, last + 1)) + "\n"


def rewrite_context(p: Patch, old: str, new: str) -> Patch:
    """The patch with its context line ` old` turned into `-old` / `+new` (hunk counts stay
    right: the old side keeps the line, the new side gets the rewritten one)."""
    return replace_line(p, " " + old, "-" + old + "\n+" + new)


def replace_context(p: Patch, old: str, new: str) -> Patch:
    """The patch with its context line ` old` replaced by ` new` on both sides."""
    return replace_line(p, " " + old, " " + new)
