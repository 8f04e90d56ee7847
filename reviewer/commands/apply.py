"""reviewer apply SERIES --repo PATH: apply a revision in a throwaway worktree, explain failures."""

from __future__ import annotations

import argparse

from reviewer.commands._common import add_series_arguments, emit_json, open_store

NAME = "apply"
HELP = "apply a revision in an isolated worktree and explain what does not apply"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_series_arguments(parser)
    parser.add_argument("--repo", required=True, help="git repository to apply to")
    parser.add_argument(
        "--base", help="commit to apply on (default: the series' base-commit, else a guess)"
    )


def run(args: argparse.Namespace) -> int:
    from reviewer.report.apply_compare_text import render_apply
    from reviewer.results.apply import applied_revision
    from reviewer.store.core import resolve_revision

    store = open_store(args)
    revision = resolve_revision(store.get_series(args.series), args.revision)
    result = applied_revision(store, revision, args.repo, args.base)
    if args.json:
        emit_json(result.to_json())
    else:
        print("\n".join(render_apply(result)))
    return 0 if result.ok else 1
