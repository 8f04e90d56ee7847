"""reviewer gc --repo PATH: remove reviewer's own refs and stale worktrees from a repository."""

from __future__ import annotations

import argparse

from reviewer.commands._common import emit_json

NAME = "gc"
HELP = "remove reviewer's refs (refs/reviewer/*) and its stale worktrees from a repository"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo", required=True, help="git repository to clean")


def run(args: argparse.Namespace) -> int:
    from reviewer.apply.worktree import gc, open_repo
    from reviewer.sanitize import clean_line

    report = gc(open_repo(args.repo))
    if args.json:
        emit_json({"refs": report.refs, "worktrees": report.worktrees})
        return 0
    for path in report.worktrees:
        print(f"removed stale worktree {clean_line(path)}")
    refs = "ref" if len(report.refs) == 1 else "refs"
    trees = "worktree" if len(report.worktrees) == 1 else "worktrees"
    print(
        f"removed {len(report.refs)} {refs} under refs/reviewer/, "
        f"{len(report.worktrees)} stale {trees}"
    )
    return 0
