"""reviewer verify-applied SERIES --repo PATH --branch REF: posted vs committed."""

from __future__ import annotations

import argparse

from reviewer.commands._common import add_series_arguments, emit_json, open_store

NAME = "verify-applied"
HELP = "check the commits on a branch against the posted patches"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_series_arguments(parser)
    parser.add_argument("--repo", required=True, help="git repository holding the branch")
    parser.add_argument("--branch", required=True, help="branch or ref the series landed on")
    parser.add_argument("--no-diff", action="store_true", help="statuses only, no diffs")


def run(args: argparse.Namespace) -> int:
    from reviewer.apply.verify import IDENTICAL
    from reviewer.report.apply_compare_text import render_verify
    from reviewer.results.apply import verified_revision
    from reviewer.store.core import resolve_revision

    store = open_store(args)
    revision = resolve_revision(store.get_series(args.series), args.revision)
    result = verified_revision(store, revision, args.repo, args.branch)
    if args.json:
        emit_json(result.to_json())
    else:
        print("\n".join(render_verify(result, diffs=not args.no_diff)))
    return 0 if all(p.status == IDENTICAL for p in result.patches) else 1
